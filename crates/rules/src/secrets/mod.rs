//! Secrets (SEC-001 ... SEC-009): credentials in manifests, how workloads consume Secrets, and the Key Vault Secrets
//! Store CSI driver with Azure workload identity. SEC-010 (hard-coded credentials in Terraform/ARM) belongs to the
//! AKS configuration inputs.

pub mod credential_in_configmap_or_annotation;
pub mod credential_in_env_value;
pub mod csi_volume_missing_secret_provider_class;
pub mod kubernetes_secret_volume;
pub mod secret_data_in_manifest;
pub mod secret_in_env_var;
pub mod secret_provider_class_syncs_secret;
pub mod secret_provider_class_weak_identity;
pub(crate) mod util;
pub mod workload_identity_wiring_inconsistent;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &credential_in_env_value::CredentialInEnvValue,
    &secret_in_env_var::SecretInEnvVar,
    &secret_data_in_manifest::SecretDataInManifest,
    &credential_in_configmap_or_annotation::CredentialInConfigmapOrAnnotation,
    &kubernetes_secret_volume::KubernetesSecretVolume,
    &secret_provider_class_weak_identity::SecretProviderClassWeakIdentity,
    &secret_provider_class_syncs_secret::SecretProviderClassSyncsSecret,
    &workload_identity_wiring_inconsistent::WorkloadIdentityWiringInconsistent,
    &csi_volume_missing_secret_provider_class::CsiVolumeMissingSecretProviderClass,
];
