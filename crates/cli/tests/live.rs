//! Live-cluster scans (`palisade scan --cluster`) against a real kube-apiserver v1.20 (palisade-testenv). Each
//! test returns early, printing SKIPPED, when the test API server is not built (`testenv/build.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_testenv::Cluster;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn palisade(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_palisade"));
    cmd.args(args).current_dir(root()).env_remove("KUBECONFIG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The example manifests of `dir` (examples/insecure or examples/hardened) made to fit a 1.20 API server and
/// moved to namespace `ns` (and `ns-payments`, `ns-legacy`): CronJob batch/v1beta1, PDB policy/v1beta1, no procMount,
/// documents that are not Kubernetes objects dropped, a Namespace object for `ns` added. Namespaces first.
fn manifests(dir: &str, ns: &str) -> String {
    let mut docs: Vec<String> = vec![format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n")];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for doc in text.split("\n---") {
            if !doc.contains("\nkind:") && !doc.starts_with("kind:") {
                continue;
            }
            if doc.contains("kind: Namespace") && doc.contains("name: shop\n") {
                // examples/hardened names the namespace "shop": it becomes `ns`, whose object we already have
                // (the labels matter, so the example's replaces ours).
                docs.remove(0);
            }
            let mut d = doc
                .replace(": shop\n", &format!(": {ns}\n"))
                .replace(": payments\n", &format!(": {ns}-payments\n"))
                .replace(": legacy\n", &format!(": {ns}-legacy\n"));
            if d.contains("kind: CronJob") {
                d = d.replace("apiVersion: batch/v1\n", "apiVersion: batch/v1beta1\n");
            }
            d = d.replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n");
            // procMount needs the ProcMountType feature gate, off on 1.20: the server drops the field, so the
            // live object really has no unmasked /proc. Left out of both sides.
            d = d
                .lines()
                .filter(|l| !l.trim_start().starts_with("procMount:"))
                .collect::<Vec<_>>()
                .join("\n");
            d.push('\n');
            docs.push(d.trim_start_matches('\n').to_string());
        }
    }
    docs.sort_by_key(|d| !d.contains("kind: Namespace"));
    docs.join("\n---\n")
}

/// (rule, kind, namespace, name) of every finding, without K8S-114 (deprecated API version): the 1.20 server
/// needs the deprecated versions, and a live object's version is the one the scanner asked for.
fn identities(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] != "K8S-114")
        .map(|f| {
            let o = &f["object"];
            let s = |v: &Value| v.as_str().unwrap_or("").to_string();
            (s(&f["rule"]), s(&o["kind"]), s(&o["namespace"]), s(&o["name"]))
        })
        .collect()
}

/// Validates a SARIF log against the official 2.1.0 schema from ../shared/schemas (`PALISADE_SHARED`), when
/// present; with `PALISADE_REQUIRE_SHARED=1` a missing schema fails.
fn assert_valid_sarif(sarif: &Value, what: &str) {
    let dir = std::env::var_os("PALISADE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    let path = dir.join("schemas/sarif-schema-2.1.0.json");
    if !path.is_file() {
        assert!(
            std::env::var("PALISADE_REQUIRE_SHARED").as_deref() != Ok("1"),
            "PALISADE_REQUIRE_SHARED=1 but {} is missing",
            path.display()
        );
        eprintln!("skipping SARIF schema validation: {} not found", path.display());
        return;
    }
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: SARIF invalid: {errors:#?}");
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("palisade-live-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn live_scan_matches_manifest_scan() {
    let Some(cluster) = Cluster::start("live-parity") else {
        return;
    };
    let admin = cluster.kubeconfig("admin");
    let admin = admin.to_str().unwrap();
    for (dir, ns) in [("insecure", "insecure"), ("hardened", "hardened")] {
        let text = manifests(dir, ns);
        cluster.kubectl_ok(&["apply", "-f", "-"], Some(&text));
        let file = write_temp(&format!("{ns}.yaml"), &text);
        let from_files = palisade(&["scan", "-f", "json", file.to_str().unwrap()], &[]);
        let mut args = vec!["scan", "--cluster", "--kubeconfig", admin, "-f", "json"];
        let extra = [ns.to_string(), format!("{ns}-payments"), format!("{ns}-legacy")];
        for n in &extra {
            args.extend(["--namespace", n.as_str()]);
        }
        let live = palisade(&args, &[]);
        assert_ne!(live.status.code(), Some(2), "{}", String::from_utf8_lossy(&live.stderr));
        let (a, b) = (json(&from_files), json(&live));
        assert!(b["errors"].as_array().unwrap().is_empty(), "{}", b["errors"]);
        assert!(b["summary"].get("partial").is_none(), "{}", b["summary"]);
        let (fa, fb) = (identities(&a), identities(&b));
        // The insecure example has findings; the hardened one has none (and must have none live either).
        assert_eq!(fa.is_empty(), ns == "hardened", "{ns}: {fa:?}");
        assert_eq!(
            fa,
            fb,
            "{ns}: only in the file scan: {:#?}\nonly in the live scan: {:#?}",
            fa.difference(&fb).collect::<Vec<_>>(),
            fb.difference(&fa).collect::<Vec<_>>()
        );
        assert_eq!(live.status.code(), from_files.status.code(), "{ns}: same exit code");
        // Findings name the object and the field, and live locations are cluster:// labels.
        for f in b["findings"].as_array().unwrap() {
            let file = f["location"]["file"].as_str().unwrap();
            assert!(file.starts_with("cluster://test/"), "{file}");
            assert!(f["location"]["pointer"].as_str().unwrap().starts_with('/') || f["location"]["pointer"] == "");
        }
    }
}

#[test]
fn viewer_without_secrets_and_rbac_gets_a_partial_scan() {
    let Some(cluster) = Cluster::start("live-viewer") else {
        return;
    };
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&manifests("insecure", "insecure")));
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&manifests("hardened", "hardened")));
    // The viewer may read workloads and namespaces, but not Secrets or RBAC.
    let rbac = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: partial-scanner}
rules:
  - apiGroups: [""]
    resources: [namespaces, pods, services, configmaps, serviceaccounts, limitranges, resourcequotas, replicationcontrollers]
    verbs: [list]
  - apiGroups: [apps, batch, policy, autoscaling]
    resources: ["*"]
    verbs: [list]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: partial-scanner}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: partial-scanner}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: scanners}]
"#;
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(rbac));
    let viewer = cluster.kubeconfig("viewer");
    let viewer = viewer.to_str().unwrap();
    let out = palisade(&["scan", "--cluster", "--kubeconfig", viewer, "-f", "json"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    let forbidden: BTreeSet<&str> = errors
        .iter()
        .filter(|e| e["kind"] == "forbidden")
        .map(|e| {
            assert!(e["message"].as_str().unwrap().starts_with("not scanned: forbidden: "));
            assert!(e["file"].as_str().unwrap().starts_with("cluster://test/"));
            e["file"].as_str().unwrap()
        })
        .collect();
    for kind in [
        "Secret",
        "Role",
        "RoleBinding",
        "ClusterRole",
        "ClusterRoleBinding",
        "NetworkPolicy",
    ] {
        assert!(
            forbidden.contains(format!("cluster://test/{kind}").as_str()),
            "{kind} not reported as forbidden: {forbidden:?}"
        );
    }
    assert_eq!(forbidden.len(), errors.len(), "only forbidden errors: {errors:?}");
    assert_eq!(report["summary"]["errors"], errors.len());
    assert_eq!(report["summary"]["partial"], true, "{}", report["summary"]);
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("partial scan:")),
        "{}",
        report["warnings"]
    );
    // The readable kinds are still scanned.
    assert!(identities(&report)
        .iter()
        .any(|(r, k, ns, n)| r == "K8S-001" && k == "Deployment" && ns == "insecure" && n == "web"));

    let sarif = palisade(&["scan", "--cluster", "--kubeconfig", viewer, "-f", "sarif"], &[]);
    let sarif = json(&sarif);
    assert_valid_sarif(&sarif, "partial scan");
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["descriptor"]["id"] == "forbidden"), "{notes:?}");

    // Cross-object rules decide nothing where lists are missing: the hardened namespace has default-deny
    // NetworkPolicies the viewer cannot see, so "no default-deny policy" would be false. It is "not evaluated".
    let ids = identities(&report);
    assert!(
        !ids.iter().any(|(r, _, _, n)| r == "NET-001" && n == "hardened"),
        "{ids:#?}"
    );
    let not_evaluated = report["not_evaluated"].as_array().unwrap();
    assert!(
        not_evaluated.iter().any(|n| n["rule"] == "NET-001"
            && n["scope"] == "Namespace hardened"
            && n["reason"].as_str().unwrap().starts_with("partial scan: ")
            && n["reason"].as_str().unwrap().contains("NetworkPolicy")),
        "{not_evaluated:#?}"
    );

    // Text says the same, and --allow-partial exits on findings alone (high findings: 1).
    let text = palisade(&["scan", "--cluster", "--kubeconfig", viewer, "--allow-partial"], &[]);
    assert_eq!(text.status.code(), Some(1), "{}", String::from_utf8_lossy(&text.stderr));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("not scanned: forbidden: Secret (v1) in all namespaces"),
        "{stdout}"
    );
    assert!(stdout.contains("partial scan:"), "{stdout}");
    let clean = palisade(
        &[
            "scan",
            "--cluster",
            "--kubeconfig",
            viewer,
            "--allow-partial",
            "--fail-on",
            "critical",
            "-n",
            "nowhere",
        ],
        &[],
    );
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    // With no permissions at all every list is forbidden.
    cluster.kubectl_ok(&["delete", "clusterrolebinding", "partial-scanner"], None);
    let none = palisade(&["scan", "--cluster", "--kubeconfig", viewer, "-f", "json"], &[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(json(&none)["findings"].as_array().unwrap().is_empty());
}

#[test]
fn token_client_certificate_and_exec_kubeconfigs_secrets_and_controllers() {
    let Some(cluster) = Cluster::start("live-auth") else {
        return;
    };
    cluster.kubectl_ok(&["create", "namespace", "app"], None);
    // A Secret applied with kubectl: its value is in data and in the last-applied-configuration annotation.
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: app}\ntype: Opaque\n\
                  stringData: {password: PALISADE-SECRET-VALUE-4711}\n";
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(secret));
    // A Deployment, a ReplicaSet it controls and a Pod the ReplicaSet controls: reported once, at the Deployment.
    let pod_spec = "containers: [{name: c, image: nginx:1.25, securityContext: {privileged: true}}]";
    let workloads = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: app}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{{pod_spec}}}\n"
    );
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&workloads));
    let uid = cluster.kubectl_ok(
        &[
            "get",
            "-n",
            "app",
            "deployment",
            "web",
            "-o",
            "jsonpath={.metadata.uid}",
        ],
        None,
    );
    let rs = format!(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-1\n  namespace: app\n  ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: web, uid: {uid}, controller: true}}]\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{{pod_spec}}}\n"
    );
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&rs));
    let rs_uid = cluster.kubectl_ok(
        &[
            "get",
            "-n",
            "app",
            "replicaset",
            "web-1",
            "-o",
            "jsonpath={.metadata.uid}",
        ],
        None,
    );
    let pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1-abcde\n  namespace: app\n  labels: {{app: web}}\n  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: {rs_uid}, controller: true}}]\nspec: {{{pod_spec}}}\n"
    );
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&pod));

    // An exec credential plugin (what kubelogin is for AKS with Entra ID): a script printing an ExecCredential.
    let token = std::fs::read_to_string(cluster.pki().join("admin.token")).unwrap();
    let plugin = write_temp(
        "credential-plugin",
        &format!(
            "#!/bin/sh\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\
             \"status\":{{\"token\":\"{}\"}}}}'\n",
            token.trim()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let exec_kc = write_temp(
        "exec.kubeconfig",
        &format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: test, cluster: {{server: \"{}\", certificate-authority: \"{}\"}}}}]\n\
             users: [{{name: exec, user: {{exec: {{apiVersion: client.authentication.k8s.io/v1beta1, command: \"{}\", \
             interactiveMode: Never}}}}}}]\ncontexts: [{{name: test, context: {{cluster: test, user: exec}}}}]\n\
             current-context: test\n",
            cluster.server(),
            cluster.pki().join("ca.crt").display(),
            plugin.display()
        ),
    );

    let mut reports = Vec::new();
    for user in ["admin", "certadmin", "exec"] {
        let kc = if user == "exec" {
            exec_kc.clone()
        } else {
            cluster.kubeconfig(user)
        };
        let dir = std::env::temp_dir().join(format!("palisade-live-auth-{user}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (j, s) = (dir.join("r.json"), dir.join("r.sarif"));
        let out = palisade(
            &[
                "scan",
                "--cluster",
                "--kubeconfig",
                kc.to_str().unwrap(),
                "--context",
                "test",
                "-n",
                "app",
                "-f",
                "text",
                "-f",
                "json",
                "-o",
                "-",
                "-o",
                j.to_str().unwrap(),
                "-f",
                "sarif",
                "-o",
                s.to_str().unwrap(),
                "-f",
                "junit",
                "-o",
                dir.join("r.xml").to_str().unwrap(),
                "-f",
                "html",
                "-o",
                dir.join("r.html").to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{user}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut all = String::from_utf8_lossy(&out.stdout).into_owned();
        for f in ["r.json", "r.sarif", "r.xml", "r.html"] {
            all.push_str(&std::fs::read_to_string(dir.join(f)).unwrap());
        }
        assert!(
            !all.contains("PALISADE-SECRET-VALUE"),
            "{user}: a secret value reached a report"
        );
        assert!(
            !all.contains("UEFMSVNBREUtU0VDUkVU"),
            "{user}: a base64 secret value reached a report"
        );
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
        let ids = identities(&report);
        let privileged: Vec<_> = ids.iter().filter(|(r, ..)| r == "K8S-001").collect();
        assert_eq!(
            privileged,
            vec![&(
                "K8S-001".to_string(),
                "Deployment".to_string(),
                "app".to_string(),
                "web".to_string()
            )],
            "{user}: controller de-duplication"
        );
        // The Secret was scanned (metadata and type): it is an object of the report.
        let junit = std::fs::read_to_string(dir.join("r.xml")).unwrap();
        assert!(
            junit.contains("cluster://test/app/Secret/db"),
            "{user}: the Secret is not among the scanned objects"
        );
        let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&s).unwrap()).unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        assert_valid_sarif(&sarif, user);
        reports.push(ids);
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert_eq!(
        reports[0], reports[1],
        "token and client certificate see the same cluster"
    );
    assert_eq!(reports[0], reports[2], "token and exec plugin see the same cluster");

    // A kubeconfig that does not work is a tool error (exit 2) naming the problem.
    let bad = write_temp(
        "bad.kubeconfig",
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
    );
    let out = palisade(&["scan", "--cluster", "--kubeconfig", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("kubeconfig"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cluster_and_aks_configuration_in_one_run() {
    let Some(cluster) = Cluster::start("live-aks") else {
        return;
    };
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&manifests("hardened", "hardened")));
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&manifests("insecure", "insecure")));
    // `az aks show` replaced by the saved example (networkPolicy: none).
    let az = write_temp(
        "az",
        &format!(
            "#!/bin/sh\ncat '{}'\n",
            root().join("examples/aks/az/aks-show.json").display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let admin = cluster.kubeconfig("admin");
    let out = palisade(
        &[
            "scan",
            "--cluster",
            "--kubeconfig",
            admin.to_str().unwrap(),
            "-n",
            "hardened",
            "-n",
            "insecure",
            "--aks",
            "aks1",
            "-g",
            "rg1",
            "-f",
            "json",
            "examples/insecure/deployment.yaml",
        ],
        &[("PALISADE_AZ", az.to_str().unwrap())],
    );
    let report = json(&out);
    let ids = identities(&report);
    // Cross-layer: NetworkPolicies read from the cluster, on a cluster without a network policy engine.
    assert!(ids.iter().any(|(r, ..)| r == "AKS-090"), "{ids:#?}");
    assert!(ids.iter().any(|(r, ..)| r.starts_with("AKS-0") && r != "AKS-090"));
    // Manifest files in the same run: their findings point at the file, the cluster's at cluster:// labels.
    let files: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    assert!(files.contains("examples/insecure/deployment.yaml"), "{files:?}");
    assert!(
        files.iter().any(|f| f.starts_with("cluster://test/insecure/")),
        "{files:?}"
    );
    assert_eq!(
        report["summary"]["files"], 2,
        "the deployment and the az output; cluster objects are not files"
    );
}

/// The README's live-cluster commands (`KUBECONFIG=... palisade scan --cluster ...`) run against the test
/// cluster (its admin kubeconfig replaces the README's) and exit 0 or 1.
#[test]
fn readme_live_commands_run() {
    let Some(cluster) = Cluster::start("live-readme") else {
        return;
    };
    cluster.kubectl_ok(&["apply", "-f", "-"], Some(&manifests("insecure", "shop")));
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let admin = cluster.kubeconfig("admin");
    let mut ran = 0;
    for line in readme.lines().map(str::trim) {
        let Some((_, command)) = line.split_once(" palisade ") else {
            continue;
        };
        if !line.starts_with("KUBECONFIG=") {
            continue;
        }
        let args: Vec<&str> = command.split(" # ").next().unwrap().split_whitespace().collect();
        let out = palisade(&args, &[("KUBECONFIG", admin.to_str().unwrap())]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "`{line}` exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "`{line}` printed nothing");
        ran += 1;
    }
    assert!(ran >= 3, "only {ran} README live commands found");
}
