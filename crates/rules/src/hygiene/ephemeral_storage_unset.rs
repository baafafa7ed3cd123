//! K8S-104: containers without an ephemeral-storage limit (and request).

use super::util::{in_system_namespace, resource_containers, resource_set};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-104.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-104",
    name: "ephemeral-storage-unset",
    family: "hygiene",
    severity: Severity::Info,
    profiles: &[],
    summary: "A container does not set resources.limits.ephemeral-storage (nor a request).",
    remediation: "Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on containers \
                  that write to their filesystem, emptyDir volumes or logs.",
    docs: r#"## What it does
Flags every container and init container without `resources.limits.ephemeral-storage` (ephemeral containers
cannot set resources); the message says whether `resources.requests.ephemeral-storage` is missing too. A missing
request alone is not reported: the API server defaults it to the limit. Objects in the `system_namespaces` are
skipped.

## Why is this bad?
Container writable layers, logs and `emptyDir` volumes share the node's disk. A container that fills it puts the
node under disk pressure, and the kubelet then evicts other pods and stops admitting new ones. An
ephemeral-storage limit makes the kubelet evict only the offender.

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
          ephemeral-storage: 1Gi
        limits:
          ephemeral-storage: 2Gi
```

## References
- kube-score container-ephemeral-storage-request-and-limit; Gatekeeper library ephemeralstoragelimit
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
"#,
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without an ephemeral-storage limit.
pub struct EphemeralStorageUnset;

impl Rule for EphemeralStorageUnset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if in_system_namespace(ctx, obj) {
            return Vec::new();
        }
        resource_containers(&pod)
            .filter(|c| !resource_set(c, "limits", "ephemeral-storage"))
            .map(|c| {
                let field = c.field(&["resources", "limits", "ephemeral-storage"]);
                let message = if resource_set(&c, "requests", "ephemeral-storage") {
                    c.label()
                        .with(" sets resources.requests.ephemeral-storage but not resources.limits.ephemeral-storage")
                } else {
                    c.label().with(
                        " sets neither resources.requests.ephemeral-storage nor \
                         resources.limits.ephemeral-storage",
                    )
                };
                Violation::new(message, field.pos, field.pointer)
            })
            .collect()
    }
}
