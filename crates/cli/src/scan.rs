//! Runs a scan: read every input (in parallel), load documents, build the namespace index, check every object
//! with the engine (in parallel), run the cross-object rules, apply suppressions, and collect findings, tool
//! errors and counts.

use crate::discover::{DiscoverError, Input};
use palisade_core::config::Exemption;
use palisade_core::suppress::{inline_ignores, InlineIgnore, Suppressions};
use palisade_core::{Engine, K8sObject, NamespaceIndex, PssPolicy, ScanResult, ToolError};
use palisade_input::{load_file, LoadOptions};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

/// What the scan needs besides its inputs.
pub struct ScanOptions<'a> {
    /// The enabled rules.
    pub engine: &'a Engine<'a>,
    /// Policy for pods whose namespace sets none.
    pub default_pss: PssPolicy,
    /// Loader limits.
    pub load: LoadOptions,
    /// Rule parameters.
    pub params: &'a palisade_core::Params,
    /// Config-file exemptions.
    pub exemptions: &'a [Exemption],
    /// Honour annotation and comment suppressions.
    pub inline_exemptions: bool,
    /// Judge pods at their namespace's Pod Security labels (else always at `default_pss`).
    pub honour_namespace_labels: bool,
    /// Today's date (`YYYY-MM-DD`) for exemption expiry.
    pub today: String,
    /// Inputs checked so far (read by the progress bar).
    pub checked: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Custom policies (`--policy`), when given.
    pub policies: Option<&'a palisade_policy::PolicySet>,
    /// Errors loading the custom policies (reported with the scan's tool errors).
    pub policy_errors: &'a [ToolError],
}

struct Loaded {
    objects: Vec<K8sObject>,
    errors: Vec<ToolError>,
    documents: usize,
    skipped: usize,
    comments: Vec<InlineIgnore>,
    aks: palisade_core::aks::AksInputs,
}

impl Loaded {
    fn failed(error: ToolError) -> Self {
        Loaded {
            objects: Vec::new(),
            errors: vec![error],
            documents: 0,
            skipped: 0,
            comments: Vec::new(),
            aks: Default::default(),
        }
    }
}

/// Reads up to `limit + 1` bytes so an oversized input is detected without reading all of it.
fn read_limited(mut r: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.by_ref().take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    Ok(buf)
}

fn load_input(input: &Input, stdin: Option<&[u8]>, opts: &LoadOptions) -> Loaded {
    let label = input.label();
    let bytes = match input {
        Input::Stdin => Ok(stdin.map(<[u8]>::to_vec).unwrap_or_default()),
        Input::File(p, _) => std::fs::File::open(p).and_then(|f| read_limited(f, opts.max_file_bytes)),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            return Loaded::failed(ToolError {
                file: label,
                document: 0,
                line: 0,
                column: 0,
                kind: "io".into(),
                message: format!("cannot read: {e}"),
            })
        }
    };
    let comments = match std::str::from_utf8(&bytes) {
        Ok(text) => inline_ignores(text),
        Err(_) => Vec::new(),
    };
    let load = load_file(&label, &bytes, opts);
    Loaded {
        errors: load
            .errors
            .into_iter()
            .map(|e| ToolError {
                file: e.file,
                document: e.document,
                line: e.line,
                column: e.column,
                kind: e.kind.as_str().to_string(),
                message: e.message,
            })
            .collect(),
        objects: load.objects,
        documents: load.documents,
        skipped: load.skipped_non_k8s,
        comments,
        aks: load.aks,
    }
}

/// Reads standard input fully (bounded by the file size limit).
pub fn read_stdin(limit: u64) -> std::io::Result<Vec<u8>> {
    read_limited(std::io::stdin().lock(), limit)
}

/// Text that may hold a Pod Security label: files containing it are loaded first, so that the namespace index is
/// complete before any pod is judged. Everything else is streamed: loaded, checked and dropped file by file, so
/// memory does not grow with the size of the scan.
const PSA_LABEL_HINT: &[u8] = b"pod-security";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Findings and counts of one input.
struct Checked {
    label: String,
    batch: palisade_core::scan::BatchResult,
    errors: Vec<ToolError>,
    not_evaluated: Vec<palisade_core::NotEvaluated>,
    documents: usize,
    skipped: usize,
    comments: Vec<InlineIgnore>,
}

fn check_loaded(
    label: String,
    l: Loaded,
    ns_index: &NamespaceIndex,
    opts: &ScanOptions,
    policies: Option<&palisade_policy::Evaluator>,
) -> Checked {
    let mut batch = palisade_core::scan::check_batch(opts.engine, opts.params, ns_index, &l.objects);
    batch.index.aks.extend(l.aks);
    let mut errors = l.errors;
    let mut not_evaluated = Vec::new();
    if let Some(ev) = policies {
        for obj in &l.objects {
            let out = ev.check(&palisade_policy::Review::new(obj));
            batch.findings.extend(out.findings.into_iter().map(|f| f.finding));
            errors.extend(out.errors.iter().map(palisade_policy::PolicyError::to_tool_error));
            not_evaluated.extend(out.not_evaluated);
        }
    }
    // Sorted here, while the findings are fresh in this thread's cache: the scan merges sorted files.
    palisade_core::scan::sort_file_findings(&mut batch.findings);
    Checked {
        label,
        batch,
        errors,
        not_evaluated,
        documents: l.documents,
        skipped: l.skipped,
        comments: l.comments,
    }
}

/// Scans the inputs. `stdin` holds standard input when `-` is among them.
pub fn run(
    inputs: &[Input],
    discover_errors: Vec<DiscoverError>,
    stdin: Option<&[u8]>,
    opts: &ScanOptions,
) -> ScanResult {
    // Phase 1: inputs that may label namespaces are loaded and kept; the rest are only looked at. Policies that
    // read data.inventory (or namespace labels) need every object before any is checked: then all are kept.
    let keep_all = opts.policies.is_some_and(palisade_policy::PolicySet::needs_inventory);
    let first: Vec<Option<Loaded>> = inputs
        .par_iter()
        .map(|input| {
            let may_label = keep_all
                || match input {
                    Input::Stdin => true,
                    Input::File(p, _) => std::fs::File::open(p)
                        .and_then(|f| read_limited(f, opts.load.max_file_bytes))
                        .map_or(true, |b| contains(&b, PSA_LABEL_HINT)),
                };
            may_label.then(|| load_input(input, stdin, &opts.load))
        })
        .collect();
    let labelled = first
        .iter()
        .flatten()
        .flat_map(|l| l.objects.iter())
        .filter(|_| opts.honour_namespace_labels);
    let ns_index = NamespaceIndex::build(labelled, opts.default_pss);
    let inventory = if keep_all {
        palisade_policy::Inventory::from_objects(first.iter().flatten().flat_map(|l| l.objects.iter()), Some("default"))
    } else {
        palisade_policy::Inventory::with_default_namespace("default")
    };
    let evaluator = opts.policies.filter(|p| !p.is_empty()).map(|p| p.evaluator(&inventory));

    // Phase 2: check everything, loading (and dropping) the remaining inputs on the way.
    let checked: Vec<Checked> = inputs
        .par_iter()
        .zip(first.into_par_iter())
        .map(|(input, kept)| {
            let loaded = kept.unwrap_or_else(|| load_input(input, stdin, &opts.load));
            let checked = check_loaded(input.label(), loaded, &ns_index, opts, evaluator.as_ref());
            opts.checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            checked
        })
        .collect();

    let mut result = ScanResult::default();
    result.errors.extend(discover_errors.into_iter().map(|e| ToolError {
        file: e.path,
        document: 0,
        line: 0,
        column: 0,
        kind: "io".into(),
        message: e.message,
    }));
    result.errors.extend(opts.policy_errors.iter().cloned());
    if let Some(ev) = &evaluator {
        result.errors.extend(
            ev.setup_errors()
                .iter()
                .map(palisade_policy::PolicyError::to_tool_error),
        );
    }
    let mut findings = Vec::with_capacity(checked.len());
    let mut scan_index = palisade_core::ScanIndex::default();
    let mut suppressions = Suppressions {
        exemptions: opts.exemptions,
        today: opts.today.clone(),
        inline: opts.inline_exemptions,
        ..Default::default()
    };
    let mut policy_not_evaluated = Vec::new();
    scan_index.reserve(
        checked.iter().map(|c| c.batch.index.objects.len()).sum(),
        checked.iter().map(|c| c.batch.index.workloads.len()).sum(),
    );
    for c in checked {
        result.summary.documents += c.documents;
        result.summary.skipped_documents += c.skipped;
        result.summary.objects += c.batch.objects;
        result.errors.extend(c.errors);
        policy_not_evaluated.extend(c.not_evaluated);
        findings.push(c.batch.findings);
        scan_index.extend(c.batch.index);
        suppressions.annotations.extend(c.batch.annotations);
        if !c.comments.is_empty() {
            suppressions.comments.insert(c.label, c.comments);
        }
    }
    result.summary.files = inputs.len();
    // Inputs are in command-line order; within an input, findings follow the documents. Each input's findings
    // were sorted as it was checked; finishing merges them with the cross-object findings.
    // foldhash, not SipHash: the rank is looked up for every cross-object finding, twice.
    let file_order: foldhash::HashMap<&str, usize> =
        inputs.iter().enumerate().map(|(i, f)| (f.label_str(), i)).collect();
    let rank = |file: &str| file_order.get(file).copied().unwrap_or(usize::MAX);
    let done = palisade_core::scan::finish_sorted(opts.engine, opts.params, &scan_index, findings, &suppressions, rank);
    // The index is not needed any more and the process is about to report and exit: freeing its many small
    // allocations one by one would cost more than the rules that used it.
    std::mem::forget(scan_index);
    let findings = done.findings;
    let mut suppressed = done.suppressed;
    suppressed.sort_by(|a, b| {
        let (la, lb) = (&a.finding.location, &b.finding.location);
        (rank(&la.file), la.document, la.line, a.finding.rule).cmp(&(
            rank(&lb.file),
            lb.document,
            lb.line,
            b.finding.rule,
        ))
    });
    result.summary.count_findings(&findings);
    result.summary.errors = result.errors.len();
    result.summary.not_evaluated = done.not_evaluated.len() + policy_not_evaluated.len();
    result.summary.suppressed = suppressed.len();
    result.findings = findings;
    result.not_evaluated = done.not_evaluated;
    result.not_evaluated.extend(policy_not_evaluated);
    result.suppressed = suppressed;
    result.warnings = done.warnings;
    result
}

/// Source lines for text snippets: files are re-read on demand (so a large scan does not keep every source in
/// memory), standard input is kept.
pub struct Sources {
    stdin: Option<Arc<str>>,
    cache: std::cell::RefCell<HashMap<String, Option<Arc<Vec<String>>>>>,
}

impl Sources {
    /// Sources over the scanned files and the standard input text, if any.
    pub fn new(stdin: Option<&[u8]>) -> Self {
        Self {
            stdin: stdin.map(|b| Arc::from(String::from_utf8_lossy(b).as_ref())),
            cache: Default::default(),
        }
    }

    fn lines_of(text: &str) -> Vec<String> {
        text.trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect()
    }
}

impl palisade_report::SourceLines for Sources {
    fn line(&self, file: &str, line: u32) -> Option<String> {
        let mut cache = self.cache.borrow_mut();
        // Looked up borrowed first: reports ask for a line per finding, and the file is nearly always known.
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        if let Some(known) = cache.get(file) {
            return known.as_ref()?.get(index).cloned();
        }
        let lines = cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = if file == "<stdin>" {
                    self.stdin.as_deref().map(str::to_string)
                } else {
                    std::fs::read(file)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                };
                text.map(|t| Arc::new(Self::lines_of(&t)))
            })
            .clone()?;
        lines.get(index).cloned()
    }
}
