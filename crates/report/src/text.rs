//! The terminal report: findings grouped by file, each with the offending source line and a marker under it,
//! then errors and a summary. Colour is decided by the caller (on a terminal and without NO_COLOR).

use crate::frameworks::Status;
use crate::{redact, Report, SourceLines};
use palisade_core::{Finding, ScanResult, Severity};
use std::fmt::Write;

/// Options for the text renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, s.as_str())
    }
}

/// Renders the result for a terminal.
pub fn render(result: &ScanResult, sources: &dyn SourceLines, opts: TextOptions) -> String {
    let mut report = Report::new(result, "");
    report.sources = sources;
    render_report(&report, opts)
}

/// Renders a report for a terminal: findings grouped by file, or by control when a framework is selected.
pub fn render_report(report: &Report, opts: TextOptions) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_report(report, opts, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// The text being written: held in a buffer that goes to the writer whenever it grows past [`Out::SPILL`], so a
/// report of many findings is never held whole in memory (growing one string to tens of megabytes cost more than
/// rendering it).
struct Out<'w> {
    buf: String,
    /// Whether part of the text has gone to the writer already.
    spilled: bool,
    w: &'w mut dyn std::io::Write,
}

impl Out<'_> {
    const SPILL: usize = 1 << 16;

    /// Whether nothing was written yet.
    fn is_empty(&self) -> bool {
        !self.spilled && self.buf.is_empty()
    }

    fn push(&mut self, c: char) {
        self.buf.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    /// Sends the buffer on when it is large.
    fn spill(&mut self) -> std::io::Result<()> {
        if self.buf.len() >= Self::SPILL {
            self.w.write_all(self.buf.as_bytes())?;
            self.buf.clear();
            self.spilled = true;
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<()> {
        self.w.write_all(self.buf.as_bytes())?;
        self.w.flush()
    }
}

impl std::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.buf.push_str(s);
        Ok(())
    }
}

/// Writes the report for a terminal (what [`render_report`] returns), streamed.
pub fn write_report(report: &Report, opts: TextOptions, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let result = report.result;
    let sources = report.sources;
    let st = Style { on: opts.color };
    let mut out = Out {
        buf: String::with_capacity(Out::SPILL + 4096),
        spilled: false,
        w,
    };
    match report.compliance() {
        Some(ev) => {
            for c in ev.controls.iter().filter(|c| c.status == Status::Failed) {
                if !out.is_empty() {
                    out.push('\n');
                }
                let _ = writeln!(
                    out,
                    "{} {}",
                    st.paint("1;4", &format!("{} {}", c.control.id, c.control.title)),
                    st.paint("1;31", &format!("failed ({})", c.findings.len()))
                );
                for f in c.findings.iter().filter_map(|i| result.findings.get(*i)) {
                    render_finding(&mut out.buf, f, sources, &st);
                    out.spill()?;
                }
            }
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{}: {} passed, {} failed, {} not evaluated",
                st.paint("1", ev.title),
                ev.count(Status::Passed),
                ev.count(Status::Failed),
                ev.count(Status::NotEvaluated)
            );
            let width = ev
                .controls
                .iter()
                .map(|c| c.control.id.chars().count())
                .max()
                .unwrap_or(0);
            for c in &ev.controls {
                let status = match c.status {
                    Status::Passed => st.paint("32", "passed"),
                    Status::Failed => st.paint("1;31", "failed"),
                    Status::NotEvaluated => st.paint("2", "not evaluated"),
                };
                let why = c.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                let pad = " ".repeat(13usize.saturating_sub(c.status.label().len()));
                let _ = writeln!(
                    out,
                    "  {:<width$}  {status}{pad} {}{why}",
                    c.control.id, c.control.title
                );
            }
        }
        None => {
            let mut current_file: Option<&str> = None;
            for f in &result.findings {
                if current_file != Some(&*f.location.file) {
                    if current_file.is_some() {
                        out.push('\n');
                    }
                    let _ = writeln!(out, "{}", st.paint("1;4", &f.location.file));
                    current_file = Some(&*f.location.file);
                }
                render_finding(&mut out.buf, f, sources, &st);
                out.spill()?;
            }
        }
    }
    if let Some(b) = report.baseline {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} {}: {} new, {} unchanged (not shown), {} fixed",
            st.paint("1", "Baseline"),
            b.source,
            result.findings.len(),
            b.unchanged.len(),
            b.fixed.len()
        );
    }
    if !result.not_evaluated.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}",
            st.paint("1", "Not evaluated (objects these checks need were not scanned)")
        );
        for n in &result.not_evaluated {
            let _ = writeln!(out, "  {} {}: {}", st.paint("1", n.rule), n.scope, n.reason);
        }
    }
    if !result.suppressed.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", st.paint("1", "Suppressed"));
        for s in &result.suppressed {
            let f = &s.finding;
            let kind = match s.suppression.kind {
                palisade_core::suppress::SuppressionKind::Annotation => "annotation",
                palisade_core::suppress::SuppressionKind::Comment => "comment",
                palisade_core::suppress::SuppressionKind::Config => "config",
            };
            let _ = writeln!(
                out,
                "  {} {} {}:{} by {kind}: {}",
                f.rule, f.object, f.location.file, f.location.line, s.suppression.reason
            );
        }
    }
    if !result.warnings.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for w in &result.warnings {
            let _ = writeln!(out, "{} {w}", st.paint("1;33", "warning:"));
        }
    }
    if !result.errors.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", st.paint("1;31", "Errors"));
        for e in &result.errors {
            let mut at = e.file.clone();
            if e.document > 0 {
                let _ = write!(at, ", document {}", e.document);
            }
            if e.line > 0 {
                let _ = write!(at, ", line {}", e.line);
            }
            let _ = writeln!(out, "  {} {at}: {}", st.paint("1;31", "error:"), e.message);
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&st.summary(result));
    out.push('\n');
    out.finish()
}

fn render_finding(out: &mut String, f: &Finding, sources: &dyn SourceLines, st: &Style) {
    let loc = &f.location;
    let _ = writeln!(
        out,
        "  {} {} {} {}",
        st.paint("1", f.rule),
        st.sev(f.severity),
        st.paint("2", "·"),
        f.object
    );
    let _ = writeln!(out, "    {}", f.message);
    let _ = writeln!(
        out,
        "    {} {}:{}:{}",
        st.paint("34", "-->"),
        loc.file,
        loc.line,
        loc.column
    );
    if let Some(line) = sources.line(&loc.file, loc.line) {
        let (line, col) = redact::line_and_column(f, &line.replace('\t', " "), loc.column);
        let num = loc.line.to_string();
        let pad = " ".repeat(num.len());
        let (line, col) = window(&line, col.max(1) as usize - 1);
        let rest: String = line.chars().skip(col).collect();
        let width = marker_width(&rest);
        let _ = writeln!(out, "    {pad} {}", st.paint("34", "|"));
        let _ = writeln!(out, "    {} {} {line}", st.paint("34", &num), st.paint("34", "|"));
        let _ = writeln!(
            out,
            "    {pad} {} {}{}",
            st.paint("34", "|"),
            " ".repeat(col),
            st.paint("1;31", &"^".repeat(width))
        );
    }
    let _ = writeln!(out, "    {} {}", st.paint("32", "= fix:"), f.remediation);
}

/// Longest source line shown whole; longer ones (one-line JSON manifests) are cut to a window around the column.
const MAX_LINE: usize = 160;

/// The part of `line` shown around 0-based character column `col`, with `…` where it was cut, and the column in
/// it.
fn window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_LINE {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(40);
    let end = (start + MAX_LINE - 40).min(chars.len());
    let mut out = String::new();
    let mut new_col = col - start;
    if start > 0 {
        out.push('…');
        new_col += 1;
    }
    out.extend(chars.get(start..end).unwrap_or(&[]));
    if end < chars.len() {
        out.push('…');
    }
    (out, new_col)
}

/// Width of the marker: the key (up to its colon) or the first token of the line from the column on.
fn marker_width(rest: &str) -> usize {
    let token: String = rest.chars().take_while(|c| *c != ':' && !c.is_whitespace()).collect();
    let n = token.chars().count();
    if n == 0 {
        1
    } else {
        n
    }
}

impl Style {
    /// The closing line: counts by severity, files, documents, objects, errors.
    fn summary(&self, result: &ScanResult) -> String {
        let s = &result.summary;
        let parts: Vec<String> = Severity::ALL_DESC
            .iter()
            .map(|sev| format!("{} {}", s.by_severity.get(sev).copied().unwrap_or(0), self.sev(*sev)))
            .collect();
        let noun = if s.findings == 1 { "finding" } else { "findings" };
        let mut line = format!(
            "{} {noun} ({}) in {} file{}, {} document{}, {} object{}",
            self.paint("1", &s.findings.to_string()),
            parts.join(", "),
            s.files,
            plural(s.files),
            s.documents,
            plural(s.documents),
            s.objects,
            plural(s.objects),
        );
        if s.skipped_documents > 0 {
            let _ = write!(
                line,
                "; {} non-Kubernetes document{} skipped",
                s.skipped_documents,
                plural(s.skipped_documents)
            );
        }
        if s.suppressed > 0 {
            let _ = write!(line, "; {} suppressed", s.suppressed);
        }
        if s.not_evaluated > 0 {
            let _ = write!(line, "; {} not evaluated", s.not_evaluated);
        }
        if s.errors > 0 {
            let _ = write!(
                line,
                "; {}",
                self.paint("1;31", &format!("{} error{}", s.errors, plural(s.errors)))
            );
        }
        if s.partial {
            let _ = write!(line, "; {}", self.paint("1;33", "PARTIAL SCAN"));
        }
        line
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The summary line without colour.
pub fn plain_summary(result: &ScanResult) -> String {
    Style { on: false }.summary(result)
}
