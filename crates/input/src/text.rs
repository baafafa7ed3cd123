//! Byte-level checks before parsing, and positions from byte offsets.

use palisade_core::Pos;

/// How many leading bytes are searched for NUL to call a file binary.
pub(crate) const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// apimachinery's `YAMLOrJSONDecoder` peeks this many bytes to decide between JSON and YAML.
const JSON_SNIFF_BYTES: usize = 4096;

/// True when the stream is read as JSON: its first non-space character (within the first 4 KiB) is `{`.
pub(crate) fn sniff_json(text: &str) -> bool {
    for (i, c) in text.char_indices() {
        if i >= JSON_SNIFF_BYTES {
            return false;
        }
        if !c.is_whitespace() {
            return c == '{';
        }
    }
    false
}

/// Counts characters (not continuation bytes) in a UTF-8 byte slice.
pub(crate) fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Position of byte `offset` in `bytes` (lines end at `\n`, `\r\n` or a lone `\r`; columns in characters).
pub(crate) fn pos_at(bytes: &[u8], offset: usize) -> Pos {
    let before = bytes.get(..offset.min(bytes.len())).unwrap_or_default();
    let mut line: u32 = 1;
    let mut line_start = 0;
    let mut i = 0;
    while let Some(&b) = before.get(i) {
        if b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')) {
            line = line.saturating_add(1);
            line_start = i + 1;
        }
        i += 1;
    }
    let mut col = count_chars(before.get(line_start..).unwrap_or_default());
    if line == 1 && before.starts_with("\u{feff}".as_bytes()) {
        col = col.saturating_sub(1);
    }
    Pos::new(line, u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1))
}

/// Tracks positions for increasing byte offsets in one pass (lines end at `\n`).
pub(crate) struct LineTracker<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
    col: u32,
}

impl<'a> LineTracker<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
            col: 1,
        }
    }

    /// Position of `offset`; offsets must not decrease (an earlier one is recomputed from the start).
    pub(crate) fn pos(&mut self, offset: usize) -> Pos {
        if offset < self.offset {
            *self = Self::new(self.bytes);
        }
        let seg = self
            .bytes
            .get(self.offset..offset.min(self.bytes.len()))
            .unwrap_or_default();
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                let lines = memchr::memchr_iter(b'\n', seg).count();
                self.line = self.line.saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
                let tail = seg.get(last + 1..).unwrap_or_default();
                self.col = u32::try_from(count_chars(tail)).unwrap_or(u32::MAX).saturating_add(1);
            }
            None => {
                self.col = self
                    .col
                    .saturating_add(u32::try_from(count_chars(seg)).unwrap_or(u32::MAX));
            }
        }
        self.offset = offset.max(self.offset);
        Pos::new(self.line, self.col)
    }
}

/// The line of the first `{{` (an unrendered Helm/Go template) outside comment lines, if any.
pub(crate) fn template_line(bytes: &[u8]) -> Option<u32> {
    let at = memchr::memmem::find_iter(bytes, b"{{").find(|&at| {
        let head = bytes.get(..at).unwrap_or_default();
        let line_start = memchr::memrchr2(b'\n', b'\r', head).map_or(0, |i| i + 1);
        let indent = head.get(line_start..).unwrap_or_default();
        indent.iter().find(|c| !c.is_ascii_whitespace()) != Some(&b'#')
    })?;
    Some(pos_at(bytes, at).line)
}

/// Decodes UTF-16 text that starts with a byte-order mark (libyaml reads it); `None` when there is no
/// UTF-16 BOM, `Some(Err(offset))` for an unpaired surrogate.
pub(crate) fn decode_utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let le = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = bytes.get(2..).unwrap_or_default();
    let units = body.chunks(2).map(|c| match (c.first(), c.get(1)) {
        (Some(&a), Some(&b)) => {
            if le {
                u16::from_le_bytes([a, b])
            } else {
                u16::from_be_bytes([a, b])
            }
        }
        // An odd trailing byte: not valid UTF-16.
        _ => 0xDC00,
    });
    let mut out = String::with_capacity(body.len());
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => return Some(Err(2 + 2 * i)),
        }
    }
    Some(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\ncé\r\nx\ry";
        assert_eq!(pos_at(t.as_bytes(), 0), Pos::new(1, 1));
        assert_eq!(pos_at(t.as_bytes(), 4), Pos::new(2, 2));
        assert_eq!(pos_at(t.as_bytes(), 5), Pos::new(2, 3));
        assert_eq!(pos_at(t.as_bytes(), 8), Pos::new(3, 1));
        assert_eq!(pos_at(t.as_bytes(), 10), Pos::new(4, 1));
        let mut tr = LineTracker::new(t.as_bytes());
        assert_eq!(tr.pos(1), Pos::new(1, 2));
        assert_eq!(tr.pos(5), Pos::new(2, 3));
        assert_eq!(tr.pos(8), Pos::new(3, 1));
        assert_eq!(tr.pos(0), Pos::new(1, 1));
    }

    #[test]
    fn json_sniffing() {
        assert!(sniff_json(" \n\t{\"a\": 1}"));
        assert!(sniff_json("\u{a0}{"));
        assert!(!sniff_json("\u{feff}{}"));
        assert!(!sniff_json("[1]"));
        assert!(!sniff_json("a: {}"));
        assert!(!sniff_json(""));
    }

    #[test]
    fn templates_outside_comments() {
        assert_eq!(template_line(b"a: 1\n# {{ x }}\nb: {{ y }}\n"), Some(3));
        assert_eq!(template_line(b"# {{ x }}\n"), None);
        assert_eq!(template_line(b"{{- if x }}"), Some(1));
    }

    #[test]
    fn utf16() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: 1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_utf16(&le), Some(Ok("a: 1".to_string())));
        assert_eq!(decode_utf16(b"a: 1"), None);
    }
}
