//! Where libyaml (go-yaml v2) is stricter or looser than granit at the start of a line.
//!
//! * A tab at the start of a line is rejected by libyaml in block context ("found character that cannot
//!   start any token"), even on an otherwise blank or comment line, unless it is inside a quoted scalar or a
//!   flow collection. granit accepts tabs on blank and comment lines.
//! * `%NAME` at the start of a line is a directive; libyaml knows only `%YAML` and `%TAG`.
//! * libyaml skips a byte-order mark at the start of any line; granit only at the start of the stream.

use std::borrow::Cow;

/// A line-start problem libyaml reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hazard {
    /// A tab at the start of a line.
    Tab,
    /// A directive other than `%YAML` and `%TAG`.
    UnknownDirective,
}

impl Hazard {
    pub(crate) fn message(self) -> &'static str {
        match self {
            Hazard::Tab => {
                "found character that cannot start any token (a tab at the start of a line: YAML lines, \
                 even blank or comment lines, must be indented with spaces)"
            }
            Hazard::UnknownDirective => "found unknown directive name (only %YAML and %TAG exist)",
        }
    }
}

/// Line-start hazards of a text, in offset order, checked against the parser's events as they arrive.
pub(crate) struct LineHazards {
    items: Vec<(usize, Hazard)>,
    next: usize,
}

impl LineHazards {
    /// Finds the hazards, or `None` when there are none (the common case, found with one fast search).
    pub(crate) fn scan(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        memchr::memchr2(b'\t', b'%', bytes)?;
        let mut items = Vec::new();
        let mut line_start = 0;
        loop {
            match bytes.get(line_start) {
                Some(b'\t') => items.push((line_start, Hazard::Tab)),
                Some(b'%') => {
                    let rest = bytes.get(line_start + 1..).unwrap_or_default();
                    let name_len = rest.iter().take_while(|c| !c.is_ascii_whitespace()).count();
                    let name = rest.get(..name_len).unwrap_or_default();
                    if name != b"YAML" && name != b"TAG" {
                        items.push((line_start, Hazard::UnknownDirective));
                    }
                }
                _ => {}
            }
            let Some(nl) = memchr::memchr2(b'\n', b'\r', bytes.get(line_start..).unwrap_or_default()) else {
                break;
            };
            line_start += nl + 1;
            if bytes.get(line_start - 1) == Some(&b'\r') && bytes.get(line_start) == Some(&b'\n') {
                line_start += 1;
            }
        }
        (!items.is_empty()).then_some(Self { items, next: 0 })
    }

    /// Hazards before `offset` (between tokens): an error, except a tab inside a flow collection.
    pub(crate) fn before(&mut self, offset: usize, in_flow: bool) -> Result<(), (usize, Hazard)> {
        while let Some(&(at, hazard)) = self.items.get(self.next) {
            if at >= offset {
                break;
            }
            self.next += 1;
            if !(in_flow && hazard == Hazard::Tab) {
                return Err((at, hazard));
            }
        }
        Ok(())
    }

    /// Hazards inside a scalar spanning `start..end`: a tab is an error unless `exempt` (quoted scalars,
    /// scalars in flow collections, a document that is a bare scalar); a `%` line there is content.
    pub(crate) fn within(&mut self, start: usize, end: usize, exempt: bool) -> Result<(), (usize, Hazard)> {
        while let Some(&(at, hazard)) = self.items.get(self.next) {
            if at < start || at >= end {
                break;
            }
            self.next += 1;
            if hazard == Hazard::Tab && !exempt {
                return Err((at, hazard));
            }
        }
        Ok(())
    }
}

/// True when the node starting at byte `start` follows a block sequence's `-` with a tab in between:
/// libyaml does not skip tabs after `-` ("found character that cannot start any token").
pub(crate) fn tab_after_dash(bytes: &[u8], start: usize) -> bool {
    let before = bytes.get(..start).unwrap_or_default();
    let blanks = before.iter().rev().take_while(|&&c| c == b' ' || c == b'\t');
    let mut saw_tab = false;
    let mut n = 0;
    for &c in blanks {
        saw_tab |= c == b'\t';
        n += 1;
    }
    saw_tab && before.get(start.wrapping_sub(n + 1)) == Some(&b'-')
}

/// True when a double-quoted scalar's source has a `\u` escape of a UTF-16 surrogate: libyaml rejects
/// them ("found invalid Unicode character escape code"); granit joins JSON-style pairs.
pub(crate) fn has_surrogate_escape(raw: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        if c != b'\\' {
            i += 1;
            continue;
        }
        match raw.get(i + 1) {
            Some(b'u') => {
                let hex = raw.get(i + 2..i + 6).unwrap_or_default();
                let value = std::str::from_utf8(hex)
                    .ok()
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                if value.is_some_and(|v| (0xD800..0xE000).contains(&v)) {
                    return true;
                }
                i += 6;
            }
            _ => i += 2,
        }
    }
    false
}

/// Removes byte-order marks at the start of lines after the first (libyaml skips them there).
pub(crate) fn strip_line_boms(text: &str) -> Cow<'_, str> {
    const BOM: &str = "\u{feff}";
    let first = text.strip_prefix(BOM).map_or(0, |_| BOM.len());
    let rest = text.get(first..).unwrap_or_default();
    let has_line_bom = rest.match_indices(BOM).any(|(i, _)| {
        let at = first + i;
        matches!(text.as_bytes().get(at.wrapping_sub(1)), Some(b'\n' | b'\r'))
    });
    if !has_line_bom {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in rest.match_indices(BOM) {
        let at = first + i;
        if matches!(text.as_bytes().get(at.wrapping_sub(1)), Some(b'\n' | b'\r')) {
            out.push_str(text.get(last..at).unwrap_or_default());
            last = at + BOM.len();
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_start_tabs_and_directives() {
        let h = LineHazards::scan("a: 1\n\t\n%YAML 1.1\n%FOO\r\n\tb\rx\ty").unwrap();
        assert_eq!(
            h.items,
            [(5, Hazard::Tab), (17, Hazard::UnknownDirective), (23, Hazard::Tab)]
        );
        assert!(LineHazards::scan("a: b\tc\n").is_none());
    }

    #[test]
    fn tabs_after_dashes_and_surrogates() {
        assert!(tab_after_dash(b"-\tx", 2));
        assert!(tab_after_dash(b"- \tx", 3));
        assert!(!tab_after_dash(b"-  x", 3));
        assert!(!tab_after_dash(b"a:\tx", 3));
        assert!(has_surrogate_escape(br#""\ud83d\ude00""#));
        assert!(!has_surrogate_escape(br#""\\ud83d \u00e9""#));
    }

    #[test]
    fn boms_at_line_starts() {
        assert_eq!(strip_line_boms("\u{feff}a: 1\n"), "\u{feff}a: 1\n");
        assert_eq!(strip_line_boms("a: 1\n---\n\u{feff}b: 2\n"), "a: 1\n---\nb: 2\n");
        assert_eq!(strip_line_boms("a: x\u{feff}y\n"), "a: x\u{feff}y\n");
    }
}
