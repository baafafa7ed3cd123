//! Findings are data: what a rule found, where, and how to fix it. Renderers only read them.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advisory; never fails a CI gate by default.
    Info,
    /// Hygiene or resilience.
    Low,
    /// Defence in depth expected by PSS restricted / CIS.
    Medium,
    /// A strong escalation or exposure vector.
    High,
    /// Direct node or cluster takeover, or unauthenticated access.
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL_DESC: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lower-case name used in CLI flags and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A severity name that is not one of info, low, medium, high, critical.
#[derive(Debug, thiserror::Error)]
#[error("unknown severity '{0}' (expected one of: info, low, medium, high, critical)")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

/// The Kubernetes object a finding is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    /// `apiVersion` of the object.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `kind` of the object.
    pub kind: String,
    /// `metadata.namespace`, when set.
    pub namespace: Option<String>,
    /// `metadata.name` (or `generateName`), when set.
    pub name: Option<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.kind)?;
        if let Some(ns) = &self.namespace {
            write!(f, "{ns}/")?;
        }
        f.write_str(self.name.as_deref().unwrap_or("<unnamed>"))
    }
}

/// Where a finding points: file, document, line and column, and the JSON pointer of the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as given on the command line (`-` or `<stdin>` for standard input). Shared by every finding of
    /// the file.
    pub file: std::sync::Arc<str>,
    /// 1-based index of the YAML document (or JSON value) in the file.
    pub document: usize,
    /// 1-based line of the offending field (or its nearest existing parent).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// RFC 6901 pointer into the document to the offending field (which may not exist when it is missing).
    pub pointer: String,
}

/// One problem found by one rule on one object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Rule ID, e.g. `K8S-001`.
    pub rule: &'static str,
    /// The rule's kebab-case name.
    pub name: &'static str,
    /// Severity of this finding (the rule's default unless the rule raised it).
    pub severity: Severity,
    /// What is wrong, naming the container and field.
    pub message: String,
    /// How to fix it.
    pub remediation: &'static str,
    /// The object (shared by every finding of the object).
    pub object: std::sync::Arc<ObjectRef>,
    /// The location.
    pub location: Location,
}
