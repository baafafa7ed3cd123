//! The JSON report. Its shape is documented in docs/json-output.md and kept stable: fields are only added.
//!
//! Added by the report formats work (docs/reports.md): `findings[].fingerprint` and `suppressed[].fingerprint`
//! (the identity baselines and SARIF use); with `--framework`, `findings[].controls` and a `compliance` object;
//! with `--baseline`, a `baseline` object (its source, unchanged and fixed counts and fixed findings).

use crate::baseline::Recorded;
use crate::{fingerprint, Report};
use palisade_core::suppress::Suppressed;
use palisade_core::{Finding, NotEvaluated, ScanResult, Summary, ToolError};
use serde::ser::{SerializeSeq as _, SerializeStruct};
use serde::{Serialize, Serializer};
use std::io::Write as _;

/// Version of the JSON report format.
pub const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

/// Serialises a finding's own fields, in the order of its `Serialize` derive (as `#[serde(flatten)]` did, without
/// going through serde's slower flattening map). A field added to `Finding` must be added here too; the test
/// `explicit_fields_match_the_flattened_rendering` fails until it is.
fn finding_fields<S: SerializeStruct>(st: &mut S, f: &Finding) -> Result<(), S::Error> {
    st.serialize_field("rule", f.rule)?;
    st.serialize_field("name", f.name)?;
    st.serialize_field("severity", &f.severity)?;
    st.serialize_field("message", &f.message)?;
    st.serialize_field("remediation", f.remediation)?;
    st.serialize_field("object", &*f.object)?;
    st.serialize_field("location", &f.location)
}

/// `findings[]`: each finding's fields, then its `fingerprint` and, with a framework, its `controls`. Written by
/// [`write_findings`] straight from the result's findings; fingerprints are computed as each finding is written.
struct FindingsOut<'a> {
    findings: &'a palisade_core::Findings,
    /// With a framework: the controls of each finding, by finding index.
    controls: Option<Vec<Vec<&'a str>>>,
}

/// The controls of every finding, by finding index, in framework order: what
/// [`Evaluation::controls_of`](crate::frameworks::Evaluation::controls_of) gives for each index, in one pass over
/// the controls instead of one per finding.
fn controls_by_finding(e: &crate::frameworks::Evaluation, findings: usize) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new(); findings];
    // The index of the control last added to each finding, so a control listing a finding twice counts once.
    let mut last: Vec<Option<usize>> = vec![None; findings];
    for (ci, c) in e.controls.iter().enumerate() {
        for &i in &c.findings {
            if let (Some(ids), Some(l)) = (out.get_mut(i), last.get_mut(i)) {
                if *l != Some(ci) {
                    ids.push(c.control.id.as_str());
                    *l = Some(ci);
                }
            }
        }
    }
    out
}

/// `suppressed[]`: each suppressed finding's fields, its `suppression`, then its `fingerprint`.
struct SuppressedOut<'a>(&'a [Suppressed]);

impl Serialize for SuppressedOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for x in self.0 {
            seq.serialize_element(&OneSuppressed(x))?;
        }
        seq.end()
    }
}

struct OneSuppressed<'a>(&'a Suppressed);

impl Serialize for OneSuppressed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("SuppressedOut", 9)?;
        finding_fields(&mut st, &self.0.finding)?;
        st.serialize_field("suppression", &self.0.suppression)?;
        st.serialize_field("fingerprint", &fingerprint::hex_of(&self.0.finding))?;
        st.end()
    }
}

#[derive(Serialize)]
struct BaselineOut<'a> {
    source: &'a str,
    new: usize,
    unchanged: usize,
    fixed: usize,
    fixed_findings: &'a [Recorded],
}

/// The report's members, in the order [`write_top`] writes them.
struct ReportOut<'a> {
    format_version: &'a str,
    tool: Tool<'a>,
    findings: FindingsOut<'a>,
    errors: &'a [ToolError],
    not_evaluated: &'a [NotEvaluated],
    suppressed: SuppressedOut<'a>,
    warnings: &'a [String],
    summary: &'a Summary,
    /// Left out when `None`.
    compliance: Option<&'a crate::frameworks::Evaluation>,
    /// Left out when `None`.
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
    let findings = FindingsOut {
        findings: &result.findings,
        controls: compliance
            .as_ref()
            .map(|c| controls_by_finding(c, result.findings.len())),
    };
    let out = ReportOut {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "palisade",
            version: report.tool_version,
        },
        findings,
        errors: &result.errors,
        not_evaluated: &result.not_evaluated,
        suppressed: SuppressedOut(&result.suppressed),
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
    write_top(&mut w, &out)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The report as `serde_json::to_writer_pretty` would write it, byte for byte, with `findings` written by hand (the
/// bulk of a large report: see [`write_findings`]) and every other member through serde, indented one level.
fn write_top(w: &mut impl std::io::Write, out: &ReportOut) -> std::io::Result<()> {
    w.write_all(b"{\n  \"format_version\": ")?;
    write_str(w, out.format_version)?;
    member(w, "tool", &out.tool)?;
    w.write_all(b",\n  \"findings\": ")?;
    write_findings(w, &out.findings)?;
    member(w, "errors", out.errors)?;
    member(w, "not_evaluated", out.not_evaluated)?;
    member(w, "suppressed", &out.suppressed)?;
    member(w, "warnings", out.warnings)?;
    member(w, "summary", out.summary)?;
    if let Some(compliance) = &out.compliance {
        member(w, "compliance", compliance)?;
    }
    if let Some(baseline) = &out.baseline {
        member(w, "baseline", baseline)?;
    }
    w.write_all(b"\n}")
}

/// `,` and the next member of the top-level object: its name, then its value through serde.
fn member<T: Serialize + ?Sized>(w: &mut impl std::io::Write, name: &str, value: &T) -> std::io::Result<()> {
    w.write_all(b",\n  ")?;
    write_str(w, name)?;
    w.write_all(b": ")?;
    pretty_at_depth_1(w, value)
}

/// Writes `value` pretty-printed as the member of a top-level object: serde_json's pretty output with two more
/// spaces after every line break (JSON text has line breaks only between tokens, never inside strings).
fn pretty_at_depth_1<T: Serialize + ?Sized>(w: &mut impl std::io::Write, value: &T) -> std::io::Result<()> {
    struct Indented<'w, W: std::io::Write>(&'w mut W);
    impl<W: std::io::Write> std::io::Write for Indented<'_, W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut rest = buf;
            while let Some(at) = rest.iter().position(|&b| b == b'\n') {
                let (line, tail) = rest.split_at(at + 1);
                self.0.write_all(line)?;
                self.0.write_all(b"  ")?;
                rest = tail;
            }
            self.0.write_all(rest)?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()
        }
    }
    serde_json::to_writer_pretty(&mut Indented(w), value).map_err(std::io::Error::other)
}

/// Findings rendered per task when a report is rendered in parallel (a multiple of four, the fingerprint lanes).
const CHUNK: usize = 1024;

/// Reports with fewer windows of findings than this are rendered serially: each window wakes the pool's threads
/// and leaves them spinning idle while it is written, which costs more CPU than a small report's rendering saves
/// in wall time (1,000 generated objects, 7,700 findings: scan/parse CPU 1.47 serial, 1.52-1.54 in parallel, the
/// same wall time).
const MIN_WINDOWS: usize = 4;

/// `findings` at depth 1 of the report, as serde_json's pretty printer writes a list of the findings' fields,
/// `fingerprint` and `controls`. Written by hand because it is most of a large report's bytes: strings are escaped
/// by [`write_str`], which copies runs that need no escaping eight bytes at a time. The tests hold it to serde's
/// output (`*_match_the_flattened_rendering`, `strings_are_escaped_as_serde_json_escapes_them`).
///
/// From [`MIN_WINDOWS`] windows of findings on, chunks of [`CHUNK`] findings are rendered on the scan's thread
/// pool, a window of two per thread at a time, and written in order: the bytes are those of a serial rendering
/// (each chunk renders exactly what the serial loop would for its findings; `chunked_rendering_is_the_serial_one`)
/// and the wall time of a large report is divided by the threads. The window's buffers (~1 MB each) are reused
/// from window to window: fresh ones cost a page fault per 4 KB written. Reports smaller than the threshold for
/// one thread are rendered without asking for the thread pool, so rendering one does not start it.
fn write_findings(w: &mut impl std::io::Write, findings: &FindingsOut) -> std::io::Result<()> {
    use rayon::prelude::*;
    let all = findings.findings;
    if all.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    // The threshold for one thread first: below it, the pool's size is not asked for (which would start it).
    let threads = if all.len() < CHUNK * 2 * MIN_WINDOWS {
        1
    } else {
        rayon::current_num_threads().max(1)
    };
    let window = CHUNK * 2 * threads;
    if all.len() < window * MIN_WINDOWS {
        write_chunk(w, findings, 0, all.len())?;
    } else {
        let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); window / CHUNK];
        let mut start = 0;
        while start < all.len() {
            let end = all.len().min(start + window);
            bufs.par_iter_mut().enumerate().try_for_each(|(k, buf)| {
                buf.clear();
                let from = (start + k * CHUNK).min(end);
                write_chunk(buf, findings, from, end.min(from + CHUNK))
            })?;
            for buf in &bufs {
                w.write_all(buf)?;
            }
            start = end;
        }
    }
    w.write_all(b"\n  ]")
}

/// The findings `from..to` (indices into the whole list) as [`write_findings`] writes them, each with the
/// separator before it.
fn write_chunk(w: &mut impl std::io::Write, findings: &FindingsOut, from: usize, to: usize) -> std::io::Result<()> {
    let chunk = findings.findings.iter_from(from).take(to.saturating_sub(from));
    let mut parts = Fragments::default();
    let mut lanes = fingerprint::Lanes::default();
    let mut hexes = lanes.hex_of([]);
    // `ahead` starts where the loop is: every fourth finding, it gives the fingerprints of the next four, and
    // every CHUNK findings, the strings of the next CHUNK are read ahead.
    let mut ahead = chunk.clone();
    for (k, f) in chunk.enumerate() {
        let i = from + k;
        if k % CHUNK == 0 {
            read_ahead(ahead.clone().take(CHUNK));
        }
        if k % 4 == 0 {
            hexes = lanes.hex_of(ahead.clone());
        }
        ahead.next();
        w.write_all(if i == 0 { b"\n    {" } else { b",\n    {" })?;
        w.write_all(parts.head(f))?;
        write_str(w, f.severity.as_str())?;
        w.write_all(b",\n      \"message\": ")?;
        write_str(w, &f.message)?;
        w.write_all(parts.remediation(f.remediation))?;
        w.write_all(parts.object(&f.object))?;
        let l = &f.location;
        w.write_all(parts.file(&l.file))?;
        w.write_all(b",\n        \"document\": ")?;
        w.write_all(itoa::Buffer::new().format(l.document).as_bytes())?;
        w.write_all(b",\n        \"line\": ")?;
        w.write_all(itoa::Buffer::new().format(l.line).as_bytes())?;
        w.write_all(b",\n        \"column\": ")?;
        w.write_all(itoa::Buffer::new().format(l.column).as_bytes())?;
        w.write_all(b",\n        \"pointer\": ")?;
        write_str(w, &l.pointer)?;
        w.write_all(b"\n      },\n      \"fingerprint\": \"")?;
        let hex = hexes.get(k % 4).copied().unwrap_or_else(|| fingerprint::hex_of(f));
        w.write_all(hex.as_str().as_bytes())?;
        w.write_all(b"\"")?;
        if let Some(controls) = &findings.controls {
            w.write_all(b",\n      \"controls\": ")?;
            let ids = controls.get(i).map_or(&[][..], Vec::as_slice);
            if ids.is_empty() {
                w.write_all(b"[]")?;
            } else {
                for (j, id) in ids.iter().enumerate() {
                    w.write_all(if j == 0 { b"[\n        " } else { b",\n        " })?;
                    write_str(w, id)?;
                }
                w.write_all(b"\n      ]")?;
            }
        }
        w.write_all(b"\n    }")?;
    }
    Ok(())
}

/// Reads the first and last byte of the findings' messages and pointers. They were written long before the
/// report and are rarely still cached; these loads do not depend on each other, so their cache misses overlap
/// (many at a time) instead of each stalling the fingerprint of its finding in turn, and the strings of a chunk
/// (~200 KB) are then cached for the fingerprints and the writing. 100,000 objects: median CPU 6.01 -> 5.86 s over
/// 6 alternating runs (reading them four findings at a time gained a third of that; also reading the objects'
/// names did not help).
fn read_ahead<'a>(findings: impl Iterator<Item = &'a Finding>) {
    let mut bytes = 0u8;
    for f in findings {
        let (m, p) = (f.message.as_bytes(), f.location.pointer.as_bytes());
        bytes ^= m.first().copied().unwrap_or(0) ^ p.first().copied().unwrap_or(0);
        bytes ^= m.last().copied().unwrap_or(0) ^ p.last().copied().unwrap_or(0);
    }
    std::hint::black_box(bytes);
}

/// The parts of a finding's JSON that many findings share, rendered once: the rule's ID and name, its
/// remediation, the object (findings of one object are adjacent: the last one is kept) and the file. Keys are
/// the strings' addresses and lengths, which identify them while the findings are borrowed.
#[derive(Default)]
struct Fragments<'a> {
    heads: foldhash::HashMap<[usize; 4], Vec<u8>>,
    remediations: foldhash::HashMap<[usize; 2], Vec<u8>>,
    object: Option<(&'a palisade_core::ObjectRef, Vec<u8>)>,
    file: Option<(&'a str, Vec<u8>)>,
}

fn str_key(s: &str) -> [usize; 2] {
    [s.as_ptr() as usize, s.len()]
}

/// What `render` writes, in a fresh buffer (writing into a `Vec` cannot fail).
fn rendered(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = render(&mut buf);
    buf
}

impl<'a> Fragments<'a> {
    /// From the finding's first member up to the severity's value.
    fn head(&mut self, f: &Finding) -> &[u8] {
        let [a, b] = str_key(f.rule);
        let [c, d] = str_key(f.name);
        self.heads.entry([a, b, c, d]).or_insert_with(|| {
            rendered(|buf| {
                buf.write_all(b"\n      \"rule\": ")?;
                write_str(buf, f.rule)?;
                buf.write_all(b",\n      \"name\": ")?;
                write_str(buf, f.name)?;
                buf.write_all(b",\n      \"severity\": ")
            })
        })
    }

    /// The remediation member, with the comma before it.
    fn remediation(&mut self, remediation: &str) -> &[u8] {
        self.remediations.entry(str_key(remediation)).or_insert_with(|| {
            rendered(|buf| {
                buf.write_all(b",\n      \"remediation\": ")?;
                write_str(buf, remediation)
            })
        })
    }

    /// The object member, up to the location's opening brace.
    fn object(&mut self, o: &'a palisade_core::ObjectRef) -> &[u8] {
        if self.object.as_ref().is_none_or(|(last, _)| !std::ptr::eq(*last, o)) {
            let buf = rendered(|buf| {
                buf.write_all(b",\n      \"object\": {\n        \"apiVersion\": ")?;
                write_str(buf, &o.api_version)?;
                buf.write_all(b",\n        \"kind\": ")?;
                write_str(buf, &o.kind)?;
                buf.write_all(b",\n        \"namespace\": ")?;
                write_opt_str(buf, o.namespace.as_deref())?;
                buf.write_all(b",\n        \"name\": ")?;
                write_opt_str(buf, o.name.as_deref())?;
                buf.write_all(b"\n      },\n      \"location\": {")
            });
            self.object = Some((o, buf));
        }
        self.object.as_ref().map_or(&[], |(_, b)| b.as_slice())
    }

    /// The location's `file` member.
    fn file(&mut self, file: &'a str) -> &[u8] {
        if self
            .file
            .as_ref()
            .is_none_or(|(last, _)| str_key(last) != str_key(file))
        {
            let buf = rendered(|buf| {
                buf.write_all(b"\n        \"file\": ")?;
                write_str(buf, file)
            });
            self.file = Some((file, buf));
        }
        self.file.as_ref().map_or(&[], |(_, b)| b.as_slice())
    }
}

fn write_opt_str(w: &mut impl std::io::Write, s: Option<&str>) -> std::io::Result<()> {
    match s {
        Some(s) => write_str(w, s),
        None => w.write_all(b"null"),
    }
}

/// The high bit of each of the eight bytes of `x` (read little-endian) that is a control character (below 0x20),
/// `"` or `\\`. Only the lowest set bit is exact (a borrow may mark bytes above a match), which is all
/// [`write_str`] uses: it says where the first byte to escape is.
#[inline]
fn escape_mask(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    // Bytes below 0x20 (a byte with its high bit set is never below 0x20: `!x` masks it out).
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    control | has_zero(x ^ (ONES * u64::from(b'"'))) | has_zero(x ^ (ONES * u64::from(b'\\')))
}

/// Writes `s` as a JSON string exactly as serde_json does: `"` and `\\` escaped, control characters as `\b`,
/// `\f`, `\n`, `\r`, `\t` or `\u00xx`, everything else (non-ASCII included) as is.
pub(crate) fn write_str(w: &mut impl std::io::Write, s: &str) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    w.write_all(b"\"")?;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight clean bytes at a time, or straight to the first byte to escape among them.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let mask = escape_mask(u64::from_le_bytes(word));
            if mask == 0 {
                i += 8;
                continue;
            }
            i += (mask.trailing_zeros() / 8) as usize;
        }
        let b = bytes.get(i).copied().unwrap_or(0);
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => &[],
            _ => {
                i += 1;
                continue;
            }
        };
        w.write_all(bytes.get(start..i).unwrap_or_default())?;
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
            w.write_all(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0xf)])?;
        } else {
            w.write_all(escaped)?;
        }
        i += 1;
        start = i;
    }
    w.write_all(bytes.get(start..).unwrap_or_default())?;
    w.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::suppress::{Suppression, SuppressionKind};
    use palisade_core::{Location, ObjectRef, Severity};

    /// The report as it was rendered with `#[serde(flatten)]`, the reference the explicit fields must match.
    fn flattened(report: &Report) -> String {
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
        struct Out<'a> {
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
        }
        let result = report.result;
        let compliance = report.compliance();
        let out = Out {
            format_version: FORMAT_VERSION,
            tool: Tool {
                name: "palisade",
                version: report.tool_version,
            },
            findings: result
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| FindingOut {
                    finding: f,
                    fingerprint: fingerprint::of(f),
                    controls: compliance.as_ref().map(|c| c.controls_of(i)),
                })
                .collect(),
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
        };
        format!("{}\n", serde_json::to_string_pretty(&out).unwrap())
    }

    fn finding(rule: &'static str, namespace: Option<&str>, message: &str, line: u32) -> Finding {
        Finding {
            rule,
            name: "some-rule",
            severity: Severity::High,
            message: message.into(),
            remediation: "Fix it \"now\".",
            object: ObjectRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                namespace: namespace.map(Into::into),
                name: Some("web\u{e9}".into()),
            }
            .into(),
            location: Location {
                file: "./deploy\\web.yaml".into(),
                document: 2,
                line,
                column: 7,
                pointer: "/spec/template/spec/containers/1/securityContext/privileged".into(),
            },
        }
    }

    fn result() -> ScanResult {
        let findings = vec![
            finding("K8S-001", Some("shop"), "container \"web\" is privileged", 10),
            finding("K8S-002", None, "container \"\" has \"NET_RAW\"\n\ttabbed", 12),
        ];
        let mut summary = Summary::default();
        summary.count_findings(&findings);
        ScanResult {
            findings: findings.into(),
            suppressed: vec![
                Suppressed {
                    finding: finding("K8S-003", Some("ops"), "m", 3),
                    suppression: Suppression {
                        kind: SuppressionKind::Config,
                        reason: "accepted".into(),
                        expires: Some("2030-01-01".into()),
                    },
                },
                Suppressed {
                    finding: finding("K8S-004", None, "\"a\"", 4),
                    suppression: Suppression {
                        kind: SuppressionKind::Comment,
                        reason: "(no reason given)".into(),
                        expires: None,
                    },
                },
            ],
            warnings: vec!["w".into()],
            ..ScanResult::default()
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character and some non-ASCII, at every offset around the eight-byte steps.
        let mut samples: Vec<String> = (0u8..=0x7f).map(|b| char::from(b).to_string()).collect();
        for pad in 0..17 {
            for special in [
                "\"",
                "\\",
                "\n",
                "\u{1}",
                "\u{1f}",
                "\u{7f}",
                "\u{e9}",
                "\u{1F600}",
                "/",
                "\t\r",
            ] {
                samples.push(format!("{}{special}{}", "a".repeat(pad), "b".repeat(pad % 5)));
            }
        }
        // Several bytes to escape in one eight-byte step (a borrow from one may mark the bytes above it), next to
        // multi-byte characters.
        for pad in 0..9 {
            for run in [
                "\u{1}\"x\u{e9}\"\\\u{0}",
                "\"\"",
                "\u{0}\u{1f} \\",
                "\u{e9}\"\u{1F600}\n\"a",
            ] {
                samples.push(format!("{}{run}{}", "a".repeat(pad), "c".repeat(8 - pad)));
            }
        }
        samples.push(String::new());
        samples.push("container \"web\" image \"mcr.microsoft.com/a:1\" is not pinned".into());
        for s in &samples {
            let mut ours = Vec::new();
            write_str(&mut ours, s).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn explicit_fields_match_the_flattened_rendering() {
        let result = result();
        let report = Report::new(&result, "1.2.3");
        assert_eq!(render_report(&report), flattened(&report));
        let empty = ScanResult::default();
        let report = Report::new(&empty, "1.2.3");
        assert_eq!(render_report(&report), flattened(&report));
    }

    /// Rule heads, remediations, objects and files are rendered once and reused: findings that share some of
    /// them and not others, in runs and alternating, with the same text in different allocations, render as
    /// serde renders them.
    #[test]
    fn shared_parts_render_as_each_finding_alone() {
        let shared = std::sync::Arc::new(ObjectRef {
            api_version: "v1".into(),
            kind: "Pod".into(),
            namespace: None,
            name: Some("a\"b".into()),
        });
        let file: std::sync::Arc<str> = "dir/p\\q.yaml".into();
        let mut findings = Vec::new();
        for i in 0..12u32 {
            let mut f = finding(if i % 3 == 0 { "K8S-001" } else { "K8S-002" }, Some("ns"), "m", i);
            if i % 4 < 2 {
                f.object = shared.clone();
                f.location.file = file.clone();
            }
            if i % 5 == 0 {
                f.name = "other-name";
                f.remediation = "Other\tremediation.";
            }
            if i == 7 {
                // Equal text, its own allocations.
                f.object = std::sync::Arc::new((*shared).clone());
                f.location.file = "dir/p\\q.yaml".into();
            }
            findings.push(f);
        }
        let result = ScanResult {
            findings: findings.into(),
            ..ScanResult::default()
        };
        let report = Report::new(&result, "1.2.3");
        assert_eq!(render_report(&report), flattened(&report));
    }

    /// Large reports are rendered in parallel chunks and windows: the text is serde's, byte for byte, on both
    /// sides of the threshold and past a window and a chunk boundary, with objects and files that run across chunk
    /// boundaries and with controls (indexed by the finding's place in the whole list).
    #[test]
    fn chunked_rendering_is_the_serial_one() {
        let window = CHUNK * 2 * rayon::current_num_threads().max(1);
        let parallel_from = window * MIN_WINDOWS;
        for n in [
            CHUNK + 1,
            parallel_from - 1,
            parallel_from,
            parallel_from + window + CHUNK + 3,
        ] {
            // Held in parts of many sizes (one finding, a few, hundreds), cut across lanes, chunks and windows.
            let mut parts: Vec<Vec<Finding>> = Vec::new();
            let mut object = std::sync::Arc::new(ObjectRef {
                api_version: "v1".into(),
                kind: "Pod".into(),
                namespace: Some("ns".into()),
                name: Some("p0".into()),
            });
            for i in 0..n {
                // A new object every 700 findings, so objects straddle chunk boundaries.
                if i % 700 == 0 {
                    object = std::sync::Arc::new(ObjectRef {
                        name: Some(format!("p{i}\"q")),
                        ..(*object).clone()
                    });
                }
                let line = u32::try_from(i).unwrap();
                let mut f = finding(
                    ["K8S-001", "K8S-002", "NET-001"][i % 3],
                    Some("ns"),
                    &format!("container \"c{}\" at {i}", i % 7),
                    line,
                );
                f.object = object.clone();
                f.location.file = format!("f{}.yaml", i / 900).into();
                if i % 900 == 0 || i % 613 == 1 || i % 211 == 2 || i % 7 == 3 && i % 5 == 0 {
                    parts.push(Vec::new());
                }
                parts.last_mut().unwrap().push(f);
            }
            let result = ScanResult {
                findings: palisade_core::Findings::from_parts(parts),
                ..ScanResult::default()
            };
            assert!(result.findings.parts().len() > n / 40, "{n} findings in parts");
            let mut report = Report::new(&result, "1.2.3");
            assert_eq!(render_report(&report), flattened(&report), "{n} findings");
            if n > parallel_from {
                report.framework = crate::frameworks::FRAMEWORKS.first();
                assert_eq!(render_report(&report), flattened(&report), "{n} findings with controls");
            }
        }
    }

    #[test]
    fn controls_match_the_flattened_rendering() {
        let result = result();
        let mut report = Report::new(&result, "1.2.3");
        for framework in crate::frameworks::FRAMEWORKS {
            report.framework = Some(framework);
            let out = render_report(&report);
            assert!(out.contains("\"controls\": ["), "{}", framework.id);
            assert_eq!(out, flattened(&report), "{}", framework.id);
        }
    }

    #[test]
    fn controls_by_finding_is_controls_of() {
        let result = result();
        let mut report = Report::new(&result, "1.2.3");
        report.framework = crate::frameworks::FRAMEWORKS.first();
        let mut e = report.compliance().unwrap();
        // Findings behind several controls, one listed twice and one out of range.
        for (ci, c) in e.controls.iter_mut().enumerate().take(3) {
            c.findings = match ci {
                0 => vec![1, 0, 1],
                1 => vec![7],
                _ => vec![1],
            };
        }
        let by = controls_by_finding(&e, 3);
        for (i, ids) in by.iter().enumerate() {
            assert_eq!(ids, &e.controls_of(i), "finding {i}");
        }
    }
}
