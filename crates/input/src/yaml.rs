//! YAML streams: granit-parser events turned into positioned trees the way go-yaml v2 decodes them.
//!
//! The builder is iterative (an explicit stack bounded by `max_depth`), expands aliases by copying the
//! anchored value (counting the copied nodes against `max_alias_nodes`), applies merge keys in document order
//! and converts keys to strings as sigs.k8s.io/yaml does.

use crate::build::{find_nonfinite, go_float_name, push_index, push_key, DuplicateKey, MapBuilder};
use crate::compat::{self, LineHazards};
use crate::error::{ParseError, ParseErrorKind};
use crate::resolve::{key_string, resolve_scalar, TagKind};
use crate::text::{count_chars, pos_at};
use crate::{LoadOptions, LoadedDoc};
use granit_parser::{ErrorKind, Event, Marker, Parser, ScalarStyle, ScanError, Span, StructureStyle, Tag, YamlVersion};
use palisade_core::{Node, Pos, Value};
use std::borrow::Cow;
use std::collections::HashMap;

const MERGE_MESSAGE: &str = "map merge requires map or sequence of maps as the value";

/// Parses a YAML stream into documents; on error, the documents before the failing one and the error.
pub(crate) fn parse(text: &str, opts: &LoadOptions) -> (Vec<LoadedDoc>, Option<ParseError>) {
    let limit = opts.max_depth.saturating_add(1);
    let options = granit_parser::options! {
        // libyaml ends a block scalar at EOF without adding a line feed.
        block_scalar_eof_without_line_feed: true,
        // libyaml reads a byte-order mark inside a line as content (line-start ones are removed first).
        bom_inside_document_as_content: true,
        emit_comments: false,
        emit_anchor_events: true,
        flow_nesting_limit: limit,
        block_nesting_limit: limit,
    };
    let text = compat::strip_line_boms(text);
    let text: &str = &text;
    let mut b = Builder::new(text, opts);
    for item in Parser::new_from_str_with_options(text, options) {
        let result = match item {
            Ok((event, span)) => b.event(event, span),
            Err(e) => Err(b.scan_error(&e)),
        };
        if let Err(e) = result {
            return (b.docs, Some(e));
        }
    }
    (b.docs, None)
}

/// What a map is waiting for.
enum Pending {
    Key,
    Value { key: String, key_pos: Pos },
    Merge,
}

enum Slot {
    Seq(Vec<Node>),
    Map { map: MapBuilder, pending: Pending },
}

struct Frame {
    pos: Pos,
    anchor: usize,
    /// Nodes in this subtree so far (the frame itself included).
    count: usize,
    /// Collection levels in this subtree so far (the frame itself included).
    height: usize,
    slot: Slot,
}

/// An anchored value kept for aliases, with its node count and nesting height.
struct Anchored {
    node: Node,
    count: usize,
    height: usize,
}

struct Builder<'t, 'o> {
    text: &'t str,
    opts: &'o LoadOptions,
    docs: Vec<LoadedDoc>,
    /// Documents started so far.
    doc: usize,
    in_doc: bool,
    doc_pos: Pos,
    root: Option<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    anchor_names: HashMap<usize, String>,
    /// Nodes created by alias expansion in the file.
    alias_nodes: usize,
    /// Nodes written in the current document, and nodes its aliases expanded to (go-yaml's ratio check).
    doc_literal: usize,
    doc_alias: usize,
    duplicates: Vec<DuplicateKey>,
    nonfinite: bool,
    /// Byte offset where the previous event ended (to find block scalar indicators).
    last_end: usize,
    /// Line starts libyaml treats differently, when the text has any.
    hazards: Option<LineHazards>,
    /// Open collections (flow or block, sequence or mapping), also while skipping a failed document.
    shape: Vec<Shape>,
    /// Open flow collections.
    flow_depth: usize,
    /// The text has a tab somewhere.
    has_tabs: bool,
    /// A decoding error, reported at the end of its document unless a syntax error comes first.
    deferred: Option<ParseError>,
}

fn pos_of(m: &Marker) -> Pos {
    Pos::new(
        u32::try_from(m.line()).unwrap_or(u32::MAX),
        u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1),
    )
}

fn tag_kind(tag: Option<&Tag>) -> TagKind {
    match tag {
        None => TagKind::None,
        Some(t) if t.handle().is_empty() && t.suffix() == "!" => TagKind::NonSpecific,
        Some(t) => match t.suffix_in_namespace("tag:yaml.org,2002:") {
            Some(s) => TagKind::from_core_suffix(&s),
            None => TagKind::Other,
        },
    }
}

type Failure = (Pos, ParseErrorKind, String);

/// The kind of an open collection.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shape {
    flow: bool,
    seq: bool,
}

/// Nodes and collection levels of a finished subtree.
#[derive(Clone, Copy)]
struct Size {
    count: usize,
    height: usize,
}

impl<'t, 'o> Builder<'t, 'o> {
    fn new(text: &'t str, opts: &'o LoadOptions) -> Self {
        Self {
            text,
            opts,
            docs: Vec::new(),
            doc: 0,
            in_doc: false,
            doc_pos: Pos::new(1, 1),
            root: None,
            stack: Vec::new(),
            anchors: HashMap::new(),
            anchor_names: HashMap::new(),
            alias_nodes: 0,
            doc_literal: 0,
            doc_alias: 0,
            duplicates: Vec::new(),
            nonfinite: false,
            last_end: 0,
            hazards: LineHazards::scan(text),
            shape: Vec::new(),
            flow_depth: 0,
            has_tabs: memchr::memchr(b'\t', text.as_bytes()).is_some(),
            deferred: None,
        }
    }

    fn current_doc(&self) -> usize {
        if self.in_doc {
            self.doc
        } else {
            self.doc + 1
        }
    }

    fn err(&self, pos: Pos, kind: ParseErrorKind, message: impl Into<String>) -> ParseError {
        ParseError::new(self.current_doc(), pos.line, pos.col, kind, message)
    }

    fn fail(&self, f: Failure) -> ParseError {
        self.err(f.0, f.1, f.2)
    }

    fn scan_error(&mut self, e: &ScanError) -> ParseError {
        // A line-start problem libyaml reports earlier takes precedence.
        let in_flow = self.flow_depth > 0;
        if let Some(h) = self.hazards.as_mut() {
            if let Err((at, hazard)) = h.before(e.marker().byte_offset().unwrap_or(0), in_flow) {
                let p = pos_at(self.text.as_bytes(), at);
                return self.err(p, ParseErrorKind::Syntax, hazard.message());
            }
        }
        let kind = match e.kind() {
            ErrorKind::RecursionLimitExceeded => ParseErrorKind::TooDeep,
            ErrorKind::UnknownAnchor => ParseErrorKind::Alias,
            _ => ParseErrorKind::Syntax,
        };
        let mut message = e.kind().to_string();
        if message.is_empty() {
            message = format!("{:?}", e.kind());
        }
        if kind == ParseErrorKind::TooDeep {
            message = format!(
                "{message}: collections nested deeper than {} levels",
                self.opts.max_depth
            );
        }
        if matches!(e.kind(), ErrorKind::TabInBlockIndentation) {
            message = format!("found character that cannot start any token ({message})");
        }
        self.err(pos_of(e.marker()), kind, message)
    }

    fn event(&mut self, event: Event<'t>, span: Span) -> Result<(), ParseError> {
        let end = span.end.byte_offset().unwrap_or(self.last_end);
        if self.hazards.is_some() {
            self.check_hazards(&event, &span, end)?;
        }
        if self.has_tabs && event.is_node() {
            self.check_tab_after_dash(&span)?;
        }
        if let Some(e) = self.deferred.take() {
            // A decoding error waits for the end of its document: syntax errors come first, as in go-yaml.
            if matches!(event, Event::DocumentEnd) {
                return Err(e);
            }
            self.deferred = Some(e);
            self.track_shape(&event);
            if !matches!(event, Event::Anchor(..)) {
                self.last_end = end;
            }
            return Ok(());
        }
        let anchor_event = matches!(event, Event::Anchor(..));
        self.track_shape(&event);
        match self.dispatch(event, &span) {
            Err(e) if is_decode_error(e.kind) => {
                self.deferred = Some(e);
                self.stack.clear();
                self.root = None;
            }
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        if !anchor_event {
            self.last_end = end;
        }
        Ok(())
    }

    /// Keeps `shape` and `flow_depth` in step with collection starts and ends.
    fn track_shape(&mut self, event: &Event<'t>) {
        let shape = match event {
            Event::SequenceStart(style, ..) => Shape {
                flow: *style == StructureStyle::Flow,
                seq: true,
            },
            Event::MappingStart(style, ..) => Shape {
                flow: *style == StructureStyle::Flow,
                seq: false,
            },
            Event::SequenceEnd | Event::MappingEnd => {
                if self.shape.pop().is_some_and(|s| s.flow) {
                    self.flow_depth = self.flow_depth.saturating_sub(1);
                }
                return;
            }
            _ => return,
        };
        if shape.flow {
            self.flow_depth += 1;
        }
        self.shape.push(shape);
    }

    fn dispatch(&mut self, event: Event<'t>, span: &Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_, version) => self.document_start(version, span)?,
            Event::DocumentEnd => self.document_end()?,
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag.as_deref(), span)?,
            Event::SequenceStart(style, anchor, _) => {
                let pos = match style {
                    StructureStyle::Block => self.dash_pos(span),
                    StructureStyle::Flow => pos_of(&span.start),
                };
                self.open(pos, anchor, Slot::Seq(Vec::new()))?;
            }
            Event::MappingStart(_, anchor, _) => {
                self.open(
                    pos_of(&span.start),
                    anchor,
                    Slot::Map {
                        map: MapBuilder::default(),
                        pending: Pending::Key,
                    },
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            Event::Alias(id) => self.alias(id, span)?,
            Event::Anchor(id, name) => {
                // Anchor spans point back at the `&name` token: `last_end` is kept.
                self.anchor_names.insert(id, name.into_owned());
            }
            Event::UnresolvedAlias(name) => {
                return Err(self.err(
                    pos_of(&span.start),
                    ParseErrorKind::Alias,
                    format!("unknown anchor '{name}' referenced"),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    fn document_start(&mut self, version: Option<YamlVersion>, span: &Span) -> Result<(), ParseError> {
        self.doc += 1;
        self.in_doc = true;
        if let Some(v) = version {
            if (v.major, v.minor) != (1, 1) {
                let at = self.directive_pos(span.start.byte_offset().unwrap_or(0));
                let message = format!(
                    "found incompatible YAML document (%YAML {}.{}: Kubernetes reads YAML 1.1)",
                    v.major, v.minor
                );
                return Err(self.err(at, ParseErrorKind::Syntax, message));
            }
        }
        self.doc_pos = pos_of(&span.start);
        self.root = None;
        self.anchors.clear();
        self.anchor_names.clear();
        self.duplicates.clear();
        self.nonfinite = false;
        self.doc_literal = 0;
        self.doc_alias = 0;
        Ok(())
    }

    fn document_end(&mut self) -> Result<(), ParseError> {
        let root = self.root.take().unwrap_or_else(|| Node::new(self.doc_pos, Value::Null));
        if self.nonfinite {
            if let Some((pos, f)) = find_nonfinite(&root) {
                let message = format!(
                    "json: unsupported value: {} (JSON has no NaN or infinity)",
                    go_float_name(f)
                );
                return Err(self.err(pos, ParseErrorKind::UnsupportedValue, message));
            }
        }
        self.docs.push(LoadedDoc {
            index: self.doc,
            root,
            duplicate_keys: std::mem::take(&mut self.duplicates),
        });
        self.in_doc = false;
        self.anchors.clear();
        Ok(())
    }

    /// libyaml does not skip a tab after a block sequence's `-` ("found character that cannot start any
    /// token").
    fn check_tab_after_dash(&self, span: &Span) -> Result<(), ParseError> {
        let in_block_seq = self.shape.last() == Some(&Shape { flow: false, seq: true });
        let start = span.start.byte_offset().unwrap_or(0);
        if in_block_seq && compat::tab_after_dash(self.text.as_bytes(), start) {
            let message = "found character that cannot start any token (a tab after '-')";
            return Err(self.err(pos_of(&span.start), ParseErrorKind::Syntax, message));
        }
        Ok(())
    }

    /// Reports the line-start tabs and directives libyaml rejects that come before (or inside) this event.
    fn check_hazards(&mut self, event: &Event<'t>, span: &Span, end: usize) -> Result<(), ParseError> {
        if matches!(event, Event::Anchor(..) | Event::StreamStart) {
            return Ok(());
        }
        let in_flow = self.flow_depth > 0;
        let bare_document = self.shape.is_empty();
        let Some(h) = self.hazards.as_mut() else {
            return Ok(());
        };
        let start = span.start.byte_offset().unwrap_or(0);
        let mut result = h.before(start, in_flow);
        if result.is_ok() {
            if let Event::Scalar(_, style, ..) = event {
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                result = h.within(start, end, quoted || in_flow || bare_document);
            }
        }
        result.map_err(|(at, hazard)| {
            let p = pos_at(self.text.as_bytes(), at);
            self.err(p, ParseErrorKind::Syntax, hazard.message())
        })
    }

    /// Where the `%YAML` directive before byte `before` is.
    fn directive_pos(&self, before: usize) -> Pos {
        let head = self.text.get(..before).unwrap_or(self.text);
        let at = head.rfind("%YAML").unwrap_or(before);
        pos_at(self.text.as_bytes(), at)
    }

    /// The position of a block sequence's first `-` (granit starts an indentless sequence at its first item).
    fn dash_pos(&self, span: &Span) -> Pos {
        let pos = pos_of(&span.start);
        let start = span.start.byte_offset().unwrap_or(0);
        if self.text.as_bytes().get(start) == Some(&b'-') {
            return pos;
        }
        let before = self.text.as_bytes().get(..start).unwrap_or_default();
        let blanks = before.iter().rev().take_while(|&&c| c == b' ' || c == b'\t').count();
        let dash = start.saturating_sub(blanks + 1);
        if blanks > 0 && before.get(dash) == Some(&b'-') {
            let back = u32::try_from(blanks + 1).unwrap_or(0);
            return Pos::new(pos.line, pos.col.saturating_sub(back).max(1));
        }
        pos
    }

    /// The position of a block scalar's `|` or `>` indicator (granit's span starts at the content).
    fn block_indicator_pos(&self, span: &Span) -> Pos {
        let bytes = self.text.as_bytes();
        let content = span.start.byte_offset().unwrap_or(0);
        let region = bytes.get(self.last_end..content).unwrap_or_default();
        let mut i = 0;
        let mut found = None;
        while let Some(&c) = region.get(i) {
            match c {
                b'#' => {
                    while region.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                        i += 1;
                    }
                }
                b'&' | b'!' => {
                    while region.get(i).is_some_and(|&c| !c.is_ascii_whitespace()) {
                        i += 1;
                    }
                }
                b'|' | b'>' => {
                    found = Some(self.last_end + i);
                    break;
                }
                _ => i += 1,
            }
        }
        let Some(at) = found else {
            return pos_of(&span.start);
        };
        // Count line breaks between the indicator and the content (whose position granit gives), and the
        // characters before the indicator on its own line.
        let between = bytes.get(at..content).unwrap_or_default();
        let mut breaks: u32 = 0;
        for (k, &c) in between.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && between.get(k + 1) != Some(&b'\n')) {
                breaks += 1;
            }
        }
        let line_start = bytes
            .get(..at)
            .unwrap_or_default()
            .iter()
            .rposition(|&c| c == b'\n' || c == b'\r')
            .map_or(0, |p| p + 1);
        let line = pos_of(&span.start).line.saturating_sub(breaks).max(1);
        let mut col = count_chars(bytes.get(line_start..at).unwrap_or_default());
        if line_start == 0 && self.text.starts_with('\u{feff}') {
            col = col.saturating_sub(1);
        }
        Pos::new(line, u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1))
    }

    fn scalar(
        &mut self,
        text: Cow<'t, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: &Span,
    ) -> Result<(), ParseError> {
        self.doc_literal += 1;
        let pos = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => self.block_indicator_pos(span),
            _ => pos_of(&span.start),
        };
        if style == ScalarStyle::DoubleQuoted {
            let start = span.start.byte_offset().unwrap_or(0);
            let end = span.end.byte_offset().unwrap_or(start);
            let raw = self.text.as_bytes().get(start..end).unwrap_or_default();
            if memchr::memmem::find(raw, b"\\u").is_some() && compat::has_surrogate_escape(raw) {
                let message = "found invalid Unicode character escape code (a UTF-16 surrogate; YAML needs \\U)";
                return Err(self.err(pos, ParseErrorKind::Syntax, message));
            }
        }
        let plain = style == ScalarStyle::Plain;
        // An empty plain scalar (`key:`) is reported as "~" with an empty span: it is the empty string.
        let text = if plain && span.start.byte_offset() == span.end.byte_offset() {
            Cow::Borrowed("")
        } else {
            text
        };
        let tag = tag_kind(tag);
        let awaiting_key = matches!(
            self.stack.last(),
            Some(Frame {
                slot: Slot::Map {
                    pending: Pending::Key,
                    ..
                },
                ..
            })
        );
        if awaiting_key
            && text == "<<"
            && ((plain && tag == TagKind::None) || matches!(tag, TagKind::NonSpecific | TagKind::Merge))
        {
            if let Some(Frame {
                slot: Slot::Map { pending, .. },
                ..
            }) = self.stack.last_mut()
            {
                *pending = Pending::Merge;
            }
            if anchor != 0 {
                self.anchors.insert(
                    anchor,
                    Anchored {
                        node: Node::new(pos, Value::Str("<<".into())),
                        count: 1,
                        height: 0,
                    },
                );
            }
            return Ok(());
        }
        let value = resolve_scalar(text, plain, tag).map_err(|m| self.err(pos, ParseErrorKind::Tag, m))?;
        if let Value::Float(f) = value {
            if !f.is_finite() {
                self.nonfinite = true;
            }
        }
        self.complete(Node::new(pos, value), Size { count: 1, height: 0 }, anchor, false, pos)
    }

    fn open(&mut self, pos: Pos, anchor: usize, slot: Slot) -> Result<(), ParseError> {
        self.doc_literal += 1;
        if self.stack.len() >= self.opts.max_depth {
            return Err(self.err(
                pos,
                ParseErrorKind::TooDeep,
                format!("collections nested deeper than {} levels", self.opts.max_depth),
            ));
        }
        self.stack.push(Frame {
            pos,
            anchor,
            count: 1,
            height: 1,
            slot,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.slot {
            Slot::Seq(items) => Value::Seq(items),
            Slot::Map { map, .. } => Value::Map(map.finish()),
        };
        let size = Size {
            count: frame.count,
            height: frame.height,
        };
        self.complete(Node::new(frame.pos, value), size, frame.anchor, false, frame.pos)
    }

    fn alias(&mut self, id: usize, span: &Span) -> Result<(), ParseError> {
        let at = pos_of(&span.start);
        let Some(anchored) = self.anchors.get(&id) else {
            let name = self.anchor_names.get(&id).map_or("?", String::as_str);
            return Err(self.err(
                at,
                ParseErrorKind::Alias,
                format!("anchor '{name}' value contains itself"),
            ));
        };
        let size = Size {
            count: anchored.count,
            height: anchored.height,
        };
        if self.stack.len().saturating_add(size.height) > self.opts.max_depth {
            return Err(self.err(
                at,
                ParseErrorKind::TooDeep,
                format!(
                    "alias expansion nests collections deeper than {} levels",
                    self.opts.max_depth
                ),
            ));
        }
        self.alias_nodes = self.alias_nodes.saturating_add(size.count);
        self.doc_alias = self.doc_alias.saturating_add(size.count);
        let decoded = self.doc_literal.saturating_add(self.doc_alias);
        if self.doc_alias > 100
            && decoded > 1000
            && self.doc_alias as f64 / decoded as f64 > allowed_alias_ratio(decoded)
        {
            return Err(self.err(
                at,
                ParseErrorKind::AliasBudget,
                "document contains excessive aliasing (more than go-yaml allows)",
            ));
        }
        if self.alias_nodes > self.opts.max_alias_nodes {
            return Err(self.err(
                at,
                ParseErrorKind::AliasBudget,
                format!(
                    "document contains excessive aliasing: expanding aliases would create more than {} nodes",
                    self.opts.max_alias_nodes
                ),
            ));
        }
        let node = anchored.node.clone();
        self.complete(node, size, 0, true, at)
    }

    /// Attaches a finished node to its parent (or makes it the document root). `at` is where the node was
    /// written (the alias for an alias), used as the key position when the node is a key.
    fn complete(&mut self, node: Node, size: Size, anchor: usize, from_alias: bool, at: Pos) -> Result<(), ParseError> {
        if anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                count: size.count,
                height: size.height,
            };
            self.anchors.insert(anchor, anchored);
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.count = frame.count.saturating_add(size.count);
        frame.height = frame.height.max(size.height.saturating_add(1));
        let (map, pending) = match &mut frame.slot {
            Slot::Seq(items) => {
                items.push(node);
                return Ok(());
            }
            Slot::Map { map, pending } => (map, pending),
        };
        match std::mem::replace(pending, Pending::Key) {
            Pending::Key => match key_string(node.value) {
                Ok(key) => *pending = Pending::Value { key, key_pos: at },
                Err(m) => return Err(self.fail((at, ParseErrorKind::UnsupportedKey, m))),
            },
            Pending::Value { key, key_pos } => {
                if let Some((first, key)) = map.insert(key, key_pos, node, true) {
                    self.duplicate(key, first, key_pos);
                }
            }
            Pending::Merge => {
                if let Err(m) = merge(map, node, from_alias) {
                    return Err(self.fail((at, ParseErrorKind::Merge, m)));
                }
            }
        }
        Ok(())
    }

    fn duplicate(&mut self, key: String, first: Pos, last: Pos) {
        let mut pointer = String::new();
        let n = self.stack.len().saturating_sub(1);
        for frame in self.stack.iter().take(n) {
            match &frame.slot {
                Slot::Seq(items) => push_index(&mut pointer, items.len()),
                Slot::Map {
                    pending: Pending::Value { key, .. },
                    ..
                } => push_key(&mut pointer, key),
                Slot::Map { .. } => push_key(&mut pointer, "<<"),
            }
        }
        push_key(&mut pointer, &key);
        self.duplicates.push(DuplicateKey {
            pointer,
            key,
            first,
            last,
        });
    }
}

/// Errors go-yaml finds while decoding a parsed document (after any syntax error in it).
fn is_decode_error(kind: ParseErrorKind) -> bool {
    matches!(
        kind,
        ParseErrorKind::UnsupportedKey
            | ParseErrorKind::Tag
            | ParseErrorKind::Merge
            | ParseErrorKind::AliasBudget
            | ParseErrorKind::Alias
    )
}

/// go-yaml v2's limit on the share of decoded nodes that come from aliases: 99% for documents of up to
/// 400,000 nodes, falling to 10% at 4,000,000.
fn allowed_alias_ratio(decoded: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decoded <= LOW {
        0.99
    } else if decoded >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// Applies a merge key's value to the map being built (go-yaml v2: merged keys overwrite keys already
/// present; for a sequence, earlier maps win).
fn merge(map: &mut MapBuilder, node: Node, from_alias: bool) -> Result<(), String> {
    match node.value {
        Value::Map(m) => {
            for e in m.into_entries() {
                map.insert(e.key, e.key_pos, e.value, false);
            }
            Ok(())
        }
        Value::Seq(items) if !from_alias => {
            if items.iter().any(|i| !matches!(i.value, Value::Map(_))) {
                return Err(MERGE_MESSAGE.to_string());
            }
            for item in items.into_iter().rev() {
                if let Value::Map(m) = item.value {
                    for e in m.into_entries() {
                        map.insert(e.key, e.key_pos, e.value, false);
                    }
                }
            }
            Ok(())
        }
        _ => Err(MERGE_MESSAGE.to_string()),
    }
}
