//! AKS cluster configuration (AKS-001 ... AKS-107) and cross-layer rules (cluster configuration scanned together
//! with manifests). Every rule reads the one AKS model, whatever format the cluster came from.

use palisade_core::Rule;

pub(crate) mod diag;
pub(crate) mod util;
pub mod entra_id_integration_missing;
pub mod local_accounts_enabled;
pub mod kubernetes_rbac_disabled;
pub mod service_principal_instead_of_managed_identity;
pub mod public_api_server;
pub mod api_server_open_to_internet;
pub mod network_policy_engine_missing;
pub mod defender_sensor_disabled;
pub mod azure_policy_addon_disabled;
pub mod key_vault_secrets_provider_disabled;
pub mod etcd_kms_encryption_disabled;
pub mod auto_upgrade_channel_not_set;
pub mod audit_logs_not_exported;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &entra_id_integration_missing::EntraIdIntegrationMissing,
    &local_accounts_enabled::LocalAccountsEnabled,
    &kubernetes_rbac_disabled::KubernetesRbacDisabled,
    &service_principal_instead_of_managed_identity::ServicePrincipalInsteadOfManagedIdentity,
    &public_api_server::PublicApiServer,
    &api_server_open_to_internet::ApiServerOpenToInternet,
    &network_policy_engine_missing::NetworkPolicyEngineMissing,
    &defender_sensor_disabled::DefenderSensorDisabled,
    &azure_policy_addon_disabled::AzurePolicyAddonDisabled,
    &key_vault_secrets_provider_disabled::KeyVaultSecretsProviderDisabled,
    &etcd_kms_encryption_disabled::EtcdKmsEncryptionDisabled,
    &auto_upgrade_channel_not_set::AutoUpgradeChannelNotSet,
    &audit_logs_not_exported::AuditLogsNotExported,
];
