//! RBAC-017: bindings that grant a role to a namespace's `default` ServiceAccount.

use super::util::{is_bootstrap_default, role_ref, subjects};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-017.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-017",
    name: "default-service-account-bound",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &["cis-aks"],
    summary: "A RoleBinding or ClusterRoleBinding grants a role to a default ServiceAccount.",
    remediation: "Create a dedicated ServiceAccount for the workload that needs the role, bind the role to it, and \
                  set serviceAccountName in that workload.",
    docs: r#"## What it does
Reports each subject `kind: ServiceAccount, name: default` of a RoleBinding or ClusterRoleBinding (the API
server's own bindings are exempt).

## Why is this bad?
Every pod that does not set `serviceAccountName` runs as its namespace's `default` ServiceAccount. Permissions
granted to it go to every such pod, including ones deployed later for unrelated purposes, and cannot be traced
to the workload that needed them.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-config-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: default
    namespace: shop
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-config-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: checkout
    namespace: shop
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.5 (default service accounts are not actively used), 5.2.1
- seed:003 (separate service accounts per application)
"#,
    references: &["CIS AKS Benchmark 4.1.5", "CIS AKS Benchmark 5.2.1", "seed:003"],
    status: Status::Preview,
    target: Target::Kinds(&["RoleBinding", "ClusterRoleBinding"]),
    pss: None,
};

/// Flags `default` ServiceAccount subjects.
pub struct DefaultServiceAccountBound;

impl Rule for DefaultServiceAccountBound {
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
            .filter(|s| s.kind == "ServiceAccount" && s.name == "default")
            .map(|s| {
                let (pos, pointer) = s.name_field();
                Violation::new(
                    format!(
                        "binds {role} to {}, which every pod of the namespace without serviceAccountName runs as",
                        s.describe(obj)
                    ),
                    pos,
                    pointer,
                )
            })
            .collect()
    }
}
