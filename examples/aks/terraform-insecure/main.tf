# Insecure AKS cluster, azurerm 3.x argument names (many settings left at Azure's defaults).

variable "client_secret" {
  type      = string
  sensitive = true
}

variable "admin_ranges" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

resource "azurerm_kubernetes_cluster" "legacy" {
  name                = "aks-legacy"
  location            = "westeurope"
  resource_group_name = "rg-legacy"
  dns_prefix          = "aks-legacy"
  kubernetes_version  = "1.29.7"

  api_server_authorized_ip_ranges  = var.admin_ranges
  http_application_routing_enabled = true
  azure_policy_enabled             = false
  automatic_channel_upgrade        = "none"
  node_os_channel_upgrade          = "Unmanaged"

  default_node_pool {
    name                   = "default"
    vm_size                = "Standard_D2s_v5"
    node_count             = 1
    enable_node_public_ip  = true
    enable_host_encryption = false
    os_sku                 = "CBLMariner"
  }

  service_principal {
    client_id     = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
    client_secret = var.client_secret
  }

  network_profile {
    network_plugin = "kubenet"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = false
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "workers" {
  name                  = "workers"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.legacy.id
  vm_size               = "Standard_D4s_v5"
  node_count            = 2
  enable_node_public_ip = true
  orchestrator_version  = "1.28.9"
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.legacy.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  log {
    category = "kube-apiserver"
    enabled  = true
  }
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "law-legacy"
  location            = "westeurope"
  resource_group_name = "rg-legacy"
  sku                 = "PerGB2018"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrlegacy"
  resource_group_name = "rg-legacy"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}

resource "azurerm_network_security_group" "nodes" {
  name                = "nsg-legacy"
  location            = "westeurope"
  resource_group_name = "rg-legacy"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_role_assignment" "ops" {
  scope                = azurerm_kubernetes_cluster.legacy.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"
  principal_type       = "User"
}
