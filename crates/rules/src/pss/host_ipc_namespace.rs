//! K8S-003: pods sharing the host's namespace via `spec.hostIPC` (one third of the PSA baseline check
//! `hostNamespaces`, which Palisade splits into K8S-002/003/004).

use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-003.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-003",
    name: "host-ipc-namespace",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-baseline", "pss-restricted", "cis-aks"],
    summary: "The pod shares the host's IPC namespace (spec.hostIPC: true).",
    remediation: "Remove spec.hostIPC or set it to false.",
    docs: r#"## What it does
Flags pods (and pod templates) that set `spec.hostIPC: true` (Pod Security Standards baseline control
"Host Namespaces", PSA check `hostNamespaces`, all policy versions).

## Why is this bad?
With the host IPC namespace a container can read and write the shared memory segments and message queues of every
process on the node, including other pods and node daemons.

## Example
```yaml
spec:
  hostIPC: true
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  hostIPC: false
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "Host Namespaces": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.3
- Azure Policy 47a1ee2f (host namespaces)
"#,
    references: &[PSS_DOCS, "CIS AKS Benchmark 4.2.3", "Azure Policy 47a1ee2f"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "hostNamespaces",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `spec.hostIPC: true`.
pub struct HostIpcNamespace;

impl Rule for HostIpcNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostIPC` key (only a set `hostIPC` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostIPC"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let field = pod.field(&["hostIPC"]);
        if super::util::bool_at(&field) != Some(true) {
            return Vec::new();
        }
        vec![Violation::new("pod sets spec.hostIPC: true", field.pos, field.pointer)]
    }
}
