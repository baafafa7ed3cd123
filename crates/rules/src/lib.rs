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

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::PssLevel;
    use std::collections::HashSet;

    const SECTIONS: [&str; 5] = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ];

    #[test]
    fn ids_are_unique_sorted_and_findable() {
        let ids: Vec<_> = all().iter().map(|r| r.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for id in ids {
            assert_eq!(find(id).map(|r| r.meta().id), Some(id));
        }
        assert!(find("K8S-999").is_none());
    }

    #[test]
    fn metadata_is_complete() {
        let mut names = HashSet::new();
        for rule in all() {
            let m = rule.meta();
            assert!(names.insert(m.name), "{}: duplicate name", m.id);
            assert!(
                m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}: name not kebab-case",
                m.id
            );
            let file = format!(
                "{}/src/{}/{}.rs",
                env!("CARGO_MANIFEST_DIR"),
                m.family,
                m.name.replace('-', "_")
            );
            assert!(
                std::path::Path::new(&file).is_file(),
                "{}: expected {file}",
                m.id
            );
            assert!(
                !m.summary.contains('\n') && !m.summary.is_empty(),
                "{}: summary must be one line",
                m.id
            );
            assert!(
                m.remediation.ends_with('.'),
                "{}: remediation must end with '.'",
                m.id
            );
            assert!(
                m.remediation.matches(". ").count() <= 1,
                "{}: remediation longer than two sentences",
                m.id
            );
            assert!(!m.references.is_empty(), "{}: no references", m.id);
            let headings: Vec<_> = m.docs.lines().filter(|l| l.starts_with('#')).collect();
            assert_eq!(headings, SECTIONS, "{}: docs sections", m.id);
            assert!(
                m.docs.contains("```yaml"),
                "{}: docs need a YAML example",
                m.id
            );
            assert!(
                m.docs.contains(pss::util::PSS_DOCS),
                "{}: docs must cite the PSS page",
                m.id
            );
        }
    }

    #[test]
    fn pss_controls_are_consistent() {
        for rule in all() {
            let m = rule.meta();
            let Some(c) = m.pss else { continue };
            match c.level {
                PssLevel::Baseline => {
                    assert!(
                        m.profiles.starts_with(&["pss-baseline", "pss-restricted"]),
                        "{}",
                        m.id
                    );
                }
                _ => {
                    assert!(m.profiles.starts_with(&["pss-restricted"]), "{}", m.id);
                    assert!(!m.profiles.contains(&"pss-baseline"), "{}", m.id);
                }
            }
            for (overridden, from) in c.overrides {
                let other = find(overridden).and_then(|r| r.meta().pss);
                let other =
                    other.unwrap_or_else(|| panic!("{} overrides unknown {overridden}", m.id));
                assert_eq!(
                    other.level,
                    PssLevel::Baseline,
                    "{} overrides {overridden}",
                    m.id
                );
                assert!(
                    *from >= c.since,
                    "{} overrides {overridden} before it exists",
                    m.id
                );
            }
        }
    }
}
