//! RBAC-015: roles that grant creating service account tokens.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `create` on serviceaccounts/token.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "serviceaccounts/token",
    }],
};

/// Metadata of RBAC-015.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-015",
    name: "service-account-token-create-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants create on serviceaccounts/token.",
    remediation: "Remove create on serviceaccounts/token from the role, or limit it with resourceNames to the \
                  one ServiceAccount the holder must mint tokens for.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create` on `serviceaccounts/token` (the TokenRequest
API; wildcards count).

## Why is this bad?
Whoever can request tokens for a ServiceAccount can act as it, with every permission bound to it, for as long
as the token lives. Across a namespace (or the cluster, for a ClusterRoleBinding) that includes the most
privileged controllers' accounts.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: token-broker
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["create"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: token-broker
  namespace: ci
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts"]
    verbs: ["get"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.12 (minimize access to the service account token creation)
- Kubernetes TokenRequest API: https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.12",
        "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting token creation.
pub struct ServiceAccountTokenCreatePermission;

impl Rule for ServiceAccountTokenCreatePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
