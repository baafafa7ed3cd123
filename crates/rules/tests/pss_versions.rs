//! Version boundaries and edge cases of the Pod Security Standards rules that the upstream fixtures do not pin down,
//! checked through the engine exactly as a scan runs them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::object::Source;
use palisade_core::{CheckContext, Engine, Finding, K8sObject, Node, Pos, PssLevel, PssPolicy, PssVersion, Severity};
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// The Pod Security Standards rules only (the suite judges PSA verdicts), built once.
static PSS_ENGINE: std::sync::LazyLock<Engine<'static>> = std::sync::LazyLock::new(|| {
    Engine::new(
        palisade_rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().pss.is_some())
            .collect(),
    )
});

fn check(doc: &Json, level: PssLevel, version: &str) -> Vec<Finding> {
    let source = Source {
        file: Arc::from("test.yaml"),
        document: 1,
        base_pointer: String::new(),
    };
    let obj = K8sObject::from_node(Node::from_json(doc, Pos::new(1, 1)), source).unwrap();
    let engine = &*PSS_ENGINE;
    let version: PssVersion = version.parse().unwrap();
    let mut out = Vec::new();
    engine.check_object(&CheckContext::with_pss(PssPolicy { level, version }), &obj, &mut out);
    out
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    let mut ids: Vec<_> = findings.iter().map(|f| f.rule).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A pod passing restricted at every version, with `patch` merged into its spec.
fn pod(spec_patch: Json) -> Json {
    let mut spec = json!({
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{
            "name": "app",
            "image": "registry.example.com/app:1.0",
            "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}
        }]
    });
    merge(&mut spec, spec_patch);
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

/// JSON merge patch (RFC 7386).
fn merge(target: &mut Json, patch: Json) {
    match (target, patch) {
        (Json::Object(t), Json::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(&k);
                } else {
                    merge(t.entry(k).or_insert(Json::Null), v);
                }
            }
        }
        (t, p) => *t = p,
    }
}

fn container_sc(sc: Json) -> Json {
    let mut c = json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}});
    merge(&mut c, sc);
    json!({"containers": [{"name": "app", "image": "registry.example.com/app:1.0", "securityContext": c}]})
}

const B: PssLevel = PssLevel::Baseline;
const R: PssLevel = PssLevel::Restricted;

#[test]
fn base_pod_passes_everywhere() {
    for minor in 0..=37 {
        for level in [B, R] {
            let f = check(&pod(json!({})), level, &format!("v1.{minor}"));
            assert!(f.is_empty(), "v1.{minor} {level}: {:?}", rules(&f));
        }
    }
}

#[test]
fn sysctl_safe_set_grows_by_version() {
    let cases = [
        ("net.ipv4.ip_local_port_range", 0),
        ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_keepalive_time", 29),
        ("net.ipv4.tcp_fin_timeout", 29),
        ("net.ipv4.tcp_rmem", 32),
        ("net.ipv4.tcp_wmem", 32),
        ("net.ipv4.tcp_slow_start_after_idle", 37),
        ("net.ipv4.tcp_notsent_lowat", 37),
    ];
    for (name, since) in cases {
        let doc = pod(json!({"securityContext": {"sysctls": [{"name": name, "value": "1"}]}}));
        if since > 0 {
            assert_eq!(
                rules(&check(&doc, B, &format!("v1.{}", since - 1))),
                ["K8S-012"],
                "{name} before v1.{since}"
            );
        }
        assert!(
            check(&doc, B, &format!("v1.{since}")).is_empty(),
            "{name} at v1.{since}"
        );
        assert!(check(&doc, B, "latest").is_empty(), "{name} at latest");
    }
    // Exact names only.
    let doc = pod(json!({"securityContext": {"sysctls": [{"name": "kernel.shm_rmid_forced "}, {"value": "1"}]}}));
    assert_eq!(check(&doc, B, "latest").len(), 2);
}

#[test]
fn selinux_container_engine_t_from_v1_31() {
    let doc = pod(json!({"securityContext": {"seLinuxOptions": {"type": "container_engine_t"}}}));
    assert_eq!(rules(&check(&doc, B, "v1.30")), ["K8S-009"]);
    assert!(check(&doc, B, "v1.31").is_empty());
    // user and role are never allowed; level is.
    let doc = pod(json!({"securityContext": {"seLinuxOptions": {"user": "u", "role": "r", "level": "s0:c1,c2"}}}));
    assert_eq!(check(&doc, B, "latest").len(), 2);
}

#[test]
fn user_namespace_relaxations_start_at_v1_35() {
    let root = pod(json!({
        "hostUsers": false,
        "securityContext": {"runAsNonRoot": false, "runAsUser": 0},
        "containers": [{"name": "app", "image": "i", "securityContext": {
            "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "procMount": "Unmasked"}}]
    }));
    assert_eq!(rules(&check(&root, R, "v1.34")), ["K8S-010", "K8S-022", "K8S-023"]);
    // v1.35: runAsNonRoot/runAsUser skipped; restricted procMount replaces the relaxed baseline one.
    assert_eq!(rules(&check(&root, R, "v1.35")), ["K8S-026"]);
    assert_eq!(rules(&check(&root, B, "v1.34")), ["K8S-010"]);
    assert!(check(&root, B, "v1.35").is_empty());
    // hostUsers: true (or a string) relaxes nothing.
    let mut host = root.clone();
    host["spec"]["hostUsers"] = json!("false");
    assert_eq!(rules(&check(&host, R, "latest")), ["K8S-022", "K8S-023", "K8S-026"]);
    assert_eq!(rules(&check(&host, B, "latest")), ["K8S-010"]);
}

#[test]
fn windows_exemptions_start_at_v1_25() {
    let doc = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w"}, "spec": {
        "os": {"name": "windows"},
        "securityContext": {"runAsNonRoot": true},
        "containers": [{"name": "app", "image": "i"}]
    }});
    assert_eq!(rules(&check(&doc, R, "v1.24")), ["K8S-021", "K8S-024", "K8S-025"]);
    assert!(check(&doc, R, "v1.25").is_empty());
    // The restricted capabilities and seccomp checks replace the baseline ones, so a Windows pod adding NET_RAW or
    // setting Unconfined passes restricted from v1.25 but not baseline (as in Pod Security Admission).
    let mut risky = doc.clone();
    risky["spec"]["containers"][0]["securityContext"] =
        json!({"capabilities": {"add": ["NET_RAW"]}, "seccompProfile": {"type": "Unconfined"}});
    assert!(check(&risky, R, "v1.25").is_empty());
    assert_eq!(rules(&check(&risky, B, "v1.25")), ["K8S-007", "K8S-011"]);
}

#[test]
fn seccomp_annotations_before_v1_19_fields_after() {
    let annotated = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {
        "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/app": "",
        "container.seccomp.security.alpha.kubernetes.io/other": "unconfined"
    }}, "spec": {"containers": [{"name": "app", "image": "i"}]}});
    let f = check(&annotated, B, "v1.18");
    assert_eq!(
        f.len(),
        2,
        "pod annotation and the existing container's empty value: {f:?}"
    );
    assert_eq!(
        f[0].location.pointer,
        "/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod"
    );
    assert!(check(&annotated, B, "v1.19").is_empty());

    let field = pod(json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}));
    assert!(check(&field, B, "v1.18").is_empty());
    assert_eq!(rules(&check(&field, B, "v1.19")), ["K8S-011"]);
    assert_eq!(rules(&check(&field, R, "v1.19")), ["K8S-024"]);
    // A profile without a type is not RuntimeDefault.
    let empty = pod(json!({"securityContext": {"seccompProfile": {"type": null}}}));
    assert_eq!(rules(&check(&empty, B, "latest")), ["K8S-011"]);
}

#[test]
fn apparmor_fields_and_annotations_at_every_version() {
    let doc = pod(json!({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}}));
    assert_eq!(rules(&check(&doc, B, "v1.0")), ["K8S-008"]);
    let mut ann = pod(json!({}));
    ann["metadata"]["annotations"] = json!({
        "container.apparmor.security.beta.kubernetes.io/app": "",
        "container.apparmor.security.beta.kubernetes.io/x": "localhost/p"
    });
    assert!(check(&ann, B, "latest").is_empty());
    ann["metadata"]["annotations"]["container.apparmor.security.beta.kubernetes.io/gone"] = json!("unconfined");
    let f = check(&ann, B, "v1.0");
    assert_eq!(f.len(), 1, "any container name counts: {f:?}");
}

#[test]
fn restricted_volumes_follow_the_defaulted_pod() {
    let doc = pod(json!({"volumes": [
        {"name": "defaulted"},
        {"name": "null-source", "nfs": null},
        {"name": "img", "image": {"reference": "registry.example.com/data:1"}},
        {"name": "cm", "configMap": {"name": "c"}}
    ]}));
    for minor in [0, 25, 32, 37] {
        assert!(check(&doc, R, &format!("v1.{minor}")).is_empty(), "v1.{minor}");
    }
    let host = pod(json!({
        "containers": [{"name": "app", "image": "i", "securityContext": {"allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]}}, "volumeMounts": [{"name": "h", "mountPath": "/h"}]}],
        "volumes": [{"name": "h", "hostPath": {"path": "/var/run/docker.sock"}}, {"name": "n", "nfs": {"server": "s"}}]
    }));
    let f = check(&host, R, "latest");
    assert_eq!(rules(&f), ["K8S-020"]);
    assert_eq!(f[0].severity, Severity::High, "hostPath keeps K8S-005's severity");
    assert!(
        f[0].message.contains("mounted read-write by container \"app\""),
        "{}",
        f[0].message
    );
    assert_eq!(f[1].severity, Severity::Medium);
    assert_eq!(rules(&check(&host, B, "latest")), ["K8S-005"]);
}

#[test]
fn severities_follow_what_was_set() {
    let doc = pod(container_sc(json!({"allowPrivilegeEscalation": null})));
    let f = check(&doc, R, "latest");
    assert_eq!((f[0].rule, f[0].severity), ("K8S-021", Severity::Medium));
    let doc = pod(container_sc(json!({"allowPrivilegeEscalation": true})));
    let f = check(&doc, R, "latest");
    assert_eq!((f[0].rule, f[0].severity), ("K8S-021", Severity::High));

    let doc = pod(container_sc(
        json!({"capabilities": {"add": ["CHOWN", "NET_RAW", "NET_BIND_SERVICE"]}}),
    ));
    let f = check(&doc, R, "latest");
    let sev: Vec<_> = f.iter().map(|f| (f.rule, f.severity)).collect();
    assert_eq!(sev, [("K8S-025", Severity::Medium), ("K8S-025", Severity::High)]);
    // Before v1.22 the baseline rule reports only NET_RAW.
    let f = check(&doc, R, "v1.21");
    assert_eq!(f.iter().map(|f| f.rule).collect::<Vec<_>>(), ["K8S-007"]);
}

#[test]
fn typed_values_only() {
    // Strings are not booleans or integers: the API server would not decode them, so they count as unset.
    let doc = pod(
        json!({"hostPID": "true", "containers": [{"name": "app", "image": "i", "securityContext": {
        "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "privileged": "true",
        "runAsUser": "0"}, "ports": [{"containerPort": 80, "hostPort": "80"}]}]}),
    );
    assert!(check(&doc, R, "latest").is_empty());
}

#[test]
fn run_as_non_root_reports_setters_not_inheritors() {
    let doc = pod(json!({"securityContext": {"runAsNonRoot": false}}));
    let f = check(&doc, R, "latest");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.pointer, "/spec/securityContext/runAsNonRoot");
    let doc = pod(
        json!({"securityContext": {"runAsNonRoot": null}, "initContainers": [{"name": "init",
        "image": "i", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
        "runAsNonRoot": true}}]}),
    );
    let f = check(&doc, R, "latest");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        f[0].message,
        "container \"app\" does not set securityContext.runAsNonRoot to true, and neither does the pod"
    );
}

#[test]
fn probe_hosts_from_v1_34() {
    let doc = pod(json!({"containers": [{"name": "app", "image": "i", "securityContext": {
        "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
        "readinessProbe": {"tcpSocket": {"host": "10.0.0.1", "port": 80}},
        "lifecycle": {"preStop": {"httpGet": {"host": "", "port": 80}}}}]}));
    assert!(check(&doc, B, "v1.33").is_empty());
    let f = check(&doc, B, "v1.34");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].location.pointer,
        "/spec/containers/0/readinessProbe/tcpSocket/host"
    );
}

#[test]
fn workload_pointers_reach_the_template() {
    let doc = json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {
        "schedule": "* * * * *", "jobTemplate": {"spec": {"template": {
            "metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}},
            "spec": {"containers": [{"name": "app", "image": "i", "securityContext": {"privileged": true}}]}}}}}});
    let f = check(&doc, B, "latest");
    let pointers: Vec<_> = f.iter().map(|f| (f.rule, f.location.pointer.as_str())).collect();
    assert_eq!(
        pointers,
        [
            ("K8S-001", "/spec/jobTemplate/spec/template/spec/containers/0/securityContext/privileged"),
            (
                "K8S-008",
                "/spec/jobTemplate/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app"
            ),
        ]
    );
    assert_eq!(f[0].message, "container \"app\" sets securityContext.privileged: true");
}

#[test]
fn the_engines_table_is_the_rule_by_rule_answer() {
    // The table `Engine::new` works out from the overriding controls alone, against the answer looked up rule by
    // rule, for every rule, level and version: with every rule enabled, and with the PSS rules alone.
    let every: Vec<_> = palisade_rules::all().to_vec();
    let pss_only: Vec<_> = every.iter().copied().filter(|r| r.meta().pss.is_some()).collect();
    let mut cells = 0;
    let mut off = 0;
    let mut overridden = 0;
    for rules in [every, pss_only] {
        let engine = Engine::new(rules);
        for level in [PssLevel::Privileged, PssLevel::Baseline, PssLevel::Restricted] {
            for minor in 0..=palisade_core::pss::LATEST_MINOR {
                let policy = PssPolicy {
                    level,
                    version: PssVersion::Minor(minor),
                };
                for (i, rule) in engine.rules().iter().enumerate() {
                    let expected = engine.pss_rule_applies(rule.meta().id, policy);
                    assert_eq!(engine.runs_at(i, policy), expected, "{} at {policy:?}", rule.meta().id);
                    cells += 1;
                    off += usize::from(!expected);
                    overridden += usize::from(rule.meta().pss.is_some_and(|c| {
                        !expected && level != PssLevel::Privileged && c.level <= level && minor >= c.since
                    }));
                }
            }
        }
    }
    // Both answers are exercised: rules that run and rules that do not, some of them only because an enabled
    // restricted rule replaces them.
    assert!(
        cells > 10_000 && off > 1_000 && overridden > 0,
        "{cells} cells, {off} off, {overridden} overridden"
    );
}
