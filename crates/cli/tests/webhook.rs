//! `palisade webhook` as the real binary: bad input over HTTPS (no cluster needed), and end to end against a real
//! kube-apiserver (palisade-testenv; skipped with a message when its binaries are not built).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/webhook_data")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("palisade-webhook-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A throwaway PKI from the test environment's own script (openssl only; no cluster needed).
fn pki(dir: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testenv/certs.sh");
    let out = Command::new("bash").arg(script).arg(dir).output().unwrap();
    assert!(
        out.status.success(),
        "certs.sh: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Webhook {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Webhook {
    fn start(pki: &Path, log: PathBuf, extra: &[&str]) -> Webhook {
        let port = palisade_testenv::free_port(1).unwrap();
        let stderr = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .arg("webhook")
            .arg("--tls-cert")
            .arg(pki.join("webhook.crt"))
            .arg("--tls-key")
            .arg(pki.join("webhook.key"))
            .arg("--config")
            .arg(data("config.yaml"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(["--tls-reload-seconds", "1", "--shutdown-delay-seconds", "0"])
            .args(extra)
            .env_remove("KUBECONFIG")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let w = Webhook { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !w.log().contains("\"listening\"") {
            assert!(Instant::now() < deadline, "webhook did not start: {}", w.log());
            std::thread::sleep(Duration::from_millis(100));
        }
        w
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// SIGTERM, then the exit status within 15 s.
    fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "webhook did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// curl over TLS with the given CA: (HTTP status, body).
fn curl(ca: &Path, args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", "--cacert"])
        .arg(ca)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (
        code.trim().parse().unwrap_or(0),
        format!("{body}{}", String::from_utf8_lossy(&out.stderr)),
    )
}

fn post(ca: &Path, url: &str, body_file: &Path) -> (u16, String) {
    let data = format!("@{}", body_file.display());
    curl(
        ca,
        &[
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &data,
            url,
        ],
    )
}

#[test]
fn bad_input_gets_clear_errors_and_tls_reloads() {
    let dir = scratch("bad");
    let pki_dir = dir.join("pki");
    pki(&pki_dir);
    let ca = pki_dir.join("ca.crt");
    let w = Webhook::start(&pki_dir, dir.join("webhook.log"), &["--no-namespace-cache"]);

    assert_eq!(curl(&ca, &[&w.url("/healthz")]).0, 200);
    assert_eq!(curl(&ca, &[&w.url("/readyz")]).0, 200);

    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // Over the limit (3.5 MiB): 413, without reading it all.
    // (HTTP/1.1: over HTTP/2 the early answer resets the stream, which curl reports as an error instead.)
    let huge = write("huge.json", &vec![b' '; 5 * 1024 * 1024]);
    let huge_arg = format!("@{}", huge.display());
    for chunked in [false, true] {
        let mut args = vec!["--http1.1", "-X", "POST", "--data-binary", &huge_arg];
        if chunked {
            args.extend(["-H", "Transfer-Encoding: chunked"]);
        }
        let url = w.url("/validate");
        args.push(&url);
        let (code, body) = curl(&ca, &args);
        if chunked && body.contains("Send failure") {
            // Without a Content-Length the limit is found while reading; the server answers 413 and closes, and
            // curl may still be sending the rest: it then reports the closed connection instead of the answer.
        } else {
            assert_eq!(code, 413, "chunked={chunked}: {body}");
            assert!(body.contains("larger than"), "{body}");
        }
        assert_eq!(curl(&ca, &[&w.url("/healthz")]).0, 200);
    }

    let cases: &[(&str, &[u8], &str)] = &[
        (
            "malformed.json",
            b"{\"apiVersion\": \"admission.k8s.io/v1\", ",
            "not a valid AdmissionReview",
        ),
        (
            "wrong-kind.json",
            br#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}"#,
            "expected apiVersion admission.k8s.io/v1",
        ),
        (
            "v1beta1.json",
            br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"1"}}"#,
            "admissionReviewVersions",
        ),
        (
            "no-request.json",
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#,
            "has no request",
        ),
        (
            "no-uid.json",
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}"#,
            "has no uid",
        ),
    ];
    for (name, bytes, want) in cases {
        for endpoint in ["/validate", "/mutate"] {
            let (code, body) = post(&ca, &w.url(endpoint), &write(name, bytes));
            assert_eq!(code, 400, "{name} {endpoint}: {body}");
            assert!(body.contains(want), "{name} {endpoint}: {body}");
        }
    }
    // A review whose object is not a Kubernetes object: an AdmissionResponse that says so.
    let bad_object = write(
        "bad-object.json",
        br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","operation":"CREATE","kind":{"group":"","version":"v1","kind":"Pod"},"namespace":"shop","object":{"metadata":{"name":"x"}}}}"#,
    );
    let (code, body) = post(&ca, &w.url("/validate"), &bad_object);
    assert_eq!(code, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(v["response"]["uid"], "u1");
    assert_eq!(v["response"]["allowed"], false);
    assert_eq!(v["response"]["status"]["code"], 400);
    assert!(v["response"]["status"]["message"]
        .as_str()
        .unwrap()
        .contains("apiVersion and kind"));
    // Wrong method.
    assert_eq!(curl(&ca, &[&w.url("/validate")]).0, 405);

    // Slow clients: a body that never completes, and headers that never end, are cut off after the 2 s read
    // timeout of tests/webhook_data/config.yaml (never a hang).
    for partial in [
        "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"apiVersion\"",
        "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Ty",
    ] {
        let start = Instant::now();
        let mut client = Command::new("openssl")
            .args(["s_client", "-quiet", "-connect", &format!("127.0.0.1:{}", w.port), "-CAfile"])
            .arg(&ca)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = client.stdin.take().unwrap();
        stdin.write_all(partial.as_bytes()).unwrap();
        stdin.flush().unwrap();
        // Keep stdin open: the client stalls. The server must close the connection.
        loop {
            if client.try_wait().unwrap().is_some() {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "slow client not cut off: {partial:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let out = client.wait_with_output().unwrap();
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(1500), "closed too early ({elapsed:?})");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.is_empty() || text.contains("408"), "{text}");
        drop(stdin);
    }
    // The server still answers.
    assert_eq!(curl(&ca, &[&w.url("/healthz")]).0, 200);

    // TLS 1.2 and 1.3 only.
    let old_tls = curl(&ca, &["--tlsv1.0", "--tls-max", "1.1", &w.url("/healthz")]);
    assert_eq!(old_tls.0, 0, "TLS 1.1 accepted: {}", old_tls.1);
    assert_eq!(curl(&ca, &["--tlsv1.2", "--tls-max", "1.2", &w.url("/healthz")]).0, 200);

    // Certificate reload: new files (from a new CA) are served without a restart.
    let pki2 = dir.join("pki2");
    pki(&pki2);
    let ca2 = pki2.join("ca.crt");
    assert_eq!(curl(&ca2, &[&w.url("/healthz")]).0, 0, "new CA trusted before reload");
    std::fs::copy(pki2.join("webhook.key"), pki_dir.join("webhook.key")).unwrap();
    std::fs::copy(pki2.join("webhook.crt"), pki_dir.join("webhook.crt")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while curl(&ca2, &[&w.url("/healthz")]).0 != 200 {
        assert!(Instant::now() < deadline, "certificate not reloaded: {}", w.log());
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(w.log().contains("tls-reloaded"));

    let (code, metrics) = curl(&ca2, &[&w.url("/metrics")]);
    assert_eq!(code, 200);
    assert!(
        metrics.contains(
            "palisade_webhook_requests_total{endpoint=\"validate\",kind=\"\",operation=\"\",decision=\"bad-request\"}"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("palisade_webhook_request_duration_seconds_bucket"),
        "{metrics}"
    );

    // Graceful shutdown: a request still uploading when SIGTERM arrives is answered before the process exits.
    let mut review: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../webhook/tests/data/validate-privileged-pod.request.json"),
        )
        .unwrap(),
    )
    .unwrap();
    review["request"]["object"]["metadata"]["annotations"] = serde_json::json!({ "padding": "x".repeat(24 * 1024) });
    let slow = write("slow.json", &serde_json::to_vec(&review).unwrap());
    let slow_arg = format!("@{}", slow.display());
    let url = w.url("/validate");
    let in_flight = Command::new("curl")
        .args([
            "-sS",
            "--http1.1",
            "--limit-rate",
            "16K",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
            "--cacert",
        ])
        .arg(&ca2)
        .args(["-X", "POST", "--data-binary", &slow_arg, &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let status = w.terminate();
    let out = in_flight.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.trim_end().ends_with("200"),
        "in-flight request not answered: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("K8S-001"), "{text}");
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

fn kubectl_err(c: &palisade_testenv::Cluster, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    let out = c.kubectl("admin", args, stdin);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn end_to_end_against_a_real_api_server() {
    let Some(cluster) = palisade_testenv::Cluster::start("webhook") else {
        return;
    };
    let dir = scratch("e2e");
    let read = |name: &str| std::fs::read_to_string(data(name)).unwrap();
    cluster.kubectl_ok(&["create", "namespace", "shop"], None);
    cluster.kubectl_ok(&["create", "namespace", "legacy"], None);
    cluster.kubectl_ok(
        &[
            "label",
            "namespace",
            "legacy",
            "pod-security.kubernetes.io/enforce=privileged",
        ],
        None,
    );
    // A workload that exists before the webhook: its violations are pre-existing.
    cluster.kubectl_ok(
        &["-n", "shop", "apply", "-f", "-"],
        Some(&read("legacy-deployment.yaml")),
    );

    let pki = cluster.pki();
    let kubeconfig = cluster.kubeconfig("admin");
    let w = Webhook::start(
        &pki,
        dir.join("webhook.log"),
        &[
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
            "--policy",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../webhook/tests/policies")
                .to_str()
                .unwrap(),
        ],
    );
    let ca_b64 = {
        use std::io::Read;
        let mut f = std::fs::File::open(pki.join("ca.crt")).unwrap();
        let mut pem = Vec::new();
        f.read_to_end(&mut pem).unwrap();
        let out = Command::new("base64")
            .arg("-w0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin.take().unwrap().write_all(&pem)?;
                c.wait_with_output()
            })
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let hooks = read("webhooks.yaml.in")
        .replace("@PORT@", &w.port.to_string())
        .replace("@CA@", &ca_b64);
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&hooks));

    // A privileged pod is denied, naming the rule (the API server picks the configuration up within seconds).
    let privileged = read("privileged-pod.yaml");
    let deadline = Instant::now() + Duration::from_secs(30);
    let denial = loop {
        let (ok, out) = kubectl_err(&cluster, &["-n", "shop", "create", "-f", "-"], Some(&privileged));
        if !ok && out.contains("palisade denied") {
            break out;
        }
        if ok {
            cluster.kubectl_ok(&["-n", "shop", "delete", "pod", "priv", "--wait=false"], None);
        }
        assert!(
            Instant::now() < deadline,
            "privileged pod never denied: {out}\n{}",
            w.log()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert!(denial.contains("K8S-001"), "{denial}");
    assert!(denial.contains("privileged-container"), "{denial}");
    assert!(
        denial.contains("/spec/containers/0/securityContext/privileged"),
        "{denial}"
    );
    assert!(denial.contains("Fix:"), "{denial}");

    // A server-side dry run is judged the same, and logged as a dry run.
    let (ok, out) = kubectl_err(
        &cluster,
        &["-n", "shop", "create", "--dry-run=server", "-f", "-"],
        Some(&privileged),
    );
    assert!(!ok && out.contains("K8S-001"), "{out}");
    assert!(w.log().contains("\"dryRun\":true"), "{}", w.log());

    // Exempt namespace: allowed.
    let (ok, out) = kubectl_err(&cluster, &["-n", "kube-system", "create", "-f", "-"], Some(&privileged));
    assert!(ok, "kube-system is exempt: {out}");

    // A namespace whose Pod Security level is privileged (known through the namespace cache): the PSS rules
    // do not apply there.
    let (ok, out) = kubectl_err(&cluster, &["-n", "legacy", "create", "-f", "-"], Some(&privileged));
    assert!(ok, "legacy enforces privileged: {out}\n{}", w.log());

    // Warn-mode rules: allowed, with warnings printed by kubectl; safe mutations stored.
    let (ok, out) = kubectl_err(
        &cluster,
        &["-n", "shop", "create", "-f", "-"],
        Some(&read("plain-pod.yaml")),
    );
    assert!(ok, "{out}\n{}", w.log());
    assert!(out.contains("Warning: K8S-040"), "{out}");
    assert!(out.contains("has no owner label"), "warn constraint: {out}");
    let stored: serde_json::Value =
        serde_json::from_str(&cluster.kubectl_ok(&["-n", "shop", "get", "pod", "plain", "-o", "json"], None)).unwrap();
    let sc = &stored["spec"]["containers"][0]["securityContext"];
    assert_eq!(sc["allowPrivilegeEscalation"], false, "{stored}");
    assert_eq!(sc["capabilities"]["drop"], serde_json::json!(["NET_RAW"]), "{stored}");
    assert_eq!(
        stored["spec"]["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
        "{stored}"
    );
    assert_eq!(
        stored["spec"]["securityContext"]["runAsUser"], 20000,
        "user values kept: {stored}"
    );

    // Custom policies (--policy): a Rego policy denies the latest tag; a warn constraint warns.
    let latest = read("plain-pod.yaml").replace("name: plain", "name: latest").replace(
        "app:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "app:latest",
    );
    let (ok, out) = kubectl_err(&cluster, &["-n", "shop", "create", "-f", "-"], Some(&latest));
    assert!(!ok && out.contains("ORG-901"), "{out}");
    assert!(!out.contains("K8S-001"), "{out}");
    let (ok, out) = kubectl_err(&cluster, &["-n", "shop", "get", "pod", "plain"], None);
    assert!(ok, "{out}");

    // UPDATE: scaling a workload whose template violates is allowed (pre-existing, warned) ...
    let (ok, out) = kubectl_err(
        &cluster,
        &[
            "-n",
            "shop",
            "patch",
            "deployment",
            "legacy",
            "-p",
            r#"{"spec":{"replicas":3}}"#,
        ],
        None,
    );
    assert!(ok, "scale must be allowed: {out}\n{}", w.log());
    assert!(out.contains("Warning: K8S-001"), "{out}");
    let replicas = cluster.kubectl_ok(
        &[
            "-n",
            "shop",
            "get",
            "deployment",
            "legacy",
            "-o",
            "jsonpath={.spec.replicas}",
        ],
        None,
    );
    assert_eq!(replicas.trim(), "3");
    // ... but changing its template re-judges it.
    let (ok, out) = kubectl_err(
        &cluster,
        &[
            "-n",
            "shop",
            "set",
            "image",
            "deployment/legacy",
            "app=myregistry.azurecr.io/app:2.0@sha256:1111111111111111111111111111111111111111111111111111111111111111",
        ],
        None,
    );
    assert!(!ok && out.contains("K8S-001"), "template change must be judged: {out}");

    let (code, metrics) = curl(&pki.join("ca.crt"), &[&w.url("/metrics")]);
    assert_eq!(code, 200);
    assert!(
        metrics.contains("palisade_webhook_requests_total{endpoint=\"validate\",kind=\"Pod\",operation=\"CREATE\",decision=\"denied\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("palisade_webhook_findings_total{rule=\"K8S-001\",action=\"enforce\"}"),
        "{metrics}"
    );

    let status = w.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
