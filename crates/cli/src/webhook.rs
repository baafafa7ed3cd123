//! `palisade webhook`: the admission webhook server. Loads the configuration (rules, parameters, exemptions and
//! the `webhook:` section of `.palisade.yaml`), builds the judge over the same rules as `palisade scan`, starts
//! the namespace cache when a cluster is reachable, and serves until SIGTERM. See docs/webhook.md.

use anyhow::{Context, Result};
use palisade_webhook::nscache::{self, NamespaceCache};
use palisade_webhook::server::{log_event, ServeOptions};
use palisade_webhook::{Judge, WebhookConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `palisade webhook` flags.
#[derive(clap::Args)]
pub struct WebhookArgs {
    /// PEM certificate chain served to the API server (reloaded when the file changes).
    #[arg(long, value_name = "FILE")]
    tls_cert: PathBuf,
    /// PEM private key (reloaded when the file changes).
    #[arg(long, value_name = "FILE")]
    tls_key: PathBuf,
    /// Configuration file (`.palisade.yaml` format, with an optional `webhook:` section).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:8443")]
    listen: SocketAddr,
    /// Kubeconfig for the namespace cache (default: in-cluster service account, or $KUBECONFIG when set).
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<PathBuf>,
    /// Do not list namespaces: judge every pod at the configured default Pod Security level.
    #[arg(long)]
    no_namespace_cache: bool,
    /// Seconds between checks of the certificate files.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    tls_reload_seconds: u64,
    /// Seconds between SIGTERM (readiness turns off) and closing the listener.
    #[arg(long, value_name = "SECONDS", default_value_t = 2)]
    shutdown_delay_seconds: u64,
    /// Custom policies: Gatekeeper ConstraintTemplates and constraints, Palisade Rego policies (files or
    /// directories; repeatable). Constraint enforcement actions apply: deny enforces, warn warns, dryrun audits.
    #[arg(long = "policy", value_name = "PATH")]
    policies: Vec<PathBuf>,
    /// Serve /noop, which allows everything without judging (benchmarks only).
    #[arg(long, hide = true)]
    bench_noop: bool,
}

fn in_cluster() -> bool {
    std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
}

/// Runs the webhook until SIGTERM.
pub fn run(args: WebhookArgs) -> Result<ExitCode> {
    let cfg = match &args.config {
        Some(p) => crate::config::load(p)?,
        None => palisade_core::config::Config::default(),
    };
    let all = palisade_rules::all();
    let known = |id: &str| all.iter().any(|r| r.meta().id.eq_ignore_ascii_case(id));
    let webhook = WebhookConfig::from_node(cfg.webhook.as_ref(), &known).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}",
            args.config
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        )
    })?;
    let rules = crate::config::select_rules(&cfg, &[], &[])?;
    let overrides: Vec<_> = cfg
        .rules
        .iter()
        .filter_map(|(id, s)| Some((id.clone(), s.severity?)))
        .collect();
    let refresh = webhook.namespace_refresh;
    let mut judge = Judge::new(rules, overrides, cfg.params.clone(), cfg.exemptions.clone(), webhook);
    if !args.policies.is_empty() {
        let policies = palisade_webhook::policy::Policies::load(&args.policies).context("loading --policy")?;
        log_event("policies-loaded", &format!("{} custom policies", policies.len()));
        judge = judge.with_extra(Box::new(policies));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let want_cache = !args.no_namespace_cache
            && (args.kubeconfig.is_some() || in_cluster() || std::env::var_os("KUBECONFIG").is_some());
        let namespaces = if want_cache {
            match nscache::client(args.kubeconfig.as_deref()).await {
                Ok(client) => {
                    let cache = Arc::new(NamespaceCache::new());
                    if let Err(e) = cache.refresh(&client).await {
                        log_event("namespace-cache-error", &format!("{e}; retrying in the background"));
                    }
                    tokio::spawn(cache.clone().run(client, refresh));
                    Some(cache)
                }
                Err(e) => {
                    log_event(
                        "namespace-cache-off",
                        &format!("{e}; pods are judged at the configured default level"),
                    );
                    None
                }
            }
        } else {
            None
        };
        palisade_webhook::server::serve(ServeOptions {
            listen: args.listen,
            tls_cert: args.tls_cert,
            tls_key: args.tls_key,
            judge,
            namespaces,
            tls_reload_every: Duration::from_secs(args.tls_reload_seconds.max(1)),
            shutdown_delay: Duration::from_secs(args.shutdown_delay_seconds),
            shutdown_grace: Duration::from_secs(25),
            noop: args.bench_noop,
        })
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}
