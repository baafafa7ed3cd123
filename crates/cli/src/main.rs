//! `palisade`: the command-line front end. Parses arguments, runs the engine through the library crates, prints
//! a report and sets the exit code (0 clean, 1 findings at or above --fail-on, 2 tool error).

mod cluster;
mod config;
mod discover;
mod output;
mod policy;
mod scan;
mod webhook;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use palisade_core::{Engine, PssLevel, PssPolicy, PssVersion, Rule, Severity};
use palisade_input::LoadOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "palisade", version, about = "Security posture scanner for AKS and Kubernetes", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once; boxing the scan flags would buy nothing
enum Command {
    /// Scan manifests (files, directories, or - for stdin) for security problems.
    Scan(ScanArgs),
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Print one rule's documentation.
    Rule {
        /// Rule ID, e.g. K8S-001.
        id: String,
    },
    /// Compare two JSON reports: new, fixed and unchanged findings (matched by fingerprint).
    Diff(output::DiffArgs),
    /// Run the admission webhook (validating and mutating) over the same rules; see docs/webhook.md.
    Webhook(webhook::WebhookArgs),
    /// Custom policies: run Gatekeeper test suites.
    Policy {
        #[command(subcommand)]
        command: policy::PolicyCommand,
    },
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files, directories (recursive; *.yaml, *.yml, *.json, *.tf, *.tfvars; .gitignore honoured) or - for
    /// standard input.
    #[arg(required_unless_present_any = ["aks", "cluster"])]
    paths: Vec<String>,
    /// Also scan a live AKS cluster's configuration, read with `az aks show` (needs the Azure CLI, logged in).
    #[arg(long, value_name = "NAME", requires = "resource_group")]
    aks: Option<String>,
    /// Resource group of the --aks cluster.
    #[arg(long, short = 'g', value_name = "RG", requires = "aks")]
    resource_group: Option<String>,
    /// Also scan a live cluster through the Kubernetes API (read-only; see docs/live.md).
    #[arg(long)]
    cluster: bool,
    /// Kubeconfig for --cluster (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account).
    #[arg(long, value_name = "FILE", requires = "cluster")]
    kubeconfig: Option<PathBuf>,
    /// Kubeconfig context for --cluster (default: the current context).
    #[arg(long, value_name = "NAME", requires = "cluster")]
    context: Option<String>,
    /// With --cluster, scan only this namespace (repeatable; default: all namespaces).
    #[arg(long, short = 'n', value_name = "NS", requires = "cluster")]
    namespace: Vec<String>,
    /// With --cluster, kinds the credentials may not list make the scan partial but do not make it exit 2.
    #[arg(long, requires = "cluster")]
    allow_partial: bool,
    #[command(flatten)]
    output: output::OutputArgs,
    /// Exit 1 when a finding is at or above this severity (info, low, medium, high, critical).
    #[arg(long, default_value = "high")]
    fail_on: Severity,
    /// Only run these rules: IDs, ID prefixes (K8S-0), names or profiles (pss-baseline, pss-restricted).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Pod Security level for pods whose namespace has no enforce label in the scanned set.
    #[arg(long, default_value = "restricted", value_parser = ["privileged", "baseline", "restricted"])]
    pss_level: String,
    /// Pod Security policy version (v1.0 ... v1.37, or latest) for pods whose namespace pins none.
    #[arg(long, default_value = "latest")]
    pss_version: String,
    /// Judge every pod at --pss-level/--pss-version, ignoring the pod-security.kubernetes.io labels of scanned
    /// namespaces (what would fail if every namespace enforced that level).
    #[arg(long)]
    pss_ignore_namespace_labels: bool,
    /// Largest input file accepted, in bytes (suffixes K, M, G for KiB, MiB, GiB).
    #[arg(long, default_value = "64M")]
    max_file_size: String,
    /// Load and index the inputs but run no rules (the baseline for benchmarks).
    #[arg(long, hide = true)]
    parse_only: bool,
    /// Configuration file (default: .palisade.yaml found upward from the first scanned path).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore `palisade.io/ignore` annotations and `# palisade:ignore` comments (config exemptions still apply).
    #[arg(long)]
    no_inline_exemptions: bool,
    /// Custom policies: Gatekeeper ConstraintTemplates and constraints (YAML) and Palisade Rego policies
    /// (.rego), as files or directories. Repeatable. See docs/policies.md.
    #[arg(long = "policy", value_name = "PATH")]
    policies: Vec<PathBuf>,
}

fn parse_size(s: &str) -> Result<u64> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (s.get(..i).unwrap_or(""), 1u64 << 10),
        Some((i, 'M' | 'm')) => (s.get(..i).unwrap_or(""), 1u64 << 20),
        Some((i, 'G' | 'g')) => (s.get(..i).unwrap_or(""), 1u64 << 30),
        _ => (s, 1),
    };
    let n: u64 = num
        .trim()
        .parse()
        .with_context(|| format!("invalid size '{s}' (e.g. 65536, 512K, 64M)"))?;
    n.checked_mul(mult).with_context(|| format!("size '{s}' is too large"))
}

/// Writes to stdout; a closed pipe (e.g. `| head`) is not an error.
pub(crate) fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing output"),
    }
}

fn run_scan(args: ScanArgs) -> Result<ExitCode> {
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => args
            .paths
            .iter()
            .find(|p| *p != "-")
            .map_or_else(|| config::discover(Path::new(".")), |p| config::discover(Path::new(p))),
    };
    let cfg = match &config_path {
        Some(p) => config::load(p)?,
        None => palisade_core::config::Config::default(),
    };
    output::validate(&args.output)?;
    let selected = config::select_rules(&cfg, &args.select, &args.ignore)?;
    let selected = output::restrict_to_framework(&args.output, selected)?;
    let overrides = cfg.rules.iter().filter_map(|(id, s)| Some((id.clone(), s.severity?)));
    let engine = Engine::new(if args.parse_only { Vec::new() } else { selected }).with_severity_overrides(overrides);
    let default_pss = PssPolicy {
        level: args.pss_level.parse::<PssLevel>()?,
        version: args.pss_version.parse::<PssVersion>()?,
    };
    let load = LoadOptions {
        max_file_bytes: parse_size(&args.max_file_size)?,
        ..LoadOptions::default()
    };
    let (policy_set, policy_errors) = if args.parse_only {
        (None, Vec::new())
    } else {
        policy::load_for_scan(&args.policies)
    };
    let (mut inputs, discover_errors) = discover::discover(&args.paths);
    let mut az_output = None;
    if let (Some(name), Some(rg)) = (&args.aks, &args.resource_group) {
        let input = az_aks_show(name, rg)?;
        if let discover::Input::File(p, _) = &input {
            az_output = Some(p.clone());
        }
        inputs.push(input);
    }
    let live = if args.cluster {
        let live = cluster::read(&cluster::ClusterArgs {
            kubeconfig: args.kubeconfig.as_deref(),
            context: args.context.as_deref(),
            namespaces: &args.namespace,
            progress: !args.output.no_progress,
        })?;
        inputs.extend(live.inputs.iter().cloned());
        Some(live)
    } else {
        None
    };
    let stdin = if inputs.contains(&discover::Input::Stdin) {
        Some(scan::read_stdin(load.max_file_bytes).context("reading standard input")?)
    } else {
        None
    };
    let opts = scan::ScanOptions {
        engine: &engine,
        default_pss,
        load,
        params: &cfg.params,
        exemptions: &cfg.exemptions,
        inline_exemptions: !args.no_inline_exemptions,
        honour_namespace_labels: !args.pss_ignore_namespace_labels,
        today: config::today(),
        checked: Default::default(),
        policies: policy_set.as_ref(),
        policy_errors: &policy_errors,
    };
    let progress = output::Progress::start(&args.output, inputs.len(), opts.checked.clone());
    let mut result = scan::run(&inputs, discover_errors, stdin.as_deref(), &opts);
    if let Some(live) = &live {
        live.finish(&mut result);
    }
    if let Some(p) = az_output {
        let _ = std::fs::remove_file(p);
    }
    progress.finish();

    let enabled: Vec<&'static str> = engine.rules().iter().map(|r| r.meta().id).collect();
    let result = output::write(&args.output, result, stdin.as_deref(), &inputs, &enabled)?;
    let allow_partial = args.allow_partial;
    drop(live);
    let code = if result.errors.iter().any(|e| cluster::counts_as_error(e, allow_partial)) {
        ExitCode::from(2)
    } else if result.findings.iter().any(|f| f.severity >= args.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process exits next: freeing every finding one by one would only cost time.
    std::mem::forget(result);
    Ok(code)
}

/// Runs `az aks show` for `--aks NAME --resource-group RG` and returns its output as a scan input (saved to a
/// temporary file, labelled with the command).
fn az_aks_show(name: &str, rg: &str) -> Result<discover::Input> {
    let az = std::env::var_os("PALISADE_AZ").unwrap_or_else(|| "az".into());
    let out = match std::process::Command::new(&az)
        .args([
            "aks",
            "show",
            "--name",
            name,
            "--resource-group",
            rg,
            "--output",
            "json",
        ])
        .output()
    {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "--aks needs the Azure CLI (`az`), which is not installed or not on PATH; install it \
             (https://learn.microsoft.com/cli/azure/install-azure-cli) and run `az login`, or scan saved \
             `az aks show -o json` output instead"
        ),
        Err(e) => return Err(e).context("running `az aks show`"),
        Ok(o) => o,
    };
    if !out.status.success() {
        anyhow::bail!(
            "`az aks show --name {name} --resource-group {rg}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let path = std::env::temp_dir().join(format!("palisade-az-aks-show-{}-{name}.json", std::process::id()));
    std::fs::write(&path, &out.stdout).with_context(|| format!("writing {}", path.display()))?;
    Ok(discover::Input::File(
        path,
        format!("az aks show --name {name} --resource-group {rg}"),
    ))
}

fn run_rules(format: RulesFormat) -> Result<ExitCode> {
    let all = palisade_rules::all();
    let text = match format {
        RulesFormat::Markdown => palisade_rules::docs::table(all),
        RulesFormat::Json => {
            let rows: Vec<_> = all.iter().map(|r| rule_json(*r)).collect();
            let mut s = serde_json::to_string_pretty(&rows)?;
            s.push('\n');
            s
        }
        RulesFormat::Text => {
            let mut s = String::new();
            for r in all {
                let m = r.meta();
                s.push_str(&format!(
                    "{:<9} {:<9} {:<40} {}\n",
                    m.id,
                    m.severity.as_str(),
                    m.name,
                    m.summary
                ));
            }
            s.push_str(&format!("{} rules\n", all.len()));
            s
        }
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn rule_json(r: &dyn Rule) -> serde_json::Value {
    let m = r.meta();
    serde_json::json!({
        "id": m.id, "name": m.name, "family": m.family, "severity": m.severity, "profiles": m.profiles,
        "summary": m.summary, "remediation": m.remediation, "references": m.references, "status": m.status,
    })
}

fn run_rule(id: &str) -> Result<ExitCode> {
    let Some(rule) = palisade_rules::all()
        .iter()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id) || r.meta().name == id)
    else {
        anyhow::bail!("no rule '{id}' (see `palisade rules`)");
    };
    let m = rule.meta();
    let mut s = format!("# {} {}\n\n", m.id, m.name);
    s.push_str(&format!(
        "Severity: {}  \nProfiles: {}  \nStatus: {}\n\n",
        m.severity,
        m.profiles.join(", "),
        match m.status {
            palisade_core::Status::Preview => "preview",
            palisade_core::Status::Stable => "stable",
        }
    ));
    s.push_str(&format!(
        "{}\n\n{}\n\n**Remediation:** {}\n",
        m.summary,
        m.docs.trim(),
        m.remediation
    ));
    emit(&s)?;
    Ok(ExitCode::SUCCESS)
}

/// mimalloc: a scan allocates many small strings (findings, tree nodes) across threads; measured ~15% faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Rules { format } => run_rules(format),
        Command::Rule { id } => run_rule(&id),
        Command::Diff(args) => output::run_diff(&args),
        Command::Webhook(args) => webhook::run(args),
        Command::Policy { command } => policy::run(command),
    };
    match res {
        Ok(code) => code,
        Err(e) => {
            eprintln!("palisade: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
