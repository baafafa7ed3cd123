//! Pod Security Standards controls, one rule per file, evaluated as Pod Security Admission
//! (`k8s.io/pod-security-admission/policy/check_*.go`) evaluates them for each policy version.
//!
//! Which rules run for a policy level and version (`since`, restricted rules replacing baseline ones) is decided by
//! the engine from each rule's [`palisade_core::PssControl`]; a rule only handles version differences inside its
//! own check (allowed-value sets, Windows and user-namespace exemptions, annotations before fields).

pub mod apparmor_profile_overridden;
pub mod capabilities_beyond_baseline;
pub mod capabilities_not_dropped;
pub mod custom_selinux_options;
pub mod host_ipc_namespace;
pub mod host_network_namespace;
pub mod host_path_volume;
pub mod host_pid_namespace;
pub mod host_port;
pub mod non_allowlisted_volume_type;
pub mod privilege_escalation_allowed;
pub mod privileged_container;
pub mod probe_or_lifecycle_host;
pub mod run_as_non_root_not_enforced;
pub mod run_as_root_user;
pub mod seccomp_profile_missing;
pub mod seccomp_unconfined;
pub mod unmasked_proc_mount;
pub mod unmasked_proc_mount_restricted;
pub mod unsafe_sysctls;
pub(crate) mod util;
pub mod windows_host_process;

use palisade_core::Rule;

/// The Pod Security Standards rules.
pub static RULES: &[&dyn Rule] = &[
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
