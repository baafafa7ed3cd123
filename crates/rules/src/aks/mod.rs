//! AKS cluster configuration (AKS-001 ... AKS-107) and cross-layer rules (cluster configuration scanned together
//! with manifests). Every rule reads the one AKS model, whatever format the cluster came from.

use palisade_core::Rule;

pub mod aad_pod_identity_enabled;
pub mod acr_admin_user_enabled;
pub mod acr_public_or_anonymous_access;
pub mod api_server_open_to_internet;
pub mod audit_logs_not_exported;
pub mod auto_upgrade_channel_not_set;
pub mod azure_policy_addon_disabled;
pub mod azure_rbac_authorization_disabled;
pub mod broad_cluster_admin_role_assignment;
pub mod cluster_admin_group_missing;
pub mod container_insights_disabled;
pub mod defender_for_containers_plan_off;
pub mod defender_sensor_disabled;
pub mod deprecated_node_os_sku;
pub(crate) mod diag;
pub mod disk_encryption_set_missing;
pub mod egress_not_through_firewall;
pub mod entra_id_integration_missing;
pub mod etcd_kms_encryption_disabled;
pub mod federated_credential_mismatch;
pub mod free_sku_tier;
pub mod host_encryption_disabled;
pub mod http_application_routing_enabled;
pub mod image_cleaner_disabled;
pub mod key_vault_access_too_broad;
pub mod key_vault_secrets_provider_disabled;
pub mod kubelet_identity_beyond_acr_pull;
pub mod kubenet_network_plugin;
pub mod kubernetes_dashboard_addon_enabled;
pub mod kubernetes_rbac_disabled;
pub mod kubernetes_version_outdated;
pub mod local_accounts_enabled;
pub mod log_retention_too_short;
pub mod maintenance_window_missing;
pub mod network_policies_without_engine;
pub mod network_policy_engine_missing;
pub mod node_hardening_options_off;
pub mod node_os_upgrade_channel_unmanaged;
pub mod node_pool_not_zone_redundant;
pub mod node_public_ip_enabled;
pub mod node_ssh_access_enabled;
pub mod node_subnet_nsg_missing_or_open;
pub mod nodes_not_in_custom_vnet;
pub mod platform_logs_not_exported;
pub mod pod_security_initiative_not_assigned;
pub mod pod_security_not_enforced;
pub mod pod_security_policy_enabled;
pub mod private_cluster_public_fqdn;
pub mod public_api_server;
pub mod run_command_enabled;
pub mod secret_provider_class_without_csi_addon;
pub mod secret_rotation_disabled;
pub mod service_mesh_not_enabled;
pub mod service_principal_instead_of_managed_identity;
pub mod system_pool_too_small;
pub mod system_user_pool_not_separated;
pub(crate) mod util;
pub mod workload_identity_disabled;
pub mod workload_identity_used_but_disabled;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &entra_id_integration_missing::EntraIdIntegrationMissing,
    &azure_rbac_authorization_disabled::AzureRbacAuthorizationDisabled,
    &cluster_admin_group_missing::ClusterAdminGroupMissing,
    &local_accounts_enabled::LocalAccountsEnabled,
    &kubernetes_rbac_disabled::KubernetesRbacDisabled,
    &service_principal_instead_of_managed_identity::ServicePrincipalInsteadOfManagedIdentity,
    &workload_identity_disabled::WorkloadIdentityDisabled,
    &aad_pod_identity_enabled::AadPodIdentityEnabled,
    &run_command_enabled::RunCommandEnabled,
    &node_ssh_access_enabled::NodeSshAccessEnabled,
    &public_api_server::PublicApiServer,
    &api_server_open_to_internet::ApiServerOpenToInternet,
    &private_cluster_public_fqdn::PrivateClusterPublicFqdn,
    &network_policy_engine_missing::NetworkPolicyEngineMissing,
    &kubenet_network_plugin::KubenetNetworkPlugin,
    &node_public_ip_enabled::NodePublicIpEnabled,
    &egress_not_through_firewall::EgressNotThroughFirewall,
    &nodes_not_in_custom_vnet::NodesNotInCustomVnet,
    &http_application_routing_enabled::HttpApplicationRoutingEnabled,
    &kubernetes_dashboard_addon_enabled::KubernetesDashboardAddonEnabled,
    &defender_sensor_disabled::DefenderSensorDisabled,
    &azure_policy_addon_disabled::AzurePolicyAddonDisabled,
    &pod_security_initiative_not_assigned::PodSecurityInitiativeNotAssigned,
    &key_vault_secrets_provider_disabled::KeyVaultSecretsProviderDisabled,
    &secret_rotation_disabled::SecretRotationDisabled,
    &etcd_kms_encryption_disabled::EtcdKmsEncryptionDisabled,
    &image_cleaner_disabled::ImageCleanerDisabled,
    &container_insights_disabled::ContainerInsightsDisabled,
    &pod_security_policy_enabled::PodSecurityPolicyEnabled,
    &service_mesh_not_enabled::ServiceMeshNotEnabled,
    &auto_upgrade_channel_not_set::AutoUpgradeChannelNotSet,
    &node_os_upgrade_channel_unmanaged::NodeOsUpgradeChannelUnmanaged,
    &maintenance_window_missing::MaintenanceWindowMissing,
    &kubernetes_version_outdated::KubernetesVersionOutdated,
    &host_encryption_disabled::HostEncryptionDisabled,
    &disk_encryption_set_missing::DiskEncryptionSetMissing,
    &node_pool_not_zone_redundant::NodePoolNotZoneRedundant,
    &system_user_pool_not_separated::SystemUserPoolNotSeparated,
    &deprecated_node_os_sku::DeprecatedNodeOsSku,
    &free_sku_tier::FreeSkuTier,
    &system_pool_too_small::SystemPoolTooSmall,
    &node_hardening_options_off::NodeHardeningOptionsOff,
    &audit_logs_not_exported::AuditLogsNotExported,
    &platform_logs_not_exported::PlatformLogsNotExported,
    &log_retention_too_short::LogRetentionTooShort,
    &network_policies_without_engine::NetworkPoliciesWithoutEngine,
    &secret_provider_class_without_csi_addon::SecretProviderClassWithoutCsiAddon,
    &workload_identity_used_but_disabled::WorkloadIdentityUsedButDisabled,
    &pod_security_not_enforced::PodSecurityNotEnforced,
    &defender_for_containers_plan_off::DefenderForContainersPlanOff,
    &acr_admin_user_enabled::AcrAdminUserEnabled,
    &acr_public_or_anonymous_access::AcrPublicOrAnonymousAccess,
    &kubelet_identity_beyond_acr_pull::KubeletIdentityBeyondAcrPull,
    &broad_cluster_admin_role_assignment::BroadClusterAdminRoleAssignment,
    &key_vault_access_too_broad::KeyVaultAccessTooBroad,
    &node_subnet_nsg_missing_or_open::NodeSubnetNsgMissingOrOpen,
    &federated_credential_mismatch::FederatedCredentialMismatch,
];
