//! K8S-102: containers without a memory request.

use super::util::missing_resource;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-102.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-102",
    name: "memory-request-missing",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["seed", "azure-policy"],
    summary: "A container sets neither resources.requests.memory nor a memory limit it would default to.",
    remediation: "Set resources.requests.memory on every container to its usual working set.",
    docs: r#"## What it does
Flags every container and init container without `resources.requests.memory` (ephemeral containers cannot set
resources). A container that sets `resources.limits.memory` is not reported: the API server defaults a missing
request to the limit. Objects in the `system_namespaces` are skipped.

## Why is this bad?
The scheduler places pods by their requests. A pod without a memory request is scheduled as if it needed none,
lands on nodes that are already full, and (as a BestEffort or Burstable pod) is among the first evicted under
memory pressure.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
        limits:
          cpu: 500m
          memory: 256Mi
```

## References
- seed:000 (LimitRange defaultRequest)
- Azure Policy 03a4ecdb (container CPU and memory requests must be defined)
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
"#,
    references: &[
        "seed:000",
        "Azure Policy 03a4ecdb",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without `resources.requests.memory` (nor a memory limit).
pub struct MemoryRequestMissing;

impl Rule for MemoryRequestMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        missing_resource(ctx, obj, "requests", "memory")
    }
}
