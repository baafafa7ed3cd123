//! Container hardening beyond the Pod Security Standards (K8S-040 ... K8S-055).
//!
//! These rules run for every pod whatever Pod Security level its namespace enforces. Where a container runtime
//! reads a field more leniently than the API server (capability names), they follow the runtime: what matters is
//! what the container ends up with.

pub mod apparmor_profile_not_set;
pub mod container_runtime_socket_mounted;
pub mod dangerous_capability_added;
pub mod low_uid_or_gid;
pub mod missing_security_context;
pub mod net_raw_not_dropped;
pub mod privileged_container_port;
pub mod root_group_id;
pub mod sensitive_host_path_mounted;
pub mod shared_process_namespace;
pub mod ssh_port_exposed;
pub mod sudo_in_command;
pub mod user_namespace_not_used;
pub(crate) mod util;
pub mod windows_container_administrator;
pub mod writable_host_path_mount;
pub mod writable_root_filesystem;

use palisade_core::Rule;

/// The rules of this family.
pub static RULES: &[&dyn Rule] = &[
    &writable_root_filesystem::WritableRootFilesystem,
    &net_raw_not_dropped::NetRawNotDropped,
    &dangerous_capability_added::DangerousCapabilityAdded,
    &container_runtime_socket_mounted::ContainerRuntimeSocketMounted,
    &sensitive_host_path_mounted::SensitiveHostPathMounted,
    &writable_host_path_mount::WritableHostPathMount,
    &low_uid_or_gid::LowUidOrGid,
    &root_group_id::RootGroupId,
    &missing_security_context::MissingSecurityContext,
    &apparmor_profile_not_set::AppArmorProfileNotSet,
    &shared_process_namespace::SharedProcessNamespace,
    &privileged_container_port::PrivilegedContainerPort,
    &ssh_port_exposed::SshPortExposed,
    &windows_container_administrator::WindowsContainerAdministrator,
    &user_namespace_not_used::UserNamespaceNotUsed,
    &sudo_in_command::SudoInCommand,
];
