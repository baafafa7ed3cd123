//! Per-rule fixtures (DESIGN §4): `tests/fixtures/<RULE-ID>/{pass,fail}/*.yaml|json`. Each fixture runs with only
//! that rule enabled, at Pod Security Standards restricted/latest: `fail/` must produce at least one finding,
//! `pass/` none. Every rule needs both folders and every folder needs a rule.
//!
//! YAML fixtures are read with palisade-input's loader, exactly as a scan reads manifests; JSON fixtures with
//! `Node::from_json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::object::Source;
use palisade_core::{Engine, Finding, K8sObject, Node, Pos, PssPolicy, Rule};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The fixture files of one rule's `pass` or `fail` folder, sorted.
fn fixture_files(rule_dir: &Path, verdict: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(rule_dir.join(verdict)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json" | "tf" | "tfvars")
                )
        })
        .collect();
    files.sort();
    files
}

/// The documents of a fixture file.
fn load(path: &Path) -> Vec<Node> {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        return vec![Node::from_json(&json, Pos::new(1, 1))];
    }
    load_yaml(path, &bytes)
}

fn load_yaml(path: &Path, bytes: &[u8]) -> Vec<Node> {
    let (docs, err) = palisade_input::parse_documents(bytes, &palisade_input::LoadOptions::default());
    assert!(err.is_none(), "{}: {err:?}", path.display());
    docs.into_iter().map(|d| d.root).collect()
}

/// Runs `rule` alone over every document of `path`, as a scan does (per-object rules, then cross-object rules
/// over everything in the file), at restricted/latest with default parameters.
/// Rule parameters for a fixture: the `parameters:` of `<RULE-ID>/palisade.yaml` (a `.palisade.yaml` in the
/// rule's fixture folder) when present, else the defaults.
fn fixture_params(path: &Path) -> palisade_core::Params {
    let Some(cfg) = path
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("palisade.yaml"))
        .filter(|p| p.is_file())
    else {
        return palisade_core::Params::default();
    };
    let root = load_yaml(&cfg, &std::fs::read(&cfg).unwrap())
        .into_iter()
        .next()
        .unwrap();
    let known = |id: &str| {
        palisade_rules::all()
            .iter()
            .any(|r| r.meta().id.starts_with(&id.to_ascii_uppercase()))
    };
    palisade_core::config::Config::from_node(&root, &known).unwrap().params
}

/// Runs an AKS rule (or any rule over a fixture folder) through the real loader and the full pipeline: every file
/// of the fixture (a file, or a folder of files scanned together, e.g. Terraform with `.tfvars`, or cluster
/// configuration with manifests for cross-layer rules) is loaded with `palisade_input::load_file`, checked, indexed
/// with its AKS inputs, and the cross-object rules run over the whole. Returns findings and not-evaluated notes.
fn run_full(rule: &'static dyn Rule, path: &Path) -> (Vec<Finding>, Vec<palisade_core::NotEvaluated>) {
    let engine = Engine::new(vec![rule]);
    let mut files = vec![path.to_path_buf()];
    if path.is_dir() {
        files = std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
    }
    let params = fixture_params(path);
    let mut objects = Vec::new();
    let mut aks = palisade_core::aks::AksInputs::default();
    for f in &files {
        let load = palisade_input::load_file(
            &f.display().to_string(),
            &std::fs::read(f).unwrap(),
            &palisade_input::LoadOptions::default(),
        );
        assert!(load.errors.is_empty(), "{}: {:?}", f.display(), load.errors);
        objects.extend(load.objects);
        aks.extend(load.aks);
    }
    let ns_index = palisade_core::NamespaceIndex::build(&objects, PssPolicy::default());
    let mut batch = palisade_core::scan::check_batch(&engine, &params, &ns_index, &objects);
    batch.index.aks = aks;
    let done = palisade_core::scan::finish(&engine, &params, &batch.index, batch.findings, &Default::default());
    (done.findings.into_vec(), done.not_evaluated)
}

fn run(rule: &'static dyn Rule, path: &Path) -> Vec<Finding> {
    if rule.meta().id.starts_with("AKS-") || path.is_dir() {
        return run_full(rule, path).0;
    }
    let engine = Engine::new(vec![rule]);
    let file: Arc<str> = Arc::from(path.display().to_string());
    let mut objects = Vec::new();
    for (i, root) in load(path).into_iter().enumerate() {
        let source = Source {
            file: file.clone(),
            document: i + 1,
            base_pointer: String::new(),
        };
        objects.extend(K8sObject::from_node(root, source));
    }
    palisade_core::scan::scan_objects(&engine, &fixture_params(path), PssPolicy::default(), &objects)
        .findings
        .into_vec()
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_and_every_folder_a_rule() {
    let rules: BTreeSet<&str> = palisade_rules::all().iter().map(|r| r.meta().id).collect();
    let folders: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut problems = Vec::new();
    for folder in &folders {
        if !rules.contains(folder.as_str()) {
            problems.push(format!("tests/fixtures/{folder}: no rule with this ID"));
        }
    }
    for id in &rules {
        let dir = fixtures_dir().join(id);
        for verdict in ["pass", "fail"] {
            if fixture_files(&dir, verdict).is_empty() {
                problems.push(format!("{id}: no fixtures in tests/fixtures/{id}/{verdict}/"));
            }
        }
    }
    assert!(problems.is_empty(), "fixture layout:\n  {}", problems.join("\n  "));
}

#[test]
fn fixtures_pass_and_fail_as_labelled() {
    let mut problems = Vec::new();
    let mut count = 0;
    for rule in palisade_rules::all() {
        let id = rule.meta().id;
        let dir = fixtures_dir().join(id);
        for verdict in ["pass", "fail"] {
            for path in fixture_files(&dir, verdict) {
                count += 1;
                let findings = run(*rule, &path);
                let name = path.strip_prefix(fixtures_dir()).unwrap_or(&path).display().to_string();
                if verdict == "fail" && findings.is_empty() {
                    problems.push(format!("{name}: expected a {id} finding, got none"));
                }
                if verdict == "pass" && !findings.is_empty() {
                    let messages: Vec<_> = findings.iter().map(|f| f.message.as_str()).collect();
                    problems.push(format!("{name}: expected no finding, got {messages:?}"));
                }
                for f in &findings {
                    assert_eq!(f.rule, id, "{name}: engine ran another rule");
                    assert!(f.location.line > 0, "{name}: finding without a line: {f:?}");
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {count} fixtures wrong:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// `tests/fixtures/<RULE-ID>/not-evaluated/*` (optional): the input does not determine the setting, so the rule must
/// report "not evaluated" and no finding.
#[test]
fn not_evaluated_fixtures_report_not_evaluated() {
    let mut problems = Vec::new();
    for rule in palisade_rules::all() {
        let id = rule.meta().id;
        for path in fixture_files(&fixtures_dir().join(id), "not-evaluated") {
            let (findings, ne) = run_full(*rule, &path);
            let name = path.strip_prefix(fixtures_dir()).unwrap_or(&path).display().to_string();
            if !findings.is_empty() {
                let messages: Vec<_> = findings.iter().map(|f| f.message.as_str()).collect();
                problems.push(format!("{name}: expected no finding, got {messages:?}"));
            }
            if !ne.iter().any(|n| n.rule == id) {
                problems.push(format!("{name}: expected {id} to be reported as not evaluated"));
            }
        }
        // AKS pass fixtures must be decided, not merely "not evaluated".
        if id.starts_with("AKS-") {
            for path in fixture_files(&fixtures_dir().join(id), "pass") {
                let (_, ne) = run_full(*rule, &path);
                if let Some(n) = ne.iter().find(|n| n.rule == id) {
                    let name = path.strip_prefix(fixtures_dir()).unwrap_or(&path).display().to_string();
                    problems.push(format!("{name}: pass fixture is not evaluated: {}", n.reason));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "not-evaluated fixtures wrong:\n  {}",
        problems.join("\n  ")
    );
}

/// Whether `key` is a map key anywhere under `node`.
fn holds_key(node: &Node, key: &str) -> bool {
    match &node.value {
        palisade_core::Value::Map(m) => m.entries().iter().any(|e| e.key == key || holds_key(&e.value, key)),
        palisade_core::Value::Seq(items) => items.iter().any(|n| holds_key(n, key)),
        _ => false,
    }
}

/// The engine skips a rule on objects without any of its trigger keys (`Rule::trigger_keys`). Called directly,
/// without the engine, a rule with trigger keys must report only on objects holding one of them, on every
/// fixture of every rule; and each such rule must report on some fixture, so the check is not vacuous.
#[test]
fn rules_report_only_on_objects_holding_their_trigger_keys() {
    let ctx = palisade_core::CheckContext::with_pss(PssPolicy::default());
    let gated: Vec<&'static dyn Rule> = palisade_rules::all()
        .iter()
        .copied()
        .filter(|r| !r.trigger_keys().is_empty())
        .collect();
    assert!(gated.len() >= 10, "only {} rules have trigger keys", gated.len());
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    let mut problems = Vec::new();
    for folder in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = folder.unwrap().path();
        for verdict in ["pass", "fail"] {
            for path in fixture_files(&dir, verdict).into_iter().filter(|p| p.is_file()) {
                if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                    continue;
                }
                for (i, root) in load(&path).into_iter().enumerate() {
                    let source = Source {
                        file: Arc::from(path.display().to_string()),
                        document: i + 1,
                        base_pointer: String::new(),
                    };
                    let Some(obj) = K8sObject::from_node(root, source) else {
                        continue;
                    };
                    for rule in &gated {
                        if rule.check(&ctx, &obj).is_empty() {
                            continue;
                        }
                        reported.insert(rule.meta().id);
                        if !rule.trigger_keys().iter().any(|k| holds_key(&obj.root, k)) {
                            problems.push(format!(
                                "{} reports on {} document {} without any of {:?}",
                                rule.meta().id,
                                path.display(),
                                i + 1,
                                rule.trigger_keys()
                            ));
                        }
                    }
                }
            }
        }
    }
    for rule in &gated {
        if !reported.contains(rule.meta().id) {
            problems.push(format!("{} reported on no fixture", rule.meta().id));
        }
    }
    assert!(problems.is_empty(), "trigger keys:\n  {}", problems.join("\n  "));
}
