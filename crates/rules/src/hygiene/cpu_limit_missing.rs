//! K8S-101: containers without a CPU limit (when the organisation requires them).

use super::util::missing_resource;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-101.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-101",
    name: "cpu-limit-missing",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["seed", "azure-policy"],
    summary: "A container does not set resources.limits.cpu.",
    remediation: "Set resources.limits.cpu on every container, or set the require_cpu_limits parameter to false if \
                  you deliberately run without CPU limits.",
    docs: r#"## What it does
Flags every container and init container without `resources.limits.cpu` (ephemeral containers cannot set
resources). Only active while the `require_cpu_limits` parameter is true (the default): some teams deliberately
omit CPU limits to avoid throttling and rely on requests instead. Objects in the `system_namespaces` are skipped.

## Why is this bad?
A container without a CPU limit can use every idle core of the node. That is harmless while requests are
accurate, but a runaway or compromised process (crypto-mining is the classic case) then takes CPU time other
workloads were counting on beyond their requests, and cost and latency become unpredictable.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      resources:
        limits:
          memory: 256Mi
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      resources:
        limits:
          cpu: 500m
          memory: 256Mi
```

## References
- seed:000 (checklist: CPU/memory limits), seed:001
- Azure Policy e345eecc (container CPU and memory limits), mutation 42ba1d72
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
"#,
    references: &[
        "seed:000",
        "seed:001",
        "Azure Policy e345eecc",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without `resources.limits.cpu`.
pub struct CpuLimitMissing;

impl Rule for CpuLimitMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if !ctx.params.require_cpu_limits {
            return Vec::new();
        }
        missing_resource(ctx, obj, "limits", "cpu")
    }
}
