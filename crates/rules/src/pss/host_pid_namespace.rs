//! K8S-002: pods sharing the host's namespace via `spec.hostPID` (one third of the PSA baseline check
//! `hostNamespaces`, which Palisade splits into K8S-002/003/004).

use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-002.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-002",
    name: "host-pid-namespace",
    family: "pss",
    severity: Severity::Critical,
    profiles: &["pss-baseline", "pss-restricted", "cis-aks", "nsa"],
    summary: "The pod shares the host's process ID namespace (spec.hostPID: true).",
    remediation: "Remove spec.hostPID or set it to false.",
    docs: r#"## What it does
Flags pods (and pod templates) that set `spec.hostPID: true` (Pod Security Standards baseline control
"Host Namespaces", PSA check `hostNamespaces`, all policy versions).

## Why is this bad?
With the host PID namespace a container sees every process on the node, can read their environment and
`/proc/<pid>/root`, and with `SYS_PTRACE` or root can inject into them. It is a short path to node takeover and to
secrets of other pods.

## Example
```yaml
spec:
  hostPID: true
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  hostPID: false
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "Host Namespaces": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.2
- Azure Policy 47a1ee2f (host namespaces)
- NSA/CISA Kubernetes Hardening Guidance, Pod security
"#,
    references: &[
        PSS_DOCS,
        "CIS AKS Benchmark 4.2.2",
        "Azure Policy 47a1ee2f",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "hostNamespaces",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `spec.hostPID: true`.
pub struct HostPidNamespace;

impl Rule for HostPidNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostPID` key (only a set `hostPID` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostPID"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let field = pod.field(&["hostPID"]);
        if super::util::bool_at(&field) != Some(true) {
            return Vec::new();
        }
        vec![Violation::new("pod sets spec.hostPID: true", field.pos, field.pointer)]
    }
}
