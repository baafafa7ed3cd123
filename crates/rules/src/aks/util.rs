//! Helpers shared by the AKS rules: reading a setting with Azure's default, reporting on a cluster or node pool,
//! and "not evaluated" when a setting is unknown.

use palisade_core::aks::model::{AksCluster, Format, NodePool, Origin, Setting};
use palisade_core::{IndexOutput, Location, ObjectRef, ScanIndex};

/// Argument names of one setting in each format, for messages.
#[derive(Clone, Copy)]
pub(crate) struct Names {
    /// Terraform azurerm argument (newest spelling).
    pub tf: &'static str,
    /// ARM/Bicep property path (under `properties`).
    pub arm: &'static str,
    /// `az aks show` path (SDK casing).
    pub az: &'static str,
}

impl Names {
    /// The name in the cluster's own format.
    pub fn of(&self, o: &Origin) -> &'static str {
        match o.format {
            Some(Format::Terraform | Format::TerraformJson) => self.tf,
            Some(Format::Az) => self.az,
            _ => self.arm,
        }
    }
}

/// The argument path as written at `l` (`automatic_channel_upgrade`, `default_node_pool.enable_node_public_ip`,
/// `apiServerAccessProfile.authorizedIPRanges`), so messages use the spelling of the file; `fallback` otherwise.
pub(crate) fn written(l: &Location, fallback: &str) -> String {
    let p = l.pointer.as_str();
    let rest = if let Some(r) = p.strip_prefix("/resource/") {
        r.splitn(3, '/').nth(2)
    } else if let Some(i) = p.find("/values/") {
        p.get(i + "/values/".len()..)
    } else if let Some(i) = p.find("/properties/") {
        p.get(i + "/properties/".len()..)
    } else {
        p.strip_prefix('/')
    };
    match rest {
        Some(r) if !r.is_empty() => r
            .split('/')
            .filter(|s| s.parse::<usize>().is_err())
            .collect::<Vec<_>>()
            .join("."),
        _ => fallback.to_string(),
    }
}

/// How a rule names a cluster in "not evaluated" scopes.
pub(crate) fn scope(o: &Origin) -> String {
    format!("{} ({})", o.object, o.at.file)
}

/// The clusters of the scan.
pub(crate) fn clusters(index: &ScanIndex) -> &[AksCluster] {
    &index.aks.model().clusters
}

/// A setting read with Azure's default.
pub(crate) enum Read<'a, T> {
    /// Written with this value, here.
    Set(&'a T, &'a Location),
    /// Not written: the default applies (reported at the resource).
    Default(&'a T),
    /// Not written and no default given.
    Absent,
}

/// Reads `s`; on an unknown value reports "not evaluated" for `rule_what` and returns `None`.
pub(crate) fn read<'a, T>(
    out: &mut IndexOutput,
    o: &Origin,
    what: &str,
    s: &'a Setting<T>,
    default: Option<&'a T>,
) -> Option<Read<'a, T>> {
    match s {
        Setting::Set(v, l) => Some(Read::Set(v, l)),
        Setting::Absent => Some(default.map_or(Read::Absent, Read::Default)),
        Setting::Unknown(r, l) => {
            out.not_evaluated(scope(o), format!("{what} is not known at {}:{}: {r}", l.file, l.line));
            None
        }
    }
}

/// Reports a finding on a resource at `loc` (or at the resource when `None`).
pub(crate) fn report(out: &mut IndexOutput, o: &Origin, loc: Option<&Location>, msg: impl Into<String>) {
    out.violation_at(o.object.clone(), loc.unwrap_or(&o.at).clone(), msg);
}

/// Reports a finding about a node pool (on the pool's own resource when it is separate).
pub(crate) fn report_pool(out: &mut IndexOutput, p: &NodePool, loc: Option<&Location>, msg: impl Into<String>) {
    out.violation_at(p.object.clone(), loc.unwrap_or(&p.at).clone(), msg);
}

/// A boolean setting of every cluster that must be `want`; `default` is Azure's value when it is not written.
pub(crate) fn require_bool(
    index: &ScanIndex,
    out: &mut IndexOutput,
    names: Names,
    default: bool,
    want: bool,
    get: impl Fn(&AksCluster) -> &Setting<bool>,
    why: &str,
) {
    for c in clusters(index) {
        let name = names.of(&c.origin);
        match read(out, &c.origin, name, get(c), Some(&default)) {
            Some(Read::Set(v, l)) if *v != want => {
                report(out, &c.origin, Some(l), format!("{} is {v}: {why}", written(l, name)));
            }
            Some(Read::Default(v)) if *v != want => report(
                out,
                &c.origin,
                None,
                format!("{name} is not set (Azure's default is {v}): {why}"),
            ),
            _ => {}
        }
    }
}

/// An add-on/feature that must be enabled; absent means disabled.
pub(crate) fn require_enabled(
    index: &ScanIndex,
    out: &mut IndexOutput,
    names: Names,
    get: impl Fn(&AksCluster) -> &Setting<bool>,
    why: &str,
) {
    for c in clusters(index) {
        let name = names.of(&c.origin);
        match read(out, &c.origin, name, get(c), None) {
            Some(Read::Set(false, l)) => {
                report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} {why}", state(&written(l, name), false)),
                );
            }
            Some(Read::Absent) => report(out, &c.origin, None, format!("{name} is not configured: {why}")),
            _ => {}
        }
    }
}

/// An add-on/feature that must not be enabled; absent means disabled.
pub(crate) fn forbid_enabled(
    index: &ScanIndex,
    out: &mut IndexOutput,
    names: Names,
    get: impl Fn(&AksCluster) -> &Setting<bool>,
    why: &str,
) {
    for c in clusters(index) {
        let name = names.of(&c.origin);
        if let Some(Read::Set(true, l)) = read(out, &c.origin, name, get(c), None) {
            report(
                out,
                &c.origin,
                Some(l),
                format!("{} {why}", state(&written(l, name), true)),
            );
        }
    }
}

/// "`x_enabled` is false:" for boolean arguments, "`addonProfiles.x` is disabled:" for objects.
fn state(name: &str, on: bool) -> String {
    if name.to_ascii_lowercase().ends_with("enabled") {
        format!("{name} is {on}:")
    } else {
        format!("{name} is {}:", if on { "enabled" } else { "disabled" })
    }
}

/// A short object reference for messages (`Deployment shop/web`).
pub(crate) fn describe(o: &ObjectRef) -> String {
    o.to_string()
}

/// Lists at most five items, then "and N more".
pub(crate) fn list_some(items: &[String]) -> String {
    let mut s = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        s.push_str(&format!(" and {} more", items.len() - 5));
    }
    s
}

/// True when the cluster came from Terraform or ARM (formats that can declare adjacent resources).
pub(crate) fn declares_resources(c: &AksCluster) -> bool {
    !matches!(c.origin.format, Some(Format::Az))
}

/// Every node pool of the scan: the clusters' pools and separately declared pools whose cluster is not scanned.
pub(crate) fn pools(index: &ScanIndex) -> Vec<&NodePool> {
    let m = index.aks.model();
    m.clusters
        .iter()
        .flat_map(|c| c.node_pools.iter())
        .chain(m.orphan_node_pools.iter())
        .collect()
}

/// How "not evaluated" names a node pool.
pub(crate) fn pool_scope(p: &NodePool) -> String {
    format!("{} node pool {} ({})", p.object, p.name, p.at.file)
}

/// A boolean setting of every node pool that must be `want`; `default` is Azure's value when it is not written.
pub(crate) fn pool_bool(
    index: &ScanIndex,
    out: &mut IndexOutput,
    names: Names,
    default: bool,
    want: bool,
    get: impl Fn(&NodePool) -> &Setting<bool>,
    why: &str,
) {
    for p in pools(index) {
        let tf = p.object.kind.starts_with("azurerm_");
        let name = if tf { names.tf } else { names.arm };
        match get(p) {
            Setting::Unknown(r, l) => out.not_evaluated(
                pool_scope(p),
                format!("{name} is not known at {}:{}: {r}", l.file, l.line),
            ),
            Setting::Set(v, l) if *v != want => {
                let arg = written(l, name);
                let arg = arg.rsplit('.').next().unwrap_or(name);
                report_pool(out, p, Some(l), format!("node pool {} sets {arg} = {v}: {why}", p.name));
            }
            Setting::Absent if default != want => report_pool(
                out,
                p,
                None,
                format!(
                    "node pool {} does not set {name} (Azure's default is {default}): {why}",
                    p.name
                ),
            ),
            _ => {}
        }
    }
}
