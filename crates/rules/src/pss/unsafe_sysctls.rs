//! K8S-012: unsafe sysctls (PSA baseline check `sysctls`).

use super::util::{minor, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, Node, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// The safe sysctls, each with the policy minor version that first allows it.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Whether sysctl `name` is in the safe set at policy minor version `minor` (exact match, as Kubernetes does).
pub fn is_safe(name: &str, minor: u32) -> bool {
    SAFE_SYSCTLS
        .iter()
        .any(|(safe, since)| *safe == name && minor >= *since)
}

/// Metadata of K8S-012.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-012",
    name: "unsafe-sysctls",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "The pod sets a sysctl outside the Pod Security Standards safe set.",
    remediation: "Remove the sysctl from spec.securityContext.sysctls, or configure it on dedicated nodes instead of \
                  in the pod.",
    docs: r#"## What it does
Flags `spec.securityContext.sysctls[*].name` values outside the safe set of the policy version (Pod Security
Standards baseline control "Sysctls", PSA check `sysctls`):

- v1.0: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`,
  `net.ipv4.ping_group_range`, `net.ipv4.ip_unprivileged_port_start`
- v1.27: + `net.ipv4.ip_local_reserved_ports`
- v1.29: + `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`,
  `net.ipv4.tcp_keepalive_probes`
- v1.32: + `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`
- v1.37: + `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`

## Why is this bad?
Sysctls outside the safe set are not isolated per pod: they change kernel behaviour for the whole node (memory,
networking, security settings such as `kernel.core_pattern`), affecting every other workload on it.

## Example
```yaml
spec:
  securityContext:
    sysctls:
      - name: kernel.msgmax
        value: "65536"
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_port_range
        value: "1024 65535"
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "Sysctls": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Using sysctls in a Kubernetes cluster: https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
- Azure Policy 56d0a13f (forbidden sysctls), 5e5a0673 (allowed sysctls)
"#,
    references: &[
        PSS_DOCS,
        "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
        "Azure Policy 56d0a13f",
        "Azure Policy 5e5a0673",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "sysctls",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags sysctls outside the safe set of the policy version.
pub struct UnsafeSysctls;

impl Rule for UnsafeSysctls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `sysctls` key (only a set `sysctls` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["sysctls"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let minor = minor(ctx);
        let sysctls = pod.field(&["securityContext", "sysctls"]);
        let items = sysctls.node.and_then(Node::as_seq).unwrap_or(&[]);
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                // A missing (or non-string) name decodes as "", which is not safe.
                let name = item.get_str("name").unwrap_or("");
                if is_safe(name, minor) {
                    return None;
                }
                let pos = item.entry("name").map_or(item.pos, |e| e.key_pos);
                Some(Violation::new(
                    format!("pod sets unsafe sysctl \"{name}\" in spec.securityContext.sysctls"),
                    pos,
                    format!("{}/{index}/name", sysctls.pointer),
                ))
            })
            .collect()
    }
}
