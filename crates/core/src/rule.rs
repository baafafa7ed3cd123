//! The rule trait and rule metadata. Rules are pure: an object (through its views) in, violations out.

use crate::finding::{Location, ObjectRef, Severity};
use crate::index::ScanIndex;
use crate::node::Pos;
use crate::object::K8sObject;
use crate::params::Params;
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
    /// The whole scanned set at once (cross-object rules): [`Rule::check_index`] is called once per scan.
    Index,
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

/// Per-object facts the engine works out before calling a rule, and the user's rule parameters.
#[derive(Clone, Copy, Debug)]
pub struct CheckContext<'a> {
    /// The Pod Security policy the object's pods are judged at (from its namespace's labels or the default).
    pub pss: PssPolicy,
    /// Rule parameters (allowed registries, allowed capabilities, ...).
    pub params: &'a Params,
}

impl CheckContext<'static> {
    /// A context at `pss` with default parameters.
    pub fn with_pss(pss: PssPolicy) -> Self {
        Self {
            pss,
            params: Params::default_ref(),
        }
    }
}

/// A finding of a cross-object rule: it names its object and location itself.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexViolation {
    /// The object the finding is reported on.
    pub object: std::sync::Arc<ObjectRef>,
    /// Where.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// A severity other than the rule's default.
    pub severity: Option<Severity>,
}

/// A cross-object rule that could not be decided for some scope because an object it needs was not scanned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NotEvaluated {
    /// Rule ID.
    pub rule: &'static str,
    /// What it could not decide for (`namespace shop`, `Deployment shop/web`).
    pub scope: String,
    /// Why: which objects were missing.
    pub reason: String,
}

/// What a cross-object rule reports.
#[derive(Debug, Default)]
pub struct IndexOutput {
    /// Findings.
    pub violations: Vec<IndexViolation>,
    /// Scopes the rule could not decide.
    pub not_evaluated: Vec<(String, String)>,
}

impl IndexOutput {
    /// Reports a finding on an object at `pos` / `pointer` (relative to the object).
    pub fn violation(
        &mut self,
        obj: &K8sObject,
        pos: Pos,
        pointer: impl std::fmt::Display,
        message: impl Into<String>,
    ) {
        self.violations.push(IndexViolation {
            object: obj.id.clone(),
            location: obj.location(pos, pointer),
            message: message.into(),
            severity: None,
        });
    }

    /// Reports a finding at an explicit location.
    pub fn violation_at(&mut self, object: ObjectRef, location: Location, message: impl Into<String>) {
        self.violations.push(IndexViolation {
            object: std::sync::Arc::new(object),
            location,
            message: message.into(),
            severity: None,
        });
    }

    /// Raises or lowers the severity of the last reported finding.
    pub fn with_severity(&mut self, severity: Severity) {
        if let Some(v) = self.violations.last_mut() {
            v.severity = Some(severity);
        }
    }

    /// Says the rule could not decide for `scope` and why.
    pub fn not_evaluated(&mut self, scope: impl Into<String>, reason: impl Into<String>) {
        self.not_evaluated.push((scope.into(), reason.into()));
    }
}

/// A built-in rule.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Checks one object. Only called for objects matching the rule's target ([`Target::PodSpec`],
    /// [`Target::Kinds`]).
    fn check(&self, _ctx: &CheckContext, _obj: &K8sObject) -> Vec<Violation> {
        Vec::new()
    }
    /// Checks the whole scanned set. Only called for [`Target::Index`] rules, once per scan.
    fn check_index(&self, _params: &Params, _index: &ScanIndex, _out: &mut IndexOutput) {}
    /// Map keys of which at least one must occur somewhere in an object for [`Rule::check`] to report anything
    /// on it (`hostPath` for a rule about hostPath volumes). The engine skips the rule on objects holding none of
    /// them, without calling it. Empty (the default): the rule runs on every object it targets. A rule that can
    /// report on an object without one of these keys (a missing field, an annotation whose key varies) must not
    /// name any.
    fn trigger_keys(&self) -> &'static [&'static str] {
        &[]
    }
}
