//! From an AdmissionReview to a decision: load the object with the scanner's loader, run the scanner's engine,
//! map each finding to enforce / warn / audit, apply exemptions and the UPDATE rules, and build the response.
//! No rule logic lives here.

use crate::config::{Action, ControllerPods, WebhookConfig};
use crate::review::{self, AdmissionRequest, AdmissionResponse, BadReview};
use palisade_core::config::Exemption;
use palisade_core::node::{Node, Pos, Value};
use palisade_core::suppress::Suppressions;
use palisade_core::{CheckContext, Engine, Finding, K8sObject, NamespaceIndex, Params, PssPolicy, Source};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;

/// Which endpoint a review came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `/validate`: allow or deny, with warnings.
    Validate,
    /// `/mutate`: safe mutations as a JSON Patch (never denies).
    Mutate,
}

impl Endpoint {
    /// `validate` or `mutate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Validate => "validate",
            Endpoint::Mutate => "mutate",
        }
    }
}

/// The labels of namespaces, as far as the webhook knows them.
pub trait NamespaceLabels: Send + Sync {
    /// The `metadata.labels` of namespace `name` (a mapping node), or `None` when unknown.
    fn labels(&self, name: &str) -> Option<Arc<Node>>;
}

/// No namespace knowledge (outside a cluster, or the cache is off): every pod is judged at the default policy.
#[derive(Debug, Default)]
pub struct NoNamespaces;

impl NamespaceLabels for NoNamespaces {
    fn labels(&self, _name: &str) -> Option<Arc<Node>> {
        None
    }
}

/// What a custom policy sees of a request.
#[derive(Debug)]
pub struct PolicyInput<'a> {
    /// The object under review.
    pub object: &'a K8sObject,
    /// CREATE or UPDATE.
    pub operation: &'a str,
    /// The old object (UPDATE).
    pub old_object: Option<&'a serde_json::Value>,
    /// `{"username": ..., "groups": [...]}`.
    pub user_info: &'a serde_json::Value,
    /// The namespace's labels, when known.
    pub namespace_labels: Option<&'a Node>,
}

/// Custom policy findings (Rego / Gatekeeper), judged next to the built-in rules.
pub trait ExtraPolicy: Send + Sync {
    /// Findings for the object, each with the action its policy asks for, and evaluation errors (logged; the
    /// request is judged on everything else).
    fn check(&self, input: &PolicyInput) -> (Vec<(Finding, Action)>, Vec<String>);
}

/// One finding's fate, for the response, the audit log and the metrics.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Judged {
    /// Rule ID.
    pub rule: String,
    /// Severity.
    pub severity: String,
    /// What was decided for it.
    pub action: Action,
    /// Why the action differs from the configured one, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downgraded: Option<&'static str>,
    /// JSON pointer of the field.
    pub pointer: String,
    /// The finding's message (secret values already masked by the rules).
    pub message: String,
}

/// What happened to one review.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Record {
    /// `validate` or `mutate`.
    pub endpoint: &'static str,
    /// Request uid.
    pub uid: String,
    /// Kind of the object.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// CREATE, UPDATE, ...
    pub operation: String,
    /// Dry run: judged the same, no side effects.
    #[serde(rename = "dryRun")]
    pub dry_run: bool,
    /// `allowed`, `denied`, `exempt`, `skipped`, `mutated`, `error`.
    pub decision: &'static str,
    /// Why when exempt, skipped or error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The Pod Security policy pods were judged at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<String>,
    /// Findings and their actions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Judged>,
    /// Mutations applied (rule IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mutations: Vec<String>,
    /// Custom policies that failed to evaluate on this object.
    #[serde(rename = "policyErrors", skip_serializing_if = "Vec::is_empty")]
    pub policy_errors: Vec<String>,
}

/// A review's answer.
#[derive(Debug)]
pub struct Verdict {
    /// The AdmissionResponse.
    pub response: AdmissionResponse,
    /// What happened (logged and counted by the server).
    pub record: Record,
}

/// Everything needed to judge requests; shared by every request.
pub struct Judge {
    engine: Engine<'static>,
    params: Params,
    exemptions: Vec<Exemption>,
    config: WebhookConfig,
    /// The file label of request objects (`request.object`), shared by their findings.
    source_label: Arc<str>,
    enabled: Vec<&'static str>,
    extra: Option<Box<dyn ExtraPolicy>>,
}

impl std::fmt::Debug for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judge")
            .field("rules", &self.enabled.len())
            .field("config", &self.config)
            .finish()
    }
}

/// The longest denial message: the API server stores it in events and returns it to clients.
const MAX_MESSAGE: usize = 8 * 1024;

fn today() -> String {
    palisade_core::config::today()
}

/// An object of a request as the judge has it.
#[derive(Debug)]
enum Object {
    /// Read into a tree.
    Tree(Node),
    /// Not readable as JSON on its own (why).
    Unreadable(String),
}

type Request = AdmissionRequest<Object>;

struct Loaded {
    object: K8sObject,
}

impl Judge {
    /// A judge over already selected rules (per-object rules decide; cross-object rules are not run, since one
    /// object cannot answer them), the configuration's parameters and exemptions, and the webhook settings.
    pub fn new(
        rules: Vec<&'static dyn palisade_core::Rule>,
        severity_overrides: Vec<(String, palisade_core::Severity)>,
        params: Params,
        exemptions: Vec<Exemption>,
        config: WebhookConfig,
    ) -> Self {
        let enabled = rules.iter().map(|r| r.meta().id).collect();
        Self {
            engine: Engine::new(rules).with_severity_overrides(severity_overrides),
            params,
            exemptions,
            source_label: Arc::from("request.object"),
            config,
            enabled,
            extra: None,
        }
    }

    /// Adds custom policies.
    pub fn with_extra(mut self, extra: Box<dyn ExtraPolicy>) -> Self {
        self.extra = Some(extra);
        self
    }

    /// The webhook settings.
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }

    /// Judges one AdmissionReview body. `Err` means the body is not an answerable review (HTTP 400).
    pub fn review(
        &self,
        endpoint: Endpoint,
        body: &[u8],
        namespaces: &dyn NamespaceLabels,
    ) -> Result<Verdict, BadReview> {
        let req = match review::parse_read(body) {
            Ok(read) => read.map_objects(|o| Object::Tree(o.0)),
            // The review or one of its objects cannot be read. The review alone, objects kept raw, tells which:
            // a bad review is a bad request; an object unreadable on its own is answered with a review response.
            Err(_) => review::parse(body)?.map_objects(|raw: &RawValue| {
                Node::from_json_str(raw.get(), Pos::new(1, 1)).map_or_else(
                    |e| Object::Unreadable(format!("request.object cannot be read: {e}")),
                    Object::Tree,
                )
            }),
        };
        Ok(self.judge(endpoint, req, namespaces))
    }

    fn judge(&self, endpoint: Endpoint, mut req: Request, namespaces: &dyn NamespaceLabels) -> Verdict {
        let uid = req.uid.clone().unwrap_or_default();
        let mut record = Record {
            endpoint: endpoint.as_str(),
            uid: uid.clone(),
            kind: req.kind.kind.clone(),
            namespace: req.namespace.clone().unwrap_or_default(),
            name: req.name.clone().unwrap_or_default(),
            operation: req.operation.clone(),
            dry_run: req.dry_run.unwrap_or(false),
            decision: "allowed",
            reason: None,
            pss: None,
            findings: Vec::new(),
            mutations: Vec::new(),
            policy_errors: Vec::new(),
        };
        let allow = |mut record: Record, decision: &'static str, reason: &str| {
            record.decision = decision;
            record.reason = Some(reason.to_string());
            Verdict {
                response: AdmissionResponse::allow(&uid),
                record,
            }
        };
        if !matches!(req.operation.as_str(), "CREATE" | "UPDATE") {
            return allow(record, "skipped", "only CREATE and UPDATE are judged");
        }
        if let Some(sub) = req.sub_resource.as_deref().filter(|s| !s.is_empty()) {
            return allow(record, "skipped", &format!("subresource {sub} is not judged"));
        }
        let old = req.old_object.take();
        let Some(sent) = req.object.take() else {
            record.decision = "error";
            return Verdict {
                response: AdmissionResponse::deny(
                    &uid,
                    400,
                    "BadRequest",
                    format!("palisade: {} request without request.object", req.operation),
                ),
                record,
            };
        };
        let loaded = match sent {
            Object::Tree(node) => self.load_object(node, req.namespace.as_deref()),
            Object::Unreadable(message) => Err(message),
        };
        let object = match loaded {
            Ok(o) => o,
            Err(message) => {
                record.decision = "error";
                record.reason = Some(message.clone());
                return Verdict {
                    response: AdmissionResponse::deny(&uid, 400, "BadRequest", format!("palisade: {message}")),
                    record,
                };
            }
        };
        let obj = &object.object;
        if record.name.is_empty() {
            record.name = obj.id.name.clone().unwrap_or_default();
        }
        let ns = obj.id.namespace.clone().or_else(|| {
            // A Namespace is judged with its own name for exemptions.
            (obj.id.kind == "Namespace").then(|| obj.id.name.clone()).flatten()
        });
        if record.namespace.is_empty() {
            record.namespace = ns.clone().unwrap_or_default();
        }
        let ns_labels = ns.as_deref().and_then(|n| namespaces.labels(n));
        if let Some(n) = ns.as_deref().filter(|n| self.config.namespace_exempt(n)) {
            return allow(record, "exempt", &format!("namespace {n} is exempt"));
        }
        if self.config.labels_exempt(ns_labels.as_deref()) {
            return allow(record, "exempt", "the namespace carries an exempting label");
        }
        if self.config.labels_exempt(obj.labels()) {
            return allow(record, "exempt", "the object carries an exempting label");
        }
        let pss = ns_labels
            .as_deref()
            .and_then(|l| NamespaceIndex::policy_from_labels(Some(l)))
            .unwrap_or(self.config.default_pss);
        record.pss = Some(format!("{}:{}", pss.level, pss.version));
        match endpoint {
            Endpoint::Mutate => self.mutate(&req, old, obj, record),
            Endpoint::Validate => self.validate(&req, old, obj, pss, ns_labels.as_deref(), record),
        }
    }

    /// Makes the object the engine judges from its tree (read with the review, in one pass with serde_json: the
    /// API server writes reviews on one line, so source positions would say nothing and findings point by JSON
    /// pointer; body size and nesting are bounded by the server's body limit and serde_json's 128 levels). The API
    /// server does not always fill `metadata.namespace` on CREATE; the request's namespace is used then, so
    /// namespace rules and exemptions see where the object lands.
    fn load_object(&self, root: Node, namespace: Option<&str>) -> Result<Loaded, String> {
        let source = Source {
            file: Arc::clone(&self.source_label),
            document: 1,
            base_pointer: String::new(),
        };
        let Some(mut object) = K8sObject::from_node(root, source) else {
            return Err("request.object is not a Kubernetes object (apiVersion and kind are required)".into());
        };
        if let (None, Some(ns)) = (&object.id.namespace, namespace.filter(|n| !n.is_empty())) {
            let source = object.source.clone();
            if let Some(o) = K8sObject::from_node(with_namespace(object.root, ns), source) {
                object = o;
            } else {
                return Err("request.object is not a Kubernetes object".into());
            }
        }
        Ok(Loaded { object })
    }

    fn findings(&self, obj: &K8sObject, pss: PssPolicy) -> Vec<Finding> {
        let ctx = CheckContext {
            pss,
            params: &self.params,
        };
        let mut findings = Vec::new();
        self.engine.check_object(&ctx, obj, &mut findings);
        let mut annotations = HashMap::new();
        if self.config.honour_annotations {
            if let Some(ignore) = palisade_core::suppress::annotation_ignore(&obj.root) {
                let key = (
                    obj.source.file.to_string(),
                    obj.source.document,
                    obj.id.kind.clone(),
                    obj.id.name.clone().unwrap_or_default(),
                );
                annotations.insert(key, ignore);
            }
        }
        let suppressions = Suppressions {
            annotations,
            exemptions: &self.exemptions,
            today: if self.exemptions.is_empty() {
                String::new()
            } else {
                today()
            },
            inline: self.config.honour_annotations,
            ..Default::default()
        };
        suppressions.apply(findings.into()).0.into_vec()
    }

    /// Built-in findings with their configured actions, plus custom policy findings with theirs.
    fn judged_findings(
        &self,
        req: &Request,
        obj: &K8sObject,
        pss: PssPolicy,
        ns_labels: Option<&Node>,
        old_json: Option<&serde_json::Value>,
        errors: &mut Vec<String>,
    ) -> Vec<(Finding, Action)> {
        let mut out: Vec<(Finding, Action)> = self
            .findings(obj, pss)
            .into_iter()
            .map(|f| {
                let a = self.config.action(f.rule, f.severity);
                (f, a)
            })
            .collect();
        if let Some(extra) = &self.extra {
            let user = serde_json::json!({"username": req.user_info.username, "groups": req.user_info.groups});
            let (found, errs) = extra.check(&PolicyInput {
                object: obj,
                operation: &req.operation,
                old_object: old_json,
                user_info: &user,
                namespace_labels: ns_labels,
            });
            out.extend(found);
            errors.extend(errs);
        }
        out.retain(|(_, a)| *a != Action::Off);
        out
    }

    fn validate(
        &self,
        req: &Request,
        old: Option<Object>,
        obj: &K8sObject,
        pss: PssPolicy,
        ns_labels: Option<&Node>,
        mut record: Record,
    ) -> Verdict {
        let uid = record.uid.clone();
        let mut errors = Vec::new();
        let old_tree = match old {
            Some(Object::Tree(node)) => Some(node),
            _ => None,
        };
        // Custom policies see the old object as sent.
        let old_json = self.extra.as_ref().and(old_tree.as_ref()).map(Node::to_json);
        let mut judged: Vec<(Finding, Action, Option<&'static str>)> = self
            .judged_findings(req, obj, pss, ns_labels, old_json.as_ref(), &mut errors)
            .into_iter()
            .map(|(f, a)| (f, a, None))
            .collect();
        record.policy_errors = errors;

        // UPDATE: what the change did not introduce is not re-judged.
        if req.operation == "UPDATE" {
            if let Some(old_root) = old_tree {
                if let Ok(old) = self.load_object(old_root, req.namespace.as_deref()) {
                    let old_findings: Vec<Finding> = self
                        .judged_findings(req, &old.object, pss, ns_labels, old_json.as_ref(), &mut Vec::new())
                        .into_iter()
                        .map(|(f, _)| f)
                        .collect();
                    let template_changed = template_changed(obj, &old.object);
                    let template_ptr = template_pointer(obj);
                    for (f, a, why) in judged.iter_mut() {
                        if *a != Action::Enforce {
                            continue;
                        }
                        let in_template = template_ptr
                            .as_deref()
                            .is_some_and(|t| f.location.pointer.starts_with(t));
                        let pre_existing = old_findings.iter().any(|o| {
                            o.rule == f.rule && o.location.pointer == f.location.pointer && o.message == f.message
                        });
                        if pre_existing && !(in_template && template_changed) {
                            *a = Action::Warn;
                            *why = Some("pre-existing: present unchanged before this update");
                        }
                    }
                }
            }
        }
        // Pods a controller creates from a template that was judged when it was written.
        if self.config.controller_pods == ControllerPods::Warn
            && obj.id.kind == "Pod"
            && is_controller_user(&req.user_info.username)
            && has_controller_owner(obj)
        {
            for (_, a, why) in judged.iter_mut() {
                if *a == Action::Enforce {
                    *a = Action::Warn;
                    *why = Some("created by a controller from a judged template");
                }
            }
        }

        let mut denials = Vec::new();
        let mut warnings = Vec::new();
        for (f, a, why) in &judged {
            match a {
                Action::Enforce => denials.push(f),
                Action::Warn => warnings.push(warning_text(f, *why)),
                Action::Audit | Action::Off => {}
            }
        }
        record.findings = judged
            .iter()
            .map(|(f, a, why)| Judged {
                rule: f.rule.to_string(),
                severity: f.severity.to_string(),
                action: *a,
                downgraded: *why,
                pointer: f.location.pointer.clone(),
                message: f.message.clone(),
            })
            .collect();
        let mut response = if denials.is_empty() {
            AdmissionResponse::allow(&uid)
        } else {
            record.decision = "denied";
            AdmissionResponse::deny(&uid, 403, "Forbidden", denial_message(obj, &denials))
        };
        response.warnings = warnings;
        Verdict { response, record }
    }

    fn mutate(&self, req: &Request, old: Option<Object>, obj: &K8sObject, mut record: Record) -> Verdict {
        let uid = record.uid.clone();
        let mut response = AdmissionResponse::allow(&uid);
        let Some(view) = obj.pod_spec() else {
            return Verdict { response, record };
        };
        if !self.config.mutate {
            return Verdict { response, record };
        }
        // Pods are immutable after creation; a workload is only mutated when its template changes, so a scale
        // or a label edit never starts a rollout.
        if req.operation == "UPDATE" {
            let old = match old {
                Some(Object::Tree(node)) => self.load_object(node, req.namespace.as_deref()).ok(),
                _ => None,
            };
            let unchanged = match old {
                Some(old) => obj.id.kind == "Pod" || !template_changed(obj, &old.object),
                None => true,
            };
            if unchanged {
                return Verdict { response, record };
            }
        }
        // The object as sent, but for `metadata.namespace` when loading filled it in from the request: the
        // mutations read only the pod (template) annotations and write only under the pod spec, so the patch is
        // the same and applies to the object as sent.
        let value = obj.root.to_json();
        let meta_ptr = view.metadata_pointer();
        let on = |rule: &str| self.config.mutation_on(rule) && self.enabled.contains(&rule);
        let ops = crate::mutate::operations(&value, view.pointer, meta_ptr, &on);
        let ops_text = serde_json::to_string(&ops).unwrap_or_default();
        let rules: Vec<String> = crate::mutate::MUTATIONS
            .iter()
            .filter(|m| ops_mention(&ops_text, m.rule))
            .map(|m| m.rule.to_string())
            .collect();
        if let Some(patch) = crate::mutate::checked_patch(&value, ops) {
            response.patch_type = Some("JSONPatch".to_string());
            response.patch = Some(base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                patch.as_bytes(),
            ));
            record.decision = "mutated";
            record.mutations = rules;
        }
        Verdict { response, record }
    }
}

/// Which mutation an operation list contains, by the field it touches.
fn ops_mention(ops_text: &str, rule: &str) -> bool {
    match rule {
        "K8S-021" => ops_text.contains("allowPrivilegeEscalation"),
        "K8S-024" => ops_text.contains("RuntimeDefault"),
        "K8S-041" => ops_text.contains("NET_RAW"),
        _ => false,
    }
}

/// The same tree with `metadata.namespace` set.
fn with_namespace(root: Node, ns: &str) -> Node {
    let pos = root.pos;
    let Value::Map(map) = root.value else {
        return root;
    };
    let mut entries = map.into_entries();
    let ns_node = |p: Pos| Node::new(p, Value::Str(ns.to_string()));
    match entries.iter_mut().find(|e| e.key == "metadata") {
        Some(meta) => {
            let mpos = meta.value.pos;
            if let Value::Map(m) = &mut meta.value.value {
                m.insert("namespace".to_string(), mpos, ns_node(mpos));
            }
        }
        None => {
            let mut m = palisade_core::node::Map::new();
            m.insert("namespace".to_string(), pos, ns_node(pos));
            entries.push(palisade_core::node::Entry {
                key: "metadata".to_string(),
                key_pos: pos,
                value: Node::new(pos, Value::Map(m)),
            });
        }
    }
    Node::new(pos, Value::Map(palisade_core::node::Map::from_unique_entries(entries)))
}

/// The pointer of the pod template (`/spec/template`, `/spec/jobTemplate/spec/template`), `None` for a Pod (or
/// an object without a pod spec).
fn template_pointer(obj: &K8sObject) -> Option<String> {
    let view = obj.pod_spec()?;
    let p = view.pointer.strip_suffix("/spec")?;
    (!p.is_empty()).then(|| p.to_string())
}

fn node_at<'a>(obj: &'a K8sObject, pointer: &str) -> Option<&'a Node> {
    let mut node = &obj.root;
    for token in pointer.split('/').skip(1) {
        node = node.get(token)?;
    }
    Some(node)
}

/// Whether the pod template differs between the objects (positions ignored).
fn template_changed(new: &K8sObject, old: &K8sObject) -> bool {
    let Some(ptr) = template_pointer(new) else {
        return true;
    };
    match (node_at(new, &ptr), node_at(old, &ptr)) {
        (Some(a), Some(b)) => a.to_json() != b.to_json(),
        _ => true,
    }
}

/// The built-in controllers run as kube-system service accounts (or the controller manager's own user).
fn is_controller_user(user: &str) -> bool {
    user.starts_with("system:serviceaccount:kube-system:") || user == "system:kube-controller-manager"
}

fn has_controller_owner(obj: &K8sObject) -> bool {
    obj.root
        .path(&["metadata", "ownerReferences"])
        .and_then(Node::as_seq)
        .is_some_and(|refs| {
            refs.iter()
                .any(|r| r.get("controller").and_then(Node::as_bool) == Some(true))
        })
}

fn warning_text(f: &Finding, why: Option<&str>) -> String {
    let mut s = format!("{} {} ({}): {}", f.rule, f.name, f.severity, f.message);
    if let Some(why) = why {
        s.push_str(&format!(" [{why}]"));
    }
    s
}

fn denial_message(obj: &K8sObject, denials: &[&Finding]) -> String {
    let ids: Vec<&str> = {
        let mut v: Vec<&str> = denials.iter().map(|f| f.rule).collect();
        v.dedup();
        v
    };
    let mut msg = format!("palisade denied {}: {}", obj.id, ids.join(", "));
    for f in denials {
        let line = format!(
            "\n- {} {} ({}) at {}: {} Fix: {}",
            f.rule, f.name, f.severity, f.location.pointer, f.message, f.remediation
        );
        if msg.len() + line.len() > MAX_MESSAGE {
            msg.push_str("\n- ... (more findings omitted)");
            break;
        }
        msg.push_str(&line);
    }
    msg
}
