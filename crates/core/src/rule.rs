//! The rule trait and rule metadata. Rules are pure: an object (through its views) in, violations out.

use crate::finding::Severity;
use crate::node::Pos;
use crate::object::K8sObject;
use crate::pss::{PssLevel, PssPolicy};

/// Whether a rule's behaviour is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// May change; reported normally.
    Preview,
    /// Settled; changes are deliberate.
    Stable,
}

/// What a rule looks at; the engine dispatches on it so rules never filter objects themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every object that embeds a pod spec (Pod, Deployment, ..., CronJob).
    PodSpec,
    /// Objects of these kinds.
    Kinds(&'static [&'static str]),
}

/// How a rule belongs to the Pod Security Standards, as Pod Security Admission organises its checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PssControl {
    /// The PSA check ID (e.g. `privileged`, `capabilities_restricted`).
    pub check: &'static str,
    /// The level the check belongs to.
    pub level: PssLevel,
    /// First policy version (1.N) that has this check.
    pub since: u32,
    /// Baseline rules this restricted rule replaces, with the first version (1.N) where it does.
    pub overrides: &'static [(&'static str, u32)],
}

/// Everything about a rule except its logic. One source for CLI docs, JSON, SARIF and webhook messages.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable ID from the catalogue (`K8S-001`).
    pub id: &'static str,
    /// Kebab-case name of the bad pattern (`privileged-container`).
    pub name: &'static str,
    /// Family (`pss`, `hardening`, `rbac`, ...).
    pub family: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Profiles the rule belongs to (`pss-baseline`, `pss-restricted`, `cis-aks`, ...).
    pub profiles: &'static [&'static str],
    /// One-line summary.
    pub summary: &'static str,
    /// One or two sentences ending with '.'.
    pub remediation: &'static str,
    /// Markdown docs in fixed sections: What it does / Why is this bad? / Example / Use instead / References.
    pub docs: &'static str,
    /// Reference URLs or source names.
    pub references: &'static [&'static str],
    /// Preview or stable.
    pub status: Status,
    /// What the rule looks at.
    pub target: Target,
    /// Set for Pod Security Standards controls.
    pub pss: Option<PssControl>,
}

/// What a rule reports: a message and where. The engine adds rule, object and file.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// What is wrong, naming the container and field.
    pub message: String,
    /// Line and column of the offending field or its nearest existing parent.
    pub pos: Pos,
    /// JSON pointer of the offending field, relative to the object.
    pub pointer: String,
    /// A severity other than the rule's default, when the rule raises or lowers it for this case.
    pub severity: Option<Severity>,
}

impl Violation {
    /// A violation at the rule's default severity.
    pub fn new(message: impl Into<String>, pos: Pos, pointer: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            pos,
            pointer: pointer.into(),
            severity: None,
        }
    }

    /// The same violation at another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// Per-object facts the engine works out before calling a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckContext {
    /// The Pod Security policy the object's pods are judged at (from its namespace's labels or the default).
    pub pss: PssPolicy,
}

/// A built-in rule.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Checks one object. Only called for objects matching the rule's target.
    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation>;
}
