//! K8S-004: pods sharing the host's namespace via `spec.hostNetwork` (one third of the PSA baseline check
//! `hostNamespaces`, which Palisade splits into K8S-002/003/004).

use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-004.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-004",
    name: "host-network-namespace",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-baseline", "pss-restricted", "cis-aks", "nsa"],
    summary: "The pod shares the host's network namespace (spec.hostNetwork: true).",
    remediation: "Remove spec.hostNetwork or set it to false; expose the workload through a Service instead.",
    docs: r#"## What it does
Flags pods (and pod templates) that set `spec.hostNetwork: true` (Pod Security Standards baseline control
"Host Namespaces", PSA check `hostNamespaces`, all policy versions).

## Why is this bad?
With the host network a container can bind any node port, sniff node traffic, reach services bound to localhost on
the node (kubelet, metadata endpoints) and bypass NetworkPolicies, which do not apply to host-network pods.

## Example
```yaml
spec:
  hostNetwork: true
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  hostNetwork: false
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "Host Namespaces": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.4
- Azure Policy 82985f06 (allowHostNetwork)
- NSA/CISA Kubernetes Hardening Guidance, Pod security
"#,
    references: &[
        PSS_DOCS,
        "CIS AKS Benchmark 4.2.4",
        "Azure Policy 82985f06",
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

/// Flags `spec.hostNetwork: true`.
pub struct HostNetworkNamespace;

impl Rule for HostNetworkNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostNetwork` key (only a set `hostNetwork` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostNetwork"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let field = pod.field(&["hostNetwork"]);
        if super::util::bool_at(&field) != Some(true) {
            return Vec::new();
        }
        vec![Violation::new(
            "pod sets spec.hostNetwork: true",
            field.pos,
            field.pointer,
        )]
    }
}
