//! Palisade's built-in rules. Each rule is one file with its metadata and docs; [`all`] is the registry.
//!
//! Rules are pure: an object in, violations out. No IO, no printing, no panics.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod pss;

use palisade_core::Rule;
use pss::*;

/// Every built-in rule, in ID order.
static ALL: &[&dyn Rule] = &[
    &privileged_container::PrivilegedContainer,
    &host_pid_namespace::HostPidNamespace,
    &host_ipc_namespace::HostIpcNamespace,
    &host_network_namespace::HostNetworkNamespace,
    &host_path_volume::HostPathVolume,
    &host_port::HostPort,
    &capabilities_beyond_baseline::CapabilitiesBeyondBaseline,
    &apparmor_profile_overridden::AppArmorProfileOverridden,
    &custom_selinux_options::CustomSelinuxOptions,
    &unmasked_proc_mount::UnmaskedProcMount,
    &seccomp_unconfined::SeccompUnconfined,
    &unsafe_sysctls::UnsafeSysctls,
    &probe_or_lifecycle_host::ProbeOrLifecycleHost,
    &windows_host_process::WindowsHostProcess,
    &non_allowlisted_volume_type::NonAllowlistedVolumeType,
    &privilege_escalation_allowed::PrivilegeEscalationAllowed,
    &run_as_non_root_not_enforced::RunAsNonRootNotEnforced,
    &run_as_root_user::RunAsRootUser,
    &seccomp_profile_missing::SeccompProfileMissing,
    &capabilities_not_dropped::CapabilitiesNotDropped,
    &unmasked_proc_mount_restricted::UnmaskedProcMountRestricted,
];

/// Every built-in rule, in ID order.
pub fn all() -> &'static [&'static dyn Rule] {
    ALL
}

/// The built-in rule with this ID (`K8S-001`), if any.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().id == id)
}
