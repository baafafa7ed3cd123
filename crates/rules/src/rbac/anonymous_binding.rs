//! RBAC-003: bindings that grant a role to anonymous or unauthenticated requests.

use super::util::{role_ref, subjects};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-003.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-003",
    name: "anonymous-binding",
    family: "rbac",
    severity: Severity::Critical,
    profiles: &["nsa"],
    summary: "A RoleBinding or ClusterRoleBinding grants a role to system:anonymous or system:unauthenticated.",
    remediation: "Remove the system:anonymous and system:unauthenticated subjects from the binding; bind the role \
                  to the authenticated groups that need it.",
    docs: r#"## What it does
Reports each subject `User system:anonymous` or `Group system:unauthenticated` of a RoleBinding or
ClusterRoleBinding. Bindings of the built-in ClusterRole `system:public-info-viewer` (health and version
endpoints) are allowed: the API server creates that binding itself.

## Why is this bad?
Requests without credentials are `system:anonymous` in group `system:unauthenticated`. Anything bound to them is
available to anyone who can reach the API server (on AKS without authorized IP ranges or a private cluster:
the Internet), with no identity in the audit log.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: public-read
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:unauthenticated
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: 5f1c2d9e-0000-4000-8000-000000000001
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Authentication (disable anonymous access)
- CIS Kubernetes Benchmark (anonymous requests)
- Kubernetes anonymous requests: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
    pss: None,
};

/// Flags anonymous and unauthenticated subjects.
pub struct AnonymousBinding;

impl Rule for AnonymousBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(rr) = role_ref(obj) else {
            return Vec::new();
        };
        if rr.is_cluster_role("system:public-info-viewer") {
            return Vec::new();
        }
        subjects(obj)
            .iter()
            .filter(|s| {
                (s.kind == "User" && s.name == "system:anonymous")
                    || (s.kind == "Group" && s.name == "system:unauthenticated")
            })
            .map(|s| {
                let (pos, pointer) = s.name_field();
                Violation::new(
                    format!(
                        "binds {} to {}: every request without credentials gets its permissions",
                        rr.describe(obj),
                        s.describe(obj)
                    ),
                    pos,
                    pointer,
                )
            })
            .collect()
    }
}
