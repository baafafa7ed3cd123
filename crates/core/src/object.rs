//! Kubernetes objects and the normalised views rules read them through.

use crate::finding::{Location, ObjectRef};
use crate::node::{escape_pointer_token, Node, Pos};
use std::sync::Arc;

/// Where an object came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file as given (`<stdin>` for standard input).
    pub file: Arc<str>,
    /// 1-based document index in the file.
    pub document: usize,
    /// JSON pointer of the object inside its document: empty, or `/items/N` for `kind: List` items.
    pub base_pointer: String,
}

/// A Kubernetes object: a map with `apiVersion` and `kind`, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct K8sObject {
    /// The object's identity (shared with the findings about it).
    pub id: Arc<ObjectRef>,
    /// The whole object. Build a new object rather than changing it: the pod spec's place is remembered.
    pub root: Node,
    /// Where it came from.
    pub source: Source,
    /// Where the pod spec is, found on the first [`K8sObject::pod_spec`] (which every pod rule calls).
    pod: PodCache,
}

/// Entry indices from the root to the pod spec, and of the pod (template) metadata beside it.
#[derive(Clone, Copy, Debug)]
struct PodIndex {
    /// Position in [`POD_SPEC_PATHS`].
    which: usize,
    /// Entry index at each step of the path.
    steps: [u32; 5],
    /// Entry index of `metadata` in the spec's parent map.
    metadata: Option<u32>,
}

/// A remembered [`PodIndex`]: not part of the object's value (equal objects compare equal whatever it holds).
#[derive(Clone, Debug, Default)]
struct PodCache(std::sync::OnceLock<Option<PodIndex>>);

impl PartialEq for PodCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Kinds that embed a pod spec, with the path to it, its pointer and the pointer of the pod (template) metadata.
type PodSpecPath = (&'static str, &'static [&'static str], &'static str, &'static str);
const POD_SPEC_PATHS: &[PodSpecPath] = &[
    ("Pod", &["spec"], "/spec", "/metadata"),
    ("Deployment", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    ("ReplicaSet", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    ("StatefulSet", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    ("DaemonSet", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    ("Job", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    ("ReplicationController", TEMPLATE, TEMPLATE_SPEC, TEMPLATE_METADATA),
    (
        "PodTemplate",
        &["template", "spec"],
        "/template/spec",
        "/template/metadata",
    ),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
        "/spec/jobTemplate/spec/template/spec",
        "/spec/jobTemplate/spec/template/metadata",
    ),
];
const TEMPLATE: &[&str] = &["spec", "template", "spec"];
const TEMPLATE_SPEC: &str = "/spec/template/spec";
const TEMPLATE_METADATA: &str = "/spec/template/metadata";

impl K8sObject {
    /// Builds an object from a document node; `None` when it is not a map with string `apiVersion` and `kind`.
    pub fn from_node(root: Node, source: Source) -> Option<Self> {
        let api_version = root.get_str("apiVersion")?.to_string();
        let kind = root.get_str("kind")?.to_string();
        if api_version.is_empty() || kind.is_empty() {
            return None;
        }
        let meta = root.get("metadata");
        let namespace = meta
            .and_then(|m| m.get_str("namespace"))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let name = meta
            .and_then(|m| m.get_str("name").or_else(|| m.get_str("generateName")))
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        Some(Self {
            id: Arc::new(ObjectRef {
                api_version,
                kind,
                namespace,
                name,
            }),
            root,
            source,
            pod: PodCache::default(),
        })
    }

    /// An object from its parts (the caller guarantees that `id` describes `root`).
    pub fn from_parts(id: Arc<ObjectRef>, root: Node, source: Source) -> Self {
        Self {
            id,
            root,
            source,
            pod: PodCache::default(),
        }
    }

    /// Finds the pod spec by key, the slow way, and where it was.
    fn find_pod(&self) -> Option<PodIndex> {
        let which = POD_SPEC_PATHS.iter().position(|(k, ..)| *k == self.id.kind)?;
        let (_, path, ..) = POD_SPEC_PATHS.get(which)?;
        let mut steps = [0u32; 5];
        let mut cur = &self.root;
        let mut parent = &self.root;
        for (step, key) in steps.iter_mut().zip(path.iter()) {
            let entries = cur.as_map()?.entries();
            let i = entries.iter().position(|e| e.key == *key)?;
            *step = u32::try_from(i).ok()?;
            parent = cur;
            cur = &entries.get(i)?.value;
        }
        cur.as_map()?;
        let metadata = parent
            .as_map()?
            .entries()
            .iter()
            .position(|e| e.key == "metadata")
            .and_then(|i| u32::try_from(i).ok());
        Some(PodIndex { which, steps, metadata })
    }

    /// The pod spec this object embeds, when its kind embeds one and the spec is present.
    pub fn pod_spec(&self) -> Option<PodSpecView<'_>> {
        let ix = (*self.pod.0.get_or_init(|| self.find_pod()))?;
        // A changed tree (against the advice on `root`) is searched again rather than misread.
        self.pod_spec_at(ix)
            .or_else(|| self.find_pod().and_then(|ix| self.pod_spec_at(ix)))
    }

    fn pod_spec_at(&self, ix: PodIndex) -> Option<PodSpecView<'_>> {
        let (_, path, pointer, _) = POD_SPEC_PATHS.get(ix.which)?;
        // Follow the remembered entry indices, checking each key's length and ends (cheap: no search, no memcmp).
        let same = |a: &str, b: &str| {
            a.len() == b.len()
                && a.as_bytes().first() == b.as_bytes().first()
                && a.as_bytes().last() == b.as_bytes().last()
        };
        let mut parent = &self.root;
        let mut entry = None;
        for (i, (step, key)) in ix.steps.iter().zip(path.iter()).enumerate() {
            let e = parent
                .as_map()?
                .entries()
                .get(*step as usize)
                .filter(|e| same(&e.key, key))?;
            if i + 1 == path.len() {
                entry = Some(e);
            } else {
                parent = &e.value;
            }
        }
        let entry = entry?;
        let spec = &entry.value;
        spec.as_map()?;
        let metadata = ix
            .metadata
            .and_then(|m| parent.as_map()?.entries().get(m as usize))
            .filter(|e| same(&e.key, "metadata"))
            .map(|e| &e.value);
        let key_pos = entry.key_pos;
        Some(PodSpecView {
            spec,
            metadata,
            pointer,
            key_pos,
        })
    }

    /// The kinds that embed a pod spec.
    pub fn pod_kinds() -> impl Iterator<Item = &'static str> {
        POD_SPEC_PATHS.iter().map(|(k, ..)| *k)
    }

    /// True when this object's kind embeds a pod spec.
    pub fn embeds_pod(&self) -> bool {
        POD_SPEC_PATHS.iter().any(|(k, ..)| *k == self.id.kind)
    }

    /// The location of a field in this object, for a finding.
    pub fn location(&self, pos: Pos, pointer: impl std::fmt::Display) -> Location {
        Location {
            file: self.source.file.clone(),
            document: self.source.document,
            line: pos.line,
            column: pos.col,
            pointer: format!("{}{}", self.source.base_pointer, pointer),
        }
    }

    /// The location of a field in this object from its pointer relative to the object, reusing the string when
    /// the object is a whole document.
    pub fn location_of(&self, pos: Pos, pointer: String) -> Location {
        if self.source.base_pointer.is_empty() {
            Location {
                file: self.source.file.clone(),
                document: self.source.document,
                line: pos.line,
                column: pos.col,
                pointer,
            }
        } else {
            self.location(pos, pointer)
        }
    }

    /// The object's labels (`metadata.labels`) as a map node.
    pub fn labels(&self) -> Option<&Node> {
        self.root.path(&["metadata", "labels"])
    }
}

/// Which list of a pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    /// `initContainers`.
    Init,
    /// `containers`.
    Regular,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field holding this kind of container.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// How messages name it.
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// A pod spec, wherever it is embedded.
#[derive(Clone, Debug)]
pub struct PodSpecView<'a> {
    /// The pod spec map.
    pub spec: &'a Node,
    /// The pod (template) metadata, when present.
    pub metadata: Option<&'a Node>,
    /// JSON pointer of the spec inside the object (`/spec`, `/spec/template/spec`, ...).
    pub pointer: &'static str,
    /// Position of the `spec` key: where findings about a missing pod-level field point.
    pub key_pos: Pos,
}

/// One container of a pod spec.
#[derive(Clone, Debug)]
pub struct ContainerView<'a> {
    /// Which list it is in.
    pub kind: ContainerKind,
    /// Index in that list.
    pub index: usize,
    /// The container map.
    pub node: &'a Node,
    /// JSON pointer of the pod spec the container is in.
    pub spec_pointer: &'static str,
}

/// Most keys a [`Pointer`] holds inline; a longer path is rendered into a string once.
const INLINE_TOKENS: usize = 5;

/// Where a [`Pointer`] starts.
#[derive(Clone, Debug)]
enum PointerBase<'a> {
    /// An already escaped pointer.
    Str(&'a str),
    /// A container: `{spec}/{containers|initContainers|ephemeralContainers}/{index}`.
    Container(&'static str, ContainerKind, u32),
    /// An already escaped pointer built by the caller.
    Owned(String),
}

/// One reference token of a [`Pointer`].
#[derive(Clone, Copy, Debug)]
enum Token<'a> {
    /// A map key (unescaped).
    Key(&'a str),
    /// A sequence index (u32 keeps a token at 16 bytes: pointers are moved around a lot).
    Index(u32),
}

/// A JSON pointer (RFC 6901) relative to an object, rendered only when it is used: most lookups find nothing
/// wrong, and building a string for each of them was most of what a rule cost. Displays as the pointer; converts
/// into a `String`.
#[derive(Clone, Debug)]
pub struct Pointer<'a> {
    base: PointerBase<'a>,
    /// Tokens after the base.
    tokens: [Token<'a>; INLINE_TOKENS],
    len: usize,
}

impl<'a> Pointer<'a> {
    /// A pointer starting at `base` (already escaped: `""`, `/spec/template/spec`).
    pub fn new(base: &'a str) -> Self {
        Self::with_base(PointerBase::Str(base))
    }

    /// A pointer starting at an escaped pointer the caller built.
    pub fn owned(base: String) -> Self {
        Self::with_base(PointerBase::Owned(base))
    }

    fn with_base(base: PointerBase<'a>) -> Self {
        Self {
            base,
            tokens: [Token::Index(0); INLINE_TOKENS],
            len: 0,
        }
    }

    /// Appends one key (unescaped).
    pub fn push(&mut self, key: &'a str) {
        self.push_token(Token::Key(key));
    }

    /// Appends a sequence index.
    pub fn push_index(&mut self, index: usize) {
        match u32::try_from(index) {
            Ok(i) => self.push_token(Token::Index(i)),
            Err(_) => {
                let mut s = self.render();
                s.push('/');
                s.push_str(&index.to_string());
                *self = Self::owned(s);
            }
        }
    }

    /// The pointer extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.push_index(index);
        p
    }

    fn push_token(&mut self, token: Token<'a>) {
        if self.len == INLINE_TOKENS {
            self.base = PointerBase::Owned(self.render());
            self.len = 0;
        }
        if let Some(slot) = self.tokens.get_mut(self.len) {
            *slot = token;
            self.len += 1;
        }
    }

    /// The pointer extended by `tokens`.
    pub fn join(&self, tokens: &[&'a str]) -> Self {
        self.clone().extended(tokens)
    }

    /// This pointer extended by `tokens` (in place: rules locate fields all the time).
    pub fn extended(mut self, tokens: &[&'a str]) -> Self {
        let end = self.len + tokens.len();
        match self.tokens.get_mut(self.len..end) {
            Some(slots) => {
                for (slot, t) in slots.iter_mut().zip(tokens) {
                    *slot = Token::Key(t);
                }
                self.len = end;
            }
            None => tokens.iter().for_each(|t| self.push(t)),
        }
        self
    }
}

impl Pointer<'_> {
    /// Sends the pointer to `out` piece by piece: no formatting machinery, integers through `itoa` (pointers are
    /// rendered for every finding).
    fn write_pieces<E>(&self, mut out: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        let mut digits = itoa::Buffer::new();
        match &self.base {
            PointerBase::Str(s) => out(s)?,
            PointerBase::Owned(s) => out(s)?,
            PointerBase::Container(spec, kind, index) => {
                out(spec)?;
                out("/")?;
                out(kind.field())?;
                out("/")?;
                out(digits.format(*index))?;
            }
        }
        for t in self.tokens.iter().take(self.len) {
            out("/")?;
            match t {
                Token::Key(k) => out(&escape_pointer_token(k))?,
                Token::Index(i) => out(digits.format(*i))?,
            }
        }
        Ok(())
    }

    /// The rendered length (escapes counted as one byte each: a capacity hint).
    fn len_hint(&self) -> usize {
        let base = match &self.base {
            PointerBase::Str(s) => s.len(),
            PointerBase::Owned(s) => s.len(),
            PointerBase::Container(spec, kind, _) => spec.len() + kind.field().len() + 12,
        };
        base + self
            .tokens
            .iter()
            .take(self.len)
            .map(|t| match t {
                Token::Key(k) => k.len() + 1,
                Token::Index(_) => 11,
            })
            .sum::<usize>()
    }

    fn render(&self) -> String {
        let mut s = String::with_capacity(self.len_hint());
        let _ = self.write_pieces(|piece| {
            s.push_str(piece);
            Ok::<(), std::convert::Infallible>(())
        });
        s
    }
}

impl std::fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_pieces(|piece| f.write_str(piece))
    }
}

impl From<Pointer<'_>> for String {
    fn from(p: Pointer<'_>) -> String {
        match p.base {
            PointerBase::Owned(s) if p.len == 0 => s,
            _ => p.render(),
        }
    }
}

impl From<&Pointer<'_>> for String {
    fn from(p: &Pointer<'_>) -> String {
        p.render()
    }
}

impl PartialEq<&str> for Pointer<'_> {
    fn eq(&self, other: &&str) -> bool {
        let rendered: String = self.into();
        rendered == *other
    }
}

/// A field looked up along a path: the value when the whole path exists, else where the nearest parent is.
#[derive(Clone, Debug)]
pub struct Located<'a> {
    /// The value at the end of the path, when it exists.
    pub node: Option<&'a Node>,
    /// Position of the deepest existing key on the path (the field itself when it exists).
    pub pos: Pos,
    /// Pointer to the full path (whether or not it exists).
    pub pointer: Pointer<'a>,
}

/// Looks up `path` under `node` (whose pointer is `base` and position `pos`).
pub fn locate<'a>(node: &'a Node, base: &str, pos: Pos, path: &[&str]) -> Located<'a> {
    let mut pointer = String::with_capacity(base.len() + path.iter().map(|k| k.len() + 1).sum::<usize>());
    pointer.push_str(base);
    for key in path {
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(key));
    }
    let (node, pos) = walk(node, pos, path);
    Located {
        node,
        pos,
        pointer: Pointer::owned(pointer),
    }
}

/// Looks up `path` under `node` (whose pointer is `base` and position `pos`), rendering the pointer only when it
/// is used.
pub fn locate_at<'a>(node: &'a Node, base: Pointer<'a>, pos: Pos, path: &[&'a str]) -> Located<'a> {
    let (node, pos) = walk(node, pos, path);
    Located {
        node,
        pos,
        pointer: base.extended(path),
    }
}

/// The node at `path` under `node` and the position of the deepest existing key.
fn walk<'a>(node: &'a Node, pos: Pos, path: &[&str]) -> (Option<&'a Node>, Pos) {
    let mut cur = Some(node);
    let mut best = pos;
    for key in path {
        cur = match cur.and_then(|n| n.entry(key)) {
            Some(e) => {
                best = e.key_pos;
                Some(&e.value)
            }
            None => None,
        };
    }
    (cur, best)
}

impl<'a> PodSpecView<'a> {
    /// Containers in the order Pod Security Admission visits them: initContainers, containers,
    /// ephemeralContainers.
    pub fn containers(&self) -> impl Iterator<Item = ContainerView<'a>> + '_ {
        [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral]
            .into_iter()
            .flat_map(move |kind| {
                let items = self.spec.get(kind.field()).and_then(Node::as_seq).unwrap_or(&[]);
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_map().is_some())
                    .map(move |(index, node)| ContainerView {
                        kind,
                        index,
                        node,
                        spec_pointer: self.pointer,
                    })
            })
    }

    /// Looks up a field of the pod spec.
    pub fn field(&self, path: &[&'a str]) -> Located<'a> {
        locate_at(self.spec, Pointer::new(self.pointer), self.key_pos, path)
    }

    /// The pod (template) annotations with their entries, when present.
    pub fn annotations(&self) -> Option<&'a Node> {
        self.metadata.and_then(|m| m.get("annotations"))
    }

    /// Pointer of the pod (template) metadata.
    pub fn metadata_pointer(&self) -> &'static str {
        POD_SPEC_PATHS
            .iter()
            .find(|(_, _, spec, _)| *spec == self.pointer)
            .map_or("/metadata", |(.., metadata)| metadata)
    }

    /// True when `spec.os.name` is `windows`.
    pub fn is_windows(&self) -> bool {
        self.spec.path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// `spec.hostUsers` when it is a boolean.
    pub fn host_users(&self) -> Option<bool> {
        self.spec.get("hostUsers").and_then(Node::as_bool)
    }
}

/// A container as messages name it: `container "app"`, `init container "setup"`.
#[derive(Clone, Copy, Debug)]
pub struct ContainerLabel<'a> {
    kind: ContainerKind,
    name: &'a str,
}

impl std::fmt::Display for ContainerLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Piece by piece: `write!` would go through the formatting machinery (and padding) for each argument,
        // and every container message names its container.
        f.write_str(self.kind.noun())?;
        f.write_str(" \"")?;
        f.write_str(self.name)?;
        f.write_str("\"")
    }
}

impl ContainerLabel<'_> {
    /// The label followed by `tail`, in a string sized up front: most container messages are just that, and
    /// `format!` would go through the formatting machinery for them.
    pub fn with(&self, tail: &str) -> String {
        let noun = self.kind.noun();
        let mut s = String::with_capacity(noun.len() + self.name.len() + 3 + tail.len());
        s.push_str(noun);
        s.push_str(" \"");
        s.push_str(self.name);
        s.push('"');
        s.push_str(tail);
        s
    }
}

impl<'a> ContainerView<'a> {
    /// The container's name (empty when missing).
    pub fn name(&self) -> &'a str {
        self.node.get_str("name").unwrap_or("")
    }

    /// How messages name it: `container "app"`, `init container "setup"` (written where it is formatted: no
    /// string of its own).
    pub fn label(&self) -> ContainerLabel<'a> {
        ContainerLabel {
            kind: self.kind,
            name: self.name(),
        }
    }

    /// JSON pointer of the container inside the object.
    pub fn pointer(&self) -> Pointer<'a> {
        match u32::try_from(self.index) {
            Ok(index) => Pointer::with_base(PointerBase::Container(self.spec_pointer, self.kind, index)),
            Err(_) => Pointer::owned(format!("{}/{}/{}", self.spec_pointer, self.kind.field(), self.index)),
        }
    }

    /// Looks up a field of the container.
    pub fn field(&self, path: &[&'a str]) -> Located<'a> {
        locate_at(self.node, self.pointer(), self.node.pos, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Value;

    #[test]
    fn pointers_render_lazily_and_escape_keys() {
        let mut p = Pointer::new("/spec");
        p.push("a/b~c");
        p.push_index(3);
        assert_eq!(p.to_string(), "/spec/a~1b~0c/3");
        assert_eq!(String::from(p.join(&["x"])), "/spec/a~1b~0c/3/x");
    }

    #[test]
    fn indices_render_in_decimal_by_display_and_into_string_alike() {
        for i in [0usize, 7, 10, 99, 100, 4_294_967_295, 4_294_967_296] {
            let p = Pointer::new("/spec/containers").index(i).join(&["ports"]).index(i % 13);
            let expected = format!("/spec/containers/{i}/ports/{}", i % 13);
            assert_eq!(p.to_string(), expected);
            assert_eq!(String::from(&p), expected);
            assert_eq!(String::from(p), expected);
        }
    }

    #[test]
    fn long_pointers_spill_into_a_string() {
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        let p = Pointer::new("").join(&keys).index(7);
        assert_eq!(p.to_string(), "/a/b/c/d/e/f/g/h/i/7");
    }

    #[test]
    fn labels_with_a_tail_are_the_formatted_labels() {
        for kind in [ContainerKind::Init, ContainerKind::Regular, ContainerKind::Ephemeral] {
            for name in ["", "web", "a\"b \u{e9}"] {
                let label = ContainerLabel { kind, name };
                for tail in ["", " sets privileged: true", " \u{1F600}"] {
                    assert_eq!(label.with(tail), format!("{label}{tail}"));
                }
            }
        }
    }

    #[test]
    fn container_fields_point_into_their_list() {
        let container = Node::new(Pos::new(3, 5), Value::Map(crate::node::Map::new()));
        let c = ContainerView {
            kind: ContainerKind::Init,
            index: 2,
            node: &container,
            spec_pointer: "/spec/template/spec",
        };
        let loc = c.field(&["securityContext", "privileged"]);
        assert!(loc.node.is_none());
        assert_eq!(loc.pos, Pos::new(3, 5));
        assert_eq!(
            loc.pointer,
            "/spec/template/spec/initContainers/2/securityContext/privileged"
        );
    }
}
