//! RBAC-009: roles that grant exec or attach into pods.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `create` (and `get`, used by legacy websocket clients) on pods/exec and pods/attach.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create", "get"],
    targets: &[
        ApiResource {
            groups: &[CORE],
            resource: "pods/exec",
        },
        ApiResource {
            groups: &[CORE],
            resource: "pods/attach",
        },
    ],
};

/// Metadata of RBAC-009.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-009",
    name: "pod-exec-attach-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["seed"],
    summary: "A Role or ClusterRole grants create or get on pods/exec or pods/attach.",
    remediation: "Remove pods/exec and pods/attach from the role; grant them only to a break-glass role bound \
                  for the duration of an incident.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create` (or `get`, which older clients use over
websockets) on `pods/exec` or `pods/attach`. Wildcards count (`*`, `*/exec`), and so does `pods/*`.

## Why is this bad?
Exec and attach give a shell in running containers: the holder can read every secret and token mounted in
them, act with the pods' service accounts and, from privileged pods, reach the node. A "read-only" developer
role must not include them.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: developer-readonly
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "list", "watch", "create"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: developer-readonly
rules:
  - apiGroups: [""]
    resources: ["pods", "services"]
    verbs: ["get", "list", "watch"]
```

## References
- seed:000 (read-only developer ClusterRole: get/list/watch on pods and services)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "seed:000",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting pods/exec or pods/attach.
pub struct PodExecAttachPermission;

impl Rule for PodExecAttachPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
