//! RBAC-006: roles that grant RBAC escalation (`escalate`, `bind`) or write on role bindings.

use super::util::{grants_message, permission_violations, ApiResource, Permission, RBAC_GROUP};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `escalate`/`bind` on roles and clusterroles, and create/update/patch on (cluster)rolebindings.
pub(crate) static PERMISSIONS: [Permission; 2] = [
    Permission {
        verbs: &["escalate", "bind"],
        targets: &[
            ApiResource {
                groups: &[RBAC_GROUP],
                resource: "roles",
            },
            ApiResource {
                groups: &[RBAC_GROUP],
                resource: "clusterroles",
            },
        ],
    },
    Permission {
        verbs: &["create", "update", "patch"],
        targets: &[
            ApiResource {
                groups: &[RBAC_GROUP],
                resource: "rolebindings",
            },
            ApiResource {
                groups: &[RBAC_GROUP],
                resource: "clusterrolebindings",
            },
        ],
    },
];

/// Metadata of RBAC-006.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-006",
    name: "rbac-escalation-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants escalate or bind on roles, or write on role bindings.",
    remediation: "Remove escalate, bind and create/update/patch on role bindings from the role; keep RBAC \
                  administration with cluster administrators.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `escalate` or `bind` on `roles`/`clusterroles`, or
`create`, `update` or `patch` on `rolebindings`/`clusterrolebindings` (API group `rbac.authorization.k8s.io`;
wildcards count).

## Why is this bad?
RBAC normally stops a subject from granting permissions it does not hold. `escalate` lifts that check for role
edits and `bind` for bindings; write access on bindings lets the holder bind any role it may bind, which with
`bind` or on a ClusterRoleBinding means becoming cluster-admin.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-lead
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind", "escalate"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-lead
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["roles", "rolebindings"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.7 (limit use of the Bind, Impersonate and Escalate permissions)
- Kubernetes RBAC good practices, privilege escalation risks: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.7",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting RBAC escalation.
pub struct RbacEscalationPermission;

impl Rule for RbacEscalationPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &PERMISSIONS, "verbs", grants_message)
    }
}
