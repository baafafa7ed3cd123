//! NET-002: a namespace without a default-deny egress NetworkPolicy.

use super::util::{check_default_deny, Direction};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of NET-002.
pub static META: RuleMeta = RuleMeta {
    id: "NET-002",
    name: "namespace-without-default-deny-egress",
    family: "network",
    severity: Severity::Low,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "A namespace has no NetworkPolicy that denies all egress traffic by default.",
    remediation: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] and no egress rules to the \
                  namespace, and allow DNS and the destinations each workload needs with narrower policies.",
    docs: r#"## What it does
Looks at every non-system namespace of the scan and checks that it holds a default-deny egress NetworkPolicy:
`spec.podSelector` selects every pod (`{}`, absent or `null`), `policyTypes` lists `Egress` and the policy has no
`egress` rules (absent, `null` or `[]`).

`policyTypes` must name `Egress` explicitly: when it is absent the API server makes the policy an Egress policy
only if it has egress rules, so `{podSelector: {}, egress: []}` without `policyTypes` denies ingress, not egress.

- A namespace whose Namespace object was scanned and has no such policy gets a finding on the Namespace object.
- A namespace that scanned objects only refer to is judged only if the scan holds NetworkPolicies in it (the
  finding goes on the first of them); otherwise it is reported as not evaluated.
- Namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
Unrestricted egress lets a compromised pod download tooling, exfiltrate data, reach the Azure Instance Metadata
Service and the API server, and move laterally. A default-deny egress policy, with DNS and the required
destinations allowed explicitly, limits what an attacker can do from inside a pod.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress"]
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress", "Egress"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Egress"]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
```

## References
- seed:002 (default-deny ingress and egress)
- CIS Azure Kubernetes Service Benchmark 4.4.2 (all namespaces have network policies defined)
- NSA/CISA Kubernetes Hardening Guidance, Network policies (Appendix F)
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic
"#,
    references: &[
        "seed:002",
        "CIS AKS Benchmark 4.4.2",
        "NSA/CISA Kubernetes Hardening Guidance, Appendix F",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags namespaces without a default-deny egress NetworkPolicy.
pub struct NamespaceWithoutDefaultDenyEgress;

impl Rule for NamespaceWithoutDefaultDenyEgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        check_default_deny(index, params, out, Direction::Egress);
    }
}
