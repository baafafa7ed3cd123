//! RBAC-026: roles that grant port-forwarding into pods.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `create` on pods/portforward.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "pods/portforward",
    }],
};

/// Metadata of RBAC-026.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-026",
    name: "pod-portforward-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &[],
    summary: "A Role or ClusterRole grants create on pods/portforward.",
    remediation: "Remove pods/portforward from the role; expose what people need through Services with \
                  authentication instead.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create` on `pods/portforward` (wildcards count, and so
does `pods/*`).

## Why is this bad?
Port-forwarding opens a tunnel from the holder's machine to any port of any pod it covers, bypassing
NetworkPolicies, Ingress authentication and the firewall: admin ports, databases and debug endpoints become
reachable from outside the cluster.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debug
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods/portforward"]
    verbs: ["create"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debug
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list"]
```

## References
- Best practice: Kubescape C-0063 (portforwarding privileges)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "Kubescape C-0063",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting port-forwarding.
pub struct PodPortforwardPermission;

impl Rule for PodPortforwardPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
