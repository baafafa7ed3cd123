//! RBAC-005: bindings whose subject is the `system:masters` group.

use super::util::{is_bootstrap_default, role_ref, subjects};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-005.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-005",
    name: "system-masters-binding",
    family: "rbac",
    severity: Severity::Critical,
    profiles: &[],
    summary: "A RoleBinding or ClusterRoleBinding names the system:masters group as a subject.",
    remediation: "Remove the system:masters subject and bind roles to ordinary groups from Entra ID; never issue \
                  credentials in the system:masters group.",
    docs: r#"## What it does
Reports each subject `Group system:masters` of a RoleBinding or ClusterRoleBinding. The API server's own
`cluster-admin` binding (label `kubernetes.io/bootstrapping: rbac-defaults`) is exempt.

## Why is this bad?
Members of `system:masters` bypass RBAC authorization altogether, and membership comes from client certificates
that cannot be revoked before they expire. A user binding that references the group shows that such
credentials are being handed out or planned for, and the binding itself is meaningless: RBAC is never consulted
for this group.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-admins
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:masters
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-admins
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: admin
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: 5f1c2d9e-0000-4000-8000-000000000002
```

## References
- CIS Kubernetes Benchmark (avoid use of the system:masters group)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS Kubernetes Benchmark (system:masters)",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
    pss: None,
};

/// Flags `system:masters` subjects.
pub struct SystemMastersBinding;

impl Rule for SystemMastersBinding {
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
            .filter(|s| s.kind == "Group" && s.name == "system:masters")
            .map(|s| {
                let (pos, pointer) = s.name_field();
                Violation::new(
                    format!("binds {role} to Group \"system:masters\", whose members bypass RBAC entirely"),
                    pos,
                    pointer,
                )
            })
            .collect()
    }
}
