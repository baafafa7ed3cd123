//! Baselines and diffs: a previous JSON report is read back, its findings are matched to the current ones by
//! [fingerprint](crate::fingerprint), and findings split into new, unchanged and fixed.
//!
//! `scan --baseline previous.json` reports (and fails on) only the new findings; `palisade diff old.json
//! new.json` lists all three groups.

use crate::fingerprint;
use palisade_core::{Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write;

/// A JSON report that cannot be used as a baseline.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON, or not shaped like a Palisade report.
    #[error("not a Palisade JSON report ({0}); write one with `palisade scan --format json`")]
    Invalid(String),
}

/// The object of a recorded finding.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct RecordedObject {
    /// apiVersion.
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    /// kind.
    #[serde(default)]
    pub kind: String,
    /// Namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// The location of a recorded finding.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct RecordedLocation {
    /// File.
    #[serde(default)]
    pub file: String,
    /// Document.
    #[serde(default)]
    pub document: usize,
    /// Line.
    #[serde(default)]
    pub line: u32,
    /// Column.
    #[serde(default)]
    pub column: u32,
    /// JSON pointer.
    #[serde(default)]
    pub pointer: String,
}

/// A finding as a JSON report records it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Recorded {
    /// Rule ID.
    pub rule: String,
    /// Rule name.
    #[serde(default)]
    pub name: String,
    /// Severity name.
    #[serde(default)]
    pub severity: String,
    /// Message.
    #[serde(default)]
    pub message: String,
    /// Remediation.
    #[serde(default)]
    pub remediation: String,
    /// Object.
    #[serde(default)]
    pub object: RecordedObject,
    /// Location.
    #[serde(default)]
    pub location: RecordedLocation,
}

impl Recorded {
    /// The fingerprint, recomputed from the recorded fields (reports written before fingerprints were published
    /// work too).
    pub fn fingerprint(&self) -> String {
        fingerprint::of_parts(fingerprint::Parts {
            rule: &self.rule,
            file: &self.location.file,
            kind: &self.object.kind,
            namespace: self.object.namespace.as_deref().unwrap_or(""),
            name: self.object.name.as_deref().unwrap_or(""),
            pointer: &self.location.pointer,
            message: &self.message,
        })
    }

    /// The severity, when it is a known one.
    pub fn severity(&self) -> Option<Severity> {
        self.severity.parse().ok()
    }

    /// `Kind namespace/name`, as the text report names objects.
    pub fn object_label(&self) -> String {
        let o = &self.object;
        let mut s = format!("{} ", o.kind);
        if let Some(ns) = &o.namespace {
            let _ = write!(s, "{ns}/");
        }
        s.push_str(o.name.as_deref().unwrap_or("<unnamed>"));
        s
    }

    /// The recorded form of a current finding.
    pub fn from_finding(f: &Finding) -> Self {
        Recorded {
            rule: f.rule.to_string(),
            name: f.name.to_string(),
            severity: f.severity.as_str().to_string(),
            message: f.message.clone(),
            remediation: f.remediation.to_string(),
            object: RecordedObject {
                api_version: f.object.api_version.clone(),
                kind: f.object.kind.clone(),
                namespace: f.object.namespace.clone(),
                name: f.object.name.clone(),
            },
            location: RecordedLocation {
                file: f.location.file.to_string(),
                document: f.location.document,
                line: f.location.line,
                column: f.location.column,
                pointer: f.location.pointer.clone(),
            },
        }
    }
}

#[derive(Deserialize)]
struct ReportShape {
    findings: Vec<Recorded>,
}

/// Reads the findings of a JSON report (`palisade scan --format json`). Suppressed findings are not part of a
/// baseline: they are already hidden.
pub fn parse(text: &str) -> Result<Vec<Recorded>, BaselineError> {
    let shape: ReportShape = serde_json::from_str(text).map_err(|e| BaselineError::Invalid(e.to_string()))?;
    Ok(shape.findings)
}

/// Findings split against a baseline.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// Where the baseline came from (for reports).
    pub source: String,
    /// Current findings that are in the baseline (not reported as findings, not failing the run).
    pub unchanged: Vec<Finding>,
    /// Baseline findings that are gone.
    pub fixed: Vec<Recorded>,
}

/// Splits the current findings into new ones (returned) and unchanged ones, and finds the fixed ones. Matching
/// counts duplicates: two identical baseline findings absorb at most two current ones.
pub fn split(findings: Vec<Finding>, baseline: &[Recorded], source: &str) -> (Vec<Finding>, Comparison) {
    let mut available: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in baseline.iter().enumerate() {
        available.entry(r.fingerprint()).or_default().push(i);
    }
    let mut matched = vec![false; baseline.len()];
    let mut new = Vec::new();
    let mut unchanged = Vec::new();
    for f in findings {
        match available.get_mut(&fingerprint::of(&f)).and_then(Vec::pop) {
            Some(i) => {
                if let Some(m) = matched.get_mut(i) {
                    *m = true;
                }
                unchanged.push(f);
            }
            None => new.push(f),
        }
    }
    let fixed = baseline
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(r, _)| r.clone())
        .collect();
    (
        new,
        Comparison {
            source: source.to_string(),
            unchanged,
            fixed,
        },
    )
}

/// Two reports compared.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diff {
    /// In the new report only.
    pub new: Vec<Recorded>,
    /// In the old report only.
    pub fixed: Vec<Recorded>,
    /// In both (as recorded in the new report).
    pub unchanged: Vec<Recorded>,
}

/// Compares an old and a new report's findings.
pub fn diff(old: &[Recorded], new: &[Recorded]) -> Diff {
    let mut available: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in old.iter().enumerate() {
        available.entry(r.fingerprint()).or_default().push(i);
    }
    let mut matched = vec![false; old.len()];
    let mut out = Diff::default();
    for r in new {
        match available.get_mut(&r.fingerprint()).and_then(Vec::pop) {
            Some(i) => {
                if let Some(m) = matched.get_mut(i) {
                    *m = true;
                }
                out.unchanged.push(r.clone());
            }
            None => out.new.push(r.clone()),
        }
    }
    out.fixed = old
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(r, _)| r.clone())
        .collect();
    out
}

/// The diff as JSON: `{"format_version": "1", "new": [...], "fixed": [...], "unchanged": [...], "summary":
/// {"new": n, "fixed": n, "unchanged": n}}`; each finding as in the scan report, plus its `fingerprint`.
pub fn render_json(d: &Diff) -> String {
    let with_fp = |v: &[Recorded]| -> Vec<serde_json::Value> {
        v.iter()
            .map(|r| {
                let mut j = serde_json::to_value(r).unwrap_or_default();
                if let Some(o) = j.as_object_mut() {
                    o.insert("fingerprint".into(), r.fingerprint().into());
                }
                j
            })
            .collect()
    };
    let v = serde_json::json!({
        "format_version": crate::json::FORMAT_VERSION,
        "new": with_fp(&d.new),
        "fixed": with_fp(&d.fixed),
        "unchanged": with_fp(&d.unchanged),
        "summary": {"new": d.new.len(), "fixed": d.fixed.len(), "unchanged": d.unchanged.len()},
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// The diff for a terminal: new findings in full, fixed ones in full, unchanged ones one line each, then counts.
pub fn render_text(d: &Diff, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut section = |title: &str, code: &str, items: &[Recorded], full: bool| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(out, "{}", paint(code, &format!("{title} ({})", items.len())));
        for r in items {
            let _ = writeln!(
                out,
                "  {} {} {} {}:{}",
                paint("1", &r.rule),
                r.severity,
                r.object_label(),
                r.location.file,
                r.location.line
            );
            if full {
                let _ = writeln!(out, "    {}", r.message);
            }
        }
        out.push('\n');
    };
    section("New", "1;31", &d.new, true);
    section("Fixed", "1;32", &d.fixed, true);
    section("Unchanged", "1", &d.unchanged, false);
    let _ = writeln!(
        out,
        "{} new, {} fixed, {} unchanged",
        d.new.len(),
        d.fixed.len(),
        d.unchanged.len()
    );
    out
}

/// The diff as a Markdown pull-request comment section.
pub fn render_markdown(d: &Diff) -> String {
    use crate::escape::{code_span, markdown};
    let mut out = format!(
        "## Palisade diff\n\n**{} new**, {} fixed, {} unchanged\n\n",
        d.new.len(),
        d.fixed.len(),
        d.unchanged.len()
    );
    for (title, items) in [("New", &d.new), ("Fixed", &d.fixed)] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "### {title}\n\n| severity | rule | object | location | message |\n|---|---|---|---|---|"
        );
        for r in items.iter() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                markdown(&r.severity),
                code_span(&r.rule),
                markdown(&r.object_label()),
                code_span(&format!("{}:{}", r.location.file, r.location.line)),
                markdown(&r.message)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(rule: &str, line: u32, name: &str) -> Recorded {
        Recorded {
            rule: rule.into(),
            name: String::new(),
            severity: "high".into(),
            message: "m".into(),
            remediation: String::new(),
            object: RecordedObject {
                api_version: "v1".into(),
                kind: "Pod".into(),
                namespace: None,
                name: Some(name.into()),
            },
            location: RecordedLocation {
                file: "a.yaml".into(),
                document: 1,
                line,
                column: 1,
                pointer: "/spec".into(),
            },
        }
    }

    #[test]
    fn diff_matches_by_fingerprint_with_multiplicity() {
        let old = vec![rec("K8S-001", 3, "a"), rec("K8S-002", 4, "a"), rec("K8S-002", 4, "a")];
        let new = vec![rec("K8S-001", 30, "a"), rec("K8S-002", 4, "a"), rec("K8S-003", 5, "a")];
        let d = diff(&old, &new);
        assert_eq!(d.new.len(), 1);
        assert_eq!(d.new[0].rule, "K8S-003");
        assert_eq!(d.unchanged.len(), 2);
        assert_eq!(d.fixed.len(), 1);
        assert_eq!(d.fixed[0].rule, "K8S-002");
        assert!(render_text(&d, false).ends_with("1 new, 1 fixed, 2 unchanged\n"));
        let j: serde_json::Value = serde_json::from_str(&render_json(&d)).unwrap();
        assert_eq!(j["summary"]["fixed"], 1);
        assert_eq!(j["new"][0]["fingerprint"].as_str().unwrap().len(), 32);
    }

    #[test]
    fn parse_rejects_other_json() {
        assert!(parse("{}").is_err());
        assert!(parse("not json").is_err());
        assert_eq!(parse(r#"{"findings": []}"#).unwrap().len(), 0);
    }
}
