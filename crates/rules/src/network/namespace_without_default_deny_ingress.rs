//! NET-001: a namespace without a default-deny ingress NetworkPolicy.

use super::util::{check_default_deny, Direction};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of NET-001.
pub static META: RuleMeta = RuleMeta {
    id: "NET-001",
    name: "namespace-without-default-deny-ingress",
    family: "network",
    severity: Severity::Medium,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "A namespace has no NetworkPolicy that denies all ingress traffic by default.",
    remediation: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules to the \
                  namespace, then allow the traffic each workload needs with narrower policies.",
    docs: r#"## What it does
Looks at every non-system namespace of the scan and checks that it holds a default-deny ingress NetworkPolicy:
`spec.podSelector` selects every pod (`{}`; an absent or `null` selector means the same to the API server),
the policy applies to `Ingress` (listed in `policyTypes`, or implied when `policyTypes` is absent or empty) and it
has no `ingress` rules (absent, `null` or `[]`).

- A namespace whose Namespace object was scanned and has no such policy gets a finding on the Namespace object.
- A namespace that scanned objects only refer to (its Namespace object was not scanned) is judged only if the scan
  holds NetworkPolicies in it; the finding then goes on the first of them. If the scan holds no NetworkPolicy in
  it, the namespace is reported as not evaluated: its policies may live in another repository.
- Namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
Kubernetes allows all traffic to a pod until some NetworkPolicy selects it. Without a default-deny policy, every
new workload in the namespace is reachable from every pod of the cluster, so one compromised pod can reach
databases, admin endpoints and internal APIs anywhere.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress"]
```

## References
- seed:000 (deny-all-ingress policy), seed:002 (default-deny-all), seed:003 (network policies)
- CIS Azure Kubernetes Service Benchmark 4.4.2 (all namespaces have network policies defined)
- NSA/CISA Kubernetes Hardening Guidance, Network policies (Appendix F)
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
"#,
    references: &[
        "seed:000",
        "seed:002",
        "seed:003",
        "CIS AKS Benchmark 4.4.2",
        "NSA/CISA Kubernetes Hardening Guidance, Appendix F",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Flags namespaces without a default-deny ingress NetworkPolicy.
pub struct NamespaceWithoutDefaultDenyIngress;

impl Rule for NamespaceWithoutDefaultDenyIngress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        check_default_deny(index, params, out, Direction::Ingress);
    }
}
