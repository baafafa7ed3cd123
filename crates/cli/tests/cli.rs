//! End-to-end tests of the `palisade` binary over the bundled examples and small inputs written here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn palisade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn palisade_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// 1-based line and column of the first occurrence of `needle` in `file` (relative to the repository root).
fn line_col(file: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = line.find(needle) {
            return (i as u64 + 1, c as u64 + 1);
        }
    }
    panic!("{needle} not in {file}");
}

#[test]
fn insecure_examples_fail_with_exact_locations() {
    let out = palisade(&["scan", "--format", "json", "examples/insecure"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let privileged = findings(&v, "K8S-001");
    assert_eq!(privileged.len(), 1, "{privileged:#?}");
    let f = privileged[0];
    assert_eq!(f["object"]["kind"], "Deployment");
    assert_eq!(f["object"]["namespace"], "shop");
    assert_eq!(f["object"]["name"], "web");
    assert!(f["message"].as_str().unwrap().contains("\"setup\""), "{f}");
    let loc = &f["location"];
    assert_eq!(loc["file"], "examples/insecure/deployment.yaml");
    assert_eq!(loc["document"], 1);
    assert_eq!(
        (loc["line"].as_u64().unwrap(), loc["column"].as_u64().unwrap()),
        line_col("examples/insecure/deployment.yaml", "privileged: true")
    );
    assert_eq!(
        loc["pointer"],
        "/spec/template/spec/initContainers/0/securityContext/privileged"
    );
    // `hostNetwork: yes` is a YAML 1.1 boolean, which Kubernetes reads as true.
    let host_network = findings(&v, "K8S-004");
    assert_eq!(host_network.len(), 1);
    assert_eq!(
        host_network[0]["location"]["line"].as_u64().unwrap(),
        line_col("examples/insecure/deployment.yaml", "hostNetwork").0
    );
    // The CronJob's pod is found through jobTemplate.
    let host_pid = findings(&v, "K8S-002");
    assert_eq!(host_pid.len(), 1);
    assert_eq!(host_pid[0]["object"]["kind"], "CronJob");
    assert_eq!(
        host_pid[0]["location"]["pointer"],
        "/spec/jobTemplate/spec/template/spec/hostPID"
    );
    // The non-Kubernetes document is skipped and counted.
    assert_eq!(v["summary"]["skipped_documents"], 1);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["files"], 4);
}

#[test]
fn hardened_examples_are_clean() {
    let out = palisade(&["scan", "--format", "json", "--fail-on", "info", "examples/hardened"]);
    let v = json(&out);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{:#}", v["findings"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["summary"]["objects"], 13);
}

#[test]
fn namespace_labels_decide_the_level_and_version() {
    let out = palisade(&["scan", "--format", "json", "examples/insecure/multi-doc.yaml"]);
    let v = json(&out);
    let debug: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"]["name"] == "debug")
        .collect();
    let rules: Vec<&str> = debug.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    // payments enforces baseline at v1.24: baseline controls fire, restricted ones do not.
    assert!(rules.contains(&"K8S-003") && rules.contains(&"K8S-007"), "{rules:?}");
    assert!(
        !rules
            .iter()
            .any(|r| ["K8S-020", "K8S-021", "K8S-022", "K8S-024", "K8S-025"].contains(r)),
        "{rules:?}"
    );
    // metrics lands in shop, not labelled in this file: judged at the default (restricted, latest).
    let metrics: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"]["name"] == "metrics")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for r in ["K8S-008", "K8S-009", "K8S-022", "K8S-021", "K8S-024", "K8S-025"] {
        assert!(metrics.contains(&r), "{r} missing from {metrics:?}");
    }
    // With the namespace scanned alongside, pods in `legacy` would be privileged; the default level flag applies
    // to the others.
    let baseline = json(&palisade(&[
        "scan",
        "--format",
        "json",
        "--pss-level",
        "baseline",
        "examples/insecure/multi-doc.yaml",
    ]));
    assert!(findings(&baseline, "K8S-022").is_empty());
    assert!(!findings(&baseline, "K8S-008").is_empty());
}

#[test]
fn privileged_namespace_exempts_its_pods() {
    let input = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: legacy}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n";
    let out = palisade_stdin(&["scan", "--format", "json", "--select", "pss-restricted", "-"], input);
    let v = json(&out);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v:#}");
    assert_eq!(out.status.code(), Some(0));
    let other = input.replace("namespace: legacy}", "namespace: other}");
    let v = json(&palisade_stdin(&["scan", "--format", "json", "-"], &other));
    assert_eq!(findings(&v, "K8S-002").len(), 1);
    assert_eq!(findings(&v, "K8S-002")[0]["location"]["file"], "<stdin>");
}

#[test]
fn select_and_ignore_by_id_prefix_and_profile() {
    let v = json(&palisade(&[
        "scan",
        "--format",
        "json",
        "--select",
        "K8S-001",
        "examples/insecure",
    ]));
    let rules: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules.into_iter().collect::<Vec<_>>(), vec!["K8S-001"]);

    let v = json(&palisade(&[
        "scan",
        "--format",
        "json",
        "--select",
        "pss-baseline",
        "examples/insecure",
    ]));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] != "K8S-021" && f["rule"] != "K8S-022"));
    assert!(!findings(&v, "K8S-001").is_empty());

    let v = json(&palisade(&[
        "scan",
        "--format",
        "json",
        "--ignore",
        "K8S-00",
        "examples/insecure",
    ]));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["rule"].as_str().unwrap().starts_with("K8S-00")));
    assert!(!findings(&v, "K8S-021").is_empty());

    let out = palisade(&["scan", "--select", "K8S-999", "examples/insecure"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("K8S-999"));
}

#[test]
fn fail_on_threshold_sets_the_exit_code() {
    // Only medium findings selected: the default gate (high) passes, --fail-on medium fails.
    let args = [
        "scan",
        "--format",
        "json",
        "--select",
        "K8S-024",
        "examples/insecure/multi-doc.yaml",
    ];
    let out = palisade(&args);
    assert!(!json(&out)["findings"].as_array().unwrap().is_empty());
    assert_eq!(out.status.code(), Some(0));
    let mut strict = args.to_vec();
    strict.extend(["--fail-on", "medium"]);
    assert_eq!(palisade(&strict).status.code(), Some(1));
}

#[test]
fn bad_input_is_reported_and_the_rest_still_scanned() {
    let dir = std::env::temp_dir().join(format!("palisade-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a-broken.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
    )
    .unwrap();
    std::fs::write(dir.join("b-binary.yaml"), b"\x00\x01\x02\xff\xfe").unwrap();
    std::fs::write(
        dir.join("c-good.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n",
    )
    .unwrap();
    let out = palisade(&["scan", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0]["file"].as_str().unwrap().ends_with("a-broken.yaml"));
    assert_eq!(errors[0]["document"], 1);
    assert_eq!(errors[0]["line"], 4);
    assert!(errors[1]["file"].as_str().unwrap().ends_with("b-binary.yaml"));
    assert_eq!(findings(&v, "K8S-002").len(), 1);

    // The text report names file, document and line too.
    let text = palisade(&["scan", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("a-broken.yaml, document 1, line 4:"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_path_is_a_tool_error() {
    let out = palisade(&["scan", "--format", "json", "does-not-exist.yaml", "examples/hardened"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["errors"][0]["file"], "does-not-exist.yaml");
    assert_eq!(v["summary"]["objects"], 13);
}

#[test]
fn text_report_shows_snippet_marker_and_summary_without_colour() {
    let out = palisade(&["scan", "examples/insecure/cronjob.yaml"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains('\x1b'), "colour when not a terminal");
    assert!(s.starts_with("examples/insecure/cronjob.yaml\n"), "{s}");
    let (line, col) = line_col("examples/insecure/cronjob.yaml", "hostPID");
    assert!(
        s.contains(&format!("--> examples/insecure/cronjob.yaml:{line}:{col}")),
        "{s}"
    );
    assert!(s.contains("          hostPID: true\n"), "{s}");
    assert!(s.contains(&format!("|{}^^^^^^^\n", " ".repeat(col as usize))), "{s}");
    assert!(s.contains("= fix:"), "{s}");
    assert!(s.contains("CronJob shop/backup"), "{s}");
    assert!(
        s.lines().last().unwrap().contains("findings (") && s.contains("critical"),
        "{s}"
    );
}

#[test]
fn rules_and_rule_docs() {
    let out = palisade(&["rules"]);
    let s = String::from_utf8(out.stdout).unwrap();
    for id in ["K8S-001", "K8S-014", "K8S-020", "K8S-026"] {
        assert!(s.contains(id), "{id} not listed");
    }
    let out = palisade(&["rule", "K8S-001"]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ] {
        assert!(s.contains(section), "{section} missing:\n{s}");
    }
    assert_eq!(palisade(&["rule", "NOPE-1"]).status.code(), Some(2));
}

/// Every `palisade ...` command the README shows runs and exits 0 or 1 (never a tool error).
#[test]
fn readme_commands_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut ran = 0;
    for line in readme.lines().map(str::trim).filter(|l| l.starts_with("palisade ")) {
        let command = line.split(" # ").next().unwrap().trim();
        let (command, stdin_file) = match command.split_once(" < ") {
            Some((c, f)) => (c.trim(), Some(f.trim())),
            None => (command, None),
        };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let out = match stdin_file {
            Some(f) => palisade_stdin(&args, &std::fs::read_to_string(root().join(f)).unwrap()),
            None => palisade(&args),
        };
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "`{line}` exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "`{line}` printed nothing");
        ran += 1;
    }
    assert!(ran >= 9, "only {ran} README commands found");
}
