//! Which log categories a cluster's diagnostic settings export (AKS-080, AKS-081).

use palisade_core::aks::model::{AksCluster, Diagnostics, Setting};
use palisade_core::{Location, ScanIndex};

/// What the diagnostic settings of a cluster say about a set of categories.
pub(crate) enum DiagVerdict {
    /// Every required category is exported.
    Ok,
    /// Cannot tell, and why.
    NotEvaluated(String),
    /// Not exported: where to report (the setting, or the cluster when `None`) and what is missing.
    Missing(Option<Location>, String),
}

/// Checks that the cluster's diagnostic settings with a destination enable, for each entry of `required`, one of
/// its categories (or one of the category `groups`). Categories may be spread over several settings.
pub(crate) fn audit_status(index: &ScanIndex, c: &AksCluster, required: &[&[&str]], groups: &[&str]) -> DiagVerdict {
    let settings = match &c.diagnostics {
        Diagnostics::Unknown(why) => return DiagVerdict::NotEvaluated(why.clone()),
        Diagnostics::Linked(v) => v,
    };
    if settings.is_empty() {
        let unresolved: Vec<&str> = index
            .aks
            .model()
            .unlinked_diagnostics
            .iter()
            .filter(|(_, why)| !why.is_empty())
            .map(|(_, why)| why.as_str())
            .collect();
        if let Some(first) = unresolved.first() {
            return DiagVerdict::NotEvaluated(format!("no diagnostic setting is linked to the cluster, but {first}"));
        }
        return DiagVerdict::Missing(None, "no diagnostic setting targets the cluster".into());
    }
    let mut enabled: Vec<String> = Vec::new();
    let mut unknown: Option<String> = None;
    for d in settings {
        match &d.has_destination {
            Setting::Set(true, _) => {}
            Setting::Unknown(r, _) => {
                unknown.get_or_insert_with(|| format!("destination of diagnostic setting {}: {r}", d.name));
                continue;
            }
            _ => continue,
        }
        if let Some((r, _)) = &d.logs_unknown {
            unknown.get_or_insert_with(|| format!("logs of diagnostic setting {}: {r}", d.name));
        }
        for l in &d.logs {
            let on = match &l.enabled {
                Setting::Set(b, _) => *b,
                Setting::Absent => true,
                Setting::Unknown(r, _) => {
                    unknown.get_or_insert_with(|| format!("a log of diagnostic setting {} is not known: {r}", d.name));
                    false
                }
            };
            if !on {
                continue;
            }
            for s in [&l.category, &l.group] {
                match s {
                    Setting::Set(v, _) => enabled.push(v.to_ascii_lowercase()),
                    Setting::Unknown(r, _) => {
                        unknown.get_or_insert_with(|| {
                            format!("a log category of diagnostic setting {} is not known: {r}", d.name)
                        });
                    }
                    Setting::Absent => {}
                }
            }
        }
    }
    if groups.iter().any(|g| enabled.iter().any(|e| e == g)) {
        return DiagVerdict::Ok;
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|alts| !alts.iter().any(|a| enabled.iter().any(|e| e == a)))
        .map(|alts| alts.join(" or "))
        .collect();
    if missing.is_empty() {
        return DiagVerdict::Ok;
    }
    if let Some(u) = unknown {
        return DiagVerdict::NotEvaluated(u);
    }
    let loc = settings.first().map(|d| d.origin.at.clone());
    let names: Vec<&str> = settings.iter().map(|d| d.name.as_str()).collect();
    DiagVerdict::Missing(
        loc,
        format!(
            "diagnostic setting {} does not export {}",
            names.join(", "),
            missing.join(", ")
        ),
    )
}
