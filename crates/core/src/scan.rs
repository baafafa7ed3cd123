//! What one scan produced, independent of how it is rendered: findings, tool errors and a summary; and the
//! namespace index that decides which Pod Security policy each pod is judged at.

use crate::finding::{Finding, Severity};
use crate::findings::Findings;
use crate::node::Node;
use crate::object::K8sObject;
use crate::pss::{PssLevel, PssPolicy, PssVersion, ENFORCE_LABEL, ENFORCE_VERSION_LABEL};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A problem with the input or the tool itself (never a finding): unreadable file, invalid YAML, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ToolError {
    /// The file as given.
    pub file: String,
    /// 1-based document index, 0 when the error concerns the whole file.
    pub document: usize,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// Machine-readable kind (`syntax`, `template`, `invalid-utf8`, `binary`, `too-large`, `io`, ...).
    pub kind: String,
    /// What went wrong, for people.
    pub message: String,
}

/// Counts over one scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of findings.
    pub findings: usize,
    /// Findings per severity (every severity present, zero included).
    pub by_severity: BTreeMap<Severity, usize>,
    /// Files read.
    pub files: usize,
    /// Documents read (YAML documents or JSON values).
    pub documents: usize,
    /// Kubernetes objects checked (List items count individually).
    pub objects: usize,
    /// Documents skipped because they are not Kubernetes objects (no apiVersion/kind).
    pub skipped_documents: usize,
    /// Tool errors.
    pub errors: usize,
    /// Cross-object checks not evaluated.
    pub not_evaluated: usize,
    /// Findings suppressed.
    pub suppressed: usize,
    /// True when some inputs could not be read at all, e.g. lists of a live cluster the credentials may not read
    /// (the tool errors say which): the findings cover only part of what was asked for. Omitted from JSON when
    /// false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Summary {
    /// Fills `findings` and `by_severity` from the findings.
    pub fn count_findings<'a>(&mut self, findings: impl IntoIterator<Item = &'a Finding>) {
        self.findings = 0;
        // Counted in an array (one map lookup per finding cost ~4 ms at 77,000 findings), then stored.
        let mut counts = [0usize; Severity::ALL_DESC.len()];
        for f in findings {
            self.findings += 1;
            if let Some(c) = counts.get_mut(f.severity as usize) {
                *c += 1;
            }
        }
        self.by_severity = Severity::ALL_DESC
            .iter()
            .map(|s| (*s, counts.get(*s as usize).copied().unwrap_or(0)))
            .collect();
    }
}

/// The result of a scan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ScanResult {
    /// Findings, sorted by file order, document, line, column and rule.
    pub findings: Findings,
    /// Tool errors, in file order.
    pub errors: Vec<ToolError>,
    /// Cross-object checks that could not be decided because objects they need were not scanned.
    pub not_evaluated: Vec<crate::rule::NotEvaluated>,
    /// Findings hidden by an annotation, comment or config exemption, with how and why.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Things the user should know that are neither findings nor errors (e.g. expired exemptions).
    pub warnings: Vec<String>,
    /// Counts.
    pub summary: Summary,
}

/// Which Pod Security policy applies in which namespace, from the Namespace objects of the scanned set.
#[derive(Clone, Debug, Default)]
pub struct NamespaceIndex {
    policies: HashMap<String, PssPolicy>,
    default: PssPolicy,
}

impl NamespaceIndex {
    /// Builds the index. Namespaces with a `pod-security.kubernetes.io/enforce` label get that level (and the
    /// `enforce-version` label's version, `latest` when absent or invalid); an invalid level is judged at
    /// `restricted`, as Pod Security Admission does for unparsable labels. Other namespaces get `default`.
    pub fn build<'a>(objects: impl IntoIterator<Item = &'a K8sObject>, default: PssPolicy) -> Self {
        let mut policies = HashMap::new();
        for obj in objects {
            if obj.id.kind != "Namespace" || obj.id.api_version != "v1" {
                continue;
            }
            let Some(name) = obj.id.name.clone() else {
                continue;
            };
            if let Some(policy) = Self::policy_from_labels(obj.labels()) {
                policies.insert(name, policy);
            }
        }
        Self { policies, default }
    }

    /// The policy a namespace's labels set, when they set one.
    pub fn policy_from_labels(labels: Option<&Node>) -> Option<PssPolicy> {
        let level = labels?.get_str(ENFORCE_LABEL)?;
        let level = level.parse::<PssLevel>().unwrap_or(PssLevel::Restricted);
        let version = labels
            .and_then(|l| l.get_str(ENFORCE_VERSION_LABEL))
            .and_then(|v| v.parse::<PssVersion>().ok())
            .unwrap_or(PssVersion::Latest);
        Some(PssPolicy { level, version })
    }

    /// The policy pods of `obj` are judged at (objects without a namespace land in `default`).
    pub fn policy_for(&self, obj: &K8sObject) -> PssPolicy {
        let ns = obj.id.namespace.as_deref().unwrap_or("default");
        self.policies.get(ns).copied().unwrap_or(self.default)
    }
}

/// Findings of one batch of objects (one input file, say), plus what the end of the scan needs from it.
#[derive(Debug, Default)]
pub struct BatchResult {
    /// Findings of the per-object rules.
    pub findings: Vec<Finding>,
    /// Index entries contributed by these objects.
    pub index: crate::index::ScanIndex,
    /// Objects checked.
    pub objects: usize,
    /// `palisade.io/ignore` annotations of these objects.
    pub annotations: Vec<(crate::suppress::AnnotationKey, (crate::suppress::RuleList, String))>,
}

/// Checks a batch of objects with the per-object rules, judging pods at the policy `ns_index` gives, and
/// collects what the cross-object rules need.
pub fn check_batch(
    engine: &crate::engine::Engine,
    params: &crate::params::Params,
    ns_index: &NamespaceIndex,
    objects: &[K8sObject],
) -> BatchResult {
    let mut out = BatchResult {
        objects: objects.len(),
        // Room for what a typical object produces (~8 findings in generated corpora): growing from empty moved
        // every finding several times, into fresh memory each time.
        findings: Vec::with_capacity(objects.len() * 8),
        ..BatchResult::default()
    };
    for obj in objects {
        let ctx = crate::rule::CheckContext {
            pss: ns_index.policy_for(obj),
            params,
        };
        engine.check_object(&ctx, obj, &mut out.findings);
        out.index.add(obj);
        if let Some(ignore) = crate::suppress::annotation_ignore(&obj.root) {
            let key = (
                obj.source.file.to_string(),
                obj.source.document,
                obj.id.kind.clone(),
                obj.id.name.clone().unwrap_or_default(),
            );
            out.annotations.push((key, ignore));
        }
    }
    out
}

/// What the end of a scan produces.
#[derive(Debug, Default)]
pub struct Finished {
    /// Findings that are reported.
    pub findings: Findings,
    /// Cross-object checks that could not be decided.
    pub not_evaluated: Vec<crate::rule::NotEvaluated>,
    /// Suppressed findings.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Warnings (expired exemptions, ...).
    pub warnings: Vec<String>,
}

/// Ends a scan: runs the cross-object rules over the index, drops findings of pods (and ReplicaSets, Jobs)
/// whose controller is in the same scan (they are reported once, at the controller), and applies suppressions.
pub fn finish(
    engine: &crate::engine::Engine,
    params: &crate::params::Params,
    index: &crate::index::ScanIndex,
    mut findings: Vec<Finding>,
    suppressions: &crate::suppress::Suppressions,
) -> Finished {
    let cross = engine.run_index_rules(params, index);
    findings.reserve(cross.violations());
    let not_evaluated = engine.index_findings(cross, &mut findings);
    end(index, findings.into(), not_evaluated, suppressions)
}

/// [`finish`] for parts that each hold the findings of one file, sorted by [`sort_file_findings`], in the
/// order of the files' `file_rank`: the findings come out sorted as [`sort_findings`] sorts them, merged with the
/// cross-object findings in one pass instead of sorted again as a whole. Parts that do not meet that (two parts
/// of one file, ranks out of order, an unsorted part) are sorted as a whole instead.
pub fn finish_sorted(
    engine: &crate::engine::Engine,
    params: &crate::params::Params,
    index: &crate::index::ScanIndex,
    parts: Vec<Vec<Finding>>,
    suppressions: &crate::suppress::Suppressions,
    file_rank: impl Fn(&str) -> usize,
) -> Finished {
    let cross = engine.run_index_rules(params, index);
    let mut extra = Vec::with_capacity(cross.violations());
    let not_evaluated = engine.index_findings(cross, &mut extra);
    sort_findings(&mut extra, &file_rank);
    let findings = merge_sorted(parts, extra, &file_rank);
    end(index, findings, not_evaluated, suppressions)
}

/// Drops the findings of objects whose controller is scanned too (reported once, at the controller) and applies
/// suppressions; keeps the order.
fn end(
    index: &crate::index::ScanIndex,
    mut findings: Findings,
    not_evaluated: Vec<crate::rule::NotEvaluated>,
    suppressions: &crate::suppress::Suppressions,
) -> Finished {
    // Objects whose controller is scanned too, by kind, namespace and name (borrowed: no key is built per
    // finding).
    let mut owned: HashMap<&str, HashMap<&str, std::collections::HashSet<&str>>> = HashMap::new();
    for w in index.workloads.iter().filter(|w| index.controlled_by_scanned(w)) {
        let id = &w.object.id;
        if let Some(name) = id.name.as_deref() {
            owned
                .entry(id.kind.as_str())
                .or_default()
                .entry(id.namespace.as_deref().unwrap_or("default"))
                .or_default()
                .insert(name);
        }
    }
    if !owned.is_empty() {
        let is_owned = |id: &crate::finding::ObjectRef| {
            id.name.as_deref().is_some_and(|name| {
                owned
                    .get(id.kind.as_str())
                    .and_then(|by_ns| by_ns.get(id.namespace.as_deref().unwrap_or("default")))
                    .is_some_and(|names| names.contains(name))
            })
        };
        findings.retain(|f| !is_owned(&f.object));
    }
    let (findings, suppressed, warnings) = suppressions.apply(findings);
    Finished {
        findings,
        not_evaluated,
        suppressed,
        warnings,
    }
}

/// The order of findings within a file ([`in_file_key`]).
type InFileKey = (usize, u32, u32, &'static str);

/// Where a finding sits within its file: document, line, column, rule.
fn in_file_key(f: &Finding) -> InFileKey {
    let l = &f.location;
    (l.document, l.line, l.column, f.rule)
}

/// Sorts the findings of one file as [`sort_findings`] orders them within a file (stable), through
/// [`sort_by_keys`] (a stable sort of the findings themselves moved each several times and allocated a scratch
/// buffer as large as the file's findings, fresh memory for every file).
pub fn sort_file_findings(findings: &mut [Finding]) {
    if findings.is_sorted_by(|a, b| in_file_key(a) <= in_file_key(b)) {
        return;
    }
    sort_by_keys(findings, in_file_key);
}

/// Sorts by `key`, keeping the order of equal keys: the keys are computed once and sorted with each finding's
/// index as their last part, then the findings are moved into place along the permutation's cycles (each moves
/// about once; no scratch copy of the findings is allocated). The keys are sorted by the standard library's
/// stable sort, which merges the sorted runs it finds: cross-object findings come as one run per rule.
fn sort_by_keys<K: Ord>(findings: &mut [Finding], key: impl Fn(&Finding) -> K) {
    let mut keys: Vec<(K, usize)> = findings.iter().enumerate().map(|(i, f)| (key(f), i)).collect();
    keys.sort();
    // `from[j]`: the index the finding that belongs at `j` has now; set to `j` once `j` holds it.
    let mut from: Vec<usize> = keys.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        let mut j = start;
        while let Some(k) = from.get_mut(j).map(|k| std::mem::replace(k, j)) {
            if k == start || k == j {
                break;
            }
            findings.swap(j, k);
            j = k;
        }
    }
}

/// One sorted sequence from sorted per-file parts (in rank order) and sorted cross-object findings: what sorting
/// their concatenation with [`sort_findings`] gives (a part's finding before a cross-object one with the same
/// key, as a stable sort keeps them), or exactly that sort when the parts are not as expected.
///
/// The parts are kept, not copied into one list: a file's cross-object findings are merged into its own part
/// (which is small and was just written, unlike a fresh list as large as the whole scan), and those of files
/// without a part of their own form parts between them.
fn merge_sorted(parts: Vec<Vec<Finding>>, extra: Vec<Finding>, file_rank: &impl Fn(&str) -> usize) -> Findings {
    let mut ranks = Vec::with_capacity(parts.len());
    let mut last = None;
    let mut mergeable = true;
    for part in &parts {
        let Some(first) = part.first() else {
            ranks.push(0);
            continue;
        };
        let file = &first.location.file;
        let rank = file_rank(file);
        mergeable = last.is_none_or(|l| l < rank)
            && part
                .iter()
                .all(|f| std::sync::Arc::ptr_eq(&f.location.file, file) || f.location.file == *file)
            && part.is_sorted_by(|a, b| in_file_key(a) <= in_file_key(b));
        if !mergeable {
            break;
        }
        last = Some(rank);
        ranks.push(rank);
    }
    if !mergeable {
        let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum::<usize>() + extra.len());
        for part in parts {
            all.extend(part);
        }
        all.extend(extra);
        sort_findings(&mut all, file_rank);
        return all.into();
    }
    let mut out = Findings::new();
    let mut extra = extra.into_iter().map(|f| (file_rank(&f.location.file), f)).peekable();
    for (mut part, rank) in parts.into_iter().zip(ranks) {
        if part.is_empty() {
            continue;
        }
        let mut before = Vec::new();
        while let Some((_, f)) = extra.next_if(|(r, _)| *r < rank) {
            before.push(f);
        }
        out.push_part(before);
        let len = part.len();
        while let Some((_, f)) = extra.next_if(|(r, _)| *r == rank) {
            part.push(f);
        }
        if part.len() > len {
            // Two sorted runs, the part's first: the stable sort merges them, keeping the part's finding first
            // among equal keys.
            part.sort_by(|a, b| in_file_key(a).cmp(&in_file_key(b)));
        }
        out.push_part(part);
    }
    out.push_part(extra.map(|(_, f)| f).collect());
    out
}

/// Scans objects held in memory (tests, the webhook, the live scan): namespace index, per-object rules,
/// cross-object rules, controller de-duplication. Findings are sorted by file, document, line, column, rule.
pub fn scan_objects(
    engine: &crate::engine::Engine,
    params: &crate::params::Params,
    default_pss: PssPolicy,
    objects: &[K8sObject],
) -> ScanResult {
    let ns_index = NamespaceIndex::build(objects, default_pss);
    let batch = check_batch(engine, params, &ns_index, objects);
    let suppressions = crate::suppress::Suppressions {
        annotations: batch.annotations.into_iter().collect(),
        inline: true,
        ..Default::default()
    };
    let done = finish(engine, params, &batch.index, batch.findings, &suppressions);
    let mut findings = done.findings.into_vec();
    sort_findings(&mut findings, |_| 0);
    let mut result = ScanResult {
        findings: findings.into(),
        not_evaluated: done.not_evaluated,
        suppressed: done.suppressed,
        warnings: done.warnings,
        ..ScanResult::default()
    };
    result.summary.objects = batch.objects;
    result.summary.count_findings(&result.findings);
    result.summary.suppressed = result.suppressed.len();
    result.summary.not_evaluated = result.not_evaluated.len();
    result
}

/// Sorts findings by file (ranked by `file_rank`), document, line, column, rule. Ranks are computed once per
/// finding, not per comparison.
pub fn sort_findings(findings: &mut [Finding], file_rank: impl Fn(&str) -> usize) {
    sort_by_keys(findings, |f| {
        let l = &f.location;
        (file_rank(&l.file), l.document, l.line, l.column, f.rule)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, ObjectRef, Severity};
    use std::sync::Arc;

    fn finding(file: &Arc<str>, document: usize, line: u32, rule: &'static str, tag: &str) -> Finding {
        Finding {
            rule,
            name: "n",
            severity: Severity::Low,
            message: tag.to_string(),
            remediation: "r",
            object: Arc::new(ObjectRef::default()),
            location: Location {
                file: Arc::clone(file),
                document,
                line,
                column: 1,
                pointer: String::new(),
            },
        }
    }

    /// A fixed xorshift generator: each call gives a number below its argument.
    fn below(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        }
    }

    /// What sorting the concatenation gives, as (file, document, line, rule, tag).
    fn sorted_whole(parts: &[Vec<Finding>], extra: &[Finding], rank: &impl Fn(&str) -> usize) -> Vec<String> {
        let mut all: Vec<Finding> = parts.iter().flatten().chain(extra).cloned().collect();
        sort_findings(&mut all, rank);
        all.iter().map(describe).collect()
    }

    fn describe(f: &Finding) -> String {
        let l = &f.location;
        format!("{} {} {} {} {}", l.file, l.document, l.line, f.rule, f.message)
    }

    #[test]
    fn file_sort_is_the_stable_sort() {
        // Many ties (few documents, lines, columns and rules), every length up to 300, shuffled by a fixed
        // generator: the permutation sort must give exactly what a stable sort gives.
        let file: Arc<str> = "f.yaml".into();
        let rules = ["K8S-001", "K8S-002", "NET-001"];
        let mut next = below(0x2545_f491_4f6c_dd1d);
        let (mut moved, mut total) = (0, 0);
        for len in 0..300 {
            let mut findings: Vec<Finding> = (0..len)
                .map(|i| {
                    let mut f = finding(
                        &file,
                        1 + next(3) as usize,
                        1 + next(5) as u32,
                        rules[next(3) as usize],
                        "",
                    );
                    f.location.column = 1 + next(2) as u32;
                    f.message = i.to_string();
                    f
                })
                .collect();
            let mut stable = findings.clone();
            stable.sort_by(|a, b| in_file_key(a).cmp(&in_file_key(b)));
            let before: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
            sort_file_findings(&mut findings);
            let after: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
            let expected: Vec<String> = stable.iter().map(|f| f.message.clone()).collect();
            assert_eq!(after, expected, "length {len}");
            moved += usize::from(before != after);
            total += 1;
        }
        assert!(moved > 250, "only {moved} of {total} inputs needed sorting");
    }

    /// `sort_findings` orders as a stable sort by (file rank, document, line, column, rule) does, on input made
    /// of sorted runs (as cross-object findings come, one run per rule) and on shuffled input, with many ties.
    #[test]
    fn findings_sort_is_the_stable_sort() {
        let files: [Arc<str>; 3] = ["a.yaml".into(), "b.yaml".into(), "c.yaml".into()];
        let rank = |f: &str| {
            ["c.yaml", "a.yaml", "b.yaml"]
                .iter()
                .position(|o| *o == f)
                .unwrap_or(usize::MAX)
        };
        let rules = ["K8S-001", "NET-001", "RBAC-029"];
        let mut next = below(0x9e37_79b9_7f4a_7c15);
        for runs in [1, 3, 15, 200] {
            let mut findings = Vec::new();
            for r in 0..runs {
                let mut run: Vec<Finding> = (0..600 / runs)
                    .map(|i| {
                        let file = &files[next(3) as usize];
                        let mut f = finding(
                            file,
                            1 + next(2) as usize,
                            1 + next(4) as u32,
                            rules[next(3) as usize],
                            "",
                        );
                        f.message = format!("{r}-{i}");
                        f
                    })
                    .collect();
                if runs < 200 {
                    run.sort_by_key(|f| (rank(&f.location.file), f.location.document, f.location.line, f.rule));
                }
                findings.extend(run);
            }
            let mut expected = findings.clone();
            expected.sort_by_key(|f| {
                let l = &f.location;
                (rank(&l.file), l.document, l.line, l.column, f.rule)
            });
            sort_findings(&mut findings, rank);
            let tags = |v: &[Finding]| v.iter().map(|f| f.message.clone()).collect::<Vec<_>>();
            assert_eq!(tags(&findings), tags(&expected), "{runs} runs");
        }
    }

    #[test]
    fn merged_parts_come_out_as_a_whole_sort_would_order_them() {
        let (a, b, c): (Arc<str>, Arc<str>, Arc<str>) = ("a.yaml".into(), "b.yaml".into(), "c.yaml".into());
        let order = ["a.yaml", "b.yaml", "c.yaml"];
        let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(usize::MAX);
        let mut parts = vec![
            vec![
                finding(&a, 1, 9, "K8S-002", "a1"),
                finding(&a, 1, 3, "K8S-001", "a2"),
                finding(&a, 2, 1, "K8S-001", "a3"),
            ],
            Vec::new(),
            vec![finding(&c, 1, 5, "K8S-001", "c1"), finding(&c, 1, 5, "K8S-001", "c2")],
        ];
        for p in &mut parts {
            sort_file_findings(p);
        }
        // Cross-object findings before, between, after and tied with the files' own, one in an unranked file.
        let extra = vec![
            finding(&c, 1, 5, "K8S-001", "x-tie"),
            finding(&b, 1, 1, "NET-001", "x-b"),
            finding(&a, 1, 3, "K8S-000", "x-a-first"),
            finding(&a, 3, 1, "NET-001", "x-a-last"),
            finding(&"other.yaml".into(), 1, 1, "NET-001", "x-unranked"),
        ];
        let mut sorted_extra = extra.clone();
        sort_findings(&mut sorted_extra, rank);
        let merged = merge_sorted(parts.clone(), sorted_extra, &rank);
        // The files' lists are kept (not copied into one): a.yaml's and c.yaml's with their cross-object findings
        // merged in, and one each for the findings of b.yaml and of the unranked file, which have none.
        let sizes: Vec<usize> = merged.parts().iter().map(Vec::len).collect();
        assert_eq!(sizes, [5, 1, 3, 1]);
        let merged: Vec<String> = merged.iter().map(describe).collect();
        assert_eq!(merged, sorted_whole(&parts, &extra, &rank));
        let tags: Vec<&str> = merged.iter().filter_map(|d| d.rsplit(' ').next()).collect();
        assert_eq!(
            tags,
            [
                "x-a-first",
                "a2",
                "a1",
                "a3",
                "x-a-last",
                "x-b",
                "c1",
                "c2",
                "x-tie",
                "x-unranked"
            ]
        );

        // Parts that break the expectations are sorted as a whole: an unsorted part, two parts of one file.
        let unsorted = vec![vec![
            finding(&a, 1, 9, "K8S-001", "late"),
            finding(&a, 1, 1, "K8S-001", "early"),
        ]];
        let merged: Vec<String> = merge_sorted(unsorted.clone(), Vec::new(), &rank)
            .iter()
            .map(describe)
            .collect();
        assert_eq!(merged, sorted_whole(&unsorted, &[], &rank));
        let split = vec![
            vec![finding(&a, 2, 1, "K8S-001", "second")],
            vec![finding(&a, 1, 1, "K8S-001", "first")],
        ];
        let merged: Vec<String> = merge_sorted(split.clone(), Vec::new(), &rank)
            .iter()
            .map(describe)
            .collect();
        assert_eq!(merged, sorted_whole(&split, &[], &rank));
    }

    #[test]
    fn counts_per_severity_include_zeroes() {
        let file: Arc<str> = "a.yaml".into();
        let severities = [
            Severity::Critical,
            Severity::Low,
            Severity::Critical,
            Severity::Info,
            Severity::Low,
            Severity::Critical,
        ];
        let findings: Vec<Finding> = severities
            .iter()
            .map(|s| Finding {
                severity: *s,
                ..finding(&file, 1, 1, "K8S-001", "t")
            })
            .collect();
        let mut summary = Summary::default();
        summary.count_findings(&findings);
        assert_eq!(summary.findings, 6);
        let counts: Vec<(Severity, usize)> = summary.by_severity.into_iter().collect();
        assert_eq!(
            counts,
            [
                (Severity::Info, 1),
                (Severity::Low, 2),
                (Severity::Medium, 0),
                (Severity::High, 0),
                (Severity::Critical, 3)
            ]
        );
    }
}
