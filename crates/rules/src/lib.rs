//! Palisade's built-in rules. Each rule is one file with its metadata and docs; [`all`] is the registry.
//!
//! Rules are pure: an object in, violations out. No IO, no printing, no panics.

#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod aks;
pub mod docs;
pub mod hardening;
pub mod hygiene;
pub mod images;
pub mod namespaces;
pub mod network;
pub mod pss;
pub mod rbac;
pub mod secrets;

use palisade_core::Rule;
use std::sync::LazyLock;

/// Every built-in rule, sorted by ID. Each family module lists its own rules in `RULES`.
static ALL: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static dyn Rule> = [
        pss::RULES,
        aks::RULES,
        hardening::RULES,
        namespaces::RULES,
        images::RULES,
        hygiene::RULES,
        rbac::RULES,
        network::RULES,
        secrets::RULES,
    ]
    .concat();
    all.sort_by_key(|r| r.meta().id);
    all
});

/// Every built-in rule, in ID order.
pub fn all() -> &'static [&'static dyn Rule] {
    &ALL
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
            assert!(std::path::Path::new(&file).is_file(), "{}: expected {file}", m.id);
            assert!(
                !m.summary.contains('\n') && !m.summary.is_empty(),
                "{}: summary must be one line",
                m.id
            );
            assert!(m.remediation.ends_with('.'), "{}: remediation must end with '.'", m.id);
            assert!(
                m.remediation.matches(". ").count() <= 1,
                "{}: remediation longer than two sentences",
                m.id
            );
            assert!(!m.references.is_empty(), "{}: no references", m.id);
            let headings: Vec<_> = m.docs.lines().filter(|l| l.starts_with('#')).collect();
            assert_eq!(headings, SECTIONS, "{}: docs sections", m.id);
            assert!(m.docs.contains("```"), "{}: docs need an example", m.id);
            if m.pss.is_some() {
                assert!(
                    m.docs.contains(pss::util::PSS_DOCS),
                    "{}: docs must cite the PSS page",
                    m.id
                );
            }
        }
    }

    #[test]
    fn pss_controls_are_consistent() {
        for rule in all() {
            let m = rule.meta();
            let Some(c) = m.pss else { continue };
            match c.level {
                PssLevel::Baseline => {
                    assert!(m.profiles.starts_with(&["pss-baseline", "pss-restricted"]), "{}", m.id);
                }
                _ => {
                    assert!(m.profiles.starts_with(&["pss-restricted"]), "{}", m.id);
                    assert!(!m.profiles.contains(&"pss-baseline"), "{}", m.id);
                }
            }
            for (overridden, from) in c.overrides {
                let other = find(overridden).and_then(|r| r.meta().pss);
                let other = other.unwrap_or_else(|| panic!("{} overrides unknown {overridden}", m.id));
                assert_eq!(other.level, PssLevel::Baseline, "{} overrides {overridden}", m.id);
                assert!(*from >= c.since, "{} overrides {overridden} before it exists", m.id);
            }
        }
    }
}
