//! The HTTPS server: `/validate`, `/mutate`, `/healthz`, `/readyz`, `/metrics`; rustls (TLS 1.2 and 1.3) with
//! certificate reload when the files change; body size limit and read timeouts; graceful shutdown on SIGTERM.

use crate::judge::{Endpoint, Judge, NamespaceLabels, NoNamespaces};
use crate::metrics::Metrics;
use crate::nscache::NamespaceCache;
use crate::review::AdmissionResponse;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The certificate or key cannot be read or used.
    #[error("TLS certificate {cert} / key {key}: {message}")]
    Tls {
        /// Certificate file.
        cert: String,
        /// Key file.
        key: String,
        /// What went wrong.
        message: String,
    },
    /// Binding or serving failed.
    #[error("serving on {addr}: {message}")]
    Io {
        /// Listen address.
        addr: SocketAddr,
        /// What went wrong.
        message: String,
    },
}

/// How to run the server.
pub struct ServeOptions {
    /// Listen address.
    pub listen: SocketAddr,
    /// PEM certificate chain.
    pub tls_cert: PathBuf,
    /// PEM private key.
    pub tls_key: PathBuf,
    /// The judge.
    pub judge: Judge,
    /// The namespace cache, when the webhook can reach the API server.
    pub namespaces: Option<Arc<NamespaceCache>>,
    /// How often the certificate files are checked for changes.
    pub tls_reload_every: Duration,
    /// Time between SIGTERM (readiness off) and closing the listener, for endpoints to be updated.
    pub shutdown_delay: Duration,
    /// Longest wait for in-flight requests after the listener closes.
    pub shutdown_grace: Duration,
    /// Serve `/noop` (allows everything without judging; benchmarks only).
    pub noop: bool,
}

struct AppState {
    judge: Judge,
    namespaces: Arc<dyn NamespaceLabels>,
    cache: Option<Arc<NamespaceCache>>,
    metrics: Metrics,
    shutting_down: AtomicBool,
}

fn unix_seconds() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Writes one line on stderr with a single write (stderr is unbuffered: formatting straight into it would cost
/// a system call per fragment), so concurrent lines never interleave.
fn write_line(mut line: String) {
    use std::io::Write;
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Writes one structured log line (JSON) on stderr.
pub fn log_event(event: &str, message: &str) {
    write_line(serde_json::json!({"ts": unix_seconds(), "event": event, "message": message}).to_string());
}

#[derive(serde::Serialize)]
struct ReviewLine<'a> {
    ts: f64,
    event: &'static str,
    #[serde(flatten)]
    record: &'a crate::judge::Record,
}

/// The audit log: denials, exemptions, mutations, unreadable objects, and every request with an `audit`
/// finding. Requests allowed with warnings only are not logged (the client saw the warnings; metrics count them).
fn log_review(record: &crate::judge::Record) {
    let audit = record.findings.iter().any(|f| f.action == crate::config::Action::Audit);
    if !audit
        && !matches!(record.decision, "denied" | "exempt" | "mutated" | "error")
        && record.policy_errors.is_empty()
    {
        return;
    }
    let line = ReviewLine {
        ts: unix_seconds(),
        event: "admission",
        record,
    };
    if let Ok(text) = serde_json::to_string(&line) {
        write_line(text);
    }
}

fn text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// Reads the body within the size limit and the read timeout.
async fn read_body(state: &AppState, headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, Response> {
    let limit = state.judge.config().max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes (webhook.max_body_bytes)\n"),
        )
    };
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    match tokio::time::timeout(state.judge.config().read_timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(text(
            StatusCode::REQUEST_TIMEOUT,
            "request body not received in time (webhook.read_timeout_seconds)\n".into(),
        )),
        Ok(Err(e)) if e.to_string().contains("length limit") => Err(too_large()),
        Ok(Err(e)) => Err(text(
            StatusCode::BAD_REQUEST,
            format!("reading the request body: {e}\n"),
        )),
        Ok(Ok(b)) => Ok(b),
    }
}

async fn admission(state: &AppState, endpoint: Endpoint, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_body(state, &headers, body).await {
        Ok(b) => b,
        Err(resp) => {
            state.metrics.bad_request(endpoint.as_str(), 0.0);
            return resp;
        }
    };
    let start = Instant::now();
    match state.judge.review(endpoint, &bytes, state.namespaces.as_ref()) {
        Err(e) => {
            state
                .metrics
                .bad_request(endpoint.as_str(), start.elapsed().as_secs_f64());
            text(StatusCode::BAD_REQUEST, format!("{e}\n"))
        }
        Ok(verdict) => {
            let record = &verdict.record;
            // A namespace admitted for real updates the cache at once (never on a dry run: no side effects).
            if let (Some(cache), Endpoint::Validate, false, true) = (
                &state.cache,
                endpoint,
                record.dry_run,
                verdict.response.allowed && record.kind == "Namespace",
            ) {
                if let Some((name, labels)) = namespace_labels(&bytes) {
                    cache.set(&name, &labels);
                }
            }
            let body = verdict.response.review_bytes();
            state.metrics.observe(record, start.elapsed().as_secs_f64());
            log_review(record);
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
    }
}

fn namespace_labels(body: &[u8]) -> Option<(String, serde_json::Value)> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let obj = v.pointer("/request/object/metadata")?;
    let name = obj.get("name")?.as_str()?.to_string();
    let labels = obj.get("labels").cloned().unwrap_or_else(|| serde_json::json!({}));
    Some((name, labels))
}

async fn validate(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    admission(&state, Endpoint::Validate, headers, body).await
}

async fn mutate(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    admission(&state, Endpoint::Mutate, headers, body).await
}

/// What a webhook that judges nothing must still do: read the review and allow it, echoing its uid. The server
/// stack alone, for benchmarks.
async fn noop(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_body(&state, &headers, body).await {
        Err(resp) => return resp,
        Ok(b) => b,
    };
    match crate::review::parse(&bytes) {
        Err(e) => text(StatusCode::BAD_REQUEST, format!("{e}\n")),
        Ok(req) => {
            let body = AdmissionResponse::allow(req.uid.as_deref().unwrap_or_default()).review_bytes();
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
    }
}

async fn healthz() -> Response {
    text(StatusCode::OK, "ok\n".into())
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.shutting_down.load(Ordering::Relaxed) {
        return text(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n".into());
    }
    let cache = match &state.cache {
        None => "namespace cache: off",
        Some(c) if c.synced() => "namespace cache: synced",
        Some(_) => "namespace cache: not yet synced (pods judged at the default policy)",
    };
    text(StatusCode::OK, format!("ok\n{cache}\n"))
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

fn router(state: Arc<AppState>, noop_route: bool) -> Router {
    let mut r = Router::new()
        .route("/validate", post(validate))
        .route("/mutate", post(mutate))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    if noop_route {
        r = r.route("/noop", post(noop));
    }
    r.with_state(state)
}

fn file_stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Polls the certificate and key; reloads when either changes. New connections get the new certificate,
/// established ones keep theirs (nothing is dropped). A bad pair is logged and the old one kept.
async fn reload_loop(config: RustlsConfig, cert: PathBuf, key: PathBuf, every: Duration) {
    let mut last = (file_stamp(&cert), file_stamp(&key));
    loop {
        tokio::time::sleep(every).await;
        let now = (file_stamp(&cert), file_stamp(&key));
        if now == last {
            continue;
        }
        match config.reload_from_pem_file(&cert, &key).await {
            Ok(()) => {
                last = now;
                log_event("tls-reloaded", &format!("{} / {}", cert.display(), key.display()));
            }
            Err(e) => log_event("tls-reload-failed", &format!("{e}; keeping the previous certificate")),
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs the server until SIGTERM or SIGINT, then drains in-flight requests.
pub async fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    let tls_err = |message: String| ServeError::Tls {
        cert: opts.tls_cert.display().to_string(),
        key: opts.tls_key.display().to_string(),
        message,
    };
    let tls = RustlsConfig::from_pem_file(&opts.tls_cert, &opts.tls_key)
        .await
        .map_err(|e| tls_err(e.to_string()))?;
    let read_timeout = opts.judge.config().read_timeout;
    let namespaces: Arc<dyn NamespaceLabels> = match &opts.namespaces {
        Some(c) => c.clone(),
        None => Arc::new(NoNamespaces),
    };
    let state = Arc::new(AppState {
        judge: opts.judge,
        namespaces,
        cache: opts.namespaces.clone(),
        metrics: Metrics::new(),
        shutting_down: AtomicBool::new(false),
    });
    tokio::spawn(reload_loop(
        tls.clone(),
        opts.tls_cert.clone(),
        opts.tls_key.clone(),
        opts.tls_reload_every,
    ));
    let handle = axum_server::Handle::new();
    {
        let handle = handle.clone();
        let state = state.clone();
        let (delay, grace) = (opts.shutdown_delay, opts.shutdown_grace);
        tokio::spawn(async move {
            shutdown_signal().await;
            state.shutting_down.store(true, Ordering::Relaxed);
            log_event(
                "shutdown",
                "signal received: readiness off, draining in-flight requests",
            );
            tokio::time::sleep(delay).await;
            handle.graceful_shutdown(Some(grace));
        });
    }
    let acceptor = RustlsAcceptor::new(tls).handshake_timeout(read_timeout);
    let mut server = axum_server::bind(opts.listen)
        .acceptor(acceptor)
        .handle(handle.clone())
        .first_request_timeout(read_timeout);
    server.http_builder().http1().header_read_timeout(Some(read_timeout));
    {
        let handle = handle.clone();
        tokio::spawn(async move {
            if let Some(addr) = handle.listening().await {
                log_event("listening", &format!("https://{addr}"));
            }
        });
    }
    let app = router(state, opts.noop);
    server
        .serve(app.into_make_service())
        .await
        .map_err(|e| ServeError::Io {
            addr: opts.listen,
            message: e.to_string(),
        })?;
    log_event("stopped", "all connections closed");
    Ok(())
}
