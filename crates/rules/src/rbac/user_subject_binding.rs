//! RBAC-022: bindings that grant a role to individual users instead of groups.

use super::util::{is_bootstrap_default, role_ref, subjects};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-022.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-022",
    name: "user-subject-binding",
    family: "rbac",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A RoleBinding or ClusterRoleBinding grants a role to an individual user.",
    remediation: "Bind the role to an Entra ID group (by object ID) and manage membership in the group.",
    docs: r#"## What it does
Reports each subject of `kind: User` of a RoleBinding or ClusterRoleBinding, except Kubernetes' own
`system:` identities (control-plane components, `system:anonymous` is reported by RBAC-003) and the API
server's own bindings.

## Why is this bad?
Per-user bindings are not removed when people change teams or leave, are hard to review, and multiply with
every person. Binding groups keeps access in the identity provider (Entra ID), where joiner/mover/leaver
processes, access reviews and conditional access apply.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: alice-edit
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: alice@example.com
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: shop-developers-edit
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: 5f1c2d9e-0000-4000-8000-000000000003
```

## References
- seed:003 (always grant permissions to groups, not individual users)
- AKS access with Entra ID groups: https://learn.microsoft.com/azure/aks/azure-ad-rbac
"#,
    references: &["seed:003", "https://learn.microsoft.com/azure/aks/azure-ad-rbac"],
    status: Status::Preview,
    target: Target::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
    pss: None,
};

/// Flags individual user subjects.
pub struct UserSubjectBinding;

impl Rule for UserSubjectBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if is_bootstrap_default(obj) {
            return Vec::new();
        }
        let role = role_ref(obj).map_or_else(|| "a role".to_string(), |rr| rr.describe(obj));
        subjects(obj)
            .iter()
            .filter(|s| s.kind == "User" && !s.name.starts_with("system:"))
            .map(|s| {
                let (pos, pointer) = s.name_field();
                Violation::new(
                    format!("binds {role} to individual {}; bind a group instead", s.describe(obj)),
                    pos,
                    pointer,
                )
            })
            .collect()
    }
}
