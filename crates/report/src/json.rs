//! The JSON report. Its shape is documented in docs/json-output.md and kept stable: fields are only added.
//!
//! Added by the report formats work (docs/reports.md): `findings[].fingerprint` and `suppressed[].fingerprint`
//! (the identity baselines and SARIF use); with `--framework`, `findings[].controls` and a `compliance` object;
//! with `--baseline`, a `baseline` object (its source, unchanged and fixed counts and fixed findings).

use crate::baseline::Recorded;
use crate::{fingerprint, Report};
use palisade_core::suppress::Suppressed;
use palisade_core::{Finding, NotEvaluated, ScanResult, Summary, ToolError};
use serde::Serialize;
use std::io::Write as _;

/// Version of the JSON report format.
pub const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    controls: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct SuppressedOut<'a> {
    #[serde(flatten)]
    suppressed: &'a Suppressed,
    fingerprint: String,
}

#[derive(Serialize)]
struct BaselineOut<'a> {
    source: &'a str,
    new: usize,
    unchanged: usize,
    fixed: usize,
    fixed_findings: &'a [Recorded],
}

#[derive(Serialize)]
struct ReportOut<'a> {
    format_version: &'a str,
    tool: Tool<'a>,
    findings: Vec<FindingOut<'a>>,
    errors: &'a [ToolError],
    not_evaluated: &'a [NotEvaluated],
    suppressed: Vec<SuppressedOut<'a>>,
    warnings: &'a [String],
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    compliance: Option<&'a crate::frameworks::Evaluation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
}

/// Renders the result as pretty-printed JSON followed by a newline.
pub fn render(result: &ScanResult, tool_version: &str) -> String {
    render_report(&Report::new(result, tool_version))
}

/// Renders a report as pretty-printed JSON followed by a newline.
pub fn render_report(report: &Report) -> String {
    let mut buf = Vec::new();
    match write_report(report, &mut buf) {
        Ok(()) => String::from_utf8(buf).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

/// Writes a report as pretty-printed JSON followed by a newline, streaming (a scan with a million findings does
/// not build the whole text in memory).
pub fn write_report(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let result = report.result;
    let compliance = report.compliance();
    use rayon::prelude::*;
    let findings = result
        .findings
        .par_iter()
        .enumerate()
        .map(|(i, f)| FindingOut {
            finding: f,
            fingerprint: fingerprint::of(f),
            controls: compliance.as_ref().map(|c| c.controls_of(i)),
        })
        .collect();
    let out = ReportOut {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "palisade",
            version: report.tool_version,
        },
        findings,
        errors: &result.errors,
        not_evaluated: &result.not_evaluated,
        suppressed: result
            .suppressed
            .iter()
            .map(|s| SuppressedOut {
                suppressed: s,
                fingerprint: fingerprint::of(&s.finding),
            })
            .collect(),
        warnings: &result.warnings,
        summary: &result.summary,
        compliance: compliance.as_ref(),
        baseline: report.baseline.map(|b| BaselineOut {
            source: &b.source,
            new: result.findings.len(),
            unchanged: b.unchanged.len(),
            fixed: b.fixed.len(),
            fixed_findings: &b.fixed,
        }),
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, &out).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}
