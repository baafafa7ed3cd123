//! RBAC (RBAC-001 ... RBAC-029): Role/ClusterRole contents (per object, every rule entry), binding subjects
//! (per object, or across the scan when the verdict depends on what the bound role grants), ServiceAccount use
//! and token mounting by workloads, and workload → ServiceAccount → binding → role attack paths.
//!
//! Matching of PolicyRules lives in [`util`], built-in ClusterRoles in [`builtin`], role resolution and workload
//! facts in [`resolve`].

pub mod aggregate_to_edit_endpoints_write;
pub mod anonymous_binding;
pub mod authenticated_group_binding;
pub(crate) mod builtin;
pub mod cluster_admin_binding;
pub mod cluster_wide_binding_for_namespaced_subject;
pub mod configmap_write_permission;
pub mod csr_approval_permission;
pub mod default_service_account_automounts_token;
pub mod default_service_account_bound;
pub mod default_service_account_used;
pub mod impersonation_permission;
pub mod legacy_service_account_token_secret;
pub mod log_event_delete_permission;
pub mod network_object_write_permission;
pub mod node_proxy_permission;
pub mod persistent_volume_create_permission;
pub mod pod_create_permission;
pub mod pod_exec_attach_permission;
pub mod pod_portforward_permission;
pub mod rbac_escalation_permission;
pub(crate) mod resolve;
pub mod secret_read_permission;
pub mod service_account_token_automounted;
pub mod service_account_token_create_permission;
pub mod service_status_write_permission;
pub mod system_masters_binding;
pub(crate) mod takeover;
pub mod user_subject_binding;
pub(crate) mod util;
pub mod webhook_configuration_write_permission;
pub mod wildcard_in_rbac_rule;
pub mod workload_service_account_takeover;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &wildcard_in_rbac_rule::WildcardInRbacRule,
    &cluster_admin_binding::ClusterAdminBinding,
    &anonymous_binding::AnonymousBinding,
    &authenticated_group_binding::AuthenticatedGroupBinding,
    &system_masters_binding::SystemMastersBinding,
    &rbac_escalation_permission::RbacEscalationPermission,
    &impersonation_permission::ImpersonationPermission,
    &secret_read_permission::SecretReadPermission,
    &pod_exec_attach_permission::PodExecAttachPermission,
    &node_proxy_permission::NodeProxyPermission,
    &pod_create_permission::PodCreatePermission,
    &persistent_volume_create_permission::PersistentVolumeCreatePermission,
    &csr_approval_permission::CsrApprovalPermission,
    &webhook_configuration_write_permission::WebhookConfigurationWritePermission,
    &service_account_token_create_permission::ServiceAccountTokenCreatePermission,
    &default_service_account_used::DefaultServiceAccountUsed,
    &default_service_account_bound::DefaultServiceAccountBound,
    &service_account_token_automounted::ServiceAccountTokenAutomounted,
    &default_service_account_automounts_token::DefaultServiceAccountAutomountsToken,
    &legacy_service_account_token_secret::LegacyServiceAccountTokenSecret,
    &cluster_wide_binding_for_namespaced_subject::ClusterWideBindingForNamespacedSubject,
    &user_subject_binding::UserSubjectBinding,
    &log_event_delete_permission::LogEventDeletePermission,
    &configmap_write_permission::ConfigmapWritePermission,
    &network_object_write_permission::NetworkObjectWritePermission,
    &pod_portforward_permission::PodPortforwardPermission,
    &aggregate_to_edit_endpoints_write::AggregateToEditEndpointsWrite,
    &service_status_write_permission::ServiceStatusWritePermission,
    &workload_service_account_takeover::WorkloadServiceAccountTakeover,
];
