//! Markdown for a pull-request comment: totals by severity, the new findings first (most severe first), each with
//! rule, object, `file:line` and remediation; everything beyond the first N folded into `<details>`. With a
//! framework, a control table; with a baseline, new / unchanged / fixed counts and the unchanged and fixed
//! findings folded away.

use crate::escape::{code_span, markdown};
use crate::frameworks::Status;
use crate::Report;
use palisade_core::{Finding, Severity};
use std::fmt::Write;

/// A hidden marker at the top of the comment, so CI bots can find and update their previous comment.
pub const MARKER: &str = "<!-- palisade-report -->";

/// Options of the Markdown renderer.
#[derive(Clone, Copy, Debug)]
pub struct MarkdownOptions {
    /// Findings shown before the rest is folded into `<details>`.
    pub limit: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self { limit: 20 }
    }
}

fn item(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "- **{}** {} {} · {} · {}  \n  {} **Fix:** {}",
        f.severity,
        code_span(f.rule),
        markdown(f.name),
        markdown(&f.object.to_string()),
        code_span(&format!("{}:{}", f.location.file, f.location.line)),
        markdown(&f.message),
        markdown(f.remediation)
    );
}

fn list(out: &mut String, findings: &[&Finding], limit: usize, what: &str) {
    let (shown, rest) = findings.split_at(limit.min(findings.len()));
    for f in shown {
        item(out, f);
    }
    if !rest.is_empty() {
        let _ = writeln!(out, "\n<details><summary>{} more {what}</summary>\n", rest.len());
        for f in rest {
            item(out, f);
        }
        out.push_str("\n</details>\n");
    }
}

fn by_severity<'a>(fs: impl IntoIterator<Item = &'a Finding>) -> Vec<&'a Finding> {
    let mut v: Vec<&Finding> = fs.into_iter().collect();
    // Stable: within a severity, the report's order (file, line).
    v.sort_by_key(|f| std::cmp::Reverse(f.severity));
    v
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Renders the report as a Markdown pull-request comment.
pub fn render(report: &Report, opts: MarkdownOptions) -> String {
    let r = report.result;
    let s = &r.summary;
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}\n## Palisade security report\n");
    let new_word = if report.baseline.is_some() { "new " } else { "" };
    let _ = writeln!(
        out,
        "**{}** in {}, {}.\n",
        plural(
            s.findings,
            &format!("{new_word}finding"),
            &format!("{new_word}findings")
        ),
        plural(s.files, "file", "files"),
        plural(s.objects, "object", "objects")
    );
    match report.baseline {
        Some(b) => {
            out.push_str("| severity | new | unchanged |\n|---|---:|---:|\n");
            for sev in Severity::ALL_DESC {
                let new = r.findings.iter().filter(|f| f.severity == sev).count();
                let old = b.unchanged.iter().filter(|f| f.severity == sev).count();
                let _ = writeln!(out, "| {sev} | {new} | {old} |");
            }
            let _ = writeln!(
                out,
                "\nCompared with {}: {} new, {} unchanged, {} fixed.\n",
                code_span(&b.source),
                r.findings.len(),
                b.unchanged.len(),
                b.fixed.len()
            );
        }
        None => {
            out.push_str("| severity | findings |\n|---|---:|\n");
            for sev in Severity::ALL_DESC {
                let n = s.by_severity.get(&sev).copied().unwrap_or(0);
                let _ = writeln!(out, "| {sev} | {n} |");
            }
            out.push('\n');
        }
    }
    if let Some(ev) = report.compliance() {
        let _ = writeln!(
            out,
            "### {}\n\n{} passed, {} failed, {} not evaluated.\n\n| control | title | status | findings |\n|---|---|---|---:|",
            markdown(ev.title),
            ev.count(Status::Passed),
            ev.count(Status::Failed),
            ev.count(Status::NotEvaluated)
        );
        for c in &ev.controls {
            let status = match c.status {
                Status::Failed => "**failed**",
                Status::Passed => "passed",
                Status::NotEvaluated => "not evaluated",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {status} | {} |",
                code_span(&c.control.id),
                markdown(&c.control.title),
                c.findings.len()
            );
        }
        out.push('\n');
        let mut shown = 0usize;
        for c in ev.controls.iter().filter(|c| c.status == Status::Failed) {
            let _ = writeln!(out, "#### {} {}\n", markdown(&c.control.id), markdown(&c.control.title));
            let fs = by_severity(c.findings.iter().filter_map(|i| r.findings.get(*i)));
            list(&mut out, &fs, opts.limit.saturating_sub(shown), "findings");
            shown += fs.len().min(opts.limit.saturating_sub(shown));
            out.push('\n');
        }
    } else if !r.findings.is_empty() {
        let title = if report.baseline.is_some() {
            "New findings"
        } else {
            "Findings"
        };
        let _ = writeln!(out, "### {title}\n");
        list(&mut out, &by_severity(&r.findings), opts.limit, "findings");
        out.push('\n');
    }
    if let Some(b) = report.baseline {
        if !b.unchanged.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{} unchanged (in the baseline)</summary>\n",
                plural(b.unchanged.len(), "finding", "findings")
            );
            for f in by_severity(&b.unchanged) {
                item(&mut out, f);
            }
            out.push_str("\n</details>\n\n");
        }
        if !b.fixed.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{} fixed since the baseline</summary>\n",
                plural(b.fixed.len(), "finding", "findings")
            );
            for f in &b.fixed {
                let _ = writeln!(
                    out,
                    "- {} {} · {} · {}",
                    markdown(&f.severity),
                    code_span(&f.rule),
                    markdown(&f.object_label()),
                    code_span(&format!("{}:{}", f.location.file, f.location.line))
                );
            }
            out.push_str("\n</details>\n\n");
        }
    }
    if !r.suppressed.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} suppressed</summary>\n",
            plural(r.suppressed.len(), "finding", "findings")
        );
        for sup in &r.suppressed {
            let f = &sup.finding;
            let _ = writeln!(
                out,
                "- {} · {} · {} by {}: {}",
                code_span(f.rule),
                markdown(&f.object.to_string()),
                code_span(&format!("{}:{}", f.location.file, f.location.line)),
                crate::junit::suppression_kind(sup.suppression.kind),
                markdown(&sup.suppression.reason)
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !r.errors.is_empty() {
        let _ = writeln!(out, "### Errors\n");
        for e in &r.errors {
            let at = if e.line > 0 {
                format!("{}:{}", e.file, e.line)
            } else {
                e.file.clone()
            };
            let _ = writeln!(out, "- {} {}", code_span(&at), markdown(&e.message));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "<sub>palisade {}</sub>", markdown(report.tool_version));
    out
}
