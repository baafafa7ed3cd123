#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]
//! Custom policies in Rego for Palisade: Gatekeeper ConstraintTemplates with their constraints, and Palisade's
//! own Rego policies (`deny` + `metadata`, see docs/policies.md), evaluated with regorus.
//!
//! # API (used by the CLI scan and the admission webhook)
//!
//! ```no_run
//! use palisade_policy::{Inventory, PolicySet, Review};
//! # fn demo(objects: &[palisade_core::K8sObject]) {
//! let (set, load_errors) = PolicySet::load(&["policies/".into()]);   // compile once per process
//! let inventory = Inventory::from_objects(objects, Some("default"));    // data.inventory (may be empty)
//! let evaluator = set.evaluator(&inventory);                            // prepare once per inventory
//! for obj in objects {
//!     let out = evaluator.check(&Review::new(obj));
//!     for f in out.findings { /* f.finding: palisade_core::Finding, f.enforcement: deny / warn / dryrun */ }
//!     for e in out.errors { /* a policy failed on this object (runtime error, time limit) */ }
//! }
//! # }
//! ```
//!
//! [`PolicySet`] and [`Evaluator`] are `Send + Sync`; `check` may be called from many threads at once.
//!
//! Finding IDs, names and remediations are `&'static str` in [`palisade_core::Finding`]: each loaded policy
//! leaks its strings once ([`Box::leak`]), bounded by the number of policies loaded, which a process does once.
//!
//! Library code never panics: every failure is a [`PolicyError`].

pub mod compat;
pub mod convert;
pub mod error;
pub mod gatekeeper;
pub mod inventory;
pub mod matching;
pub mod native;
pub mod program;
pub mod rewrite;
pub mod suite;

pub use error::{PolicyError, PolicyErrorKind};
pub use gatekeeper::Enforcement;
pub use inventory::Inventory;

use crate::convert::{get, node_to_value, object, value_to_json};
use crate::gatekeeper::{Constraint, Template};
use crate::matching::{Match, Target};
use crate::program::{EvalFailure, Prepared, Program};
use palisade_core::{Finding, K8sObject, Node, Pos, Severity};
use rayon::prelude::*;
use regorus::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// Default wall-clock limit of one evaluation of one policy against one object.
pub const DEFAULT_EVAL_LIMIT: Duration = Duration::from_secs(2);

/// Largest policy file read.
const MAX_POLICY_FILE: u64 = 16 * 1024 * 1024;

/// The strings of a policy that findings carry (leaked once per loaded policy, see the crate docs).
#[derive(Clone, Copy, Debug)]
pub struct PolicyMeta {
    /// Finding ID: `Kind/name` for a constraint, `metadata.id` for a Palisade policy.
    pub id: &'static str,
    /// Kebab-case name: the template's name, or the Palisade policy's name.
    pub name: &'static str,
    /// Remediation text.
    pub remediation: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// Enforcement action (always `Deny` for Palisade policies).
    pub enforcement: Enforcement,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[derive(Debug)]
enum Kind {
    Constraint { matcher: Box<Match>, parameters: Value },
    Native { kinds: Vec<String> },
}

#[derive(Debug)]
struct Policy {
    meta: PolicyMeta,
    kind: Kind,
    /// Index into `PolicySet::programs`.
    program: usize,
    /// The file the policy (constraint) came from.
    file: String,
}

/// Policies compiled once: every constraint with its template, and every Palisade policy.
#[derive(Debug, Default)]
pub struct PolicySet {
    programs: Vec<(Arc<Program>, String)>,
    policies: Vec<Policy>,
    limit: Option<Duration>,
    /// Engines prepared without `data.inventory`, built on first use and shared by every evaluator whose
    /// inventory a program does not read (so `check` per admission request does not re-prepare them).
    base: std::sync::OnceLock<Vec<Option<Arc<Prepared>>>>,
}

/// The object under review, and the admission context Gatekeeper templates may read.
#[derive(Clone, Debug)]
pub struct Review<'a> {
    /// The object (`input.review.object`). For a DELETE, pass the old object here, as Gatekeeper does.
    pub object: &'a K8sObject,
    /// `input.review.operation`: `CREATE` (the default, what applying a manifest does), `UPDATE`, `DELETE`,
    /// `CONNECT`.
    pub operation: &'a str,
    /// `input.review.oldObject` (UPDATE / DELETE).
    pub old_object: Option<&'a serde_json::Value>,
    /// `input.review.userInfo`.
    pub user_info: Option<&'a serde_json::Value>,
}

impl<'a> Review<'a> {
    /// A CREATE review of `object`.
    pub fn new(object: &'a K8sObject) -> Self {
        Self {
            object,
            operation: "CREATE",
            old_object: None,
            user_info: None,
        }
    }
}

/// One violation of a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyFinding {
    /// The finding, as built-in rules report them (ID, severity, message, object, location).
    pub finding: Finding,
    /// The constraint's enforcement action (`Deny` for Palisade policies).
    pub enforcement: Enforcement,
    /// Gatekeeper's `details`, when the template gives them.
    pub details: Option<serde_json::Value>,
}

/// What checking one object produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckOutput {
    /// Violations, in policy load order.
    pub findings: Vec<PolicyFinding>,
    /// Policies that failed on this object (runtime error, time limit, invalid selector).
    pub errors: Vec<PolicyError>,
    /// Constraints that could not be decided for this object: a `namespaceSelector` on an object whose
    /// Namespace is not in the inventory (Gatekeeper would fail the match too).
    pub not_evaluated: Vec<palisade_core::NotEvaluated>,
}

fn read_policy_file(path: &Path) -> Result<Vec<u8>, PolicyError> {
    use std::io::Read;
    let label = path.display().to_string();
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_POLICY_FILE + 1).read_to_end(&mut buf))
        .map_err(|e| PolicyError::file(&label, PolicyErrorKind::Io, format!("cannot read: {e}")))?;
    if buf.len() as u64 > MAX_POLICY_FILE {
        return Err(PolicyError::file(
            &label,
            PolicyErrorKind::Io,
            format!("policy file is over the limit of {MAX_POLICY_FILE} bytes"),
        ));
    }
    Ok(buf)
}

/// Policy files under `path`: the file itself, or every `*.rego`, `*.yaml`, `*.yml`, `*.json` below a directory
/// (sorted; hidden entries skipped).
fn policy_files(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<PolicyError>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(PolicyError::file(
                &path.display().to_string(),
                PolicyErrorKind::Io,
                format!("cannot read: {e}"),
            ));
            return;
        }
    };
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push(PolicyError::file(
                &path.display().to_string(),
                PolicyErrorKind::Io,
                format!("cannot read: {e}"),
            ));
            return;
        }
    };
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            policy_files(&p, out, errors);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "rego" | "yaml" | "yml" | "json"))
        {
            out.push(p);
        }
    }
}

/// Parses YAML/JSON policy text into objects (ConstraintTemplates, constraints and anything else).
pub fn parse_objects(label: &str, bytes: &[u8]) -> (Vec<K8sObject>, Vec<PolicyError>) {
    let load = palisade_input::load_file(label, bytes, &palisade_input::LoadOptions::default());
    let errors = load
        .errors
        .into_iter()
        .map(|e| PolicyError {
            file: e.file,
            document: e.document,
            line: e.line,
            policy: None,
            kind: PolicyErrorKind::Syntax,
            message: e.message,
        })
        .collect();
    (load.objects, errors)
}

impl PolicySet {
    /// Loads policies from files and directories: ConstraintTemplates and constraints from YAML/JSON, Palisade
    /// policies and libraries from `.rego` files. Other objects in the files are ignored. Returns the policies
    /// that loaded and an error for each that did not.
    pub fn load(paths: &[PathBuf]) -> (PolicySet, Vec<PolicyError>) {
        let mut errors = Vec::new();
        let mut files = Vec::new();
        for p in paths {
            policy_files(p, &mut files, &mut errors);
        }
        let mut objects = Vec::new();
        let mut rego = Vec::new();
        for f in &files {
            let label = f.display().to_string();
            let bytes = match read_policy_file(f) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if f.extension().and_then(|e| e.to_str()) == Some("rego") {
                match String::from_utf8(bytes) {
                    Ok(text) => rego.push((label, text)),
                    Err(_) => errors.push(PolicyError::file(&label, PolicyErrorKind::Syntax, "not UTF-8 text")),
                }
            } else {
                let (objs, errs) = parse_objects(&label, &bytes);
                objects.extend(objs);
                errors.extend(errs);
            }
        }
        let (set, errs) = Self::from_parts(&objects, &rego);
        errors.extend(errs);
        (set, errors)
    }

    /// Builds a set from objects already loaded (ConstraintTemplates and constraints; others are ignored) and
    /// `.rego` sources as (file name, text).
    pub fn from_parts(objects: &[K8sObject], rego_files: &[(String, String)]) -> (PolicySet, Vec<PolicyError>) {
        let mut set = PolicySet::default();
        let mut errors = Vec::new();
        // Templates first, by CRD kind.
        let mut templates: HashMap<String, (Template, Option<usize>)> = HashMap::new();
        let mut order = Vec::new();
        for obj in objects.iter().filter(|o| gatekeeper::is_template(o)) {
            match Template::parse(obj) {
                Ok(t) => {
                    if templates.contains_key(&t.kind) {
                        errors.push(PolicyError {
                            file: t.file.clone(),
                            document: t.document,
                            line: t.line,
                            policy: None,
                            kind: PolicyErrorKind::Invalid,
                            message: format!("a second template for kind {} (the first is kept)", t.kind),
                        });
                        continue;
                    }
                    order.push(t.kind.clone());
                    templates.insert(t.kind.clone(), (t, None));
                }
                Err(e) => errors.push(e),
            }
        }
        let mut compile_failed: HashMap<String, ()> = HashMap::new();
        let mut ids: HashMap<String, ()> = HashMap::new();
        for obj in objects.iter().filter(|o| gatekeeper::is_constraint(o)) {
            let c = match Constraint::parse(obj) {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let id = c.id();
            let Some((template, program)) = templates.get_mut(&c.kind) else {
                errors.push(PolicyError {
                    file: c.file.clone(),
                    document: c.document,
                    line: c.line,
                    policy: Some(id),
                    kind: PolicyErrorKind::Invalid,
                    message: format!(
                        "no ConstraintTemplate defines kind {} (pass the template with --policy)",
                        c.kind
                    ),
                });
                continue;
            };
            if compile_failed.contains_key(&c.kind) {
                continue;
            }
            let index = match program {
                Some(i) => *i,
                None => match Program::compile(&template.file, &template.rego, &template.libs, "violation") {
                    Ok(p) => {
                        set.programs.push((Arc::new(p), template.file.clone()));
                        let i = set.programs.len() - 1;
                        *program = Some(i);
                        i
                    }
                    Err(mut e) => {
                        e.document = template.document;
                        e.line = template.line;
                        e.policy = Some(template.name.clone());
                        errors.push(e);
                        compile_failed.insert(c.kind.clone(), ());
                        continue;
                    }
                },
            };
            if ids.insert(id.clone(), ()).is_some() {
                errors.push(PolicyError {
                    file: c.file.clone(),
                    document: c.document,
                    line: c.line,
                    policy: Some(id),
                    kind: PolicyErrorKind::Invalid,
                    message: "a second constraint with this kind and name (the first is kept)".into(),
                });
                continue;
            }
            let severity = c
                .severity
                .or(template.severity)
                .unwrap_or(c.enforcement.default_severity());
            let remediation = c
                .remediation
                .clone()
                .or(template.remediation.clone())
                .unwrap_or_else(|| {
                    format!(
                        "Change the object so that it satisfies constraint {id} (template {}).",
                        template.name
                    )
                });
            set.policies.push(Policy {
                meta: PolicyMeta {
                    id: leak(id),
                    name: leak(template.name.clone()),
                    remediation: leak(remediation),
                    severity,
                    enforcement: c.enforcement,
                },
                kind: Kind::Constraint {
                    parameters: crate::convert::json_to_value(&c.parameters),
                    matcher: Box::new(c.matcher),
                },
                program: index,
                file: c.file,
            });
        }
        // Palisade policies: libraries first, then each policy compiled with all of them.
        let mut libs = Vec::new();
        let mut mains = Vec::new();
        for (name, text) in rego_files {
            match native::classify(name, text) {
                Ok(native::RegoFile::Library(m)) => libs.push(m),
                Ok(native::RegoFile::Policy(m)) => mains.push(m),
                Err(e) => errors.push(e),
            }
        }
        for m in &mains {
            match native::compile(m, &libs) {
                Ok(p) => {
                    if ids.insert(p.id.clone(), ()).is_some() {
                        errors.push(PolicyError {
                            policy: Some(p.id.clone()),
                            ..PolicyError::file(&p.file, PolicyErrorKind::Invalid, "a second policy with this ID")
                        });
                        continue;
                    }
                    set.programs.push((Arc::new(p.program), p.file.clone()));
                    set.policies.push(Policy {
                        meta: PolicyMeta {
                            id: leak(p.id),
                            name: leak(p.name),
                            remediation: leak(p.remediation),
                            severity: p.severity,
                            enforcement: Enforcement::Deny,
                        },
                        kind: Kind::Native { kinds: p.kinds },
                        program: set.programs.len() - 1,
                        file: p.file,
                    });
                }
                Err(e) => errors.push(e),
            }
        }
        (set, errors)
    }

    /// Sets the wall-clock limit of one evaluation (default [`DEFAULT_EVAL_LIMIT`]).
    pub fn with_eval_limit(mut self, limit: Duration) -> Self {
        self.limit = Some(limit);
        self.base = Default::default();
        self
    }

    fn base(&self) -> &[Option<Arc<Prepared>>] {
        let limit = self.limit.unwrap_or(DEFAULT_EVAL_LIMIT);
        self.base.get_or_init(|| {
            self.programs
                .iter()
                .map(|(p, _)| p.prepare(None, limit).ok().map(Arc::new))
                .collect()
        })
    }

    /// True when no policy loaded.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Number of policies (constraints and Palisade policies).
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// The policies' metadata, in load order.
    pub fn metas(&self) -> impl Iterator<Item = &PolicyMeta> {
        self.policies.iter().map(|p| &p.meta)
    }

    /// Whether evaluation needs every object of the scan up front: some policy reads `data.inventory`, or
    /// matches on namespace labels.
    pub fn needs_inventory(&self) -> bool {
        self.programs.iter().any(|(p, _)| p.uses_inventory)
            || self
                .policies
                .iter()
                .any(|p| matches!(&p.kind, Kind::Constraint { matcher, .. } if matcher.needs_namespaces()))
    }

    /// Prepares the policies for evaluation against `inventory` (compiles nothing again; evaluation engines are
    /// prepared once and pooled).
    pub fn evaluator<'a>(&'a self, inventory: &'a Inventory) -> Evaluator<'a> {
        let limit = self.limit.unwrap_or(DEFAULT_EVAL_LIMIT);
        let needs = self.programs.iter().any(|(p, _)| p.uses_inventory);
        let inv_value = (needs && !inventory.is_empty()).then(|| inventory.to_value());
        let mut setup_errors = Vec::new();
        let base = self.base();
        let prepared = self
            .programs
            .iter()
            .enumerate()
            .map(|(i, (p, file))| match (&inv_value, p.uses_inventory) {
                (Some(inv), true) => match p.prepare(Some(inv), limit) {
                    Ok(pr) => Some(Arc::new(pr)),
                    Err(e) => {
                        setup_errors.push(PolicyError::file(
                            file,
                            PolicyErrorKind::Eval,
                            format!("cannot load data.inventory: {e}"),
                        ));
                        None
                    }
                },
                _ => base.get(i).cloned().flatten(),
            })
            .collect();
        Evaluator {
            set: self,
            inventory,
            disabled: self.programs.iter().map(|_| AtomicBool::new(false)).collect(),
            prepared,
            setup_errors,
        }
    }

    /// Checks one object: [`PolicySet::evaluator`] then [`Evaluator::check`]. Prefer keeping an evaluator when
    /// checking many objects against the same inventory.
    pub fn check(&self, review: &Review, inventory: &Inventory) -> CheckOutput {
        let ev = self.evaluator(inventory);
        let mut out = ev.check(review);
        out.errors.extend(ev.setup_errors);
        out
    }
}

/// Policies prepared against one inventory. `Send + Sync`.
#[derive(Debug)]
pub struct Evaluator<'a> {
    set: &'a PolicySet,
    inventory: &'a Inventory,
    prepared: Vec<Option<Arc<Prepared>>>,
    /// Per program: disabled after its first limit error (for this evaluator only).
    disabled: Vec<AtomicBool>,
    setup_errors: Vec<PolicyError>,
}

fn group_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// The position and pointer of `path` (keys and indices) in `root`: the deepest part that exists.
fn locate(root: &Node, path: &[serde_json::Value]) -> (Pos, String) {
    let mut node = root;
    let mut pos = root.pos;
    let mut pointer = String::new();
    for step in path {
        let next = match step {
            serde_json::Value::String(k) => node.entry(k).map(|e| (e.key_pos, &e.value, k.clone())),
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| node.as_seq()?.get(i).map(|v| (v.pos, v, i.to_string()))),
            _ => None,
        };
        let Some((p, v, token)) = next else { break };
        pos = p;
        node = v;
        pointer.push('/');
        pointer.push_str(&palisade_core::node::escape_pointer_token(&token));
    }
    (pos, pointer)
}

impl Evaluator<'_> {
    /// Errors preparing the evaluator (e.g. `data.inventory` could not be loaded); report them once.
    pub fn setup_errors(&self) -> &[PolicyError] {
        &self.setup_errors
    }

    /// Evaluates every policy that applies to the object, in parallel.
    pub fn check(&self, review: &Review) -> CheckOutput {
        let obj = review.object;
        let object_value = node_to_value(&obj.root);
        let (group, version) = group_version(&obj.id.api_version);
        let name = obj
            .root
            .path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("");
        let namespace = obj.id.namespace.as_deref().unwrap_or("");
        let obj_labels = inventory::labels_of(&obj.root);
        let target = Target {
            group,
            kind: &obj.id.kind,
            name,
            namespace,
            labels: obj_labels,
            namespace_labels: self.inventory.namespace_labels(namespace).cloned(),
        };
        let mut gk_review = vec![
            (
                "kind",
                object([
                    ("group", Value::from(group)),
                    ("version", Value::from(version)),
                    ("kind", Value::from(obj.id.kind.as_str())),
                ]),
            ),
            ("name", Value::from(name)),
            ("namespace", Value::from(namespace)),
            ("operation", Value::from(review.operation)),
            ("object", object_value.clone()),
        ];
        if let Some(old) = review.old_object {
            gk_review.push(("oldObject", crate::convert::json_to_value(old)));
        }
        if let Some(u) = review.user_info {
            gk_review.push(("userInfo", crate::convert::json_to_value(u)));
        }
        let gk_review = object(gk_review);
        let results: Vec<CheckOutput> = self
            .set
            .policies
            .par_iter()
            .map(|policy| self.check_one(policy, obj, &target, &gk_review, &object_value))
            .collect();
        let mut out = CheckOutput::default();
        for r in results {
            out.findings.extend(r.findings);
            out.errors.extend(r.errors);
            out.not_evaluated.extend(r.not_evaluated);
        }
        out
    }

    fn check_one(
        &self,
        policy: &Policy,
        obj: &K8sObject,
        target: &Target,
        gk_review: &Value,
        object_value: &Value,
    ) -> CheckOutput {
        let mut out = CheckOutput::default();
        let error = |kind, message: String| PolicyError {
            file: obj.source.file.to_string(),
            document: obj.source.document,
            line: obj.root.pos.line,
            policy: Some(policy.meta.id.to_string()),
            kind,
            message,
        };
        let input = match &policy.kind {
            Kind::Constraint { matcher, parameters } => match matcher.matches(target) {
                Ok(true) => object([("review", gk_review.clone()), ("parameters", parameters.clone())]),
                Ok(false) => return out,
                Err(e @ matching::MatchError::MissingNamespace(_)) => {
                    out.not_evaluated.push(palisade_core::NotEvaluated {
                        rule: policy.meta.id,
                        scope: obj.id.to_string(),
                        reason: format!("{e}: scan the Namespace object too"),
                    });
                    return out;
                }
                Err(e) => {
                    out.errors
                        .push(error(PolicyErrorKind::Eval, format!("{} {}: {e}", obj.id, policy.file)));
                    return out;
                }
            },
            Kind::Native { kinds } => {
                if !kinds.is_empty() && !kinds.iter().any(|k| *k == obj.id.kind) {
                    return out;
                }
                object_value.clone()
            }
        };
        let (Some(Some(prepared)), Some(disabled)) =
            (self.prepared.get(policy.program), self.disabled.get(policy.program))
        else {
            return out;
        };
        let result = match prepared.eval(input, disabled) {
            Ok(v) => v,
            Err(EvalFailure::Disabled) => return out,
            Err(EvalFailure::Limit(m)) => {
                out.errors.push(error(
                    PolicyErrorKind::Limit,
                    format!(
                        "evaluation on {} stopped ({m}); the policy is disabled for the rest of the run",
                        obj.id
                    ),
                ));
                return out;
            }
            Err(EvalFailure::Error(m)) => {
                out.errors.push(error(
                    PolicyErrorKind::Eval,
                    format!("evaluation on {} failed: {m}", obj.id),
                ));
                return out;
            }
        };
        let items: Vec<Value> = match &result {
            Value::Set(s) => s.iter().cloned().collect(),
            Value::Array(a) => a.iter().cloned().collect(),
            Value::Undefined | Value::Null => Vec::new(),
            other => vec![other.clone()],
        };
        for item in items {
            let (message, details, path) = match &item {
                Value::String(s) => (s.to_string(), None, None),
                Value::Object(_) => {
                    let msg = get(&item, "msg").and_then(value_to_json).map(|m| match m {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    });
                    let details = get(&item, "details").and_then(value_to_json);
                    let path = get(&item, "path").and_then(value_to_json);
                    (msg.unwrap_or_default(), details, path)
                }
                other => (
                    value_to_json(other).map(|j| j.to_string()).unwrap_or_default(),
                    None,
                    None,
                ),
            };
            let message = if message.is_empty() {
                format!("violates {}", policy.meta.id)
            } else {
                message
            };
            // A Palisade policy may give the path of the offending field; otherwise the finding points at the
            // object's name (or its first line).
            let (pos, pointer) = match path {
                Some(serde_json::Value::Array(steps)) => locate(&obj.root, &steps),
                _ => match obj.root.get("metadata").and_then(|m| m.entry("name")) {
                    Some(e) => (e.key_pos, "/metadata/name".to_string()),
                    None => (obj.root.pos, String::new()),
                },
            };
            out.findings.push(PolicyFinding {
                finding: Finding {
                    rule: policy.meta.id,
                    name: policy.meta.name,
                    severity: policy.meta.severity,
                    message,
                    remediation: policy.meta.remediation,
                    object: obj.id.clone(),
                    location: obj.location(pos, &pointer),
                },
                enforcement: policy.meta.enforcement,
                details,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send_sync<T: Send + Sync>() {}

    #[test]
    fn policy_set_and_evaluator_are_send_and_sync() {
        is_send_sync::<PolicySet>();
        is_send_sync::<Evaluator<'static>>();
    }
}
