//! Policy errors: loading, compiling and evaluating policies. Never findings.

use palisade_core::ToolError;

/// What went wrong with a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyErrorKind {
    /// A policy file or directory could not be read.
    Io,
    /// A policy file is not valid YAML/JSON.
    Syntax,
    /// A ConstraintTemplate, constraint or policy is malformed (missing fields, unknown template kind, ...).
    Invalid,
    /// The Rego does not parse or compile.
    Compile,
    /// Evaluation failed (a Rego runtime error, an invalid selector in a constraint, ...).
    Eval,
    /// Evaluation exceeded its time limit; the policy is disabled for the rest of the run.
    Limit,
}

impl PolicyErrorKind {
    /// The machine-readable name used in tool errors (`policy-io`, `policy-compile`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyErrorKind::Io => "policy-io",
            PolicyErrorKind::Syntax => "policy-syntax",
            PolicyErrorKind::Invalid => "policy-invalid",
            PolicyErrorKind::Compile => "policy-compile",
            PolicyErrorKind::Eval => "policy-eval",
            PolicyErrorKind::Limit => "policy-limit",
        }
    }
}

/// An error about one policy (or one policy file), naming the file, document and line when known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", self.place())]
pub struct PolicyError {
    /// The policy file (for evaluation errors: the file of the template or policy).
    pub file: String,
    /// 1-based document in the file, 0 when it concerns the whole file.
    pub document: usize,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// The policy's ID (constraint `Kind/name` or the policy's `id`), when known.
    pub policy: Option<String>,
    /// What kind of problem.
    pub kind: PolicyErrorKind,
    /// What went wrong, for people.
    pub message: String,
}

impl PolicyError {
    /// An error about a whole file.
    pub fn file(file: &str, kind: PolicyErrorKind, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            document: 0,
            line: 0,
            policy: None,
            kind,
            message: message.into(),
        }
    }

    fn place(&self) -> String {
        let mut s = self.file.clone();
        if self.document > 0 {
            s = format!("document {} of {s}", self.document);
        }
        if self.line > 0 {
            s.push_str(&format!(", line {}", self.line));
        }
        if let Some(p) = &self.policy {
            s.push_str(&format!(" ({p})"));
        }
        s
    }

    /// The tool error a scan reports for this policy error (kind `policy-...`).
    pub fn to_tool_error(&self) -> ToolError {
        let message = match &self.policy {
            Some(p) => format!("policy {p}: {}", self.message),
            None => self.message.clone(),
        };
        ToolError {
            file: self.file.clone(),
            document: self.document,
            line: self.line,
            column: 0,
            kind: self.kind.as_str().to_string(),
            message,
        }
    }
}
