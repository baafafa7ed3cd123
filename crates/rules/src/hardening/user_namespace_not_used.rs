//! K8S-054: pods that do not run in a user namespace.

use crate::pss::util::bool_at;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-054.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-054",
    name: "user-namespace-not-used",
    family: "hardening",
    severity: Severity::Info,
    profiles: &[],
    summary: "The pod does not set spec.hostUsers: false (no user namespace).",
    remediation: "Set spec.hostUsers: false so the pod's UIDs and GIDs are mapped to an unprivileged range on the \
                  node (needs a node OS and runtime with user namespace support).",
    docs: r#"## What it does
Reports pods (and pod templates) whose `spec.hostUsers` is not `false` (unset or `true`). Windows pods
(`spec.os.name: windows`) are skipped. Advisory (info): user namespaces need Kubernetes 1.33+ (enabled by default)
and a node OS, kernel and runtime that support them, and pods that use `hostNetwork`, `hostPID` or `hostIPC`
cannot use them.

## Why is this bad?
Without a user namespace, root in the container is root on the node (UID 0), and every UID in the container is
the same UID on the node. With `hostUsers: false`, the container's IDs are mapped to an unprivileged range that
exists nowhere else on the node, so an escape lands as an unprivileged user and several kernel bugs become
unexploitable. Pod Security Standards (policy v1.35+) relax the run-as-non-root and `procMount` checks for such
pods (K8S-010, K8S-022, K8S-023), and K8S-046 skips them.

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
  hostUsers: false
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
```

## References
- Pod Security Standards (v1.35 user-namespace relaxations): https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Kubernetes user namespaces: https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
- AKS documentation, "Secure container access to resources" (user namespaces)
"#,
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
        "AKS: Secure container access to resources",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags pods whose `spec.hostUsers` is not `false`.
pub struct UserNamespaceNotUsed;

impl Rule for UserNamespaceNotUsed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if pod.is_windows() {
            return Vec::new();
        }
        let field = pod.field(&["hostUsers"]);
        let message = match bool_at(&field) {
            Some(false) => return Vec::new(),
            Some(true) => "pod sets spec.hostUsers: true (no user namespace)",
            None => "pod does not set spec.hostUsers: false (no user namespace)",
        };
        vec![Violation::new(message, field.pos, field.pointer)]
    }
}
