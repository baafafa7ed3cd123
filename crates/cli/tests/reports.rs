//! End-to-end tests of the report formats: SARIF (schema-valid for every example and fixture), JUnit, Markdown,
//! several formats in one run, compliance frameworks, baselines and `palisade diff`, and that no format ever
//! prints a secret value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn palisade(args: &[&str]) -> Output {
    palisade_in(&root(), args)
}

fn palisade_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shared data directory (PALISADE_SHARED, or ../shared beside the checkout), when present.
fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PALISADE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    dir.is_dir().then_some(dir)
}

fn require_shared() -> bool {
    std::env::var("PALISADE_REQUIRE_SHARED").as_deref() == Ok("1")
}

/// The official SARIF 2.1.0 schema from ../shared/schemas, compiled; `None` (with a message) when absent.
fn sarif_validator() -> Option<jsonschema::Validator> {
    let path = shared_dir().map(|d| d.join("schemas/sarif-schema-2.1.0.json"));
    let Some(path) = path.filter(|p| p.is_file()) else {
        assert!(
            !require_shared(),
            "PALISADE_REQUIRE_SHARED=1 but the SARIF schema is missing: put the shared data beside the checkout \
             (../shared/schemas/sarif-schema-2.1.0.json) or point PALISADE_SHARED at it"
        );
        eprintln!(
            "skipping SARIF schema validation: ../shared/schemas/sarif-schema-2.1.0.json not found (set \
             PALISADE_SHARED to the shared data directory)"
        );
        return None;
    };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    Some(jsonschema::validator_for(&schema).unwrap())
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF is not schema-valid:\n{}",
        errors.join("\n")
    );
}

/// Structural checks GitHub code scanning relies on, beyond the schema.
/// Each result is one line, exactly as serde_json writes its value (keys in byte order, compact): results are
/// written field by field, not serialised from a tree of values, and this holds them to what that would give.
fn assert_results_are_canonical(text: &str, what: &str) {
    let start = text
        .find("\"results\": [")
        .unwrap_or_else(|| panic!("{what}: no results array"));
    let mut n = 0;
    for line in text[start..].lines().skip(1) {
        let line = line.trim().trim_end_matches(',');
        if !line.starts_with('{') {
            break;
        }
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: {e}: {line}"));
        assert_eq!(serde_json::to_string(&v).unwrap(), line, "{what}");
        n += 1;
    }
    let count = json_text(text)["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(n, count, "{what}: every result on its own line");
}

fn json_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_code_scanning_ready(sarif: &Value, what: &str) {
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{what}: one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "palisade");
    assert!(driver["version"].is_string() && driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    for r in rules {
        let id = r["id"].as_str().unwrap();
        let sev: f64 = r["properties"]["security-severity"].as_str().unwrap().parse().unwrap();
        assert!((0.0..=10.0).contains(&sev), "{what}: {id} security-severity");
        assert!(r["shortDescription"]["text"].is_string(), "{what}: {id}");
        assert!(r["fullDescription"]["text"].is_string(), "{what}: {id}");
        assert!(
            r["help"]["text"].is_string() && r["help"]["markdown"].is_string(),
            "{what}: {id}"
        );
        assert!(r["properties"]["tags"].as_array().unwrap().contains(&"security".into()));
    }
    for res in run["results"].as_array().unwrap() {
        let id = res["ruleId"].as_str().unwrap();
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], id, "{what}: ruleIndex");
        assert_eq!(res["partialFingerprints"]["palisade/v1"].as_str().unwrap().len(), 32);
        let loc = &res["locations"][0];
        assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
        if res["properties"]["file"]
            .as_str()
            .is_some_and(|f| f.starts_with('<') || f.contains(' '))
        {
            continue; // not a file: logical location only
        }
        let phys = &loc["physicalLocation"];
        let region = &phys["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{what}: {id} region");
        assert!(region["startColumn"].as_u64().unwrap() >= 1, "{what}: {id} region");
        if let Some(uri) = phys["artifactLocation"]["uri"].as_str() {
            assert!(
                !uri.starts_with('/') && !uri.contains(".."),
                "{what}: uri {uri} not repository-relative"
            );
            assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        }
    }
}

/// Every example and every rule fixture (each fixture folder with only its rule enabled) gives schema-valid,
/// code-scanning-ready SARIF.
#[test]
fn sarif_is_valid_for_every_example_and_fixture() {
    let validator = sarif_validator();
    let mut runs: Vec<(String, Vec<String>)> = vec![
        ("examples".into(), vec!["examples".into()]),
        (
            "examples --select all".into(),
            vec!["--select".into(), "all".into(), "examples".into()],
        ),
        (
            "examples --framework cis-aks".into(),
            vec!["--framework".into(), "cis-aks".into(), "examples".into()],
        ),
        (
            "examples/insecure + missing file (tool error)".into(),
            vec!["examples/insecure".into(), "does-not-exist.yaml".into()],
        ),
    ];
    let fixtures = root().join("crates/rules/tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for d in &dirs {
        let id = d.file_name().unwrap().to_string_lossy().to_string();
        let rel = d.strip_prefix(root()).unwrap().to_string_lossy().to_string();
        runs.push((format!("fixtures {id}"), vec!["--select".into(), id, rel]));
    }
    let mut results = 0;
    for (what, args) in &runs {
        let mut full: Vec<&str> = vec!["scan", "--format", "sarif"];
        full.extend(args.iter().map(String::as_str));
        let out = palisade(&full);
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sarif = json(&out);
        if let Some(v) = &validator {
            assert_valid(v, &sarif, what);
        }
        assert_code_scanning_ready(&sarif, what);
        assert_results_are_canonical(&stdout(&out), what);
        results += sarif["runs"][0]["results"].as_array().unwrap().len();
    }
    assert!(results > 100, "only {results} results over every example and fixture");
}

/// Regions, fixes and fingerprints: exact positions, a safe fix for `privileged: true`, and fingerprints that
/// stay the same when the finding moves down the file.
#[test]
fn sarif_regions_fixes_and_stable_fingerprints() {
    let dir = tmp("fingerprints");
    let original = std::fs::read_to_string(root().join("examples/insecure/deployment.yaml")).unwrap();
    std::fs::write(dir.join("deploy.yaml"), &original).unwrap();
    let first = json(&palisade_in(&dir, &["scan", "-f", "sarif", "deploy.yaml"]));
    std::fs::write(dir.join("deploy.yaml"), format!("# a\n# b\n# c\n{original}")).unwrap();
    let moved = json(&palisade_in(&dir, &["scan", "-f", "sarif", "deploy.yaml"]));
    let prints = |s: &Value| -> Vec<(String, u64)> {
        s["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["palisade/v1"].as_str().unwrap().to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (prints(&first), prints(&moved));
    assert_eq!(a.len(), b.len());
    for ((fa, la), (fb, lb)) in a.iter().zip(&b) {
        assert_eq!(fa, fb, "fingerprint changed when the finding moved");
        assert_eq!(la + 3, *lb);
    }
    let unique: BTreeSet<&String> = a.iter().map(|(f, _)| f).collect();
    assert_eq!(unique.len(), a.len(), "fingerprints are unique");

    let results = first["runs"][0]["results"].as_array().unwrap();
    let privileged = results.iter().find(|r| r["ruleId"] == "K8S-001").unwrap();
    let (line, col) = (23, 13); // `privileged: true` in examples/insecure/deployment.yaml
    let region = &privileged["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], line);
    assert_eq!(region["startColumn"], col);
    assert_eq!(region["endColumn"], col + "privileged".len() as u64);
    // The temporary directory is inside the repository (target/tmp): the URI is relative to its root.
    let uri = privileged["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    let expected = dir.join("deploy.yaml");
    match expected.strip_prefix(root()) {
        Ok(rel) => assert_eq!(uri, rel.to_string_lossy()),
        // CARGO_TARGET_DIR outside the checkout: no `.git` above, so the working directory is the root.
        Err(_) => assert_eq!(uri, "deploy.yaml"),
    }
    let fix = &privileged["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["insertedContent"]["text"], "false");
    assert_eq!(fix["deletedRegion"]["startColumn"], col + "privileged: ".len() as u64);
    assert_eq!(fix["deletedRegion"]["endColumn"], col + "privileged: true".len() as u64);
}

/// Paths in SARIF are relative to the repository root, wherever Palisade runs from.
#[test]
fn sarif_paths_are_repository_relative() {
    let out = palisade_in(
        &root().join("examples"),
        &["scan", "-f", "sarif", "insecure/deployment.yaml"],
    );
    let sarif = json(&out);
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "examples/insecure/deployment.yaml");
}

/// Several formats in one run, each to its own destination; `-` is standard output.
#[test]
fn several_formats_in_one_run() {
    let dir = tmp("multi");
    let p = |n: &str| dir.join(n).to_string_lossy().to_string();
    let (j, s, x, m, h) = (p("r.json"), p("r.sarif"), p("r.xml"), p("r.md"), p("r.html"));
    let out = palisade(&[
        "scan",
        "examples/insecure",
        "-f",
        "json",
        "-o",
        &j,
        "-f",
        "sarif",
        "--output",
        &s,
        "-f",
        "junit",
        "-o",
        &x,
        "-f",
        "markdown",
        "-o",
        &m,
        "-f",
        "html",
        "-o",
        &h,
        "-f",
        "text",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("K8S-001 critical"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    let n = report["findings"].as_array().unwrap().len();
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&s).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
    let junit = std::fs::read_to_string(&x).unwrap();
    assert!(junit.starts_with("<?xml"));
    assert!(std::fs::read_to_string(&m)
        .unwrap()
        .contains("## Palisade security report"));
    assert!(std::fs::read_to_string(&h).unwrap().starts_with("<!DOCTYPE html>"));

    let two_stdout = palisade(&["scan", "examples/insecure", "-f", "json", "-f", "sarif"]);
    assert_eq!(two_stdout.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&two_stdout.stderr).contains("standard output"));
    let extra = palisade(&["scan", "examples/insecure", "-f", "json", "-o", &j, "-o", &s]);
    assert_eq!(extra.status.code(), Some(2));
}

fn attr(tag: &str, name: &str) -> Option<usize> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()?.parse().ok()
}

/// JUnit: a testsuite per rule (or file), a testcase per object and rule, passes included, counts consistent,
/// well-formed XML with escaped text.
#[test]
fn junit_testcases_per_object_and_rule() {
    let json_out = json(&palisade(&["scan", "-f", "json", "examples/insecure"]));
    let findings = json_out["findings"].as_array().unwrap();
    let xml = stdout(&palisade(&["scan", "-f", "junit", "examples/insecure"]));
    let head = xml.lines().nth(1).unwrap();
    assert!(head.starts_with("<testsuites"));
    let tests = attr(head, "tests").unwrap();
    let failures = attr(head, "failures").unwrap();
    assert_eq!(xml.matches("<testcase ").count(), tests);
    assert_eq!(xml.matches("<failure ").count(), failures);
    assert!(tests > failures, "passing testcases are included");
    // One failing testcase per (rule, object) with findings.
    let failing: BTreeSet<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                format!(
                    "{}/{}/{}",
                    f["object"]["kind"], f["object"]["namespace"], f["object"]["name"]
                ),
            )
        })
        .collect();
    assert_eq!(failures, failing.len());
    assert!(xml.contains("<testsuite name=\"K8S-001 privileged-container\""));
    assert!(xml.contains("fix: Remove securityContext.privileged"));
    assert!(xml.contains("&quot;setup&quot;"), "attribute and text escaping");
    assert_well_formed(&xml);

    let by_file = stdout(&palisade(&[
        "scan",
        "-f",
        "junit",
        "--junit-group",
        "file",
        "examples/insecure",
    ]));
    assert!(by_file.contains("<testsuite name=\"examples/insecure/deployment.yaml\""));
    assert_eq!(by_file.matches("<failure ").count(), failures);
    assert_well_formed(&by_file);

    let by_control = stdout(&palisade(&[
        "scan",
        "-f",
        "junit",
        "--framework",
        "cis-aks",
        "examples/insecure",
    ]));
    assert!(by_control.contains("<testsuite name=\"4.2.1 Minimize the admission of privileged containers\""));
    assert_well_formed(&by_control);
}

/// Well-formedness through Python's XML parser when python3 is available (a minimal tag-balance check always).
fn assert_well_formed(xml: &str) {
    assert_eq!(xml.matches("<testsuite ").count(), xml.matches("</testsuite>").count());
    let python = Command::new("python3").arg("--version").output().is_ok();
    if !python {
        eprintln!("python3 not found: XML well-formedness checked by tag balance only");
        return;
    }
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys,xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(xml.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "JUnit XML is not well-formed");
}

/// Markdown: totals by severity, the findings (most severe first) with rule, object, file:line and fix, and
/// everything beyond the limit folded away.
#[test]
fn markdown_pull_request_comment() {
    let v = json(&palisade(&["scan", "-f", "json", "examples/insecure"]));
    let total = v["summary"]["findings"].as_u64().unwrap();
    let md = stdout(&palisade(&[
        "scan",
        "-f",
        "markdown",
        "--markdown-limit",
        "5",
        "examples/insecure",
    ]));
    assert!(md.starts_with("<!-- palisade-report -->"));
    assert!(md.contains(&format!("**{total} findings**")));
    assert!(md.contains(&format!("| critical | {} |", v["summary"]["by_severity"]["critical"])));
    let first = md.lines().find(|l| l.starts_with("- **")).unwrap();
    assert!(first.starts_with("- **critical**"), "most severe first: {first}");
    assert!(md.contains(&format!("<details><summary>{} more findings</summary>", total - 5)));
    assert!(md.contains("`examples/insecure/deployment.yaml:23`"));
    assert!(md.contains("**Fix:**"));
    let items = md.lines().filter(|l| l.starts_with("- **")).count() as u64;
    assert_eq!(items, total);
}

/// `--framework` groups findings by control in every format and restricts the run to the framework's rules.
#[test]
fn framework_groups_by_control() {
    let v = json(&palisade(&[
        "scan",
        "-f",
        "json",
        "--framework",
        "cis-aks",
        "examples/insecure",
    ]));
    let c = &v["compliance"];
    assert_eq!(c["id"], "cis-aks");
    let controls = c["controls"].as_array().unwrap();
    let c421 = controls.iter().find(|c| c["id"] == "4.2.1").unwrap();
    assert_eq!(c421["status"], "failed");
    assert!(c421["rules"].as_array().unwrap().contains(&"K8S-001".into()));
    assert!(controls.iter().any(|c| c["status"] == "not-evaluated"));
    for f in v["findings"].as_array().unwrap() {
        assert!(
            !f["controls"].as_array().unwrap().is_empty(),
            "{f}: finding outside the framework"
        );
    }
    let text = stdout(&palisade(&["scan", "--framework", "cis-aks", "examples/insecure"]));
    assert!(text.contains("4.2.1 Minimize the admission of privileged containers"));
    assert!(text.contains("CIS Azure Kubernetes Service Benchmark:"));
    let pss = json(&palisade(&[
        "scan",
        "-f",
        "json",
        "--framework",
        "pss-baseline",
        "examples/insecure",
    ]));
    let priv_ctl = pss["compliance"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "privileged")
        .unwrap()
        .clone();
    assert_eq!(priv_ctl["status"], "failed");
    let hardened = json(&palisade(&[
        "scan",
        "-f",
        "json",
        "--framework",
        "pss-restricted",
        "examples/hardened",
    ]));
    assert!(hardened["compliance"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "passed"));
    let bad = palisade(&["scan", "--framework", "soc2", "examples/insecure"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cis-aks"));
}

/// `--baseline` reports and fails only on new findings; `palisade diff` lists new, fixed and unchanged.
#[test]
fn baseline_and_diff() {
    let dir = tmp("baseline");
    let original = std::fs::read_to_string(root().join("examples/insecure/deployment.yaml")).unwrap();
    std::fs::write(dir.join("deploy.yaml"), &original).unwrap();
    let old = palisade_in(&dir, &["scan", "-f", "json", "deploy.yaml"]);
    std::fs::write(dir.join("old.json"), &old.stdout).unwrap();
    let old_n = json(&old)["findings"].as_array().unwrap().len();

    let same = palisade_in(&dir, &["scan", "--baseline", "old.json", "-f", "json", "deploy.yaml"]);
    assert_eq!(same.status.code(), Some(0), "{}", String::from_utf8_lossy(&same.stderr));
    let v = json(&same);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["summary"]["findings"], 0);
    assert_eq!(v["baseline"]["unchanged"], old_n);

    // Lines added above (findings move) and a new privileged container; the old hostNetwork is fixed.
    let changed = format!(
        "# moved\n{}",
        original.replace("hostNetwork: yes", "hostNetwork: false").replace(
            "      containers:\n",
            "      containers:\n        - name: extra\n          image: registry.example.com/x:1\n          \
             securityContext:\n            privileged: true\n"
        )
    );
    std::fs::write(dir.join("deploy.yaml"), changed).unwrap();
    let out = palisade_in(&dir, &["scan", "--baseline", "old.json", "-f", "json", "deploy.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let new: Vec<&Value> = v["findings"].as_array().unwrap().iter().collect();
    assert!(new
        .iter()
        .any(|f| f["rule"] == "K8S-001" && f["message"].as_str().unwrap().contains("extra")));
    assert!(
        new.iter().all(|f| f["message"].as_str().unwrap().contains("extra")),
        "{new:?}"
    );
    assert_eq!(v["baseline"]["fixed"], 1);
    assert_eq!(v["baseline"]["fixed_findings"][0]["rule"], "K8S-004");
    let sarif = json(&palisade_in(
        &dir,
        &["scan", "--baseline", "old.json", "-f", "sarif", "deploy.yaml"],
    ));
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["baselineState"] == "new"));
    let md = stdout(&palisade_in(
        &dir,
        &["scan", "--baseline", "old.json", "-f", "markdown", "deploy.yaml"],
    ));
    assert!(md.contains("### New findings"));
    assert!(md.contains("unchanged (in the baseline)</summary>"));

    let new_report = palisade_in(&dir, &["scan", "-f", "json", "deploy.yaml"]);
    std::fs::write(dir.join("new.json"), &new_report.stdout).unwrap();
    let d = palisade_in(&dir, &["diff", "old.json", "new.json"]);
    assert_eq!(d.status.code(), Some(1), "a new critical finding fails the diff");
    let text = stdout(&d);
    assert!(text.contains("New ("));
    assert!(text.contains("Fixed (1)"));
    assert!(text.contains("K8S-004"));
    let dj = json(&palisade_in(&dir, &["diff", "-f", "json", "old.json", "new.json"]));
    assert_eq!(dj["summary"]["fixed"], 1);
    assert_eq!(dj["summary"]["unchanged"].as_u64().unwrap() as usize, old_n - 1);
    let same_diff = palisade_in(&dir, &["diff", "old.json", "old.json"]);
    assert_eq!(same_diff.status.code(), Some(0));
    assert!(stdout(&same_diff).ends_with(&format!("0 new, 0 fixed, {old_n} unchanged\n")));
    let bad = palisade_in(&dir, &["diff", "deploy.yaml", "new.json"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn sensitive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Names of references to secrets (`secretName: db-creds`, `secretKeyRef`) are not secret values.
    if ["name", "ref", "path", "file", "class"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return false;
    }
    let n: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "accesskey",
        "connectionstring",
        "credential",
        "bearer",
        "privatekey",
    ]
    .iter()
    .any(|p| n.contains(p))
        || (n.starts_with("azure") && n.ends_with("key"))
}

fn secret_pattern(v: &str) -> bool {
    [
        "PRIVATE KEY",
        "AccountKey=",
        "SharedAccessSignature=",
        "sig=",
        "Password=",
        "ghp_",
        "eyJhbGciO",
        "AKIA",
    ]
    .iter()
    .any(|p| v.contains(p))
}

/// The values planted in a manifest: Secret data and stringData, ConfigMap values and env values under
/// credential-like names, and any string matching a known secret pattern.
fn planted(v: &Value, key: Option<&str>, kind: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let (Some(name), Some(Value::String(val))) = (m.get("name").and_then(Value::as_str), m.get("value")) {
                if sensitive_name(name) {
                    out.insert(val.clone());
                }
            }
            for (k, child) in m {
                let data = matches!(k.as_str(), "data" | "stringData" | "binaryData");
                if data && (kind == "Secret" || kind == "ConfigMap") {
                    if let Some(entries) = child.as_object() {
                        for (dk, dv) in entries {
                            if let Some(s) = dv.as_str() {
                                if kind == "Secret" || sensitive_name(dk) || secret_pattern(s) {
                                    out.insert(s.to_string());
                                }
                            }
                        }
                    }
                }
                planted(child, Some(k), kind, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| planted(i, key, kind, out)),
        Value::String(s) if secret_pattern(s) || key.is_some_and(sensitive_name) => {
            out.insert(s.clone());
        }
        _ => {}
    }
}

/// No format ever contains a secret value: every format's output over the secrets fixtures (the rule fixtures
/// `SEC-*` and a planted set here, including a one-line JSON manifest) is searched for the planted values.
#[test]
fn no_format_prints_a_secret_value() {
    let mut inputs: Vec<PathBuf> = vec![root().join("crates/cli/tests/reports_data/secrets")];
    let fixtures = root().join("crates/rules/tests/fixtures");
    for e in std::fs::read_dir(&fixtures).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap().to_string_lossy().starts_with("SEC-") {
            inputs.push(p);
        }
    }
    let mut values: BTreeSet<String> = BTreeSet::new();
    for dir in &inputs {
        for f in walk(dir) {
            let bytes = std::fs::read(&f).unwrap();
            let load = palisade_input::load_file(&f.to_string_lossy(), &bytes, &palisade_input::LoadOptions::default());
            for o in &load.objects {
                planted(&o.root.to_json(), None, &o.id.kind, &mut values);
            }
        }
    }
    // Short values (`x`, `true`) would match by accident; credentials are longer.
    values.retain(|v| v.trim().len() >= 8);
    assert!(values.len() >= 8, "too few planted values found: {values:?}");
    let args: Vec<String> = inputs
        .iter()
        .map(|p| p.strip_prefix(root()).unwrap().to_string_lossy().to_string())
        .collect();
    let dir = tmp("secrets");
    for format in ["text", "json", "sarif", "junit", "markdown", "html"] {
        for select in ["all", "SEC-"] {
            let file = dir.join(format!("out.{format}"));
            let mut a: Vec<&str> = vec!["scan", "--select", select, "-f", format, "-o"];
            let file_s = file.to_string_lossy().to_string();
            a.push(&file_s);
            a.extend(args.iter().map(String::as_str));
            let out = palisade(&a);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut text = std::fs::read_to_string(&file).unwrap();
            if format == "sarif" {
                // The rule descriptors carry the rule docs, whose examples may reuse a fixture's value: that is
                // documentation, not scanned input. Everything else (results, snippets, messages) is checked.
                let mut v: Value = serde_json::from_str(&text).unwrap();
                for r in v["runs"][0]["tool"]["driver"]["rules"].as_array_mut().unwrap() {
                    let r = r.as_object_mut().unwrap();
                    r.remove("help");
                    r.remove("fullDescription");
                }
                text = v.to_string();
            }
            for v in &values {
                assert!(
                    !text.contains(v.as_str()),
                    "{format} (--select {select}) prints the secret value {v:?}"
                );
            }
            if format == "text" && select == "all" {
                assert!(text.contains("****"), "snippets are shown, masked");
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The progress indicator never reaches a non-terminal stderr, and reports do not change with it.
#[test]
fn no_progress_output_when_not_a_terminal() {
    let out = palisade(&["scan", "-f", "json", "examples"]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The pre-commit hook's command, run as pre-commit runs it (changed files appended), fails on an insecure
/// manifest and passes on hardened ones and on non-Kubernetes YAML.
#[test]
fn pre_commit_hook_runs_on_changed_manifests() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("- id: palisade"));
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("palisade"));
    let args: Vec<&str> = words.collect();
    let run = |files: &[&str]| {
        let mut a = args.clone();
        a.extend(files);
        palisade(&a).status.code()
    };
    assert_eq!(run(&["examples/insecure/deployment.yaml"]), Some(1));
    assert_eq!(
        run(&["examples/hardened/deployment.yaml", ".pre-commit-hooks.yaml"]),
        Some(0)
    );
}

/// Findings that are not in a file (standard input here; live-cluster objects and command output alike) have
/// logical locations only, with the line in the result's properties.
#[test]
fn sarif_logical_locations_for_non_files() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["scan", "-f", "sarif", "-"])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read_to_string(root().join("examples/insecure/deployment.yaml")).unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let sarif = json(&out);
    if let Some(v) = sarif_validator() {
        assert_valid(&v, &sarif, "stdin");
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0];
        assert!(loc.get("physicalLocation").is_none());
        assert_eq!(loc["logicalLocations"][0]["fullyQualifiedName"], "Deployment/shop/web");
        assert!(r["properties"]["line"].as_u64().unwrap() > 0);
    }
}
