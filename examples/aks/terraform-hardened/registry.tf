resource "azurerm_container_registry" "main" {
  name                          = "acrshop${var.environment}"
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}

resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}

resource "azurerm_role_assignment" "shop_team" {
  scope                = "${azurerm_kubernetes_cluster.main.id}/namespaces/shop"
  role_definition_name = "Azure Kubernetes Service RBAC Writer"
  principal_id         = "0b9d3c55-2f49-4b0a-8a55-6c1f0f3e2d21"
  principal_type       = "Group"
}
