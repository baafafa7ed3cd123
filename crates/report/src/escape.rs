//! Escaping for the text formats the renderers write: HTML/XML, Markdown and URIs.

/// Escapes text for HTML and XML element content and attribute values (`&`, `<`, `>`, `"`, `'`). Characters that
/// XML 1.0 forbids (control characters other than tab, newline and carriage return, lone surrogates cannot occur
/// in a `str`, U+FFFE/U+FFFF) are replaced by U+FFFD so the document stays well-formed.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml(&mut out, s, false);
    out
}

/// Escapes text for an XML attribute: as [`xml`], and line breaks and tabs as character references so parsers
/// keep them (attribute-value normalisation would turn them into spaces).
pub fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml(&mut out, s, true);
    out
}

/// Appends `s` escaped as [`xml`] does, or as [`xml_attr`] does when `attr` is set, in one pass (text without
/// anything to escape is copied whole).
pub fn push_xml(out: &mut String, s: &str, attr: bool) {
    let plain = |b: u8| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if s.bytes().all(plain) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' if attr => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Escapes text for inline Markdown (GitHub flavoured): characters that start emphasis, links, code, HTML or
/// tables are backslash-escaped; line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '{' | '}' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown code span: backticks are replaced (a span cannot hold them safely), line breaks become
/// spaces, and `|` is escaped so the span can sit in a table.
pub fn code_span(s: &str) -> String {
    let inner: String = s
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", inner.replace('|', "\\|"))
}

/// Percent-encodes a `/`-separated relative path for a URI reference (RFC 3986): unreserved characters and `/`
/// stay, everything else is encoded as UTF-8 bytes.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(xml("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&#39;\u{fffd}");
        assert_eq!(xml_attr("a\nb"), "a&#10;b");
        assert_eq!(markdown("a|b*c_"), "a\\|b\\*c\\_");
        assert_eq!(code_span("x`y|z"), "`x'y\\|z`");
        assert_eq!(uri_path("dir/a b/ü.yaml"), "dir/a%20b/%C3%BC.yaml");
    }

    /// Attribute escaping is element escaping with line breaks and tabs as references, over every string of up
    /// to three characters from a set with each kind of character the escaping tells apart.
    #[test]
    fn attribute_escaping_is_element_escaping_plus_references() {
        let set = [
            'a', '&', '<', '>', '"', '\'', '\t', '\n', '\r', '\u{1}', '\u{7f}', 'ü', '\u{fffe}', '\u{ffff}',
        ];
        let mut strings: Vec<String> = set.iter().map(char::to_string).collect();
        for a in set {
            for b in set {
                strings.push(format!("{a}{b}"));
                strings.extend(set.iter().map(|c| format!("{a}{b}{c}")));
            }
        }
        assert_eq!(strings.len(), 14 + 14 * 14 + 14 * 14 * 14);
        for s in &strings {
            let s = s.as_str();
            let element: String = s
                .chars()
                .map(|ch| match ch {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    '\u{1}' | '\u{7f}' | '\u{fffe}' | '\u{ffff}' => "\u{fffd}".to_string(),
                    ch => ch.to_string(),
                })
                .collect();
            assert_eq!(xml(s), element, "{s:?}");
            let attr = element
                .replace('\n', "&#10;")
                .replace('\r', "&#13;")
                .replace('\t', "&#9;");
            assert_eq!(xml_attr(s), attr, "{s:?}");
            let mut pushed = String::from("x");
            push_xml(&mut pushed, s, true);
            assert_eq!(pushed, format!("x{attr}"));
        }
    }
}
