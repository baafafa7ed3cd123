//! What one scan produced, independent of how it is rendered: findings, tool errors and a summary; and the
//! namespace index that decides which Pod Security policy each pod is judged at.

use crate::finding::{Finding, Severity};
use crate::node::Node;
use crate::object::K8sObject;
use crate::pss::{PssLevel, PssPolicy, PssVersion, ENFORCE_LABEL, ENFORCE_VERSION_LABEL};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A problem with the input or the tool itself (never a finding): unreadable file, invalid YAML, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ToolError {
    /// The file as given.
    pub file: String,
    /// 1-based document index, 0 when the error concerns the whole file.
    pub document: usize,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// Machine-readable kind (`syntax`, `template`, `invalid-utf8`, `binary`, `too-large`, `io`, ...).
    pub kind: String,
    /// What went wrong, for people.
    pub message: String,
}

/// Counts over one scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of findings.
    pub findings: usize,
    /// Findings per severity (every severity present, zero included).
    pub by_severity: BTreeMap<Severity, usize>,
    /// Files read.
    pub files: usize,
    /// Documents read (YAML documents or JSON values).
    pub documents: usize,
    /// Kubernetes objects checked (List items count individually).
    pub objects: usize,
    /// Documents skipped because they are not Kubernetes objects (no apiVersion/kind).
    pub skipped_documents: usize,
    /// Tool errors.
    pub errors: usize,
}

impl Summary {
    /// Fills `findings` and `by_severity` from the findings.
    pub fn count_findings(&mut self, findings: &[Finding]) {
        self.findings = findings.len();
        self.by_severity = Severity::ALL_DESC.iter().map(|s| (*s, 0)).collect();
        for f in findings {
            *self.by_severity.entry(f.severity).or_insert(0) += 1;
        }
    }
}

/// The result of a scan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ScanResult {
    /// Findings, sorted by file order, document, line, column and rule.
    pub findings: Vec<Finding>,
    /// Tool errors, in file order.
    pub errors: Vec<ToolError>,
    /// Counts.
    pub summary: Summary,
}

/// Which Pod Security policy applies in which namespace, from the Namespace objects of the scanned set.
#[derive(Clone, Debug, Default)]
pub struct NamespaceIndex {
    policies: HashMap<String, PssPolicy>,
    default: PssPolicy,
}

impl NamespaceIndex {
    /// Builds the index. Namespaces with a `pod-security.kubernetes.io/enforce` label get that level (and the
    /// `enforce-version` label's version, `latest` when absent or invalid); an invalid level is judged at
    /// `restricted`, as Pod Security Admission does for unparsable labels. Other namespaces get `default`.
    pub fn build<'a>(objects: impl IntoIterator<Item = &'a K8sObject>, default: PssPolicy) -> Self {
        let mut policies = HashMap::new();
        for obj in objects {
            if obj.id.kind != "Namespace" || obj.id.api_version != "v1" {
                continue;
            }
            let Some(name) = obj.id.name.clone() else {
                continue;
            };
            if let Some(policy) = Self::policy_from_labels(obj.labels()) {
                policies.insert(name, policy);
            }
        }
        Self { policies, default }
    }

    /// The policy a namespace's labels set, when they set one.
    pub fn policy_from_labels(labels: Option<&Node>) -> Option<PssPolicy> {
        let level = labels?.get_str(ENFORCE_LABEL)?;
        let level = level.parse::<PssLevel>().unwrap_or(PssLevel::Restricted);
        let version = labels
            .and_then(|l| l.get_str(ENFORCE_VERSION_LABEL))
            .and_then(|v| v.parse::<PssVersion>().ok())
            .unwrap_or(PssVersion::Latest);
        Some(PssPolicy { level, version })
    }

    /// The policy pods of `obj` are judged at (objects without a namespace land in `default`).
    pub fn policy_for(&self, obj: &K8sObject) -> PssPolicy {
        let ns = obj.id.namespace.as_deref().unwrap_or("default");
        self.policies.get(ns).copied().unwrap_or(self.default)
    }
}
