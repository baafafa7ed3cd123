//! RBAC-023: roles that grant deleting pod logs or events.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// delete/deletecollection on pods/log and events.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["delete", "deletecollection"],
    targets: &[
        ApiResource {
            groups: &[CORE],
            resource: "pods/log",
        },
        ApiResource {
            groups: &[CORE, "events.k8s.io"],
            resource: "events",
        },
    ],
};

/// Metadata of RBAC-023.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-023",
    name: "log-event-delete-permission",
    family: "rbac",
    severity: Severity::Low,
    profiles: &[],
    summary: "A Role or ClusterRole grants delete on pods/log or events.",
    remediation: "Remove delete and deletecollection on pods/log and events from the role.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `delete` or `deletecollection` on `pods/log` or `events`
(core and `events.k8s.io` groups; wildcards count).

## Why is this bad?
Events and container logs are what responders read first. Deleting them hides an attacker's activity (pods
started, images pulled, probes failing) and is rarely needed by anyone but the control plane.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: cleanup
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["get", "list", "delete"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: cleanup
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["get", "list", "watch"]
```

## References
- Audit evasion: Trivy KSV-0042, Kubescape C-0031 (delete Kubernetes events)
- Kubernetes events: https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
"#,
    references: &[
        "Trivy KSV-0042",
        "Kubescape C-0031",
        "https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting log or event deletion.
pub struct LogEventDeletePermission;

impl Rule for LogEventDeletePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
