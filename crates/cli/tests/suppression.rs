//! Suppression by annotation, inline comment and config exemption; configuration file handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::TempDir;

fn scan(args: &[&str], cwd: &Path) -> (Output, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("scan")
        .args(["--format", "json", "--select", "K8S-002,K8S-004"])
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, v)
}

fn rules(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: team-a\nspec:\n  hostPID: true\n  hostNetwork: true\n  containers: [{name: c, image: x}]\n";

#[test]
fn annotation_suppresses_listed_rules_with_reason() {
    let d = TempDir::new("ann");
    let pod = POD.replace(
        "  namespace: team-a\n",
        "  namespace: team-a\n  annotations:\n    palisade.io/ignore: \"K8S-002\"\n    palisade.io/ignore-reason: node debugging pod\n",
    );
    d.write("pod.yaml", &pod);
    let (out, v) = scan(&["pod.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-004"]);
    assert_eq!(rules(&v, "suppressed"), vec!["K8S-002"]);
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "annotation");
    assert_eq!(v["suppressed"][0]["suppression"]["reason"], "node debugging pod");
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(out.status.code(), Some(1));

    // --no-inline-exemptions: a central team forbids self-exemption.
    let (_, v) = scan(&["--no-inline-exemptions", "pod.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-002", "K8S-004"]);
    assert!(rules(&v, "suppressed").is_empty());
}

#[test]
fn comment_on_the_line_or_the_line_above_suppresses() {
    let d = TempDir::new("comment");
    let same_line = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # palisade:ignore K8S-002 profiler needs host PIDs\n",
    );
    d.write("same.yaml", &same_line);
    let above = POD.replace(
        "  hostNetwork: true\n",
        "  # palisade:ignore K8S-004 legacy CNI probe\n  hostNetwork: true\n",
    );
    d.write("above.yaml", &above);
    let (_, v) = scan(&["same.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-004"]);
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "comment");
    assert_eq!(v["suppressed"][0]["suppression"]["reason"], "profiler needs host PIDs");
    let (_, v) = scan(&["above.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-002"]);
    assert_eq!(rules(&v, "suppressed"), vec!["K8S-004"]);
    let (_, v) = scan(&["--no-inline-exemptions", "above.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-002", "K8S-004"]);
}

#[test]
fn config_file_exemptions_overrides_and_expiry() {
    let d = TempDir::new("config");
    d.write("pod.yaml", POD);
    d.write(
        ".palisade.yaml",
        "rules:\n  K8S-004: {severity: low}\nexemptions:\n  - rules: [K8S-002]\n    namespaces: [\"team-*\"]\n    kinds: [Pod]\n    reason: team-a runs the node profiler\n    expires: \"2999-12-31\"\n",
    );
    let (out, v) = scan(&["pod.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-004"]);
    assert_eq!(v["findings"][0]["severity"], "low");
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "config");
    assert_eq!(v["suppressed"][0]["suppression"]["expires"], "2999-12-31");
    // Only a low finding is left: the default gate (high) passes.
    assert_eq!(out.status.code(), Some(0));

    // An expired exemption stops suppressing and says so.
    d.write(
        ".palisade.yaml",
        "exemptions:\n  - rules: [K8S-002]\n    reason: temporary\n    expires: 2020-01-31\n",
    );
    let (_, v) = scan(&["pod.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-002", "K8S-004"]);
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        warnings[0].as_str().unwrap().contains("expired on 2020-01-31"),
        "{warnings:?}"
    );

    // Rules switched off in the config do not run; --config points elsewhere.
    let other = d.write("other.yaml", "rules:\n  K8S-002: off\n");
    let (_, v) = scan(&["--config", other.to_str().unwrap(), "pod.yaml"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-004"]);
}

#[test]
fn config_file_is_found_upward_from_the_scanned_path() {
    let d = TempDir::new("upward");
    std::fs::create_dir_all(d.0.join("apps/web")).unwrap();
    d.write("apps/web/pod.yaml", POD);
    d.write(".palisade.yaml", "rules:\n  K8S-004: {enabled: false}\n");
    let (_, v) = scan(&["apps/web"], &d.0);
    assert_eq!(rules(&v, "findings"), vec!["K8S-002"]);
}

#[test]
fn invalid_config_is_a_tool_error_naming_the_line() {
    let d = TempDir::new("badcfg");
    d.write("pod.yaml", POD);
    for (cfg, needle) in [
        ("rules:\n  K8S-999: off\n", "line 2: unknown rule 'K8S-999'"),
        ("parameters:\n  allowed_registries: 3\n", "line 2: allowed_registries"),
        ("exemptions:\n  - rules: [K8S-002]\n", "without a reason"),
        ("exemptions:\n  - reason: x\n    expires: soon\n", "line 3: expires"),
        ("colour: red\n", "line 1: unknown key 'colour'"),
    ] {
        d.write(".palisade.yaml", cfg);
        let (out, _) = scan(&["pod.yaml"], &d.0);
        assert_eq!(out.status.code(), Some(2), "{cfg}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(".palisade.yaml") && err.contains(needle), "{cfg}: {err}");
    }
}
