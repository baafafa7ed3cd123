//! `palisade scan --cluster`: reads the live cluster (palisade-live), hands each object to the ordinary scan as
//! an input labelled `cluster://CONTEXT/NAMESPACE/KIND/NAME`, and turns lists that could not be read into tool
//! errors (kind `forbidden` or `cluster`) and a "partial scan" warning.
//!
//! Objects go through the same loader and engine as manifest files (so cross-object rules, controller
//! de-duplication, suppressions, custom policies and every report format work unchanged): each stripped object is
//! written as JSON to a private temporary directory (mode 0700), removed when the scan is done. Secrets are
//! metadata and type only: their values are never fetched.

use crate::discover::Input;
use anyhow::{Context, Result};
use palisade_core::{ScanResult, ToolError};
use palisade_live::{Counters, Gap, GapReason, Options, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Tool error kind of a list the credentials may not read.
pub const FORBIDDEN: &str = "forbidden";
/// Tool error kind of a list that failed for another reason (after retries).
pub const CLUSTER_ERROR: &str = "cluster";

/// The flags of `palisade scan` that concern the live cluster.
pub struct ClusterArgs<'a> {
    /// `--kubeconfig`.
    pub kubeconfig: Option<&'a Path>,
    /// `--context`.
    pub context: Option<&'a str>,
    /// `--namespace` (repeatable).
    pub namespaces: &'a [String],
    /// Show the progress bar (stderr is a terminal and --no-progress is not given).
    pub progress: bool,
}

/// What the cluster contributes to a scan. Holds the temporary directory: keep it until the reports are written.
pub struct LiveInputs {
    /// One input per object.
    pub inputs: Vec<Input>,
    /// Lists that could not be read.
    pub errors: Vec<ToolError>,
    /// Notes (older API versions used, kinds not served) and the partial-scan warning.
    pub warnings: Vec<String>,
    /// Namespaces given with --namespace (findings on other cluster-scoped objects are not reported).
    namespaces: Vec<String>,
    /// Labels of the cluster objects.
    labels: std::collections::HashSet<String>,
    /// Lists not read: (namespace, kind); `None` for all namespaces or a cluster-scoped kind.
    gaps: Vec<(Option<String>, String)>,
    /// Removed when dropped, after the reports are written.
    _dir: TempDir,
}

/// A private temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn create() -> Result<Self> {
        let base = std::env::temp_dir();
        for i in 0..100u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let dir = base.join(format!("palisade-live-{}-{nanos}-{i}", std::process::id()));
            let mut b = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            match b.create(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e).with_context(|| format!("creating {}", dir.display())),
            }
        }
        anyhow::bail!("cannot create a temporary directory in {}", base.display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads the cluster and prepares its objects as scan inputs.
pub fn read(args: &ClusterArgs) -> Result<LiveInputs> {
    let opts = Options {
        kubeconfig: args.kubeconfig.map(Path::to_path_buf),
        context: args.context.map(str::to_string),
        namespaces: args.namespaces.to_vec(),
        ..Options::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let counters = Arc::new(Counters::default());
    let bar = read_progress(args.progress, counters.clone());
    let snapshot = runtime.block_on(async {
        let conn = palisade_live::connect(&opts).await?;
        palisade_live::read_cluster(&conn, &opts, counters).await
    });
    bar.finish();
    // Connections of the runtime are closed without waiting for the server.
    runtime.shutdown_background();
    let snapshot = snapshot.context("reading the cluster")?;
    prepare(snapshot, args.namespaces)
}

fn gap_error(context: &str, g: &Gap) -> ToolError {
    let where_ = match &g.namespace {
        Some(ns) => format!("in namespace {ns}"),
        None => "in all namespaces".to_string(),
    };
    let (kind, message) = match g.reason {
        GapReason::Forbidden => (
            FORBIDDEN,
            format!(
                "not scanned: forbidden: {} ({}) {where_}: {}",
                g.kind, g.api_version, g.message
            ),
        ),
        GapReason::Failed => (
            CLUSTER_ERROR,
            format!("not scanned: {} ({}) {where_}: {}", g.kind, g.api_version, g.message),
        ),
    };
    ToolError {
        file: palisade_live::label(context, g.namespace.as_deref(), &g.kind, None),
        document: 0,
        line: 0,
        column: 0,
        kind: kind.to_string(),
        message,
    }
}

fn prepare(snapshot: Snapshot, namespaces: &[String]) -> Result<LiveInputs> {
    let dir = TempDir::create()?;
    let mut inputs = Vec::with_capacity(snapshot.objects.len());
    let mut labels = std::collections::HashSet::with_capacity(snapshot.objects.len());
    for (i, o) in snapshot.objects.iter().enumerate() {
        let label = palisade_live::label(&snapshot.context, o.namespace.as_deref(), &o.kind, Some(&o.name));
        let path = dir.0.join(format!("{i:06}.json"));
        std::fs::write(&path, &o.json).with_context(|| format!("writing {}", path.display()))?;
        labels.insert(label.clone());
        inputs.push(Input::File(path, label));
    }
    let errors: Vec<ToolError> = snapshot.gaps.iter().map(|g| gap_error(&snapshot.context, g)).collect();
    let mut warnings: Vec<String> = snapshot
        .notes
        .iter()
        .map(|n| format!("cluster {}: {n}", snapshot.context))
        .collect();
    if !errors.is_empty() {
        let forbidden = snapshot
            .gaps
            .iter()
            .filter(|g| g.reason == GapReason::Forbidden)
            .count();
        warnings.push(format!(
            "partial scan: {} list{} of cluster {} could not be read ({forbidden} forbidden); see the errors",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            snapshot.context
        ));
    }
    Ok(LiveInputs {
        inputs,
        errors,
        warnings,
        namespaces: namespaces.to_vec(),
        labels,
        gaps: snapshot
            .gaps
            .iter()
            .map(|g| (g.namespace.clone(), g.kind.clone()))
            .collect(),
        _dir: dir,
    })
}

/// K8S-114 (deprecated API version): the version of a live object is the one Palisade asked for, not one a user
/// wrote, so the rule says nothing about cluster objects.
const DEPRECATED_API_RULE: &str = "K8S-114";

impl LiveInputs {
    /// Whether `label` is an object read from the cluster.
    fn is_live(&self, label: &str) -> bool {
        self.labels.contains(label)
    }

    /// Adds the cluster's gaps and notes to the result, drops what does not apply to live objects, and fixes the
    /// counts (`files` counts files only; every cluster object is one document).
    pub fn finish(&self, result: &mut ScanResult) {
        let live_files = self.inputs.len();
        result.summary.files = result.summary.files.saturating_sub(live_files);
        result
            .findings
            .retain(|f| !(f.rule == DEPRECATED_API_RULE && self.is_live(&f.location.file)));
        if !self.namespaces.is_empty() {
            // Cluster-scoped objects are read as context (a RoleBinding naming a ClusterRole); with --namespace
            // only the selected namespaces' objects (and their Namespace objects) are reported.
            let keep = |f: &palisade_core::Finding| {
                if !self.is_live(&f.location.file) {
                    return true;
                }
                match (&f.object.namespace, f.object.kind.as_str()) {
                    (Some(ns), _) => self.namespaces.contains(ns),
                    (None, "Namespace") => f.object.name.as_ref().is_some_and(|n| self.namespaces.contains(n)),
                    (None, _) => false,
                }
            };
            result.findings.retain(keep);
            result.suppressed.retain(|s| keep(&s.finding));
        }
        self.undecide_cross_object_findings(result);
        result.summary.count_findings(&result.findings);
        result.summary.suppressed = result.suppressed.len();
        result.summary.not_evaluated = result.not_evaluated.len();
        result.errors.extend(self.errors.iter().cloned());
        result.summary.errors = result.errors.len();
        result.summary.partial |= !self.errors.is_empty();
        result.warnings.extend(self.warnings.iter().cloned());
    }
}

impl LiveInputs {
    /// The kinds not read that may matter for an object in `namespace` (`None`: a cluster-scoped object).
    fn missing_for(&self, namespace: Option<&str>) -> Vec<&str> {
        let mut kinds: Vec<&str> = self
            .gaps
            .iter()
            .filter(|(ns, _)| ns.is_none() || ns.as_deref() == namespace)
            .map(|(_, k)| k.as_str())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// A cross-object rule judges an object by others (its namespace's NetworkPolicies, the RBAC that binds its
    /// service account, ...). When lists were not read, such a verdict may rest on objects that exist but could
    /// not be seen ("no default-deny policy" while NetworkPolicies were forbidden), so cross-object findings in
    /// the scope of a gap become "not evaluated" with the missing kinds as the reason. Per-object rules are
    /// unaffected.
    fn undecide_cross_object_findings(&self, result: &mut ScanResult) {
        if self.gaps.is_empty() {
            return;
        }
        let cross: std::collections::HashSet<&str> = palisade_rules::all()
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.target == palisade_core::Target::Index)
            .map(|m| m.id)
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(result.findings.len());
        for f in std::mem::take(&mut result.findings) {
            let ns = match (&f.object.namespace, f.object.kind.as_str()) {
                (Some(ns), _) => Some(ns.as_str()),
                (None, "Namespace") => f.object.name.as_deref(),
                (None, _) => None,
            };
            let missing = self.missing_for(ns);
            if !cross.contains(f.rule) || missing.is_empty() {
                kept.push(f);
                continue;
            }
            let scope = match (&f.object.namespace, &f.object.name) {
                (Some(ns), Some(name)) => format!("{} {ns}/{name}", f.object.kind),
                (None, Some(name)) => format!("{} {name}", f.object.kind),
                _ => f.object.kind.clone(),
            };
            if seen.insert((f.rule, scope.clone())) {
                result.not_evaluated.push(palisade_core::rule::NotEvaluated {
                    rule: f.rule,
                    scope,
                    reason: format!("partial scan: {} could not be read", missing.join(", ")),
                });
            }
        }
        result.findings = kept.into();
    }
}

/// Exit-code view of the tool errors: with `--allow-partial`, lists the credentials may not read do not count.
pub fn counts_as_error(e: &ToolError, allow_partial: bool) -> bool {
    !(allow_partial && e.kind == FORBIDDEN)
}

/// The progress bar of the cluster read: lists done of all, objects read, elapsed time (see
/// [`crate::output::Progress`]).
fn read_progress(enabled: bool, counters: Arc<Counters>) -> crate::output::Progress {
    crate::output::Progress::spawn(enabled, move || {
        let total = counters.lists_total.load(Ordering::Relaxed);
        let done = counters.lists_done.load(Ordering::Relaxed).min(total);
        let objects = counters.objects.load(Ordering::Relaxed);
        (done, total, format!("cluster: {done}/{total} lists, {objects} objects"))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn gaps_become_tool_errors() {
        let g = Gap {
            reason: GapReason::Forbidden,
            kind: "Secret".into(),
            api_version: "v1".into(),
            namespace: Some("web".into()),
            message: "secrets is forbidden".into(),
        };
        let e = gap_error("test", &g);
        assert_eq!(e.kind, FORBIDDEN);
        assert_eq!(e.file, "cluster://test/web/Secret");
        assert!(e
            .message
            .starts_with("not scanned: forbidden: Secret (v1) in namespace web"));
        assert!(counts_as_error(&e, false));
        assert!(!counts_as_error(&e, true));
    }
}
