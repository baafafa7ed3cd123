//! K8S-100: containers without a memory limit.

use super::util::missing_resource;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-100.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-100",
    name: "memory-limit-missing",
    family: "hygiene",
    severity: Severity::Medium,
    profiles: &["seed", "azure-policy", "nsa"],
    summary: "A container does not set resources.limits.memory.",
    remediation: "Set resources.limits.memory on every container (and init container) to what it needs at peak.",
    docs: r#"## What it does
Flags every container and init container without `resources.limits.memory` (ephemeral containers cannot set
resources). Objects in the `system_namespaces` are skipped. A LimitRange with a `type: Container` default in the
namespace (K8S-066) would fill the limit in at admission; this rule judges the manifest as written.

## Why is this bad?
Memory is not compressible: a container without a limit can grow until the node runs out of memory, and the
kubelet then evicts or the kernel OOM-kills other pods on the node. A memory leak or a malicious workload becomes
a denial of service for its neighbours.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      resources:
        requests:
          memory: 128Mi
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      resources:
        requests:
          memory: 128Mi
        limits:
          memory: 256Mi
```

## References
- seed:000 (checklist: CPU/memory limits), seed:001
- Azure Policy e345eecc (container CPU and memory limits), mutation 5f86d473
- NSA/CISA Kubernetes Hardening Guidance, Resource policies
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
"#,
    references: &[
        "seed:000",
        "seed:001",
        "Azure Policy e345eecc",
        "NSA/CISA Kubernetes Hardening Guidance",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without `resources.limits.memory`.
pub struct MemoryLimitMissing;

impl Rule for MemoryLimitMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        missing_resource(ctx, obj, "limits", "memory")
    }
}
