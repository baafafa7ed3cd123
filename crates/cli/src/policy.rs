//! `palisade policy verify`: runs Gatekeeper `Suite` files as `gator verify` does; and the glue that loads
//! `--policy` paths for `palisade scan`.

use anyhow::Result;
use palisade_core::ToolError;
use palisade_policy::suite::{find_suites, run_suite, Outcome};
use palisade_policy::PolicySet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `palisade policy verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Suite files, or directories searched for `kind: Suite` YAML files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print every case, not only failures and errors.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `palisade policy` subcommands.
#[derive(clap::Subcommand)]
pub enum PolicyCommand {
    /// Run Gatekeeper test suites (`kind: Suite`, test.gatekeeper.sh/v1alpha1) like `gator verify`. Exit 0 when
    /// every case passes, 1 when an assertion fails, 2 on errors.
    Verify(VerifyArgs),
}

/// Runs a `palisade policy` subcommand.
pub fn run(cmd: PolicyCommand) -> Result<ExitCode> {
    match cmd {
        PolicyCommand::Verify(args) => verify(&args),
    }
}

fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let (suites, find_errors) = find_suites(&args.paths);
    let mut out = String::new();
    let (mut passed, mut failed, mut errors, mut skipped) = (0, 0, find_errors.len(), 0);
    for e in &find_errors {
        writeln!(out, "ERROR {e}")?;
    }
    if suites.is_empty() && find_errors.is_empty() {
        writeln!(out, "ERROR no Suite files found")?;
        errors += 1;
    }
    for path in &suites {
        let r = run_suite(path);
        let (p, f, e, s) = r.counts();
        let status = if e > 0 {
            "ERROR"
        } else if f > 0 {
            "FAIL"
        } else {
            "ok"
        };
        writeln!(
            out,
            "{status:<5} {} ({p} passed, {f} failed, {e} errors, {s} skipped)",
            r.file
        )?;
        if let Some(err) = &r.error {
            writeln!(out, "    error: {err}")?;
        }
        for t in &r.tests {
            if t.skipped {
                if args.verbose {
                    writeln!(out, "    SKIP  {}", t.name)?;
                }
                continue;
            }
            if let Some(err) = &t.error {
                writeln!(out, "    ERROR {}: {err}", t.name)?;
            }
            for c in &t.cases {
                match &c.outcome {
                    Outcome::Pass if args.verbose => writeln!(out, "    ok    {} / {}", t.name, c.name)?,
                    Outcome::Skip if args.verbose => writeln!(out, "    SKIP  {} / {}", t.name, c.name)?,
                    Outcome::Fail(why) => writeln!(out, "    FAIL  {} / {}: {why}", t.name, c.name)?,
                    Outcome::Error(why) => writeln!(out, "    ERROR {} / {}: {why}", t.name, c.name)?,
                    _ => {}
                }
            }
        }
        passed += p;
        failed += f;
        errors += e;
        skipped += s;
    }
    writeln!(
        out,
        "{} suites: {passed} cases passed, {failed} failed, {errors} errors, {skipped} skipped",
        suites.len()
    )?;
    crate::emit(&out)?;
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Loads the `--policy` paths for a scan: the policies that loaded, and a tool error for each that did not.
pub fn load_for_scan(paths: &[PathBuf]) -> (Option<PolicySet>, Vec<ToolError>) {
    if paths.is_empty() {
        return (None, Vec::new());
    }
    let (set, errors) = PolicySet::load(paths);
    (Some(set), errors.iter().map(|e| e.to_tool_error()).collect())
}
