//! Output selection and writing: which report formats a scan renders and where each goes, the compliance
//! framework and baseline that shape them, `palisade diff`, and the progress indicator on stderr.

use crate::discover::Input;
use crate::scan;
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use palisade_core::{Rule, RuleMeta, ScanResult, Severity};
use palisade_report::frameworks::{self, Framework};
use palisade_report::{baseline, Artifact, Report, ScannedObject};
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable terminal report.
    Text,
    /// Documented JSON (docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// JUnit testsuite grouping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JunitGroup {
    /// One testsuite per rule.
    Rule,
    /// One testsuite per file.
    File,
}

/// Output flags of `palisade scan`.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format (text, json, sarif, junit, markdown, html). May be given several times, each with its own
    /// --output.
    #[arg(long, short = 'f', value_enum, action = clap::ArgAction::Append)]
    pub format: Vec<Format>,
    /// Where the report goes: a file, or - for standard output (the default). The first --output is for the
    /// first --format, the second for the second, and so on.
    #[arg(long, short = 'o', action = clap::ArgAction::Append, value_name = "FILE")]
    pub output: Vec<String>,
    /// Never colour the output (colour is used only on a terminal and when NO_COLOR is unset).
    #[arg(long)]
    pub no_color: bool,
    /// Compliance framework: run its rules and group every format by its controls (pss-baseline,
    /// pss-restricted, cis-aks, nsa, azure-policy-baseline, azure-policy-restricted).
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
    /// A previous JSON report: report, and fail on, only findings that are not in it.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// JUnit: one testsuite per rule or per file.
    #[arg(long, value_enum, default_value = "rule")]
    pub junit_group: JunitGroup,
    /// Markdown: findings listed before the rest is folded away.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub markdown_limit: usize,
    /// Never show the progress indicator (it is shown only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

/// Where the rule documentation pages are published (docs/rules in the repository).
fn docs_url() -> String {
    let repo = option_env!("CARGO_PKG_REPOSITORY")
        .filter(|r| r.starts_with("https://"))
        .unwrap_or(palisade_report::sarif::INFORMATION_URI);
    format!("{}/blob/main/docs/rules/", repo.trim_end_matches('/'))
}

/// The framework selected with `--framework`, if any.
pub fn framework(args: &OutputArgs) -> Result<Option<&'static Framework>> {
    match &args.framework {
        None => Ok(None),
        Some(name) => match frameworks::find(name) {
            Some(f) => Ok(Some(f)),
            None => bail!("unknown framework '{name}' (expected one of: {})", frameworks::names()),
        },
    }
}

fn catalogue() -> Vec<&'static RuleMeta> {
    palisade_rules::all().iter().map(|r| r.meta()).collect()
}

/// With `--framework`, keeps only the selected rules that check one of its controls.
pub fn restrict_to_framework<'a>(args: &OutputArgs, selected: Vec<&'a dyn Rule>) -> Result<Vec<&'a dyn Rule>> {
    let Some(fw) = framework(args)? else {
        return Ok(selected);
    };
    let ids = frameworks::rules_in(fw, &catalogue());
    Ok(selected.into_iter().filter(|r| ids.contains(&r.meta().id)).collect())
}

/// The (format, destination) pairs: the i-th --output belongs to the i-th --format; formats without one go to
/// standard output, and only one report may go there.
fn destinations(args: &OutputArgs) -> Result<Vec<(Format, String)>> {
    let formats = if args.format.is_empty() {
        vec![Format::Text]
    } else {
        args.format.clone()
    };
    if args.output.len() > formats.len() {
        bail!(
            "--output is given {} times but --format only {} (each --output belongs to the --format before it)",
            args.output.len(),
            formats.len()
        );
    }
    let pairs: Vec<(Format, String)> = formats
        .into_iter()
        .enumerate()
        .map(|(i, f)| (f, args.output.get(i).cloned().unwrap_or_else(|| "-".to_string())))
        .collect();
    if pairs.iter().filter(|(_, d)| d == "-").count() > 1 {
        bail!("more than one report would go to standard output; give each --format its own --output FILE");
    }
    Ok(pairs)
}

/// Checks the output flags before scanning, so a bad flag fails fast.
pub fn validate(args: &OutputArgs) -> Result<()> {
    destinations(args)?;
    framework(args)?;
    if let Some(b) = &args.baseline {
        load_baseline(b)?;
    }
    Ok(())
}

/// Loads the baseline report named by `--baseline`.
fn load_baseline(path: &Path) -> Result<Vec<baseline::Recorded>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading baseline {}", path.display()))?;
    baseline::parse(&text).with_context(|| format!("baseline {}", path.display()))
}

/// Loads the inputs again to list the scanned objects (for JUnit passes, HTML coverage and compliance
/// applicability). Inputs that fail to load contribute nothing; their errors are already in the result.
fn scanned_objects(inputs: &[Input], stdin: Option<&[u8]>) -> Vec<ScannedObject> {
    let opts = palisade_input::LoadOptions::default();
    let mut out = Vec::new();
    for input in inputs {
        let bytes = match input {
            Input::Stdin => stdin.map(<[u8]>::to_vec),
            Input::File(p, _) => std::fs::read(p).ok(),
        };
        let Some(bytes) = bytes else { continue };
        let load = palisade_input::load_file(input.label_str(), &bytes, &opts);
        out.extend(load.objects.iter().map(|o| ScannedObject {
            object: (*o.id).clone(),
            file: o.source.file.to_string(),
            document: o.source.document,
            line: o.root.pos.line,
            embeds_pod: o.embeds_pod(),
        }));
    }
    out
}

/// The repository root: the nearest directory upward from `dir` holding `.git`, else `dir`.
fn repo_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Lexically normalises a path (`.` dropped, `..` applied), without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What `label` stands for: a file inside `root` (relative, `/`-separated), a file elsewhere (absolute), or not a
/// file at all (standard input, `az aks show ...` output read from a temporary file).
fn artifact(root: &Path, cwd: &Path, inputs: &[Input], label: &str) -> Artifact {
    let real = inputs.iter().any(|i| match i {
        Input::File(p, l) => l == label && Path::new(l) == p.as_path(),
        Input::Stdin => false,
    });
    if !real {
        return Artifact::NotAFile;
    }
    let p = Path::new(label);
    let abs = normalise(&if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) });
    match abs.strip_prefix(root) {
        Ok(rel) => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Artifact::Repo(parts.join("/"))
        }
        Err(_) => Artifact::Absolute(abs.to_string_lossy().replace('\\', "/")),
    }
}

/// Renders the result in the requested formats and writes each to its destination. With `--baseline`, findings
/// in the baseline are taken out first; the returned result is what the exit code is decided on.
pub fn write(
    args: &OutputArgs,
    mut result: ScanResult,
    stdin: Option<&[u8]>,
    inputs: &[Input],
    enabled: &[&'static str],
) -> Result<ScanResult> {
    let pairs = destinations(args)?;
    let fw = framework(args)?;
    let comparison = match &args.baseline {
        Some(path) => {
            let recorded = load_baseline(path)?;
            let (new, comparison) = baseline::split(
                std::mem::take(&mut result.findings).into_vec(),
                &recorded,
                &path.display().to_string(),
            );
            result.findings = new.into();
            result.summary.count_findings(&result.findings);
            Some(comparison)
        }
        None => None,
    };
    let needs_objects = fw.is_some() || pairs.iter().any(|(f, _)| matches!(f, Format::Junit | Format::Html));
    let scanned = needs_objects.then(|| scanned_objects(inputs, stdin));
    let rules = catalogue();
    let sources = scan::Sources::new(stdin);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = repo_root(&cwd);
    let repo_path = move |label: &str| artifact(&root, &cwd, inputs, label);
    let mut report = Report::new(&result, env!("CARGO_PKG_VERSION"));
    report.rules = &rules;
    report.enabled = Some(enabled);
    report.sources = &sources;
    report.scanned = scanned.as_deref();
    report.framework = fw;
    report.baseline = comparison.as_ref();
    report.repo_path = Some(&repo_path);
    let docs = docs_url();
    report.docs_url = Some(&docs);
    for (format, dest) in &pairs {
        let to_stdout = dest == "-";
        if matches!(
            format,
            Format::Json | Format::Sarif | Format::Text | Format::Junit | Format::Html
        ) {
            // Streamed: the report of a large scan is not built in memory first.
            let color = to_stdout
                && !args.no_color
                && std::env::var_os("NO_COLOR").is_none()
                && std::io::stdout().is_terminal();
            let write = |w: &mut dyn std::io::Write| match format {
                Format::Sarif => palisade_report::sarif::write(&report, w),
                Format::Text => {
                    palisade_report::text::write_report(&report, palisade_report::text::TextOptions { color }, w)
                }
                Format::Junit => {
                    let group = match args.junit_group {
                        JunitGroup::Rule => palisade_report::junit::Grouping::Rule,
                        JunitGroup::File => palisade_report::junit::Grouping::File,
                    };
                    palisade_report::junit::write(&report, palisade_report::junit::JunitOptions { group }, w)
                }
                Format::Html => palisade_report::html::write(&report, w),
                _ => palisade_report::json::write_report(&report, w),
            };
            let written = if to_stdout {
                write(&mut std::io::stdout().lock())
            } else {
                std::fs::File::create(dest).and_then(|mut f| write(&mut f))
            };
            match written {
                Err(e) if to_stdout && e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.with_context(|| format!("writing {dest}"))?,
            }
            continue;
        }
        let rendered = match format {
            Format::Json => palisade_report::json::render_report(&report),
            // Streamed above.
            Format::Text => palisade_report::text::render_report(&report, Default::default()),
            Format::Sarif => palisade_report::sarif::render(&report),
            Format::Junit => palisade_report::junit::render(&report, Default::default()),
            Format::Markdown => palisade_report::markdown::render(
                &report,
                palisade_report::markdown::MarkdownOptions {
                    limit: args.markdown_limit,
                },
            ),
            Format::Html => palisade_report::html::render(&report),
        };
        if to_stdout {
            crate::emit(&rendered)?;
        } else {
            std::fs::write(dest, rendered).with_context(|| format!("writing {dest}"))?;
        }
    }
    Ok(result)
}

/// Formats of `palisade diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Readable text.
    Text,
    /// JSON with new, fixed and unchanged findings.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// Arguments of `palisade diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The older JSON report (`palisade scan --format json`).
    pub old: PathBuf,
    /// The newer JSON report.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Exit 1 when a new finding is at or above this severity.
    #[arg(long, default_value = "high")]
    pub fail_on: Severity,
    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
}

/// `palisade diff old.json new.json`: new, fixed and unchanged findings (matched by fingerprint).
pub fn run_diff(args: &DiffArgs) -> Result<ExitCode> {
    let old = load_baseline(&args.old)?;
    let new = load_baseline(&args.new)?;
    let d = baseline::diff(&old, &new);
    let text = match args.format {
        DiffFormat::Json => baseline::render_json(&d),
        DiffFormat::Markdown => baseline::render_markdown(&d),
        DiffFormat::Text => {
            let color = !args.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
            baseline::render_text(&d, color)
        }
    };
    crate::emit(&text)?;
    let failing = d.new.iter().any(|r| r.severity().is_some_and(|s| s >= args.fail_on));
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A progress indicator on stderr: shown only when stderr is a terminal, only once a scan has taken more than a
/// moment (300 ms), and erased when the scan ends. Scans are parallel over files and report no per-file
/// progress, so it shows the number of inputs and the elapsed time.
pub struct Progress {
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator for a scan of `inputs` inputs, `checked` counting those done (a no-op when disabled or
    /// stderr is not a terminal). Shows nothing for scans that end within 300 ms.
    pub fn start(args: &OutputArgs, inputs: usize, checked: std::sync::Arc<std::sync::atomic::AtomicUsize>) -> Self {
        Self::spawn(!args.no_progress, move || {
            let done = checked.load(std::sync::atomic::Ordering::Relaxed).min(inputs);
            (done, inputs, format!("{done}/{inputs} inputs"))
        })
    }

    /// A progress bar on stderr (when `enabled` and stderr is a terminal) that appears after 300 ms and redraws
    /// every 100 ms from `state`: (done, total, text after the bar); the elapsed time is appended.
    pub fn spawn(enabled: bool, state: impl Fn() -> (usize, usize, String) + Send + 'static) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            if rx.recv_timeout(Duration::from_millis(300)) != Err(mpsc::RecvTimeoutError::Timeout) {
                return;
            }
            loop {
                let (done, total, text) = state();
                let width = 30usize;
                let filled = (done.min(total) * width).checked_div(total).unwrap_or(0).min(width);
                eprint!(
                    "\r\x1b[2K[{}{}] {text} {:.1}s",
                    "#".repeat(filled),
                    "-".repeat(width - filled),
                    start.elapsed().as_secs_f64()
                );
                if rx.recv_timeout(Duration::from_millis(100)) != Err(mpsc::RecvTimeoutError::Timeout) {
                    eprint!("\r\x1b[2K");
                    return;
                }
            }
        });
        Progress {
            done: Some(tx),
            thread: Some(thread),
        }
    }

    /// Stops and erases the indicator.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn artifacts() {
        let root = Path::new("/repo");
        let cwd = Path::new("/repo/sub");
        let input = |l: &str| Input::File(PathBuf::from(l), l.to_string());
        let inputs = vec![
            input("a/b.yaml"),
            input("./a/../c.yaml"),
            input("../x.yaml"),
            input("/repo/y.yaml"),
            input("/elsewhere/z.yaml"),
            Input::File(PathBuf::from("/tmp/az.json"), "az aks show --name n".into()),
            Input::Stdin,
        ];
        let a = |l: &str| artifact(root, cwd, &inputs, l);
        assert_eq!(a("a/b.yaml"), Artifact::Repo("sub/a/b.yaml".into()));
        assert_eq!(a("./a/../c.yaml"), Artifact::Repo("sub/c.yaml".into()));
        assert_eq!(a("../x.yaml"), Artifact::Repo("x.yaml".into()));
        assert_eq!(a("/repo/y.yaml"), Artifact::Repo("y.yaml".into()));
        assert_eq!(a("/elsewhere/z.yaml"), Artifact::Absolute("/elsewhere/z.yaml".into()));
        assert_eq!(a("az aks show --name n"), Artifact::NotAFile);
        assert_eq!(a("<stdin>"), Artifact::NotAFile);
    }
}
