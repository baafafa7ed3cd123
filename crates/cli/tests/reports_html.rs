//! The HTML report in a real browser: headless Chromium (Debian's `chromium`) renders it, and the rendered page
//! is checked against the JSON report of the same scan (counts, compliance per framework) and its filters are
//! exercised through the URL fragment the filter form keeps in sync. A screenshot is written to
//! `target/tmp/html-report.png` (Cargo's test scratch directory) for people to look at.
//!
//! Without Chromium the test says so and passes, unless PALISADE_REQUIRE_SHARED=1 (as in CI, whose `.ci/run`
//! installs it), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn palisade(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Browser {
    exe: PathBuf,
    profile: PathBuf,
}

impl Browser {
    fn args(&self) -> Vec<String> {
        vec![
            "--headless".into(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            format!("--user-data-dir={}", self.profile.display()),
        ]
    }

    /// The DOM after the page's scripts ran, for `file` with URL fragment `hash`.
    fn dom(&self, file: &Path, hash: &str) -> String {
        let out = Command::new(&self.exe)
            .args(self.args())
            .args(["--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!("file://{}{hash}", file.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success() && !out.stdout.is_empty(),
            "chromium --dump-dom failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn screenshot(&self, file: &Path, png: &Path) {
        let out = Command::new(&self.exe)
            .args(self.args())
            .args([
                "--hide-scrollbars",
                "--window-size=1400,2400",
                "--virtual-time-budget=5000",
            ])
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", file.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "chromium --screenshot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The text inside the element with `id` (up to the next `<`).
fn by_id(dom: &str, id: &str) -> String {
    let key = format!("id=\"{id}\">");
    let start = dom.find(&key).unwrap_or_else(|| panic!("no #{id} in the page")) + key.len();
    dom[start..].split('<').next().unwrap().trim().to_string()
}

/// Opening tags of the finding rows, and whether each is hidden.
fn rows(dom: &str) -> Vec<(String, bool)> {
    dom.split("<tr class=\"finding\"")
        .skip(1)
        .map(|s| {
            let tag = s.split('>').next().unwrap().to_string();
            let hidden = tag.contains(" hidden");
            (tag, hidden)
        })
        .collect()
}

fn visible(dom: &str) -> Vec<String> {
    rows(dom).into_iter().filter(|(_, h)| !h).map(|(t, _)| t).collect()
}

fn attr(tag: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    tag[start..].split('"').next().unwrap().to_string()
}

/// The compliance counts a framework's section shows.
fn framework_counts(dom: &str, id: &str) -> (u64, u64, u64) {
    let start = dom.find(&format!("id=\"fw-{id}\"")).unwrap();
    let section = &dom[start..];
    let n = |class: &str| -> u64 {
        let key = format!("class=\"{class}\">");
        let i = section.find(&key).unwrap() + key.len();
        section[i..].split('<').next().unwrap().parse().unwrap()
    };
    (n("n-passed"), n("n-failed"), n("n-not-evaluated"))
}

#[test]
fn html_report_renders_in_chromium_and_matches_json() {
    let Some(exe) = chromium() else {
        assert!(
            std::env::var("PALISADE_REQUIRE_SHARED").as_deref() != Ok("1"),
            "PALISADE_REQUIRE_SHARED=1 but chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        );
        eprintln!("skipping the HTML browser test: chromium not found (apt-get install -y chromium)");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports-html");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let browser = Browser {
        exe,
        profile: dir.join("profile"),
    };
    let html = dir.join("report.html");
    let json_file = dir.join("report.json");
    let out = palisade(&[
        "scan",
        "examples",
        "-f",
        "html",
        "-o",
        html.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        json_file.to_str().unwrap(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let total = findings.len();
    assert!(total > 20);

    // Self-contained: nothing is loaded from anywhere, and the CSP forbids it anyway.
    let source = std::fs::read_to_string(&html).unwrap();
    assert!(source.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for bad in ["<link", " src=\"", "@import", "url(http"] {
        assert!(!source.contains(bad), "the HTML report loads something: {bad}");
    }

    // Unfiltered: every finding shown; the counts match the JSON.
    let dom = browser.dom(&html, "");
    assert_eq!(rows(&dom).len(), total);
    assert_eq!(visible(&dom).len(), total);
    assert_eq!(by_id(&dom, "shown-count"), total.to_string());
    assert_eq!(by_id(&dom, "total-count"), total.to_string());
    assert_eq!(by_id(&dom, "count-total"), total.to_string());
    for sev in ["critical", "high", "medium", "low", "info"] {
        assert_eq!(
            by_id(&dom, &format!("count-{sev}")),
            report["summary"]["by_severity"][sev].to_string(),
            "{sev} count"
        );
    }
    let score: u32 = by_id(&dom, "score").parse().unwrap();
    assert!(score <= 100);

    // Each framework's compliance counts match the JSON report written in the same run with that framework
    // selected (the selected framework's section comes first in the page).
    for fw in [
        "pss-baseline",
        "pss-restricted",
        "cis-aks",
        "nsa",
        "azure-policy-baseline",
        "azure-policy-restricted",
    ] {
        let (h, j) = (dir.join(format!("{fw}.html")), dir.join(format!("{fw}.json")));
        let out = palisade(&[
            "scan",
            "examples",
            "--framework",
            fw,
            "-f",
            "html",
            "-o",
            h.to_str().unwrap(),
            "-f",
            "json",
            "-o",
            j.to_str().unwrap(),
        ]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
        let controls = v["compliance"]["controls"].as_array().unwrap();
        let count = |s: &str| controls.iter().filter(|c| c["status"] == s).count() as u64;
        let fw_dom = browser.dom(&h, "");
        assert_eq!(
            framework_counts(&fw_dom, fw),
            (count("passed"), count("failed"), count("not-evaluated")),
            "{fw} compliance counts"
        );
        let first = fw_dom.find("id=\"fw-").unwrap();
        assert!(
            fw_dom[first..].starts_with(&format!("id=\"fw-{fw}\"")),
            "{fw} comes first"
        );
        assert_eq!(visible(&fw_dom).len(), v["findings"].as_array().unwrap().len());
    }
    // Without a framework, the PSS baseline view still fails where a restricted rule reported a baseline problem.
    assert!(framework_counts(&dom, "pss-baseline").1 > 0);

    // Filters, through the URL fragment the filter form keeps.
    let count_where = |pred: &dyn Fn(&Value) -> bool| findings.iter().filter(|f| pred(f)).count();
    let critical = count_where(&|f| f["severity"] == "critical");
    let dom = browser.dom(&html, "#severity=critical");
    let shown = visible(&dom);
    assert_eq!(shown.len(), critical);
    assert!(shown.iter().all(|t| attr(t, "data-severity") == "critical"));
    assert_eq!(by_id(&dom, "shown-count"), critical.to_string());

    let dom = browser.dom(&html, "#rule=K8S-001");
    assert_eq!(visible(&dom).len(), count_where(&|f| f["rule"] == "K8S-001"));

    let dom = browser.dom(&html, "#severity=high,medium&namespace=shop");
    assert_eq!(
        visible(&dom).len(),
        count_where(&|f| (f["severity"] == "high" || f["severity"] == "medium") && f["object"]["namespace"] == "shop")
    );

    let dom = browser.dom(&html, "#q=cronjob");
    let by_text = count_where(&|f| f.to_string().to_lowercase().contains("cronjob"));
    assert_eq!(visible(&dom).len(), by_text);
    assert!(by_text > 0 && by_text < total);

    let cis: Value =
        serde_json::from_slice(&palisade(&["scan", "-f", "json", "--framework", "cis-aks", "examples"]).stdout)
            .unwrap();
    let in_421 = cis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["controls"].as_array().unwrap().contains(&"4.2.1".into()))
        .count();
    let dom = browser.dom(&html, "#control=cis-aks:4.2.1");
    assert_eq!(visible(&dom).len(), in_421);
    assert!(in_421 > 0);

    // The screenshot people look at.
    // Cargo's per-test scratch directory exists wherever the target directory is (CARGO_TARGET_DIR included).
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report.png");
    browser.screenshot(&html, &png);
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "screenshot is not a PNG"
    );
    eprintln!("screenshot: {}", png.display());
}
