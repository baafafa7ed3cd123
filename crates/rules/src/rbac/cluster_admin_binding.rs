//! RBAC-002: cluster-admin (or a role that grants as much) bound to a subject other than the system's own.

use super::resolve::{Lookup, Resolution};
use super::util::{binding_label, is_bootstrap_default, is_broad_group, role_ref, subjects, Grant, Subject};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of RBAC-002.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-002",
    name: "cluster-admin-binding",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "A binding grants cluster-admin, or a role equivalent to it, to a non-system subject.",
    remediation: "Bind a narrower role (admin or edit in one namespace, or a custom role) instead of cluster-admin; \
                  keep cluster-admin for break-glass access through an Entra ID group.",
    docs: r#"## What it does
Reports each subject of a RoleBinding or ClusterRoleBinding whose role is the built-in ClusterRole
`cluster-admin` (known even when not scanned) or a scanned ClusterRole with a rule granting `*` verbs on `*`
resources in `*` API groups (the same power; a namespaced Role with such a rule is reported by RBAC-001). Kubernetes' own identities are not reported: the group
`system:masters` and other `system:` users and groups, except the broad groups `system:authenticated`,
`system:unauthenticated`, `system:serviceaccounts[:<namespace>]` and the user `system:anonymous`. A ServiceAccount
or a broad group as subject is critical. The API server's own bindings are exempt. When the role is neither
scanned nor built in, the binding is listed as not evaluated.

## Why is this bad?
cluster-admin can do anything, in every namespace, including granting itself more and reading every Secret.
Bound to a ServiceAccount, whoever compromises one pod using it owns the cluster; bound for debugging, it tends
to stay. A RoleBinding to cluster-admin is namespace-scoped but still makes the subject owner of the namespace
(secrets, RBAC, workloads).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.1 (cluster-admin role is only used where required)
- Azure Policy a3dc4946 (cluster-admin role only used where required)
- seed:001 (#4 refrain from granting cluster administrator privileges, even when debugging)
"#,
    references: &["CIS AKS Benchmark 4.1.1", "Azure Policy a3dc4946", "seed:001"],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Flags bindings of cluster-admin (or an equivalent role) to non-system subjects.
pub struct ClusterAdminBinding;

/// Kubernetes' own identities, which cluster-admin bindings may name.
fn is_system_identity(s: &Subject<'_>) -> bool {
    match s.kind {
        "Group" => s.name == "system:masters" || (s.name.starts_with("system:") && !is_broad_group(s.name)),
        "User" => s.name.starts_with("system:") && s.name != "system:anonymous",
        _ => false,
    }
}

/// Subjects for whom a cluster-admin binding is critical: workloads' identities and broad groups.
fn is_critical_subject(s: &Subject<'_>) -> bool {
    match s.kind {
        "ServiceAccount" => true,
        "Group" => is_broad_group(s.name),
        "User" => s.name == "system:anonymous",
        _ => false,
    }
}

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        for &b in lookup.bindings() {
            if is_bootstrap_default(b) {
                continue;
            }
            let Some(rr) = role_ref(b) else { continue };
            let equivalent = if rr.is_cluster_role("cluster-admin") {
                ""
            } else if rr.kind != "ClusterRole" {
                // A namespaced Role with wildcards is at most namespace admin: RBAC-001 reports it.
                continue;
            } else {
                match lookup.resolve(b, &rr) {
                    Resolution::Found(grants) if grants.iter().any(Grant::is_unrestricted) => {
                        "; the role grants every verb on every resource, like cluster-admin"
                    }
                    Resolution::Found(_) => continue,
                    Resolution::Missing(reason) => {
                        if subjects(b).iter().any(|s| !is_system_identity(s)) {
                            out.not_evaluated(binding_label(b), reason);
                        }
                        continue;
                    }
                }
            };
            let role = rr.describe(b);
            let scope = if b.id.kind == "ClusterRoleBinding" {
                "in every namespace".to_string()
            } else {
                format!("in namespace {}", b.id.namespace.as_deref().unwrap_or("default"))
            };
            for s in subjects(b).iter().filter(|s| !is_system_identity(s)) {
                let (pos, pointer) = s.name_field();
                out.violation(
                    b,
                    pos,
                    &pointer,
                    format!("binds {role} to {} {scope}{equivalent}", s.describe(b)),
                );
                if is_critical_subject(s) {
                    out.with_severity(Severity::Critical);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Node, Pos, Value};

    fn subject<'a>(node: &'a Node, kind: &'a str, name: &'a str) -> Subject<'a> {
        Subject {
            index: 0,
            node,
            kind,
            name,
            namespace: None,
        }
    }

    #[test]
    fn system_identities_and_critical_subjects() {
        let n = Node::new(Pos::new(1, 1), Value::Null);
        let masters = subject(&n, "Group", "system:masters");
        assert!(is_system_identity(&masters) && !is_critical_subject(&masters));
        let nodes = subject(&n, "Group", "system:nodes");
        assert!(is_system_identity(&nodes));
        let kcm = subject(&n, "User", "system:kube-controller-manager");
        assert!(is_system_identity(&kcm));
        for (kind, name) in [
            ("Group", "system:authenticated"),
            ("Group", "system:serviceaccounts:shop"),
            ("User", "system:anonymous"),
            ("ServiceAccount", "ci"),
        ] {
            let s = subject(&n, kind, name);
            assert!(!is_system_identity(&s) && is_critical_subject(&s), "{kind} {name}");
        }
        let user = subject(&n, "User", "alice@example.com");
        assert!(!is_system_identity(&user) && !is_critical_subject(&user));
    }
}
