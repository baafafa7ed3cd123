//! The JSON report. Its shape is documented in docs/json-output.md and kept stable: fields are only added.

use palisade_core::suppress::Suppressed;
use palisade_core::{Finding, NotEvaluated, ScanResult, Summary, ToolError};
use serde::Serialize;

/// Version of the JSON report format.
pub const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    format_version: &'a str,
    tool: Tool<'a>,
    findings: &'a [Finding],
    errors: &'a [ToolError],
    not_evaluated: &'a [NotEvaluated],
    suppressed: &'a [Suppressed],
    warnings: &'a [String],
    summary: &'a Summary,
}

/// Renders the result as pretty-printed JSON followed by a newline.
pub fn render(result: &ScanResult, tool_version: &str) -> String {
    let report = Report {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "palisade",
            version: tool_version,
        },
        findings: &result.findings,
        errors: &result.errors,
        not_evaluated: &result.not_evaluated,
        suppressed: &result.suppressed,
        warnings: &result.warnings,
        summary: &result.summary,
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
