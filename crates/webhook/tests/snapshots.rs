//! Recorded AdmissionReview requests (tests/data/*.request.json) with snapshotted responses and audit records
//! (tests/data/*.response.json), compared exactly. Regenerate with `PALISADE_UPDATE_SNAPSHOTS=1 cargo test -p
//! palisade-webhook --test snapshots` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::node::{Node, Pos};
use palisade_core::Severity;
use palisade_webhook::{Endpoint, Judge, NamespaceLabels, WebhookConfig};
use std::path::Path;
use std::sync::Arc;

/// Two namespaces with Pod Security labels, as the namespace cache would report them.
struct Labels;

impl NamespaceLabels for Labels {
    fn labels(&self, name: &str) -> Option<Arc<Node>> {
        let level = match name {
            "legacy" => "privileged",
            "web" => "baseline",
            "shop" => return Some(Arc::new(Node::from_json(&serde_json::json!({}), Pos::new(0, 0)))),
            _ => return None,
        };
        let labels = serde_json::json!({ "pod-security.kubernetes.io/enforce": level });
        Some(Arc::new(Node::from_json(&labels, Pos::new(0, 0))))
    }
}

/// Every rule `palisade scan` runs by default (all but info), with the default webhook configuration.
fn judge() -> Judge {
    let rules = palisade_rules::all()
        .iter()
        .copied()
        .filter(|r| r.meta().severity != Severity::Info)
        .collect();
    Judge::new(
        rules,
        Vec::new(),
        palisade_core::Params::default(),
        Vec::new(),
        WebhookConfig::default(),
    )
}

#[test]
fn recorded_reviews_match_their_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let update = std::env::var_os("PALISADE_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let judge = judge();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".request.json").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 15, "recorded requests missing from {}", dir.display());
    let mut failures = Vec::new();
    for name in &names {
        let body = std::fs::read(dir.join(format!("{name}.request.json"))).unwrap();
        let endpoint = if name.starts_with("mutate-") {
            Endpoint::Mutate
        } else {
            Endpoint::Validate
        };
        let verdict = judge.review(endpoint, &body, &Labels).unwrap();
        let mut got = serde_json::to_value(serde_json::json!({
            "response": verdict.response.clone().into_review(),
            "record": verdict.record,
        }))
        .unwrap();
        // The patch decoded, so a reviewer can read it.
        if let Some(p) = verdict.response.patch.as_deref() {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD.decode(p).unwrap();
            got["patch (decoded)"] = serde_json::from_slice(&bytes).unwrap();
        }
        let text = format!("{}\n", serde_json::to_string_pretty(&got).unwrap());
        let snap = dir.join(format!("{name}.response.json"));
        if update {
            std::fs::write(&snap, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&snap) {
            Ok(want) if want == text => {}
            Ok(_) => failures.push(format!("{name}: differs from {} (got:\n{text})", snap.display())),
            Err(_) => failures.push(format!("{name}: no snapshot {}", snap.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(set PALISADE_UPDATE_SNAPSHOTS=1 to regenerate)",
        failures.join("\n")
    );
}

#[test]
fn secret_values_never_reach_responses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let body = std::fs::read(dir.join("validate-secret-in-env.request.json")).unwrap();
    let verdict = judge().review(Endpoint::Validate, &body, &Labels).unwrap();
    let text = format!(
        "{}{}",
        serde_json::to_string(&verdict.response).unwrap(),
        serde_json::to_string(&verdict.record).unwrap()
    );
    assert!(text.contains("SEC-001"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn webhook_section_is_validated() {
    let parse = |yaml: &str| {
        let (docs, err) = palisade_input::parse_documents(yaml.as_bytes(), &Default::default());
        assert!(err.is_none());
        let root = docs.into_iter().next().unwrap().root;
        let known = |id: &str| palisade_rules::all().iter().any(|r| r.meta().id == id);
        WebhookConfig::from_node(root.get("webhook"), &known)
    };
    let cfg = parse("webhook:\n  enforce_at: critical\n  rules: {K8S-040: enforce}\n  mutate: [K8S-021]\n").unwrap();
    assert_eq!(cfg.enforce_at, Severity::Critical);
    assert_eq!(
        cfg.action("K8S-040", Severity::Medium),
        palisade_webhook::Action::Enforce
    );
    assert_eq!(cfg.action("K8S-001", Severity::High), palisade_webhook::Action::Warn);
    assert!(cfg.mutation_on("K8S-021") && !cfg.mutation_on("K8S-041"));
    let cfg = parse("webhook:\n  rules: {K8S-001: off, K8S-002: warn}\n").unwrap();
    assert_eq!(cfg.action("K8S-001", Severity::Critical), palisade_webhook::Action::Off);
    assert_eq!(
        cfg.action("SEC-003", Severity::High),
        palisade_webhook::Action::Off,
        "defaults kept"
    );
    for (bad, want) in [
        ("webhook:\n  colour: red\n", "line 2: webhook: unknown key 'colour'"),
        ("webhook:\n  rules: {K8S-999: warn}\n", "unknown rule"),
        (
            "webhook:\n  rules: {K8S-001: block}\n",
            "expected enforce, warn, audit or off",
        ),
        ("webhook:\n  mutate: [K8S-001]\n", "has no safe mutation"),
        (
            "webhook:\n  enforce_at: low\n  warn_at: high\n",
            "warn_at must not be above",
        ),
    ] {
        let e = parse(bad).unwrap_err().to_string();
        assert!(e.contains(want), "{bad}: {e}");
    }
}

#[test]
fn custom_policies_apply_their_enforcement_actions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies");
    let policies = palisade_webhook::policy::Policies::load(&[dir]).unwrap();
    assert_eq!(policies.len(), 4, "{policies:?}");
    let judge = judge().with_extra(Box::new(policies));
    struct Prod;
    impl NamespaceLabels for Prod {
        fn labels(&self, name: &str) -> Option<Arc<Node>> {
            let labels = match name {
                "shop" => serde_json::json!({"env": "prod"}),
                _ => serde_json::json!({"env": "dev"}),
            };
            Some(Arc::new(Node::from_json(&labels, Pos::new(0, 0))))
        }
    }
    let review = |ns: &str, labels: serde_json::Value, image: &str| {
        serde_json::to_vec(&serde_json::json!({
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": "p1", "operation": "CREATE", "namespace": ns,
                "kind": {"group": "", "version": "v1", "kind": "Pod"},
                "userInfo": {"username": "alice", "groups": ["dev"]},
                "object": {"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "web", "namespace": ns, "labels": labels},
                    "spec": {"securityContext": {"runAsNonRoot": true, "runAsUser": 20000, "runAsGroup": 20000,
                                                 "seccompProfile": {"type": "RuntimeDefault"}},
                             "containers": [{"name": "app", "image": image,
                                 "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
                                 "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                                                     "capabilities": {"drop": ["ALL"]}}}]}}}
        }))
        .unwrap()
    };
    let pinned =
        "myregistry.azurecr.io/app:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000";
    // Namespace labelled env=prod (namespaceSelector matches): the deny constraint denies, warn warns, dryrun audits.
    let v = judge
        .review(
            Endpoint::Validate,
            &review("shop", serde_json::json!({}), pinned),
            &Prod,
        )
        .unwrap();
    let msg = v
        .response
        .status
        .as_ref()
        .map(|s| s.message.clone())
        .unwrap_or_default();
    assert!(!v.response.allowed, "{v:?}");
    assert!(msg.contains("has no team label (operation CREATE)"), "{msg}");
    assert!(
        v.response.warnings.iter().any(|w| w.contains("has no owner label")),
        "{:?}",
        v.response.warnings
    );
    assert!(!msg.contains("cost-center") && !v.response.warnings.iter().any(|w| w.contains("cost-center")));
    assert!(v
        .record
        .findings
        .iter()
        .any(|f| f.message.contains("cost-center") && f.action == palisade_webhook::Action::Audit));
    // Another namespace: the namespaceSelector does not match; a Rego policy denies the latest tag.
    let v = judge
        .review(
            Endpoint::Validate,
            &review(
                "dev",
                serde_json::json!({"owner": "a", "cost-center": "1"}),
                "myregistry.azurecr.io/app:latest",
            ),
            &Prod,
        )
        .unwrap();
    let msg = v
        .response
        .status
        .as_ref()
        .map(|s| s.message.clone())
        .unwrap_or_default();
    assert!(
        !v.response.allowed && msg.contains("ORG-901") && !msg.contains("team label"),
        "{msg}"
    );
    assert!(msg.contains("/spec/containers/0/image"), "{msg}");
}

/// Every prefix of every recorded request, and copies with bytes changed, get an answer or a 400 — never a
/// panic (the server would lose the connection; the workspace lints forbid panics, this checks the inputs).
#[test]
fn damaged_requests_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let judge = judge();
    let mut answered = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".request.json") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        for end in (0..body.len()).step_by(7) {
            for endpoint in [Endpoint::Validate, Endpoint::Mutate] {
                answered += usize::from(judge.review(endpoint, &body[..end], &Labels).is_ok());
            }
        }
        // Deterministic byte changes: quotes, brackets and digits in place of other bytes.
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..200 {
            let mut damaged = body.clone();
            for _ in 0..3 {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let at = (seed as usize) % damaged.len();
                damaged[at] = b"\"{}[]:,0a-\\ "[(seed >> 24) as usize % 12];
            }
            for endpoint in [Endpoint::Validate, Endpoint::Mutate] {
                answered += usize::from(judge.review(endpoint, &damaged, &Labels).is_ok());
            }
        }
    }
    assert!(answered > 0);
}

/// A review with `object` (and no old object), as the API server sends it for a CREATE.
fn create_review(object: &serde_json::Value, namespace: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "u-1",
            "kind": {"group": "", "version": "v1", "kind": object["kind"]},
            "namespace": namespace,
            "operation": "CREATE",
            "userInfo": {"username": "alice"},
            "object": object,
        },
    }))
    .unwrap()
}

fn nested(depth: usize) -> serde_json::Value {
    (0..depth).fold(serde_json::json!(1), |inner, _| serde_json::json!([inner]))
}

#[test]
fn objects_are_read_as_deep_as_on_their_own() {
    // serde_json's nesting limit is 128. The object is read in the same pass as the review, two levels down: an object
    // that reads on its own must still be judged, and one that does not is answered with a review response
    // (HTTP 200, code 400) as before, never with a bad request.
    let judge = judge();
    let pod = |depth| {
        serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "deep", "namespace": "default"},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "securityContext": {"privileged": true}}],
                     "x": nested(depth)},
        })
    };
    let readable = judge
        .review(Endpoint::Validate, &create_review(&pod(125), "default"), &Labels)
        .expect("an object that reads on its own is judged");
    assert_eq!(readable.record.decision, "denied");
    assert!(readable.response.status.unwrap().message.contains("K8S-001"));
    let unreadable = judge
        .review(Endpoint::Validate, &create_review(&pod(200), "default"), &Labels)
        .expect("an unreadable object gets a review response");
    assert_eq!(unreadable.record.decision, "error");
    let status = unreadable.response.status.unwrap();
    assert_eq!(status.code, 400);
    assert!(
        status.message.contains("request.object cannot be read"),
        "{}",
        status.message
    );
    // Invalid UTF-8 in the review is a bad request that says where.
    let mut body = create_review(&pod(1), "default");
    let at = body.windows(5).position(|w| w == b"nginx").unwrap();
    body[at] = 0xff;
    let err = judge
        .review(Endpoint::Validate, &body, &Labels)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1 column"), "{err}");
}

#[test]
fn mutations_of_objects_without_a_namespace_apply_to_the_object_as_sent() {
    use base64::Engine;
    let judge = judge();
    let container = serde_json::json!({"name": "app", "image": "nginx:1.27"});
    let with_ns = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "shop"}, "spec": {"containers": [container]}});
    let without_ns = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p"}, "spec": {"containers": [container]}});
    let without_meta = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [container]}});
    let patch_of = |object: &serde_json::Value| {
        let v = judge
            .review(Endpoint::Mutate, &create_review(object, "shop"), &Labels)
            .unwrap();
        assert_eq!(v.record.decision, "mutated");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.response.patch.unwrap())
            .unwrap();
        let patch: json_patch::Patch = serde_json::from_slice(&bytes).unwrap();
        let mut patched = object.clone();
        json_patch::patch(&mut patched, &patch).unwrap();
        assert_eq!(
            patched.pointer("/metadata/namespace"),
            object.pointer("/metadata/namespace")
        );
        (serde_json::to_value(&patch).unwrap(), patched["spec"].clone())
    };
    let expected = patch_of(&with_ns);
    assert_eq!(patch_of(&without_ns), expected);
    assert_eq!(patch_of(&without_meta), expected);
}
