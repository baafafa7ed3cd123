//! K8S-084: images from the frozen k8s.gcr.io registry.

use super::util::{container_images, strip_port};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The retired Kubernetes project registry.
const FROZEN_REGISTRY: &str = "k8s.gcr.io";

/// Metadata of K8S-084.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-084",
    name: "deprecated-kubernetes-gcr-registry",
    family: "images",
    severity: Severity::Low,
    profiles: &[],
    summary: "A container image comes from the frozen k8s.gcr.io registry.",
    remediation: "Use the same image from registry.k8s.io (or import it into your own registry).",
    docs: r#"## What it does
Reports containers, init containers and ephemeral containers whose image's registry host is `k8s.gcr.io`
(compared in lower case, with or without a port).

## Why is this bad?
The Kubernetes project froze `k8s.gcr.io` in April 2023 and moved to `registry.k8s.io`. The old registry gets no
new images or patched versions, so workloads that use it stay on old, unpatched builds, and pulls can fail once
the old registry is turned down.

## Example
```yaml
spec:
  containers:
    - name: metrics
      image: k8s.gcr.io/metrics-server/metrics-server:v0.6.1
```

## Use instead
```yaml
spec:
  containers:
    - name: metrics
      image: registry.k8s.io/metrics-server/metrics-server:v0.7.2
```

## References
- Kubernetes registry migration: https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/
- Kubescape C-0253 (deprecated Kubernetes image registry)
"#,
    references: &[
        "https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/",
        "Kubescape C-0253",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags images whose registry host is k8s.gcr.io.
pub struct DeprecatedKubernetesGcrRegistry;

impl Rule for DeprecatedKubernetesGcrRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        container_images(&pod)
            .into_iter()
            .filter(|ci| strip_port(&ci.image.registry_host()) == FROZEN_REGISTRY)
            .map(|ci| {
                Violation::new(
                    format!(
                        "{} image \"{}\" comes from the frozen registry k8s.gcr.io; use registry.k8s.io",
                        ci.container.label(),
                        ci.reference
                    ),
                    ci.field.pos,
                    ci.field.pointer,
                )
            })
            .collect()
    }
}
