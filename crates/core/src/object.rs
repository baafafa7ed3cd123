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
    /// The whole object.
    pub root: Node,
    /// Where it came from.
    pub source: Source,
}

/// Kinds that embed a pod spec, with the path to it.
const POD_SPEC_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    ("ReplicationController", &["spec", "template", "spec"]),
    ("PodTemplate", &["template", "spec"]),
    ("CronJob", &["spec", "jobTemplate", "spec", "template", "spec"]),
];

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
        })
    }

    /// The pod spec this object embeds, when its kind embeds one and the spec is present.
    pub fn pod_spec(&self) -> Option<PodSpecView<'_>> {
        let (_, path) = POD_SPEC_PATHS.iter().find(|(k, _)| *k == self.id.kind)?;
        let spec = self.root.path(path)?;
        spec.as_map()?;
        let parent = match path.split_last() {
            Some((_, parent)) => self.root.path(parent)?,
            None => &self.root,
        };
        let metadata = parent.get("metadata");
        let key_pos = match path.split_last() {
            Some((last, _)) => parent.entry(last).map_or(spec.pos, |e| e.key_pos),
            None => spec.pos,
        };
        let mut pointer = String::new();
        for p in path.iter() {
            pointer.push('/');
            pointer.push_str(p);
        }
        Some(PodSpecView {
            spec,
            metadata,
            pointer,
            key_pos,
        })
    }

    /// True when this object's kind embeds a pod spec.
    pub fn embeds_pod(&self) -> bool {
        POD_SPEC_PATHS.iter().any(|(k, _)| *k == self.id.kind)
    }

    /// The location of a field in this object, for a finding.
    pub fn location(&self, pos: Pos, pointer: &str) -> Location {
        Location {
            file: self.source.file.clone(),
            document: self.source.document,
            line: pos.line,
            column: pos.col,
            pointer: format!("{}{}", self.source.base_pointer, pointer),
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
    pub pointer: String,
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
    /// JSON pointer of the container inside the object.
    pub pointer: String,
}

/// A field looked up along a path: the value when the whole path exists, else where the nearest parent is.
#[derive(Clone, Debug)]
pub struct Located<'a> {
    /// The value at the end of the path, when it exists.
    pub node: Option<&'a Node>,
    /// Position of the deepest existing key on the path (the field itself when it exists).
    pub pos: Pos,
    /// Pointer to the full path (whether or not it exists).
    pub pointer: String,
}

/// Looks up `path` under `node` (whose pointer is `base` and position `pos`).
pub fn locate<'a>(node: &'a Node, base: &str, pos: Pos, path: &[&str]) -> Located<'a> {
    let mut cur = Some(node);
    let mut best = pos;
    let mut pointer = base.to_string();
    for key in path {
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(key));
        cur = match cur.and_then(|n| n.entry(key)) {
            Some(e) => {
                best = e.key_pos;
                Some(&e.value)
            }
            None => None,
        };
    }
    Located {
        node: cur,
        pos: best,
        pointer,
    }
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
                        pointer: format!("{}/{}/{}", self.pointer, kind.field(), index),
                    })
            })
    }

    /// Looks up a field of the pod spec.
    pub fn field(&self, path: &[&str]) -> Located<'a> {
        locate(self.spec, &self.pointer, self.key_pos, path)
    }

    /// The pod (template) annotations with their entries, when present.
    pub fn annotations(&self) -> Option<&'a Node> {
        self.metadata.and_then(|m| m.get("annotations"))
    }

    /// Pointer of the pod (template) metadata.
    pub fn metadata_pointer(&self) -> String {
        match self.pointer.strip_suffix("/spec") {
            Some(parent) => format!("{parent}/metadata"),
            None => "/metadata".to_string(),
        }
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

impl<'a> ContainerView<'a> {
    /// The container's name (empty when missing).
    pub fn name(&self) -> &'a str {
        self.node.get_str("name").unwrap_or("")
    }

    /// How messages name it: `container "app"`, `init container "setup"`.
    pub fn label(&self) -> String {
        format!("{} \"{}\"", self.kind.noun(), self.name())
    }

    /// Looks up a field of the container.
    pub fn field(&self, path: &[&str]) -> Located<'a> {
        locate(self.node, &self.pointer, self.node.pos, path)
    }
}
