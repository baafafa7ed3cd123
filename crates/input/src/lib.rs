//! Palisade input: reads YAML and JSON manifests exactly as Kubernetes does, with a position on every node.
//!
//! kubectl and client-go read manifests through apimachinery's `YAMLOrJSONDecoder`: a file whose first
//! non-space character is `{` is a stream of JSON values (Go encoding/json), anything else a YAML stream
//! decoded by sigs.k8s.io/yaml over go-yaml v2, which means YAML 1.1 scalars (`yes`/`on`/`y` are booleans,
//! `0755` is 493), merge keys (`<<`), the last duplicate key winning, and non-string keys converted to strings.
//! This crate reproduces that reading (checked against recorded Go output in the `_k8syaml.jsonl` oracle
//! files) and keeps the line and column of every value and key.
//!
//! Hostile input is bounded: file size, nesting depth and alias expansion have limits ([`LoadOptions`]);
//! the tree builders are iterative, so deep nesting cannot overflow the stack.

#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod aks;
mod build;
mod compat;
mod error;
mod json;
mod resolve;
mod terraform;
pub mod testdata;
mod text;
mod yaml;

pub use build::DuplicateKey;
pub use error::{LoadError, ParseError, ParseErrorKind};

use palisade_core::{K8sObject, Node, Source, Value};
use std::sync::Arc;

/// Limits for reading one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// Files larger than this are not read (default 64 MiB).
    pub max_file_bytes: u64,
    /// Deepest nesting of sequences and mappings (default 1000). Parsing is iterative, but cloning and
    /// dropping a tree recurse once per level, so keep this in the thousands.
    pub max_depth: usize,
    /// Budget of nodes created by alias expansion per file (default 1,000,000). go-yaml's own limit on the
    /// share of aliased nodes in a document applies as well.
    pub max_alias_nodes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 1000,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// One document as Kubernetes reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedDoc {
    /// 1-based index of the document in its file.
    pub index: usize,
    /// The document; `Value::Null` for an empty or comment-only document.
    pub root: Node,
    /// Keys written more than once in the same mapping (Kubernetes keeps the last value).
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// Parses a whole file into documents. On error, returns the documents before the failing one and the error.
pub fn parse_documents(bytes: &[u8], opts: &LoadOptions) -> (Vec<LoadedDoc>, Option<ParseError>) {
    let len = bytes.len() as u64;
    if len > opts.max_file_bytes {
        let message = format!("file is {len} bytes, over the limit of {} bytes", opts.max_file_bytes);
        return (
            Vec::new(),
            Some(ParseError::new(1, 1, 1, ParseErrorKind::TooLarge, message)),
        );
    }
    // UTF-16 with a byte-order mark is read by libyaml; transcode it.
    let transcoded;
    let bytes = match text::decode_utf16(bytes) {
        None => bytes,
        Some(Ok(s)) => {
            transcoded = s;
            transcoded.as_bytes()
        }
        Some(Err(unit)) => {
            let message = format!("invalid UTF-16: unpaired surrogate at byte {unit}");
            return (
                Vec::new(),
                Some(ParseError::new(1, 1, 1, ParseErrorKind::InvalidUtf8, message)),
            );
        }
    };
    let head = bytes
        .get(..bytes.len().min(text::BINARY_SNIFF_BYTES))
        .unwrap_or_default();
    if let Some(at) = memchr::memchr(0, head) {
        let p = text::pos_at(bytes, at);
        let message = "binary file (NUL bytes), not a manifest";
        return (
            Vec::new(),
            Some(ParseError::new(1, p.line, p.col, ParseErrorKind::Binary, message)),
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return invalid_utf8(bytes, e.valid_up_to(), opts),
    };
    let (docs, err) = if text::sniff_json(text) {
        json::parse(text, opts)
    } else {
        yaml::parse(text, opts)
    };
    (docs, err.map(|e| classify_template(text, e)))
}

/// Invalid UTF-8 at `offset`: the YAML documents that end before the bad line, and the error.
fn invalid_utf8(bytes: &[u8], offset: usize, opts: &LoadOptions) -> (Vec<LoadedDoc>, Option<ParseError>) {
    let p = text::pos_at(bytes, offset);
    let valid = std::str::from_utf8(bytes.get(..offset).unwrap_or_default()).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let prefix = valid.get(..line_start).unwrap_or_default();
    let mut docs = Vec::new();
    if !text::sniff_json(valid) {
        let (d, err) = yaml::parse(prefix, opts);
        docs = d;
        if err.is_none() {
            // The last document continues past the bad line.
            docs.pop();
        }
    }
    let message = format!("invalid UTF-8 (byte 0x{:02x})", bytes.get(offset).copied().unwrap_or(0));
    let e = ParseError::new(docs.len() + 1, p.line, p.col, ParseErrorKind::InvalidUtf8, message);
    (docs, Some(e))
}

/// A parse failure in text containing `{{` is reported as an unrendered template.
fn classify_template(text: &str, e: ParseError) -> ParseError {
    let parse_failure = matches!(
        e.kind,
        ParseErrorKind::Syntax
            | ParseErrorKind::Json
            | ParseErrorKind::UnsupportedKey
            | ParseErrorKind::Tag
            | ParseErrorKind::Merge
            | ParseErrorKind::Alias
    );
    if !parse_failure {
        return e;
    }
    match text::template_line(text.as_bytes()) {
        Some(line) => ParseError {
            kind: ParseErrorKind::Template,
            message: format!(
                "unrendered Helm/Go template ({{{{ ... }}}} at line {line}); render it first (helm template / \
                 kustomize build) and scan the output [{}]",
                e.message
            ),
            ..e
        },
        None => e,
    }
}

/// The result of loading one file into Kubernetes objects.
#[derive(Clone, Debug, Default)]
pub struct FileLoad {
    /// The objects, in file order (`List` items in place of their list).
    pub objects: Vec<K8sObject>,
    /// Documents read (including empty ones).
    pub documents: usize,
    /// Non-empty documents (or `List` items) without a string `apiVersion` and `kind`.
    pub skipped_non_k8s: usize,
    /// Why the file (or its remaining documents) could not be read.
    pub errors: Vec<LoadError>,
    /// Duplicate keys, with the document they are in.
    pub duplicate_keys: Vec<(usize, DuplicateKey)>,
    /// AKS cluster configuration found in the file (Terraform, ARM/Bicep JSON, `az aks show` output).
    pub aks: palisade_core::aks::AksInputs,
}

/// Loads one file: every document that is a Kubernetes object (or a `List` of them), and AKS inputs: Terraform
/// files (by their `.tf` / `.tfvars` label), ARM templates and parameters files, exported resources, `az aks`
/// output and `terraform show -json` documents (by their content; see [`aks::classify`]).
pub fn load_file(file_label: &str, bytes: &[u8], opts: &LoadOptions) -> FileLoad {
    if terraform::is_terraform_label(file_label) {
        return aks::load_terraform(file_label, bytes, opts);
    }
    let (mut docs, mut err) = parse_documents(bytes, opts);
    // ARM templates may hold comments, which JSON (and so the manifest loader) rejects.
    if err.is_some() && file_label.ends_with(".json") {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.contains("deploymentTemplate") && (text.contains("//") || text.contains("/*")) {
                let (d, e) = json::parse(&aks::strip_json_comments(text), opts);
                if e.is_none() {
                    docs = d;
                    err = None;
                }
            }
        }
    }
    let file: Arc<str> = Arc::from(file_label);
    let mut out = FileLoad {
        documents: docs.len(),
        ..FileLoad::default()
    };
    for doc in docs {
        let LoadedDoc {
            index,
            root,
            duplicate_keys,
        } = doc;
        out.duplicate_keys
            .extend(duplicate_keys.into_iter().map(|d| (index, d)));
        if let Some(root) = aks::take(&mut out.aks, &file, index, root) {
            add_document(&mut out, &file, index, root);
        }
    }
    if let Some(e) = err {
        out.errors.push(LoadError::from_parse(file_label, e));
    }
    out
}

/// True for `kind: List` (or `...List` whose items are all mappings) with an `items` sequence.
fn is_list(root: &Node) -> bool {
    let Some(kind) = root.get_str("kind") else {
        return false;
    };
    let Some(items) = root.get("items").and_then(Node::as_seq) else {
        return false;
    };
    kind == "List" || (kind.ends_with("List") && items.iter().all(|i| i.as_map().is_some()))
}

fn add_document(out: &mut FileLoad, file: &Arc<str>, index: usize, root: Node) {
    if root.is_null() {
        return;
    }
    if is_list(&root) {
        let Value::Map(map) = root.value else {
            return;
        };
        for entry in map.into_entries() {
            if entry.key != "items" {
                continue;
            }
            let Value::Seq(items) = entry.value.value else {
                continue;
            };
            for (n, item) in items.into_iter().enumerate() {
                let source = Source {
                    file: Arc::clone(file),
                    document: index,
                    base_pointer: format!("/items/{n}"),
                };
                match K8sObject::from_node(item, source) {
                    Some(o) => out.objects.push(o),
                    None => out.skipped_non_k8s += 1,
                }
            }
        }
        return;
    }
    let source = Source {
        file: Arc::clone(file),
        document: index,
        base_pointer: String::new(),
    };
    match K8sObject::from_node(root, source) {
        Some(o) => out.objects.push(o),
        None => out.skipped_non_k8s += 1,
    }
}
