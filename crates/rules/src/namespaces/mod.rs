//! Namespaces, Pod Security Admission labels and admission coverage (K8S-060 ... K8S-069).

pub mod namespace_without_limit_range;
pub mod namespace_without_psa_enforce_label;
pub mod namespace_without_resource_quota;
pub mod no_admission_policy_mechanism;
pub mod psa_audit_warn_labels_missing;
pub mod psa_enforce_level_weaker_than_restricted;
pub mod psa_enforce_version_pinned;
pub(crate) mod util;
pub mod workload_in_default_namespace;
pub mod workload_in_kube_system;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &namespace_without_psa_enforce_label::NamespaceWithoutPsaEnforceLabel,
    &psa_enforce_level_weaker_than_restricted::PsaEnforceLevelWeakerThanRestricted,
    &psa_audit_warn_labels_missing::PsaAuditWarnLabelsMissing,
    &psa_enforce_version_pinned::PsaEnforceVersionPinned,
    &workload_in_default_namespace::WorkloadInDefaultNamespace,
    &workload_in_kube_system::WorkloadInKubeSystem,
    &namespace_without_limit_range::NamespaceWithoutLimitRange,
    &namespace_without_resource_quota::NamespaceWithoutResourceQuota,
    &no_admission_policy_mechanism::NoAdmissionPolicyMechanism,
];
