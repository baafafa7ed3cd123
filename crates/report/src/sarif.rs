//! SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run with the tool's rules (descriptions and help
//! from the rule docs, `security-severity` and tags), results with exact regions relative to the repository root
//! (`%SRCROOT%`), stable `partialFingerprints`, logical locations naming the Kubernetes object, and fixes where a
//! rule has a safe one. Tool errors are invocation notifications, never results.

use crate::escape::uri_path;
use crate::{fingerprint, fixes, redact, Artifact, Report};
use palisade_core::{Finding, RuleMeta, Severity};
use serde_json::{json, Map, Value};

/// The SARIF schema URI written to `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `uriBaseId` of repository-relative locations (GitHub code scanning's convention).
pub const SRCROOT: &str = "%SRCROOT%";

/// The tool's information URI.
pub const INFORMATION_URI: &str = "https://github.com/palisade-sec/palisade";

/// SARIF `level` of a severity: critical and high are errors, medium warnings, low and info notes.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (0.0-10.0, as a decimal string): critical 9.5, high 8.0, medium 5.5,
/// low 3.0, info 1.0. GitHub maps >= 9.0 to critical, >= 7.0 high, >= 4.0 medium, above 0 low.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The text of a docs section (`## What it does`), without its heading.
pub fn docs_section(docs: &str, heading: &str) -> Option<String> {
    let start = docs.find(heading)? + heading.len();
    let rest = docs.get(start..)?;
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest.get(..end)?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// What a file label stands for: resolved by the CLI when it gave a resolver, else guessed from the label (labels
/// in angle brackets, URLs and labels with spaces, such as `az aks show ...`, are not files).
fn artifact(report: &Report, label: &str) -> Artifact {
    if let Some(resolve) = report.repo_path {
        return resolve(label);
    }
    if label.is_empty() || label.starts_with('<') || label.contains("://") || label.contains(' ') {
        return Artifact::NotAFile;
    }
    let norm = fingerprint::normalise_file(label);
    if norm.starts_with('/') {
        Artifact::Absolute(norm)
    } else {
        Artifact::Repo(norm)
    }
}

/// The SARIF `artifactLocation` of a label, `None` when it is not a file.
fn artifact_location(report: &Report, label: &str) -> Option<Value> {
    match artifact(report, label) {
        Artifact::Repo(rel) => Some(json!({ "uri": uri_path(&rel), "uriBaseId": SRCROOT })),
        Artifact::Absolute(abs) => {
            let abs = if abs.starts_with('/') { abs } else { format!("/{abs}") };
            Some(json!({ "uri": format!("file://{}", uri_path(&abs)) }))
        }
        Artifact::NotAFile => None,
    }
}

fn rule_descriptor(report: &Report, m: &RuleMeta, controls: &[String]) -> Value {
    let full = docs_section(m.docs, "## What it does").unwrap_or_else(|| m.summary.to_string());
    let mut tags: Vec<String> = vec!["security".into(), "kubernetes".into(), m.family.to_string()];
    tags.extend(m.profiles.iter().map(|p| p.to_string()));
    if let Some(fw) = report.framework {
        tags.extend(controls.iter().map(|c| format!("{}/{c}", fw.id)));
    }
    tags.dedup();
    let markdown = format!(
        "**{}**\n\n{}\n\n## Remediation\n\n{}\n",
        m.summary,
        m.docs.trim(),
        m.remediation
    );
    let text = format!("{}\n\n{}\n\nRemediation: {}\n", m.summary, m.docs.trim(), m.remediation);
    let mut d = json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": full },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": {
            "security-severity": security_severity(m.severity),
            "precision": "very-high",
            "problem.severity": level(m.severity),
            "tags": tags,
            "severity": m.severity.as_str(),
            "family": m.family,
            "references": m.references,
            "fix": fixes::has_fix(m.id),
        },
    });
    if let (Some(url), Some(o)) = (report.rule_url(m.id), d.as_object_mut()) {
        o.insert("helpUri".into(), url.into());
    }
    if let (Some(fw), Some(o)) = (report.framework, d.as_object_mut()) {
        if !controls.is_empty() {
            let rels: Vec<Value> = controls
                .iter()
                .map(|c| {
                    json!({
                        "target": { "id": c, "toolComponent": { "name": fw.id } },
                        "kinds": ["relevant"],
                    })
                })
                .collect();
            o.insert("relationships".into(), rels.into());
        }
    }
    d
}

/// A descriptor for a rule that is not in the catalogue (e.g. a custom policy): what its findings say.
fn minimal_descriptor(f: &Finding) -> Value {
    json!({
        "id": f.rule,
        "name": f.name,
        "shortDescription": { "text": f.name },
        "help": { "text": f.remediation, "markdown": f.remediation },
        "defaultConfiguration": { "level": level(f.severity) },
        "properties": {
            "security-severity": security_severity(f.severity),
            "tags": ["security", "kubernetes"],
        },
    })
}

fn logical_location(f: &Finding) -> Value {
    let o = &f.object;
    let name = o.name.clone().unwrap_or_else(|| "<unnamed>".to_string());
    let mut fqn = o.kind.clone();
    if let Some(ns) = &o.namespace {
        fqn.push('/');
        fqn.push_str(ns);
    }
    fqn.push('/');
    fqn.push_str(&name);
    json!({
        "name": name,
        "fullyQualifiedName": fqn,
        "kind": "resource",
        "properties": { "apiVersion": o.api_version, "kind": o.kind, "namespace": o.namespace },
    })
}

fn result(report: &Report, f: &Finding, rule_index: Option<usize>, controls: Option<Vec<&str>>) -> Value {
    let loc = &f.location;
    let source_line = report.sources.line(&loc.file, loc.line);
    let mut location = Map::new();
    let artifact_loc = artifact_location(report, &loc.file);
    if let Some(artifact_loc) = artifact_loc.clone().filter(|_| loc.line > 0) {
        let mut region = Map::new();
        region.insert("startLine".into(), loc.line.into());
        if loc.column > 0 {
            region.insert("startColumn".into(), loc.column.into());
            if let Some(line) = &source_line {
                region.insert("endLine".into(), loc.line.into());
                region.insert("endColumn".into(), crate::end_column(line, loc.column).into());
            }
        }
        if let Some(line) = &source_line {
            region.insert("snippet".into(), json!({ "text": redact::line_for(f, line) }));
        }
        location.insert(
            "physicalLocation".into(),
            json!({ "artifactLocation": artifact_loc, "region": region }),
        );
    }
    location.insert("logicalLocations".into(), json!([logical_location(f)]));
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": format!("{} ({}). Fix: {}", f.message, f.object, f.remediation) },
        "locations": [location],
        "partialFingerprints": { fingerprint::SARIF_KEY: fingerprint::of(f) },
        "properties": {
            "severity": f.severity.as_str(),
            "file": loc.file,
            "document": loc.document,
            "line": loc.line,
            "column": loc.column,
            "pointer": loc.pointer,
        },
    });
    let Some(o) = r.as_object_mut() else {
        return r;
    };
    if let Some(i) = rule_index {
        o.insert("ruleIndex".into(), i.into());
    }
    if report.baseline.is_some() {
        o.insert("baselineState".into(), "new".into());
    }
    if let (Some(c), Some(p)) = (controls, o.get_mut("properties").and_then(Value::as_object_mut)) {
        p.insert("controls".into(), c.into());
    }
    if let Some(edit) = source_line.as_deref().and_then(|l| fixes::edit_for(f, l)) {
        if let Some(artifact_loc) = artifact_loc {
            o.insert(
                "fixes".into(),
                json!([{
                    "description": { "text": edit.description },
                    "artifactChanges": [{
                        "artifactLocation": artifact_loc,
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": edit.line,
                                "startColumn": edit.start_column,
                                "endLine": edit.line,
                                "endColumn": edit.end_column,
                            },
                            "insertedContent": { "text": edit.text },
                        }],
                    }],
                }]),
            );
        }
    }
    r
}

/// Renders the report as a SARIF 2.1.0 log (newline-terminated). See [`write`].
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as a SARIF 2.1.0 log. Streamed: each result is built, written and dropped in turn, so a
/// scan with hundreds of thousands of findings does not hold its whole log in memory (the envelope and the rule
/// descriptors are pretty-printed; each result is one line).
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let result_data = report.result;
    let compliance = report.compliance();
    // rules[]: every rule that ran, plus rules of findings outside the catalogue.
    let mut metas: Vec<&RuleMeta> = report.enabled_rules();
    for f in &result_data.findings {
        if !metas.iter().any(|m| m.id == f.rule) {
            if let Some(m) = report.rule(f.rule) {
                metas.push(m);
            }
        }
    }
    metas.sort_by_key(|m| m.id);
    let mut rules: Vec<Value> = metas
        .iter()
        .map(|m| {
            let controls = report
                .framework
                .map(|fw| crate::frameworks::rule_controls(fw, m, report.rules))
                .unwrap_or_default();
            rule_descriptor(report, m, &controls)
        })
        .collect();
    let mut ids: Vec<String> = metas.iter().map(|m| m.id.to_string()).collect();
    for f in &result_data.findings {
        if !ids.iter().any(|id| id == f.rule) {
            ids.push(f.rule.to_string());
            rules.push(minimal_descriptor(f));
        }
    }
    let notifications: Vec<Value> = result_data
        .errors
        .iter()
        .map(|e| {
            let mut n = json!({
                "level": "error",
                "message": { "text": e.message },
                "descriptor": { "id": e.kind },
            });
            if let Some(o) = n.as_object_mut() {
                let mut region = Map::new();
                if e.line > 0 {
                    region.insert("startLine".into(), e.line.into());
                    if e.column > 0 {
                        region.insert("startColumn".into(), e.column.into());
                    }
                }
                let artifact_loc =
                    artifact_location(report, &e.file).unwrap_or_else(|| json!({ "description": { "text": e.file } }));
                let mut phys = Map::new();
                phys.insert("artifactLocation".into(), artifact_loc);
                if !region.is_empty() {
                    phys.insert("region".into(), region.into());
                }
                o.insert("locations".into(), json!([{ "physicalLocation": phys }]));
            }
            n
        })
        .collect();
    let warnings: Vec<Value> = result_data
        .warnings
        .iter()
        .map(|w| json!({ "level": "warning", "message": { "text": w } }))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "palisade",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [{
            "executionSuccessful": result_data.errors.is_empty(),
            "toolExecutionNotifications": notifications.into_iter().chain(warnings).collect::<Vec<_>>(),
        }],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "summary": result_data.summary,
            "suppressed": result_data.suppressed.len(),
            "notEvaluated": result_data.not_evaluated.len(),
        },
    });
    if let (Some(c), Some(o)) = (compliance.as_ref(), run.as_object_mut()) {
        let taxa: Vec<Value> = c
            .controls
            .iter()
            .map(|cr| {
                json!({
                    "id": cr.control.id,
                    "name": cr.control.title,
                    "properties": { "status": cr.status.as_str(), "rules": cr.control.rules },
                })
            })
            .collect();
        o.insert(
            "taxonomies".into(),
            json!([{ "name": c.id, "fullName": c.title, "taxa": taxa }]),
        );
    }
    if let (Some(b), Some(p)) = (
        report.baseline,
        run.get_mut("properties").and_then(Value::as_object_mut),
    ) {
        p.insert(
            "baseline".into(),
            json!({ "source": b.source, "unchanged": b.unchanged.len(), "fixed": b.fixed.len() }),
        );
    }
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    write!(w, "{{\n  \"$schema\": ")?;
    serde_json::to_writer(&mut w, SCHEMA)?;
    write!(w, ",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{")?;
    if let Some(run) = run.as_object() {
        for (k, v) in run {
            write!(w, "\n      ")?;
            serde_json::to_writer(&mut w, k)?;
            // Pretty-printed and indented to its place (JSON strings hold no raw newlines).
            let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
            write!(w, ": {},", pretty.replace('\n', "\n      "))?;
        }
    }
    write!(w, "\n      \"results\": [")?;
    for (i, f) in result_data.findings.iter().enumerate() {
        let index = ids.iter().position(|id| id == f.rule);
        let r = result(report, f, index, compliance.as_ref().map(|c| c.controls_of(i)));
        write!(w, "{}\n        ", if i == 0 { "" } else { "," })?;
        serde_json::to_writer(&mut w, &r)?;
    }
    write!(w, "\n      ]\n    }}\n  ]\n}}\n")?;
    w.flush()
}
