//! Pod Security Admission conformance: every upstream PSA fixture (../shared/conformance/pss), judged at its level
//! and version, must be denied exactly when Palisade reports at least one finding.
//!
//! Data: `$PALISADE_SHARED/conformance/pss` (default `<workspace>/../shared`). Missing data skips the test unless
//! `PALISADE_REQUIRE_SHARED=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::object::Source;
use palisade_core::{CheckContext, Engine, Finding, K8sObject, Node, Pos, PssLevel, PssPolicy, PssVersion};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The shared data directory, or `None` (after printing why) when the test should be skipped.
fn shared_dir() -> Option<PathBuf> {
    let dir = palisade_input::testdata::shared_dir_or_skip()?;
    let wanted = dir.join("conformance/pss/expected.json");
    if !wanted.is_file() && std::env::var("PALISADE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "PSA conformance data missing: {} (get ../shared or set PALISADE_SHARED)",
            wanted.display()
        );
    }
    wanted.is_file().then_some(dir)
}

/// The Pod Security Standards rules only (the suite judges PSA verdicts), built once.
static PSS_ENGINE: std::sync::LazyLock<Engine<'static>> = std::sync::LazyLock::new(|| {
    Engine::new(
        palisade_rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().pss.is_some())
            .collect(),
    )
});

/// Evaluates one document as Palisade would for a pod judged at `policy`: all built-in rules, the engine's PSS
/// selection. Kept small so an end-to-end variant over the YAML files can reuse it.
fn evaluate(root: Node, file: &str, policy: PssPolicy) -> Vec<Finding> {
    let source = Source {
        file: Arc::from(file),
        document: 1,
        base_pointer: String::new(),
    };
    let Some(obj) = K8sObject::from_node(root, source) else {
        return Vec::new();
    };
    let engine = &*PSS_ENGINE;
    let mut out = Vec::new();
    engine.check_object(&CheckContext::with_pss(policy), &obj, &mut out);
    out
}

/// Upstream fixtures that, by construction, also fail a second check: (fixture's check, other check). A privileged
/// container cannot set `allowPrivilegeEscalation: false`, a HostProcess pod must use the host network, and one
/// `allowPrivilegeEscalation` fixture leaves a container without any securityContext (so no `drop: ["ALL"]`).
const ALSO_FAILS: &[(&str, &str)] = &[
    ("privileged", "allowPrivilegeEscalation"),
    ("windowsHostProcess", "hostNamespaces"),
    ("allowPrivilegeEscalation", "capabilities_restricted"),
];

/// Whether a finding of rule `id` can explain a fixture generated for PSA check `check`: the rule implements that
/// check (K8S-002/003/004 all implement `hostNamespaces`), replaces a rule that does, or implements a check the
/// fixture fails by construction ([`ALSO_FAILS`]).
fn attributable(id: &str, check: Option<&str>) -> bool {
    let Some(check) = check else { return false };
    let control = |id: &str| palisade_rules::find(id).and_then(|r| r.meta().pss);
    let Some(c) = control(id) else { return false };
    let explains = |fixture_check: &str| {
        c.check == fixture_check
            || c.overrides
                .iter()
                .any(|(o, _)| control(o).is_some_and(|oc| oc.check == fixture_check))
    };
    explains(check) || ALSO_FAILS.iter().any(|(fc, other)| *fc == check && explains(other))
}

/// Documents of one fixture file, as Kubernetes reads them (the oracle) or as Palisade's loader reads them.
enum DocSource {
    Oracle,
    Loader,
}

#[test]
fn pss_conformance_on_kubernetes_reading() {
    run_conformance(DocSource::Oracle);
}

/// End to end: the fixture YAML files read by Palisade's own loader, then judged by the engine.
#[test]
fn pss_conformance_on_yaml_files() {
    run_conformance(DocSource::Loader);
}

fn load_yaml(path: &std::path::Path) -> Result<Vec<Node>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (docs, err) = palisade_input::parse_documents(&bytes, &palisade_input::LoadOptions::default());
    match err {
        Some(e) => Err(e.to_string()),
        None => Ok(docs.into_iter().map(|d| d.root).collect()),
    }
}

fn run_conformance(source: DocSource) {
    let Some(dir) = shared_dir() else { return };
    let pss = dir.join("conformance/pss");
    let expected: Json = serde_json::from_slice(&std::fs::read(pss.join("expected.json")).unwrap()).unwrap();
    let mut docs: HashMap<String, Vec<Json>> = HashMap::new();
    for line in std::fs::read_to_string(pss.join("_k8syaml.jsonl")).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Json = serde_json::from_str(line).unwrap();
        let file = entry["file"].as_str().unwrap().to_string();
        docs.insert(file, entry["docs"].as_array().cloned().unwrap_or_default());
    }

    let fixtures = expected["fixtures"].as_array().unwrap();
    let mut passed = 0usize;
    let mut failures = Vec::new();
    for fx in fixtures {
        let file = fx["file"].as_str().unwrap();
        let level: PssLevel = fx["level"].as_str().unwrap().parse().unwrap();
        let version: PssVersion = fx["version"].as_str().unwrap().parse().unwrap();
        let want_denied = fx["expect"].as_str().unwrap() == "denied";
        let documents: Vec<Node> = match source {
            DocSource::Oracle => {
                let Some(documents) = docs.get(&format!("testdata/{file}")) else {
                    failures.push(format!("{file}: no document in _k8syaml.jsonl"));
                    continue;
                };
                documents.iter().map(|d| Node::from_json(d, Pos::new(1, 1))).collect()
            }
            DocSource::Loader => match load_yaml(&pss.join("testdata").join(file)) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{file}: loader error: {e}"));
                    continue;
                }
            },
        };
        let policy = PssPolicy { level, version };
        let mut findings = Vec::new();
        for doc in documents {
            findings.extend(evaluate(doc, file, policy));
        }
        let denied = !findings.is_empty();
        let check = fx["check"].as_str();
        let strays: Vec<&str> = findings
            .iter()
            .map(|f| f.rule)
            .filter(|id| !attributable(id, check))
            .collect();
        if denied == want_denied && strays.is_empty() {
            passed += 1;
        } else if denied == want_denied {
            failures.push(format!(
                "{file} ({level} {version}, check {}): verdict agrees but unrelated rules fired [{}]",
                check.unwrap_or("-"),
                strays.join(", ")
            ));
        } else {
            let mut rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
            rules.dedup();
            failures.push(format!(
                "{file} ({level} {version}, check {}): expected {}, got {} [{}]",
                fx["check"].as_str().unwrap_or("-"),
                if want_denied { "denied" } else { "allowed" },
                if denied { "denied" } else { "allowed" },
                rules.join(", ")
            ));
        }
    }
    println!("PSA conformance: {passed}/{} fixtures agree", fixtures.len());
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} PSA fixtures disagree (listed above)",
        failures.len(),
        fixtures.len()
    );
}
