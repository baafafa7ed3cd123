//! JSON streams (files whose first non-space character is `{`), decoded as Go's encoding/json does, with
//! positions. Iterative: nesting is bounded by `max_depth`, not by the call stack.

use crate::build::{push_index, push_key, DuplicateKey, MapBuilder};
use crate::error::{ParseError, ParseErrorKind};
use crate::text::LineTracker;
use crate::{LoadOptions, LoadedDoc};
use palisade_core::{Node, Pos, Value};

/// Parses a stream of JSON values, one document each.
pub(crate) fn parse(text: &str, opts: &LoadOptions) -> (Vec<LoadedDoc>, Option<ParseError>) {
    let mut p = JsonParser {
        text,
        b: text.as_bytes(),
        i: 0,
        lines: LineTracker::new(text.as_bytes()),
        opts,
        doc: 0,
    };
    let mut docs = Vec::new();
    loop {
        p.skip_ws();
        if p.i >= p.b.len() {
            return (docs, None);
        }
        p.doc += 1;
        let mut duplicates = Vec::new();
        match p.document(&mut duplicates) {
            Ok(root) => docs.push(LoadedDoc {
                index: p.doc,
                root,
                duplicate_keys: duplicates,
            }),
            Err(e) => return (docs, Some(e)),
        }
    }
}

enum Frame {
    Array {
        pos: Pos,
        items: Vec<Node>,
    },
    Object {
        pos: Pos,
        map: MapBuilder,
        key: String,
        key_pos: Pos,
    },
}

struct JsonParser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    lines: LineTracker<'a>,
    opts: &'a LoadOptions,
    doc: usize,
}

fn describe(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        0x20..=0x7E => format!("'{}'", c as char),
        _ => format!("{:?}", c as char),
    }
}

impl JsonParser<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn pos(&mut self, offset: usize) -> Pos {
        self.lines.pos(offset)
    }

    fn err_at(&mut self, offset: usize, kind: ParseErrorKind, message: impl Into<String>) -> ParseError {
        let p = self.pos(offset);
        ParseError::new(self.doc, p.line, p.col, kind, message)
    }

    /// Go's error for an unexpected byte (or the end of input) at the cursor.
    fn unexpected(&mut self, context: &str) -> ParseError {
        let message = match self.b.get(self.i) {
            Some(&c) => format!("invalid character {} {context}", describe(c)),
            None => "unexpected end of JSON input".to_string(),
        };
        self.err_at(self.i, ParseErrorKind::Json, message)
    }

    fn document(&mut self, duplicates: &mut Vec<DuplicateKey>) -> Result<Node, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_ws();
            let start = self.i;
            let pos = self.pos(start);
            let mut node = match self.b.get(start) {
                Some(&open @ (b'{' | b'[')) => {
                    if stack.len() >= self.opts.max_depth {
                        let message = format!("collections nested deeper than {} levels", self.opts.max_depth);
                        return Err(self.err_at(start, ParseErrorKind::TooDeep, message));
                    }
                    self.i += 1;
                    self.skip_ws();
                    if open == b'[' {
                        if self.b.get(self.i) == Some(&b']') {
                            self.i += 1;
                            Node::new(pos, Value::Seq(Vec::new()))
                        } else {
                            stack.push(Frame::Array { pos, items: Vec::new() });
                            continue 'value;
                        }
                    } else if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        Node::new(pos, Value::Map(MapBuilder::default().finish()))
                    } else {
                        let (key, key_pos) = self.key()?;
                        stack.push(Frame::Object {
                            pos,
                            map: MapBuilder::default(),
                            key,
                            key_pos,
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    Node::new(pos, Value::Str(s))
                }
                Some(b't') => Node::new(pos, self.literal("true", Value::Bool(true))?),
                Some(b'f') => Node::new(pos, self.literal("false", Value::Bool(false))?),
                Some(b'n') => Node::new(pos, self.literal("null", Value::Null)?),
                Some(b'-' | b'0'..=b'9') => Node::new(pos, self.number()?),
                _ => return Err(self.unexpected("looking for beginning of value")),
            };
            // Attach the finished value to its parents, closing every collection that ends here.
            loop {
                let Some(top) = stack.last_mut() else {
                    return Ok(node);
                };
                match top {
                    Frame::Array { items, .. } => {
                        items.push(node);
                        self.skip_ws();
                        match self.b.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                continue 'value;
                            }
                            Some(b']') => self.i += 1,
                            _ => return Err(self.unexpected("after array element")),
                        }
                    }
                    Frame::Object { map, key, key_pos, .. } => {
                        let last = *key_pos;
                        if let Some((first, key)) = map.insert(std::mem::take(key), last, node, true) {
                            let mut pointer = pointer_of(&stack);
                            push_key(&mut pointer, &key);
                            duplicates.push(DuplicateKey {
                                pointer,
                                key,
                                first,
                                last,
                            });
                        }
                        self.skip_ws();
                        match self.b.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                self.skip_ws();
                                let (k, kp) = self.key()?;
                                if let Some(Frame::Object { key, key_pos, .. }) = stack.last_mut() {
                                    *key = k;
                                    *key_pos = kp;
                                }
                                continue 'value;
                            }
                            Some(b'}') => self.i += 1,
                            _ => return Err(self.unexpected("after object key:value pair")),
                        }
                    }
                }
                node = match stack.pop() {
                    Some(Frame::Array { pos, items }) => Node::new(pos, Value::Seq(items)),
                    Some(Frame::Object { pos, map, .. }) => Node::new(pos, Value::Map(map.finish())),
                    None => return Ok(node_placeholder()),
                };
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Result<(String, Pos), ParseError> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.unexpected("looking for beginning of object key string"));
        }
        let pos = self.pos(self.i);
        let key = self.string()?;
        self.skip_ws();
        if self.b.get(self.i) != Some(&b':') {
            return Err(self.unexpected("after object key"));
        }
        self.i += 1;
        Ok((key, pos))
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        for (k, expected) in word.bytes().enumerate() {
            if self.b.get(self.i + k) != Some(&expected) {
                self.i += k;
                let context = format!("in literal {word} (expecting '{}')", expected as char);
                return Err(self.unexpected(&context));
            }
        }
        self.i += word.len();
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("in numeric literal")),
        }
        let mut integer = true;
        if self.b.get(self.i) == Some(&b'.') {
            integer = false;
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("after decimal point in numeric literal"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("in exponent of numeric literal"));
            }
        }
        let lit = self.text.get(start..self.i).unwrap_or_default();
        if integer {
            if let Ok(i) = lit.parse::<i64>() {
                return Ok(Value::Int(i));
            }
            if let Ok(u) = lit.parse::<u64>() {
                return Ok(Value::Uint(u));
            }
        }
        match lit.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(self.err_at(
                start,
                ParseErrorKind::Json,
                format!("json: cannot unmarshal number {lit} into Go value of type float64"),
            )),
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let s = self.text.get(at..at + 4)?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(s, 16).ok()
    }

    /// A string literal at the cursor (on its opening quote).
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.i + 1;
        let mut j = start;
        // Fast path: no escapes.
        loop {
            match self.b.get(j) {
                Some(b'"') => {
                    let s = self.text.get(start..j).unwrap_or_default().to_owned();
                    self.i = j + 1;
                    return Ok(s);
                }
                Some(b'\\') => break,
                Some(&c) if c < 0x20 => {
                    self.i = j;
                    return Err(self.unexpected("in string literal"));
                }
                Some(_) => j += 1,
                None => {
                    self.i = j;
                    return Err(self.unexpected("in string literal"));
                }
            }
        }
        let mut out = String::with_capacity(j - start + 16);
        out.push_str(self.text.get(start..j).unwrap_or_default());
        let mut run = j;
        loop {
            match self.b.get(j) {
                Some(b'"') => {
                    out.push_str(self.text.get(run..j).unwrap_or_default());
                    self.i = j + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.text.get(run..j).unwrap_or_default());
                    let c = match self.b.get(j + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let Some(u) = self.hex4(j + 2) else {
                                self.i = j + 2;
                                return Err(self.unexpected("in \\u hexadecimal character escape"));
                            };
                            j += 6;
                            let c = if (0xD800..0xE000).contains(&u) {
                                // A surrogate: valid only as a high/low pair; otherwise U+FFFD (as Go does).
                                let low = if self.b.get(j) == Some(&b'\\') && self.b.get(j + 1) == Some(&b'u') {
                                    self.hex4(j + 2)
                                } else {
                                    None
                                };
                                match low {
                                    Some(lo) if (0xD800..0xDC00).contains(&u) && (0xDC00..0xE000).contains(&lo) => {
                                        j += 6;
                                        char::from_u32(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                                            .unwrap_or('\u{fffd}')
                                    }
                                    _ => '\u{fffd}',
                                }
                            } else {
                                char::from_u32(u).unwrap_or('\u{fffd}')
                            };
                            out.push(c);
                            run = j;
                            continue;
                        }
                        _ => {
                            self.i = j + 1;
                            return Err(self.unexpected("in string escape code"));
                        }
                    };
                    out.push(c);
                    j += 2;
                    run = j;
                }
                Some(&c) if c < 0x20 => {
                    self.i = j;
                    return Err(self.unexpected("in string literal"));
                }
                Some(_) => j += 1,
                None => {
                    self.i = j;
                    return Err(self.unexpected("in string literal"));
                }
            }
        }
    }
}

fn node_placeholder() -> Node {
    Node::new(Pos::new(1, 1), Value::Null)
}

/// The JSON pointer of the value being parsed in the innermost collection's parent chain.
fn pointer_of(stack: &[Frame]) -> String {
    let mut p = String::new();
    let n = stack.len().saturating_sub(1);
    for f in stack.iter().take(n) {
        match f {
            Frame::Array { items, .. } => push_index(&mut p, items.len()),
            Frame::Object { key, .. } => push_key(&mut p, key),
        }
    }
    p
}
