//! A real Kubernetes API server for tests: etcd and kube-apiserver v1.20 on loopback, started by the project's
//! `testenv/start.sh` with binaries built by `testenv/build.sh` (from Debian's source package; see
//! `testenv/README.md`).
//!
//! [`Cluster::start`] picks free ports, generates a throwaway PKI and kubeconfigs, and stops everything (by PID)
//! when dropped. When the binaries are missing it returns `None` after printing how to build them, so a plain
//! `cargo test` in a fresh checkout skips these tests; with `PALISADE_REQUIRE_TESTENV=1` (set by `.ci/run`) it
//! fails instead.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Where `testenv/build.sh` puts its binaries: `$PALISADE_TESTENV_DIR/bin`, default
/// `~/.cache/palisade/testenv/bin`.
pub fn bin_dir() -> PathBuf {
    let base = std::env::var_os("PALISADE_TESTENV_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("/root"));
            home.join(".cache/palisade/testenv")
        });
    base.join("bin")
}

/// The repository's `testenv/` folder (scripts).
pub fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testenv")
}

fn etcd_path() -> Option<PathBuf> {
    ["/usr/bin/etcd", "/usr/local/bin/etcd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// True when the API server, kubectl and etcd binaries are present.
pub fn available() -> bool {
    let bin = bin_dir();
    bin.join("kube-apiserver").exists() && bin.join("kubectl-1.20").exists() && etcd_path().is_some()
}

fn required() -> bool {
    std::env::var_os("PALISADE_REQUIRE_TESTENV").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A free loopback TCP port (`n` consecutive ones when `n > 1`, returning the first).
pub fn free_port(n: u16) -> Option<u16> {
    for _ in 0..200 {
        let first = TcpListener::bind("127.0.0.1:0").ok()?;
        let port = first.local_addr().ok()?.port();
        let rest: Option<Vec<TcpListener>> = (1..n)
            .map(|i| {
                port.checked_add(i)
                    .and_then(|p| TcpListener::bind(("127.0.0.1", p)).ok())
            })
            .collect();
        if rest.is_some() {
            return Some(port);
        }
    }
    None
}

/// Options for [`Cluster::start_with`].
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Also run kube-controller-manager (aggregated built-in ClusterRoles, default service accounts).
    pub controller_manager: bool,
}

/// A running etcd + kube-apiserver, stopped when dropped.
#[derive(Debug)]
pub struct Cluster {
    /// Run directory: `pki/`, `logs/`, `*.kubeconfig`, `*.pid`.
    pub dir: PathBuf,
    /// The API server's port on 127.0.0.1.
    pub api_port: u16,
}

impl Cluster {
    /// Starts a cluster, or returns `None` (after printing why) when the binaries are missing and
    /// `PALISADE_REQUIRE_TESTENV` is not set.
    ///
    /// # Panics
    /// When the binaries are missing and required, or when the server does not start: this is test support.
    #[allow(clippy::panic)]
    pub fn start(name: &str) -> Option<Cluster> {
        Self::start_with(name, Options::default())
    }

    /// [`Cluster::start`] with options.
    ///
    /// # Panics
    /// As [`Cluster::start`].
    #[allow(clippy::panic)]
    pub fn start_with(name: &str, opts: Options) -> Option<Cluster> {
        if !available() {
            let msg = format!(
                "the test Kubernetes API server is not built ({} has no kube-apiserver/kubectl-1.20, or etcd is \
                 missing); build it with `testenv/build.sh` (root, apt; 5-10 minutes)",
                bin_dir().display()
            );
            if required() {
                panic!("PALISADE_REQUIRE_TESTENV is set but {msg}");
            }
            eprintln!("SKIPPED: {msg}");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("palisade-testenv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (Some(etcd_port), Some(api_port)) = (free_port(2), free_port(1)) else {
            panic!("no free loopback ports");
        };
        let out = Command::new("bash")
            .arg(script_dir().join("start.sh"))
            .arg(&dir)
            .arg(bin_dir())
            .env("ETCD_PORT", etcd_port.to_string())
            .env("API_PORT", api_port.to_string())
            .env("KCM", if opts.controller_manager { "1" } else { "0" })
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running testenv/start.sh: {e}"));
        let cluster = Cluster { dir, api_port };
        if !out.status.success() {
            let log = std::fs::read_to_string(cluster.dir.join("logs/apiserver.log")).unwrap_or_default();
            let tail: String = log
                .lines()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n");
            panic!(
                "testenv/start.sh failed: {}\n{}\napiserver.log (tail):\n{tail}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Some(cluster)
    }

    /// Kubeconfig for `admin` (token, system:masters), `viewer` (token, group `scanners`, no permissions until
    /// a test grants some) or `certadmin` (client certificate, system:masters).
    pub fn kubeconfig(&self, user: &str) -> PathBuf {
        self.dir.join(format!("{user}.kubeconfig"))
    }

    /// The throwaway PKI: `ca.crt`, `webhook.crt`/`webhook.key` (127.0.0.1), tokens, ...
    pub fn pki(&self) -> PathBuf {
        self.dir.join("pki")
    }

    /// `https://127.0.0.1:PORT`.
    pub fn server(&self) -> String {
        format!("https://127.0.0.1:{}", self.api_port)
    }

    /// kubectl 1.20 as `user`, with optional standard input.
    ///
    /// # Panics
    /// When kubectl cannot be run at all.
    #[allow(clippy::panic)]
    pub fn kubectl(&self, user: &str, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut child = Command::new(bin_dir().join("kubectl-1.20"))
            .arg("--kubeconfig")
            .arg(self.kubeconfig(user))
            .args(args)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("running kubectl: {e}"));
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            let _ = pipe.write_all(text.as_bytes());
        }
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("waiting for kubectl: {e}"))
    }

    /// kubectl as admin; panics with kubectl's output when it fails.
    ///
    /// # Panics
    /// When kubectl exits non-zero.
    #[allow(clippy::panic)]
    pub fn kubectl_ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.kubectl("admin", args, stdin);
        if !out.status.success() {
            panic!(
                "kubectl {} failed: {}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The API server's log so far (for assertion messages).
    pub fn apiserver_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("logs/apiserver.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script_dir().join("stop.sh"))
            .arg(&self.dir)
            .stdin(Stdio::null())
            .output();
        if std::env::var_os("PALISADE_TESTENV_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
