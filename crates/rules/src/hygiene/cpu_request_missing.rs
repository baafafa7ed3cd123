//! K8S-103: containers without a CPU request.

use super::util::missing_resource;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-103.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-103",
    name: "cpu-request-missing",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A container sets neither resources.requests.cpu nor a CPU limit it would default to.",
    remediation: "Set resources.requests.cpu on every container to its usual CPU use.",
    docs: r#"## What it does
Flags every container and init container without `resources.requests.cpu` (ephemeral containers cannot set
resources). A container that sets `resources.limits.cpu` is not reported: the API server defaults a missing
request to the limit. Objects in the `system_namespaces` are skipped.

## Why is this bad?
CPU requests drive scheduling and the CPU shares a container gets under contention. Without one, the pod is
scheduled as if it needed no CPU and is starved first when the node is busy, and autoscalers that work from
utilisation of requests (HPA, cluster autoscaler) cannot reason about it.

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
          cpu: 100m
          memory: 128Mi
```

## References
- Azure Policy 03a4ecdb (container CPU and memory requests must be defined)
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
"#,
    references: &[
        "Azure Policy 03a4ecdb",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without `resources.requests.cpu` (nor a CPU limit).
pub struct CpuRequestMissing;

impl Rule for CpuRequestMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        missing_resource(ctx, obj, "requests", "cpu")
    }
}
