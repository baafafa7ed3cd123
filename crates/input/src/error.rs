//! Errors: where a file could not be read the way Kubernetes reads it, and why.

use std::fmt;

/// What kind of problem stopped reading a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Invalid YAML (scanner or parser error), including a `%YAML` version other than 1.1.
    Syntax,
    /// Invalid JSON in a file that starts with `{` (read as a JSON stream, as kubectl does).
    Json,
    /// The text is an unrendered Helm/Go template (`{{ ... }}`) and does not parse.
    Template,
    /// The file is not valid UTF-8.
    InvalidUtf8,
    /// The file looks binary (NUL bytes).
    Binary,
    /// The file is larger than the configured limit.
    TooLarge,
    /// Collections are nested deeper than the configured limit.
    TooDeep,
    /// Alias expansion would create more nodes than the configured budget.
    AliasBudget,
    /// An alias names an unknown anchor, or an anchor that contains the alias.
    Alias,
    /// A map key that Kubernetes' YAML-to-JSON conversion rejects (null, sequence, mapping, uint64).
    UnsupportedKey,
    /// A value JSON cannot represent (`.nan`, `.inf`).
    UnsupportedValue,
    /// An explicit tag that does not match the value (`!!int abc`) or invalid `!!binary` data.
    Tag,
    /// A merge key (`<<`) whose value is not a mapping or a sequence of mappings.
    Merge,
}

impl ParseErrorKind {
    /// A short stable name (for reports and tests).
    pub fn as_str(self) -> &'static str {
        match self {
            ParseErrorKind::Syntax => "syntax",
            ParseErrorKind::Json => "json",
            ParseErrorKind::Template => "template",
            ParseErrorKind::InvalidUtf8 => "invalid-utf8",
            ParseErrorKind::Binary => "binary",
            ParseErrorKind::TooLarge => "too-large",
            ParseErrorKind::TooDeep => "too-deep",
            ParseErrorKind::AliasBudget => "alias-budget",
            ParseErrorKind::Alias => "alias",
            ParseErrorKind::UnsupportedKey => "unsupported-key",
            ParseErrorKind::UnsupportedValue => "unsupported-value",
            ParseErrorKind::Tag => "tag",
            ParseErrorKind::Merge => "merge",
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file could not be read, naming the 1-based document, line and column.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("document {document}, line {line}, column {column}: {message}")]
pub struct ParseError {
    /// 1-based document index in the file.
    pub document: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What kind of problem it is.
    pub kind: ParseErrorKind,
    /// What went wrong.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(
        document: usize,
        line: u32,
        column: u32,
        kind: ParseErrorKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            document: document.max(1),
            line: line.max(1),
            column: column.max(1),
            kind,
            message: message.into(),
        }
    }
}

/// A file-level error from [`crate::load_file`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: document {document}, line {line}: {message}")]
pub struct LoadError {
    /// The file as given.
    pub file: String,
    /// 1-based document index.
    pub document: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What kind of problem it is.
    pub kind: ParseErrorKind,
    /// What went wrong.
    pub message: String,
}

impl LoadError {
    /// The error of `file` from a parse error.
    pub fn from_parse(file: &str, e: ParseError) -> Self {
        Self {
            file: file.to_string(),
            document: e.document,
            line: e.line,
            column: e.column,
            kind: e.kind,
            message: e.message,
        }
    }
}
