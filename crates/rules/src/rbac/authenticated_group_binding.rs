//! RBAC-004: bindings that grant a role to every authenticated identity (`system:authenticated`).

use super::resolve::{Lookup, Resolution};
use super::takeover::takeover_permissions;
use super::util::{role_ref, subjects};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Built-in ClusterRoles the API server itself grants to `system:authenticated`.
const ALLOWED: &[&str] = &["system:discovery", "system:basic-user", "system:public-info-viewer"];

/// Metadata of RBAC-004.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-004",
    name: "authenticated-group-binding",
    family: "rbac",
    severity: Severity::High,
    profiles: &["nsa"],
    summary: "A binding grants a role to the system:authenticated group.",
    remediation: "Bind the role to the Entra ID groups that need it instead of system:authenticated.",
    docs: r#"## What it does
Reports each subject `Group system:authenticated` of a RoleBinding or ClusterRoleBinding whose role is not one of
the built-in ClusterRoles `system:discovery`, `system:basic-user` or `system:public-info-viewer`. The finding is
critical when the role (resolved across the scan, or a known built-in such as `edit`) grants a takeover
permission: wildcards, cluster-admin power, RBAC escalation, impersonation, nodes/proxy, Secret read or pod
creation. When the role was not scanned the finding stays high and says so.

## Why is this bad?
`system:authenticated` is every identity the API server accepts: on AKS with Entra ID, every user and guest of
the tenant who can reach the API server, plus every ServiceAccount of every namespace. A grant to it is a grant
to everyone.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:authenticated
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: developers-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: 5f1c2d9e-0000-4000-8000-000000000004
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Authentication and authorization
- AKS with Entra ID: system:authenticated includes every tenant user (https://learn.microsoft.com/azure/aks/concepts-identity)
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance",
        "https://learn.microsoft.com/azure/aks/concepts-identity",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Flags grants to `system:authenticated`.
pub struct AuthenticatedGroupBinding;

impl Rule for AuthenticatedGroupBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        for &b in lookup.bindings() {
            let Some(rr) = role_ref(b) else { continue };
            if ALLOWED.iter().any(|a| rr.is_cluster_role(a)) {
                continue;
            }
            let subs = subjects(b);
            let Some(s) = subs
                .iter()
                .find(|s| s.kind == "Group" && s.name == "system:authenticated")
            else {
                continue;
            };
            let (suffix, critical) = match lookup.resolve(b, &rr) {
                Resolution::Found(grants) => match takeover_permissions(&grants).first() {
                    Some(t) => (format!("; the role grants {}", t.description), true),
                    None => (String::new(), false),
                },
                Resolution::Missing(reason) => (format!(" ({reason}; what it grants was not checked)"), false),
            };
            let (pos, pointer) = s.name_field();
            out.violation(
                b,
                pos,
                &pointer,
                format!(
                    "binds {} to Group \"system:authenticated\" (every authenticated user and ServiceAccount; on \
                     AKS with Entra ID every tenant user){suffix}",
                    rr.describe(b)
                ),
            );
            if critical {
                out.with_severity(Severity::Critical);
            }
        }
    }
}
