//! Renderers: each turns the same [`ScanResult`] into one output format. Renderers never decide anything about
//! findings; they only present them.
//!
//! Every format reads one [`Report`]: the scan result plus what the renderers need around it (rule metadata,
//! which rules ran, source lines for snippets, the objects scanned, a selected compliance framework, a baseline
//! comparison). Nothing here does IO: the CLI fills the [`Report`] and writes the strings.
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod baseline;
pub mod escape;
pub mod fingerprint;
pub mod fixes;
pub mod frameworks;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod redact;
pub mod sarif;
pub mod text;

pub use palisade_core::ScanResult;
use palisade_core::{Finding, ObjectRef, RuleMeta, Severity, Target};

/// Gives renderers the text of a source line, for snippets. The CLI implements it over the scanned files.
pub trait SourceLines {
    /// Line `line` (1-based) of `file`, without its line ending, when available.
    fn line(&self, file: &str, line: u32) -> Option<String>;
}

/// A source provider that has no sources (snippets are left out).
pub struct NoSources;

impl SourceLines for NoSources {
    fn line(&self, _file: &str, _line: u32) -> Option<String> {
        None
    }
}

/// One Kubernetes object that was scanned, for reports that count passes (JUnit testcases, HTML coverage,
/// compliance "not evaluated" when nothing a control applies to was scanned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedObject {
    /// The object.
    pub object: ObjectRef,
    /// The file it came from (as findings name it).
    pub file: String,
    /// 1-based document index in the file.
    pub document: usize,
    /// 1-based line where the object starts.
    pub line: u32,
    /// Whether its kind embeds a pod spec.
    pub embeds_pod: bool,
}

impl ScannedObject {
    /// Whether a rule with this target looks at this object (index rules look at every object).
    pub fn is_target_of(&self, target: Target) -> bool {
        match target {
            Target::PodSpec => self.embeds_pod,
            Target::Kinds(kinds) => kinds.contains(&self.object.kind.as_str()),
            Target::Index => true,
            // Targets added later (cluster configuration, ...) are not Kubernetes objects.
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

/// What a file label (as findings name it) stands for, for SARIF locations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// A file inside the repository: its path relative to the root, `/`-separated.
    Repo(String),
    /// A file outside the repository: its absolute path.
    Absolute(String),
    /// Not a file: standard input, command output (`az aks show ...`), a live-cluster object.
    NotAFile,
}

/// Resolves file labels to [`Artifact`]s (the CLI looks at the file system; renderers never do).
pub type RepoPath<'a> = &'a dyn Fn(&str) -> Artifact;

/// Everything the renderers read. Build it with [`Report::new`] and set what you have.
pub struct Report<'a> {
    /// The scan result. With a baseline, `findings` holds only the new findings.
    pub result: &'a ScanResult,
    /// Palisade's version.
    pub tool_version: &'a str,
    /// Metadata of every known rule (the catalogue), in ID order.
    pub rules: &'a [&'static RuleMeta],
    /// IDs of the rules that ran; `None` means every rule in `rules`.
    pub enabled: Option<&'a [&'static str]>,
    /// Source lines for snippets.
    pub sources: &'a dyn SourceLines,
    /// The objects scanned, when known.
    pub scanned: Option<&'a [ScannedObject]>,
    /// A selected compliance framework: formats group findings by its controls.
    pub framework: Option<&'static frameworks::Framework>,
    /// The comparison with a baseline report, when `--baseline` was given.
    pub baseline: Option<&'a baseline::Comparison>,
    /// Repository-relative paths for SARIF; `None` uses the labels as they are.
    pub repo_path: Option<RepoPath<'a>>,
    /// Base URL of the published rule pages (`<base><ID>.md`), for SARIF `helpUri` and HTML links.
    pub docs_url: Option<&'a str>,
}

impl<'a> Report<'a> {
    /// A report over `result` with nothing else known.
    pub fn new(result: &'a ScanResult, tool_version: &'a str) -> Self {
        Self {
            result,
            tool_version,
            rules: &[],
            enabled: None,
            sources: &NoSources,
            scanned: None,
            framework: None,
            baseline: None,
            repo_path: None,
            docs_url: None,
        }
    }

    /// The metadata of rule `id`, when it is in the catalogue.
    pub fn rule(&self, id: &str) -> Option<&'static RuleMeta> {
        self.rules.iter().copied().find(|m| m.id == id)
    }

    /// Whether rule `id` ran.
    pub fn ran(&self, id: &str) -> bool {
        match self.enabled {
            Some(ids) => ids.contains(&id),
            None => self.rules.iter().any(|m| m.id == id),
        }
    }

    /// Metadata of the rules that ran, in ID order.
    pub fn enabled_rules(&self) -> Vec<&'static RuleMeta> {
        self.rules.iter().copied().filter(|m| self.ran(m.id)).collect()
    }

    /// The compliance evaluation of the selected framework, if one is selected.
    pub fn compliance(&self) -> Option<frameworks::Evaluation> {
        self.framework.map(|f| frameworks::evaluate(f, self))
    }

    /// The page of a rule's documentation, when docs are published.
    pub fn rule_url(&self, id: &str) -> Option<String> {
        let base = self.docs_url?;
        self.rule(id).map(|_| format!("{base}{id}.md"))
    }
}

/// Severity-ordered counts helper: `(severity, count)` most severe first.
pub fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL_DESC
        .iter()
        .map(|s| (*s, findings.iter().filter(|f| f.severity == *s).count()))
        .collect()
}

/// The snippet line of a finding (redacted), when its source is available.
pub fn snippet_line(report: &Report, f: &Finding) -> Option<String> {
    let line = report.sources.line(&f.location.file, f.location.line)?;
    Some(redact::line_for(f, &line))
}

/// The 1-based end column (exclusive) of the offending token at a finding's position, when the source is
/// available: the key up to its colon, or the first token.
pub fn end_column(line: &str, column: u32) -> u32 {
    let col = column.max(1) as usize - 1;
    let rest: String = line.chars().skip(col).collect();
    let token = rest.chars().take_while(|c| *c != ':' && !c.is_whitespace()).count();
    column.max(1) + u32::try_from(token.max(1)).unwrap_or(1)
}
