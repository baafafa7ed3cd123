//! K8S-050: pods whose containers share one process namespace.

use crate::pss::util::bool_at;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-050.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-050",
    name: "shared-process-namespace",
    family: "hardening",
    severity: Severity::Low,
    profiles: &[],
    summary: "The pod sets spec.shareProcessNamespace: true.",
    remediation: "Remove spec.shareProcessNamespace unless a sidecar must signal or inspect the other containers' \
                  processes; use an ephemeral debug container with --target instead for debugging.",
    docs: r#"## What it does
Reports pods (and pod templates) that set `spec.shareProcessNamespace: true`.

## Why is this bad?
With a shared process namespace every container sees the other containers' processes and can signal them, and
(with `SYS_PTRACE` or the same UID) read their memory and environment. Each container's filesystem is reachable
through `/proc/<pid>/root`, so secrets mounted into one container are visible to all of them. A compromise of the
least trusted container extends to the whole pod.

## Example
```yaml
spec:
  shareProcessNamespace: true
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
    - name: sidecar
      image: myacr.azurecr.io/sidecar:1.0.0
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
    - name: sidecar
      image: myacr.azurecr.io/sidecar:1.0.0
```

## References
- Kubernetes documentation, "Share Process Namespace between Containers in a Pod":
  https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/ (no peer tool checks this)
"#,
    references: &["https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags `spec.shareProcessNamespace: true`.
pub struct SharedProcessNamespace;

impl Rule for SharedProcessNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `shareProcessNamespace` key (only a set `shareProcessNamespace` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["shareProcessNamespace"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let field = pod.field(&["shareProcessNamespace"]);
        if bool_at(&field) != Some(true) {
            return Vec::new();
        }
        vec![Violation::new(
            "pod sets spec.shareProcessNamespace: true: its containers see and can signal each other's processes",
            field.pos,
            field.pointer,
        )]
    }
}
