//! SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run with the tool's rules (descriptions and help
//! from the rule docs, `security-severity` and tags), results with exact regions relative to the repository root
//! (`%SRCROOT%`), stable `partialFingerprints`, logical locations naming the Kubernetes object, and fixes where a
//! rule has a safe one. Tool errors are invocation notifications, never results.

use crate::escape::uri_path;
use crate::json::write_str;
use crate::{fingerprint, fixes, redact, Artifact, Report};
use palisade_core::{Finding, RuleMeta, Severity};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

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

fn number(w: &mut impl std::io::Write, n: impl itoa::Integer) -> std::io::Result<()> {
    w.write_all(itoa::Buffer::new().format(n).as_bytes())
}

/// Writes one result on one line: the object serde_json would write for it (keys in byte order, compact),
/// written directly instead of built as a tree of values and then serialised (which was most of the time of a
/// large log). `artifact` is the result's `artifactLocation`, already serialised (`None` when the file label is
/// not a file). The test
/// `sarif_is_valid_for_every_example_and_fixture` holds every result line to what serde_json writes for its value.
fn write_result(
    w: &mut impl std::io::Write,
    report: &Report,
    f: &Finding,
    rule_index: Option<usize>,
    controls: Option<Vec<&str>>,
    artifact: Option<&[u8]>,
) -> std::io::Result<()> {
    let loc = &f.location;
    let source_line = report.sources.line(&loc.file, loc.line);
    w.write_all(b"{")?;
    if report.baseline.is_some() {
        w.write_all(b"\"baselineState\":\"new\",")?;
    }
    if let (Some(edit), Some(artifact)) = (source_line.as_deref().and_then(|l| fixes::edit_for(f, l)), artifact) {
        w.write_all(b"\"fixes\":[{\"artifactChanges\":[{\"artifactLocation\":")?;
        w.write_all(artifact)?;
        w.write_all(b",\"replacements\":[{\"deletedRegion\":{\"endColumn\":")?;
        number(w, edit.end_column)?;
        w.write_all(b",\"endLine\":")?;
        number(w, edit.line)?;
        w.write_all(b",\"startColumn\":")?;
        number(w, edit.start_column)?;
        w.write_all(b",\"startLine\":")?;
        number(w, edit.line)?;
        w.write_all(b"},\"insertedContent\":{\"text\":")?;
        write_str(w, &edit.text)?;
        w.write_all(b"}}]}],\"description\":{\"text\":")?;
        write_str(w, &edit.description)?;
        w.write_all(b"}}],")?;
    }
    w.write_all(b"\"level\":")?;
    write_str(w, level(f.severity))?;
    // The logical location names the object.
    let o = &f.object;
    let name = o.name.as_deref().unwrap_or("<unnamed>");
    w.write_all(b",\"locations\":[{\"logicalLocations\":[{\"fullyQualifiedName\":")?;
    let mut fqn = String::with_capacity(o.kind.len() + name.len() + 2 + o.namespace.as_ref().map_or(0, String::len));
    fqn.push_str(&o.kind);
    if let Some(ns) = &o.namespace {
        fqn.push('/');
        fqn.push_str(ns);
    }
    fqn.push('/');
    fqn.push_str(name);
    write_str(w, &fqn)?;
    w.write_all(b",\"kind\":\"resource\",\"name\":")?;
    write_str(w, name)?;
    w.write_all(b",\"properties\":{\"apiVersion\":")?;
    write_str(w, &o.api_version)?;
    w.write_all(b",\"kind\":")?;
    write_str(w, &o.kind)?;
    w.write_all(b",\"namespace\":")?;
    match &o.namespace {
        Some(ns) => write_str(w, ns)?,
        None => w.write_all(b"null")?,
    }
    w.write_all(b"}}]")?;
    if let Some(artifact) = artifact.filter(|_| loc.line > 0) {
        w.write_all(b",\"physicalLocation\":{\"artifactLocation\":")?;
        w.write_all(artifact)?;
        w.write_all(b",\"region\":{")?;
        if let (Some(line), true) = (&source_line, loc.column > 0) {
            w.write_all(b"\"endColumn\":")?;
            number(w, crate::end_column(line, loc.column))?;
            w.write_all(b",\"endLine\":")?;
            number(w, loc.line)?;
            w.write_all(b",")?;
        }
        if let Some(line) = &source_line {
            w.write_all(b"\"snippet\":{\"text\":")?;
            write_str(w, &redact::line_for(f, line))?;
            w.write_all(b"},")?;
        }
        if loc.column > 0 {
            w.write_all(b"\"startColumn\":")?;
            number(w, loc.column)?;
            w.write_all(b",")?;
        }
        w.write_all(b"\"startLine\":")?;
        number(w, loc.line)?;
        w.write_all(b"}}")?;
    }
    w.write_all(b"}],\"message\":{\"text\":")?;
    write_str(w, &format!("{} ({}). Fix: {}", f.message, f.object, f.remediation))?;
    w.write_all(b"},\"partialFingerprints\":{")?;
    write_str(w, fingerprint::SARIF_KEY)?;
    w.write_all(b":\"")?;
    w.write_all(fingerprint::hex_of(f).as_str().as_bytes())?;
    w.write_all(b"\"},\"properties\":{\"column\":")?;
    number(w, loc.column)?;
    if let Some(controls) = controls {
        w.write_all(b",\"controls\":[")?;
        for (i, c) in controls.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            write_str(w, c)?;
        }
        w.write_all(b"]")?;
    }
    w.write_all(b",\"document\":")?;
    number(w, loc.document)?;
    w.write_all(b",\"file\":")?;
    write_str(w, &loc.file)?;
    w.write_all(b",\"line\":")?;
    number(w, loc.line)?;
    w.write_all(b",\"pointer\":")?;
    write_str(w, &loc.pointer)?;
    w.write_all(b",\"severity\":")?;
    write_str(w, f.severity.as_str())?;
    w.write_all(b"},\"ruleId\":")?;
    write_str(w, f.rule)?;
    if let Some(i) = rule_index {
        w.write_all(b",\"ruleIndex\":")?;
        number(w, i)?;
    }
    w.write_all(b"}")
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
    // Rule IDs are looked up in sets and maps: a search of the ~180 rules per finding was most of the time of a
    // large log.
    let mut metas: Vec<&RuleMeta> = report.enabled_rules();
    let mut listed: HashSet<&str> = metas.iter().map(|m| m.id).collect();
    for f in &result_data.findings {
        if listed.insert(f.rule) {
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
    // The index of each rule in `rules`.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, m) in metas.iter().enumerate() {
        ids.entry(m.id).or_insert(i);
    }
    for f in &result_data.findings {
        if let std::collections::hash_map::Entry::Vacant(e) = ids.entry(f.rule) {
            e.insert(rules.len());
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
    // The artifact location of the file of the last result (results come sorted by file).
    let mut artifact: Option<(&str, Option<Vec<u8>>)> = None;
    for (i, f) in result_data.findings.iter().enumerate() {
        let index = ids.get(f.rule).copied();
        let file: &str = &f.location.file;
        if artifact.as_ref().is_none_or(|(known, _)| *known != file) {
            let serialised = artifact_location(report, file).and_then(|a| serde_json::to_vec(&a).ok());
            artifact = Some((file, serialised));
        }
        write!(w, "{}\n        ", if i == 0 { "" } else { "," })?;
        let serialised = artifact.as_ref().and_then(|(_, a)| a.as_deref());
        write_result(
            &mut w,
            report,
            f,
            index,
            compliance.as_ref().map(|c| c.controls_of(i)),
            serialised,
        )?;
    }
    write!(w, "\n      ]\n    }}\n  ]\n}}\n")?;
    w.flush()
}
