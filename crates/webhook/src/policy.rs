//! Custom policies at admission: Gatekeeper ConstraintTemplates/constraints and Palisade Rego policies
//! (crate palisade-policy), each finding with its constraint's enforcement action: `deny` enforces, `warn`
//! warns, `dryrun` audits.

use crate::config::Action;
use crate::judge::{ExtraPolicy, PolicyInput};
use palisade_core::node::{Entry, Map, Node, Pos, Value};
use palisade_core::{Finding, K8sObject, Source};
use palisade_policy::{Enforcement, Inventory, PolicySet, Review};
use std::path::PathBuf;

/// Loaded policies.
#[derive(Debug)]
pub struct Policies {
    set: PolicySet,
}

/// Policy files that failed to load (the webhook does not start with a broken policy).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PolicyLoadError(pub String);

impl Policies {
    /// Loads every policy under `paths`. Any load error is fatal: a policy silently missing at admission would
    /// admit what it should deny.
    pub fn load(paths: &[PathBuf]) -> Result<Self, PolicyLoadError> {
        let (set, errors) = PolicySet::load(paths);
        if !errors.is_empty() {
            let text: Vec<String> = errors
                .iter()
                .map(|e| format!("{} (document {}, line {}): {}", e.file, e.document, e.line, e.message))
                .collect();
            return Err(PolicyLoadError(text.join("; ")));
        }
        Ok(Self { set })
    }

    /// Number of policies.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// True when no policy was found.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// A Namespace object with these labels, so constraints' `namespaceSelector` can match.
fn namespace_object(name: &str, labels: &Node) -> Option<K8sObject> {
    let pos = Pos::new(0, 0);
    let s = |v: &str| Node::new(pos, Value::Str(v.to_string()));
    let entry = |k: &str, v: Node| Entry {
        key: k.to_string(),
        key_pos: pos,
        value: v,
    };
    let meta = Map::from_unique_entries(vec![entry("name", s(name)), entry("labels", labels.clone())]);
    let root = Map::from_unique_entries(vec![
        entry("apiVersion", s("v1")),
        entry("kind", s("Namespace")),
        entry("metadata", Node::new(pos, Value::Map(meta))),
    ]);
    K8sObject::from_node(
        Node::new(pos, Value::Map(root)),
        Source {
            file: "namespace-cache".into(),
            document: 1,
            base_pointer: String::new(),
        },
    )
}

impl ExtraPolicy for Policies {
    fn check(&self, input: &PolicyInput) -> (Vec<(Finding, Action)>, Vec<String>) {
        let mut inventory = Inventory::new();
        if let (Some(ns), Some(labels)) = (input.object.id.namespace.as_deref(), input.namespace_labels) {
            if let Some(obj) = namespace_object(ns, labels) {
                inventory.add(&obj);
            }
        }
        let review = Review {
            object: input.object,
            operation: input.operation,
            old_object: input.old_object,
            user_info: Some(input.user_info),
        };
        let out = self.set.check(&review, &inventory);
        let findings = out
            .findings
            .into_iter()
            .map(|pf| {
                let action = match pf.enforcement {
                    Enforcement::Deny => Action::Enforce,
                    Enforcement::Warn => Action::Warn,
                    Enforcement::Dryrun => Action::Audit,
                };
                (pf.finding, action)
            })
            .collect();
        let errors = out
            .errors
            .into_iter()
            .map(|e| format!("{}: {}", e.policy.as_deref().unwrap_or(&e.file), e.message))
            .collect();
        (findings, errors)
    }
}
