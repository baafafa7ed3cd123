//! K8S-067: a namespace without a ResourceQuota.

use super::util::{check_namespace_presence, PresenceMessages};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of K8S-067.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-067",
    name: "namespace-without-resource-quota",
    family: "namespaces",
    severity: Severity::Low,
    profiles: &["nsa"],
    summary: "A namespace has no ResourceQuota capping the resources its workloads may consume.",
    remediation: "Add a ResourceQuota to the namespace that caps requests, limits and object counts.",
    docs: r#"## What it does
Looks at every non-system namespace of the scan and checks that it holds at least one `ResourceQuota`.

- A namespace whose Namespace object was scanned and has no ResourceQuota gets a finding on the Namespace.
- A namespace that scanned objects only refer to (its Namespace object was not scanned) and that has no
  ResourceQuota in the scan is reported as not evaluated: the quota may live in another repository.
- Namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
Without a quota, one namespace (a runaway autoscaler, a compromised CI token, a fork bomb of Jobs) can consume the
whole cluster's CPU, memory, storage and object counts and starve every other tenant.

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
apiVersion: v1
kind: ResourceQuota
metadata:
  name: shop-quota
  namespace: shop
spec:
  hard:
    requests.cpu: "8"
    requests.memory: 16Gi
    limits.cpu: "16"
    limits.memory: 32Gi
    pods: "100"
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Resource policies (Appendix H, ResourceQuota)
- https://kubernetes.io/docs/concepts/policy/resource-quotas/
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance, Appendix H",
        "https://kubernetes.io/docs/concepts/policy/resource-quotas/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags namespaces without a ResourceQuota.
pub struct NamespaceWithoutResourceQuota;

impl Rule for NamespaceWithoutResourceQuota {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        check_namespace_presence(
            index,
            params,
            out,
            &|_| true,
            &PresenceMessages {
                kind: "ResourceQuota",
                missing: &|ns| format!("namespace \"{ns}\" has no ResourceQuota"),
                unqualified: &|ns, _| format!("namespace \"{ns}\" has no ResourceQuota"),
            },
        );
    }
}
