//! RBAC-007: roles that grant `impersonate`.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `impersonate` on users, groups, serviceaccounts (core) and uids (authentication.k8s.io).
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["impersonate"],
    targets: &[
        ApiResource {
            groups: &[CORE],
            resource: "users",
        },
        ApiResource {
            groups: &[CORE],
            resource: "groups",
        },
        ApiResource {
            groups: &[CORE],
            resource: "serviceaccounts",
        },
        ApiResource {
            groups: &["authentication.k8s.io"],
            resource: "uids",
        },
    ],
};

/// Metadata of RBAC-007.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-007",
    name: "impersonation-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants impersonate on users, groups, service accounts or uids.",
    remediation: "Remove the impersonate verb; if impersonation is required, limit it with resourceNames to \
                  specific low-privilege identities.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants the `impersonate` verb on `users`, `groups` or
`serviceaccounts` (core API group) or `uids` (`authentication.k8s.io`); wildcards count.

## Why is this bad?
Impersonation lets the holder act as another user, group or service account, with all of its permissions:
impersonating `system:masters` or any cluster-admin is full control of the cluster.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: support
rules:
  - apiGroups: [""]
    resources: ["users", "groups"]
    verbs: ["impersonate"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: support
rules:
  - apiGroups: [""]
    resources: ["pods", "events"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.7 (limit use of the Bind, Impersonate and Escalate permissions)
- Kubernetes user impersonation: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
"#,
    references: &[
        "CIS AKS Benchmark 4.1.7",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting impersonation.
pub struct ImpersonationPermission;

impl Rule for ImpersonationPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
