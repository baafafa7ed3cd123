//! palisade-live: reads a live cluster through the Kubernetes API for a scan.
//!
//! [`connect`] builds a client from a kubeconfig (token, client certificate, exec credential plugins such as
//! kubelogin) or the in-cluster service account; [`read_cluster`] discovers which versions of the needed kinds
//! ([`kinds::KINDS`]) the server serves, lists them (paginated, in parallel, with timeouts and retries) and
//! returns every object as JSON, stripped of server-managed noise ([`strip`]). Secrets are read through the
//! server's Table rendering with object metadata only, so their values never reach this process.
//!
//! A list that fails is a [`Gap`] (forbidden, or failed after retries), never a silent omission.

pub mod kinds;
pub mod retry;
pub mod strip;

use kinds::{KindSpec, ReadMode, KINDS};
pub use retry::{AttemptError, RetryPolicy};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What to read and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Kubeconfig file; `None`: `$KUBECONFIG` or `~/.kube/config`, else the in-cluster service account.
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context; `None`: the current context.
    pub context: Option<String>,
    /// Only these namespaces (namespaced kinds are listed in each; cluster-scoped kinds are still read).
    pub namespaces: Vec<String>,
    /// Objects per list page (`limit`).
    pub page_size: u32,
    /// Timeouts and retries of each request.
    pub retry: RetryPolicy,
    /// Lists in flight at once.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            kubeconfig: None,
            context: None,
            namespaces: Vec::new(),
            page_size: 500,
            retry: RetryPolicy::default(),
            concurrency: 6,
        }
    }
}

/// Errors that stop a live read before any object is listed.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The kubeconfig file cannot be read or used.
    #[error("kubeconfig {path}: {message}")]
    Kubeconfig {
        /// The file (or `$KUBECONFIG`/`~/.kube/config`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No kubeconfig and not inside a cluster.
    #[error("no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a cluster: {0}")]
    NoConfig(String),
    /// The client cannot be built (TLS material, proxy, ...).
    #[error("cannot build the Kubernetes client: {0}")]
    Client(String),
    /// The API server cannot be reached or refuses the credentials.
    #[error("API discovery at {server} failed: {source}")]
    Discovery {
        /// Server URL.
        server: String,
        /// Last failure.
        #[source]
        source: AttemptError,
    },
}

/// A connected client.
#[derive(Clone)]
pub struct Connection {
    client: kube::Client,
    /// Kubeconfig context name (`in-cluster` for the service account).
    pub context: String,
    /// API server URL.
    pub server: String,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("context", &self.context)
            .field("server", &self.server)
            .finish()
    }
}

/// Builds a client from the kubeconfig (or the in-cluster service account). Makes no request.
pub async fn connect(opts: &Options) -> Result<Connection, LiveError> {
    let kc_opts = kube::config::KubeConfigOptions {
        context: opts.context.clone(),
        ..Default::default()
    };
    let kc_err = |path: &str, e: &dyn std::fmt::Display| LiveError::Kubeconfig {
        path: path.to_string(),
        message: e.to_string(),
    };
    // A kubeconfig read from `shown`: the context used (flag, else the file's current context) and its config.
    let from_kubeconfig = |kc: kube::config::Kubeconfig, shown: String| async move {
        let context = opts
            .context
            .clone()
            .or_else(|| kc.current_context.clone())
            .unwrap_or_default();
        let config = kube::Config::from_custom_kubeconfig(kc, &kc_opts)
            .await
            .map_err(|e| kc_err(&shown, &e))?;
        Ok::<_, LiveError>((config, context))
    };
    const DEFAULT_KUBECONFIG: &str = "$KUBECONFIG or ~/.kube/config";
    let (mut config, context) = match &opts.kubeconfig {
        Some(path) => {
            let shown = path.display().to_string();
            let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| kc_err(&shown, &e))?;
            from_kubeconfig(kc, shown).await?
        }
        None => match kube::config::Kubeconfig::read() {
            Ok(kc) => from_kubeconfig(kc, DEFAULT_KUBECONFIG.to_string()).await?,
            Err(kc_e) => {
                if opts.context.is_some() {
                    return Err(kc_err(DEFAULT_KUBECONFIG, &kc_e));
                }
                let config = kube::Config::incluster()
                    .map_err(|e| LiveError::NoConfig(format!("kubeconfig: {kc_e}; in-cluster: {e}")))?;
                (config, "in-cluster".to_string())
            }
        },
    };
    // One retry policy (ours, with timeouts and backoff) rather than two stacked.
    config.default_retry = false;
    let server = config.cluster_url.to_string().trim_end_matches('/').to_string();
    let client = kube::Client::try_from(config).map_err(|e| LiveError::Client(e.to_string()))?;
    Ok(Connection {
        client,
        context,
        server,
    })
}

/// Progress of a read, updated while it runs (for a progress bar).
#[derive(Debug, Default)]
pub struct Counters {
    /// Lists to make (known after discovery).
    pub lists_total: AtomicUsize,
    /// Lists finished (successfully or not).
    pub lists_done: AtomicUsize,
    /// Objects read so far.
    pub objects: AtomicUsize,
}

/// One object read from the cluster.
#[derive(Clone, Debug)]
pub struct LiveObject {
    /// `apiVersion` it was read as.
    pub api_version: String,
    /// Kind.
    pub kind: String,
    /// Namespace (cluster-scoped objects: `None`).
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
    /// The stripped object as JSON.
    pub json: Vec<u8>,
}

/// Why a kind (in a namespace, or everywhere) was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapReason {
    /// `403`: the credentials may not list it.
    Forbidden,
    /// Any other failure, after retries.
    Failed,
}

/// A kind not read: the scan is partial.
#[derive(Clone, Debug)]
pub struct Gap {
    /// Why.
    pub reason: GapReason,
    /// Kind.
    pub kind: String,
    /// `apiVersion` tried.
    pub api_version: String,
    /// The namespace listed (`None`: all namespaces, or a cluster-scoped kind).
    pub namespace: Option<String>,
    /// The server's (or transport's) message.
    pub message: String,
}

/// Everything read from a cluster.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Kubeconfig context.
    pub context: String,
    /// API server URL.
    pub server: String,
    /// Objects, sorted by kind (in [`KINDS`] order), namespace and name.
    pub objects: Vec<LiveObject>,
    /// Lists that failed.
    pub gaps: Vec<Gap>,
    /// Things to tell the user: older API versions used, kinds the server does not serve.
    pub notes: Vec<String>,
    /// Kinds read (at least one list succeeded).
    pub kinds_read: usize,
}

/// Which version of each kind the server serves.
async fn discover(
    conn: &Connection,
    policy: &RetryPolicy,
) -> Result<(Vec<(KindSpec, String)>, Vec<String>), LiveError> {
    let client = &conn.client;
    let discovery_err = |e: (AttemptError, u32)| LiveError::Discovery {
        server: conn.server.clone(),
        source: e.0,
    };
    let groups = policy
        .run(1, || async {
            client.list_api_groups().await.map_err(AttemptError::from_kube)
        })
        .await
        .map_err(discovery_err)?;
    let mut served_versions: HashMap<String, HashSet<String>> = HashMap::new();
    served_versions.insert(String::new(), HashSet::from(["v1".to_string()]));
    for g in groups.groups {
        served_versions.insert(g.name, g.versions.into_iter().map(|v| v.version).collect());
    }
    // Resource lists of every group/version a kind may be read from.
    let mut wanted: Vec<String> = Vec::new();
    for spec in KINDS {
        for v in spec.versions {
            let gv = spec.api_version(v);
            if served_versions.get(spec.group).is_some_and(|vs| vs.contains(*v)) && !wanted.contains(&gv) {
                wanted.push(gv);
            }
        }
    }
    let mut set = tokio::task::JoinSet::new();
    for gv in wanted {
        let client = client.clone();
        let policy = *policy;
        set.spawn(async move {
            let r = policy
                .run(2, || async {
                    if gv == "v1" {
                        client.list_core_api_resources("v1").await
                    } else {
                        client.list_api_group_resources(&gv).await
                    }
                    .map_err(AttemptError::from_kube)
                })
                .await;
            (gv, r)
        });
    }
    let mut resources: HashMap<String, HashSet<String>> = HashMap::new();
    let mut notes = Vec::new();
    let mut first_error = None;
    while let Some(joined) = set.join_next().await {
        let Ok((gv, r)) = joined else { continue };
        match r {
            Ok(list) => {
                resources.insert(gv, list.resources.into_iter().map(|r| r.name).collect());
            }
            Err((e, _)) => {
                notes.push(format!(
                    "API group version {gv} could not be discovered ({e}); its kinds are skipped"
                ));
                if first_error.is_none() && gv == "v1" {
                    first_error = Some(e);
                }
            }
        }
    }
    if let Some(e) = first_error {
        return Err(LiveError::Discovery {
            server: conn.server.clone(),
            source: e,
        });
    }
    let mut chosen = Vec::new();
    for spec in KINDS {
        let found = spec.versions.iter().find(|v| {
            resources
                .get(&spec.api_version(v))
                .is_some_and(|r| r.contains(spec.plural))
        });
        match found {
            Some(v) => {
                if Some(v) != spec.versions.first() {
                    let newest = spec.versions.first().map(|n| spec.api_version(n)).unwrap_or_default();
                    notes.push(format!(
                        "{} read as {} (the server does not serve {newest})",
                        spec.kind,
                        spec.api_version(v)
                    ));
                }
                chosen.push((*spec, (*v).to_string()));
            }
            None => {
                let tried: Vec<String> = spec.versions.iter().map(|v| spec.api_version(v)).collect();
                notes.push(format!(
                    "{} not scanned: the server serves none of {}{}",
                    spec.kind,
                    tried.join(", "),
                    if spec.optional { " (add-on not installed)" } else { "" }
                ));
            }
        }
    }
    Ok((chosen, notes))
}

/// One list to make: a kind, in one namespace or everywhere.
#[derive(Clone)]
struct ListJob {
    spec: KindSpec,
    version: String,
    namespace: Option<String>,
    /// Extra field selector (`metadata.name=NS` for Namespaces under `--namespace`).
    name_selector: Option<String>,
}

fn jobs(chosen: &[(KindSpec, String)], namespaces: &[String]) -> Vec<ListJob> {
    let mut out = Vec::new();
    for (spec, version) in chosen {
        let job = |namespace: Option<String>, name_selector: Option<String>| ListJob {
            spec: *spec,
            version: version.clone(),
            namespace,
            name_selector,
        };
        if namespaces.is_empty() {
            out.push(job(None, None));
        } else if spec.namespaced {
            out.extend(namespaces.iter().map(|ns| job(Some(ns.clone()), None)));
        } else if spec.kind == "Namespace" {
            out.extend(
                namespaces
                    .iter()
                    .map(|ns| job(None, Some(format!("metadata.name={ns}")))),
            );
        } else {
            out.push(job(None, None));
        }
    }
    out
}

/// Combined field selector of a job.
fn field_selector(job: &ListJob) -> Option<String> {
    match (job.spec.field_selector, &job.name_selector) {
        (Some(a), Some(b)) => Some(format!("{a},{b}")),
        (Some(a), None) => Some(a.to_string()),
        (None, Some(b)) => Some(b.clone()),
        (None, None) => None,
    }
}

/// The Accept header that makes the server render a list as a Table.
const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";

/// A page of a list: its objects and the continue token.
#[derive(Debug, Default, PartialEq)]
pub struct Page {
    /// Objects (`apiVersion` and `kind` filled in, stripped).
    pub objects: Vec<Value>,
    /// `metadata.continue`, when there are more pages.
    pub continue_token: Option<String>,
}

/// Parses one page of a list answer. `Full` mode reads `items`; `MetadataAndType` reads a Table (`rows[].object`
/// metadata and the `Type` cell) and refuses anything else, so values are never taken from an answer that
/// carries them.
pub fn parse_page(body: &str, spec: &KindSpec, api_version: &str) -> Result<Page, AttemptError> {
    let v: Value = serde_json::from_str(body).map_err(|e| AttemptError::Decode(e.to_string()))?;
    let Value::Object(mut top) = v else {
        return Err(AttemptError::Decode("list answer is not a JSON object".into()));
    };
    let continue_token = top
        .get("metadata")
        .and_then(|m| m.get("continue"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let mut objects = Vec::new();
    match spec.mode {
        ReadMode::Full => {
            let items = match top.remove("items") {
                Some(Value::Array(items)) => items,
                Some(Value::Null) | None => Vec::new(),
                Some(_) => return Err(AttemptError::Decode("list `items` is not an array".into())),
            };
            for item in items {
                let Value::Object(mut obj) = item else { continue };
                obj.insert("apiVersion".into(), Value::String(api_version.to_string()));
                obj.insert("kind".into(), Value::String(spec.kind.to_string()));
                strip::strip_object(&mut obj);
                objects.push(Value::Object(obj));
            }
        }
        ReadMode::MetadataAndType => {
            if top.get("kind").and_then(Value::as_str) != Some("Table") {
                return Err(AttemptError::Decode(format!(
                    "the server did not render {} as a Table; they are not read (their values would come too)",
                    spec.plural
                )));
            }
            let type_col = top.get("columnDefinitions").and_then(Value::as_array).and_then(|cols| {
                cols.iter()
                    .position(|c| c.get("name").and_then(Value::as_str) == Some("Type"))
            });
            let rows = match top.remove("rows") {
                Some(Value::Array(rows)) => rows,
                _ => Vec::new(),
            };
            for row in rows {
                let Value::Object(mut row) = row else { continue };
                let secret_type = type_col
                    .and_then(|i| row.get("cells").and_then(|c| c.get(i)))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let Some(Value::Object(mut partial)) = row.remove("object") else {
                    continue;
                };
                let Some(Value::Object(meta)) = partial.remove("metadata") else {
                    continue;
                };
                objects.push(strip::secret_from_table_row(api_version, meta, secret_type.as_deref()));
            }
        }
    }
    Ok(Page {
        objects,
        continue_token,
    })
}

/// A seed for retry jitter that differs between lists and runs.
fn seed_of(text: &str) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    text.bytes()
        .fold(now, |h, b| h.wrapping_mul(0x0100_0000_01b3).wrapping_add(u64::from(b)))
}

/// Lists everything a job covers, page by page. A continue token that expired (`410 Gone`, on lists that take
/// longer than the server keeps snapshots) restarts the list, twice at most.
async fn run_job(
    client: &kube::Client,
    job: &ListJob,
    opts: &Options,
    counters: &Counters,
) -> Result<Vec<LiveObject>, AttemptError> {
    let path = job.spec.list_path(&job.version, job.namespace.as_deref());
    let api_version = job.spec.api_version(&job.version);
    let selector = field_selector(job);
    let seed = seed_of(&path);
    let mut restarts = 0;
    'restart: loop {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let lp = kube::api::ListParams {
                limit: Some(opts.page_size.max(1)),
                continue_token: token.clone(),
                field_selector: selector.clone(),
                ..Default::default()
            };
            let body = opts
                .retry
                .run(seed, || async {
                    let mut req = kube::core::Request::new(path.as_str())
                        .list(&lp)
                        .map_err(|e| AttemptError::Decode(e.to_string()))?;
                    if job.spec.mode == ReadMode::MetadataAndType {
                        let uri = format!("{}&includeObject=Metadata", req.uri());
                        *req.uri_mut() = uri
                            .parse()
                            .map_err(|e: http::uri::InvalidUri| AttemptError::Decode(e.to_string()))?;
                        req.headers_mut()
                            .insert(http::header::ACCEPT, http::HeaderValue::from_static(TABLE_ACCEPT));
                    }
                    client.request_text(req).await.map_err(AttemptError::from_kube)
                })
                .await;
            let body = match body {
                Ok(b) => b,
                Err((e, _)) if e.code() == Some(410) && token.is_some() && restarts < 2 => {
                    restarts += 1;
                    counters.objects.fetch_sub(out.len(), Ordering::Relaxed);
                    continue 'restart;
                }
                Err((e, _)) => return Err(e),
            };
            let page = parse_page(&body, &job.spec, &api_version)?;
            drop(body);
            counters.objects.fetch_add(page.objects.len(), Ordering::Relaxed);
            for obj in page.objects {
                let meta = obj.get("metadata");
                let name = meta
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let namespace = meta
                    .and_then(|m| m.get("namespace"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let json = serde_json::to_vec_pretty(&obj).map_err(|e| AttemptError::Decode(e.to_string()))?;
                out.push(LiveObject {
                    api_version: api_version.clone(),
                    kind: job.spec.kind.to_string(),
                    namespace,
                    name,
                    json,
                });
            }
            match page.continue_token {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }
}

/// Reads every kind in [`KINDS`] the server serves. Lists that fail become [`Gap`]s; only a failed connection or
/// discovery is an error.
pub async fn read_cluster(conn: &Connection, opts: &Options, counters: Arc<Counters>) -> Result<Snapshot, LiveError> {
    let (chosen, notes) = discover(conn, &opts.retry).await?;
    let jobs = jobs(&chosen, &opts.namespaces);
    counters.lists_total.store(jobs.len(), Ordering::Relaxed);
    let permits = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (i, job) in jobs.into_iter().enumerate() {
        let client = conn.client.clone();
        let opts = opts.clone();
        let counters = counters.clone();
        let permits = permits.clone();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let r = run_job(&client, &job, &opts, &counters).await;
            counters.lists_done.fetch_add(1, Ordering::Relaxed);
            (i, job, r)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = set.join_next().await {
        if let Ok(r) = joined {
            results.push(r);
        }
    }
    results.sort_by_key(|(i, _, _)| *i);
    let order: HashMap<&str, usize> = KINDS.iter().enumerate().map(|(i, k)| (k.kind, i)).collect();
    let mut snapshot = Snapshot {
        context: conn.context.clone(),
        server: conn.server.clone(),
        notes,
        ..Default::default()
    };
    let mut read_kinds: HashSet<&'static str> = HashSet::new();
    for (_, job, r) in results {
        match r {
            Ok(objects) => {
                read_kinds.insert(job.spec.kind);
                snapshot.objects.extend(objects);
            }
            Err(e) => snapshot.gaps.push(Gap {
                reason: if e.code() == Some(403) {
                    GapReason::Forbidden
                } else {
                    GapReason::Failed
                },
                kind: job.spec.kind.to_string(),
                api_version: job.spec.api_version(&job.version),
                namespace: job.namespace.clone(),
                message: match &e {
                    AttemptError::Api { message, .. } if !message.is_empty() => message.clone(),
                    other => other.to_string(),
                },
            }),
        }
    }
    snapshot.kinds_read = read_kinds.len();
    // The same object can come twice (Namespaces selected twice); keep one.
    let mut seen = HashSet::new();
    snapshot
        .objects
        .retain(|o| seen.insert((o.kind.clone(), o.namespace.clone(), o.name.clone())));
    snapshot.objects.sort_by(|a, b| {
        let ka = order.get(a.kind.as_str()).copied().unwrap_or(usize::MAX);
        let kb = order.get(b.kind.as_str()).copied().unwrap_or(usize::MAX);
        (&a.namespace, ka, &a.name).cmp(&(&b.namespace, kb, &b.name))
    });
    Ok(snapshot)
}

/// Percent-encodes `s` for a URI: unreserved characters stay, and `:`/`@` too when `path` (they are allowed in
/// path segments, and common in RBAC names such as `system:node`).
fn encode(s: &str, path: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (path && matches!(b, b':' | b'@')) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The label (file name in reports) of a live object or list: `cluster://CONTEXT/NAMESPACE/KIND/NAME`, without
/// `NAMESPACE` for cluster-scoped objects and without `NAME` for a whole list. A valid URI: every part is
/// percent-encoded.
pub fn label(context: &str, namespace: Option<&str>, kind: &str, name: Option<&str>) -> String {
    let mut s = format!(
        "cluster://{}",
        encode(if context.is_empty() { "default" } else { context }, false)
    );
    for part in [namespace, Some(kind), name].into_iter().flatten() {
        s.push('/');
        s.push_str(&encode(part, true));
    }
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use serde_json::json;

    fn spec(kind: &str) -> KindSpec {
        *KINDS.iter().find(|k| k.kind == kind).unwrap()
    }

    #[test]
    fn labels_are_uris() {
        assert_eq!(label("test", Some("web"), "Pod", Some("a")), "cluster://test/web/Pod/a");
        assert_eq!(
            label("arn:aws:eks/x@y", None, "ClusterRole", Some("system:node")),
            "cluster://arn%3Aaws%3Aeks%2Fx%40y/ClusterRole/system:node"
        );
        assert_eq!(label("", Some("ns"), "Secret", None), "cluster://default/ns/Secret");
    }

    #[test]
    fn full_pages_fill_kind_and_strip() {
        let body = json!({
            "kind": "ConfigMapList", "apiVersion": "v1", "metadata": {"continue": "abc"},
            "items": [{"metadata": {"name": "a", "namespace": "n", "managedFields": []}, "data": {"x": "y"}}]
        })
        .to_string();
        let page = parse_page(&body, &spec("ConfigMap"), "v1").unwrap();
        assert_eq!(page.continue_token.as_deref(), Some("abc"));
        assert_eq!(
            page.objects,
            vec![
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "n"}, "data": {"x": "y"}})
            ]
        );
        let last = json!({"kind": "ConfigMapList", "metadata": {"continue": ""}, "items": []}).to_string();
        assert_eq!(parse_page(&last, &spec("ConfigMap"), "v1").unwrap(), Page::default());
    }

    #[test]
    fn secrets_only_from_tables() {
        let table = json!({
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
            "columnDefinitions": [{"name": "Name"}, {"name": "Type"}, {"name": "Data"}, {"name": "Age"}],
            "rows": [{"cells": ["s", "Opaque", 1, "1m"],
                      "object": {"kind": "PartialObjectMetadata", "metadata": {"name": "s", "namespace": "n"}}}]
        })
        .to_string();
        let page = parse_page(&table, &spec("Secret"), "v1").unwrap();
        assert_eq!(
            page.objects,
            vec![
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "n"}, "type": "Opaque"})
            ]
        );
        let list = json!({"kind": "SecretList", "items": [{"data": {"p": "c2VjcmV0"}}]}).to_string();
        let err = parse_page(&list, &spec("Secret"), "v1").unwrap_err();
        assert!(!err.to_string().contains("c2VjcmV0"));
    }

    #[test]
    fn jobs_per_namespace() {
        let chosen: Vec<(KindSpec, String)> = ["Namespace", "Pod", "ClusterRole"]
            .iter()
            .map(|k| (spec(k), "v1".to_string()))
            .collect();
        let all = jobs(&chosen, &[]);
        assert_eq!(all.len(), 3);
        let some = jobs(&chosen, &["a".into(), "b".into()]);
        assert_eq!(some.len(), 5);
        assert_eq!(field_selector(&some[0]).as_deref(), Some("metadata.name=a"));
        assert_eq!(
            field_selector(&some[2]).as_deref(),
            Some("status.phase!=Succeeded,status.phase!=Failed")
        );
        assert_eq!(some[2].namespace.as_deref(), Some("a"));
    }
}
