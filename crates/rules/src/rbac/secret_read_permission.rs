//! RBAC-008: roles that grant reading Secrets; high when a ClusterRole is (or may be) bound cluster-wide.

use super::resolve::Lookup;
use super::util::{grants_message, is_bootstrap_default, rule_entries, ApiResource, Permission, CORE};
use palisade_core::{IndexOutput, K8sObject, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// get/list/watch on secrets.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["get", "list", "watch"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "secrets",
    }],
};

/// Metadata of RBAC-008.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-008",
    name: "secret-read-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "A Role or ClusterRole grants get, list or watch on secrets.",
    remediation: "Remove read access to secrets, or limit it with resourceNames to the Secrets the subject needs; \
                  mount Secrets into pods (or use Key Vault) instead of reading them through the API.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `get`, `list` or `watch` on `secrets` (core group;
wildcards count). Severity follows the reach of the grant across the scanned bindings:

- a ClusterRole bound by a ClusterRoleBinding, or not bound by any scanned binding (it may be bound
  cluster-wide elsewhere): **high**;
- a ClusterRole bound only by RoleBindings, or a Role: **medium** (one namespace per binding);
- an entry limited by `resourceNames` to named Secrets: **low**.

The API server's own default roles are exempt.

## Why is this bad?
Secrets hold credentials: ServiceAccount tokens, registry passwords, TLS keys, database passwords. `list` and
`watch` return every Secret with its value, not just names. Cluster-wide, that includes tokens of controllers
with far more power than the reader, so secret read is a direct path to escalation.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: developer-readonly
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "secrets"]
    verbs: ["get", "list", "watch"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: developer-readonly
rules:
  - apiGroups: [""]
    resources: ["pods", "services"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.2 (minimize access to secrets)
- NSA/CISA Kubernetes Hardening Guidance, Role-based access control
- seed:004 (Secrets are only base64-encoded in etcd; restrict who can read them), seed:000 (read-only developer role)
"#,
    references: &[
        "CIS AKS Benchmark 4.1.2",
        "NSA/CISA Kubernetes Hardening Guidance",
        "seed:004",
        "seed:000",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Flags rule entries granting Secret reads, with a severity from how the role is bound.
pub struct SecretReadPermission;

/// How a role reaches Secrets, from the scanned bindings.
fn reach(lookup: &Lookup<'_>, role: &K8sObject) -> (Severity, String) {
    if role.id.kind == "Role" {
        return (Severity::Medium, String::new());
    }
    let name = role.id.name.as_deref().unwrap_or("");
    let mut cluster_wide = Vec::new();
    let mut namespaces = Vec::new();
    for b in lookup.bindings_of_role("ClusterRole", name) {
        if b.id.kind == "ClusterRoleBinding" {
            cluster_wide.push(b.id.name.clone().unwrap_or_default());
        } else {
            let ns = b.id.namespace.clone().unwrap_or_else(|| "default".to_string());
            if !namespaces.contains(&ns) {
                namespaces.push(ns);
            }
        }
    }
    if let Some(first) = cluster_wide.first() {
        (
            Severity::High,
            format!("; ClusterRoleBinding {first} grants it in every namespace"),
        )
    } else if !namespaces.is_empty() {
        (
            Severity::Medium,
            format!("; bound only by RoleBindings in namespace(s) {}", namespaces.join(", ")),
        )
    } else {
        (
            Severity::High,
            "; no scanned binding uses this ClusterRole, and a ClusterRoleBinding would grant it in every \
             namespace"
                .to_string(),
        )
    }
}

impl Rule for SecretReadPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        for role in index
            .objects
            .iter()
            .filter(|o| o.id.kind == "Role" || o.id.kind == "ClusterRole")
        {
            if is_bootstrap_default(role) {
                continue;
            }
            let entries = rule_entries(&role.root);
            if !entries.iter().any(|e| e.grant.grants(&PERMISSION).is_some()) {
                continue;
            }
            let (severity, how) = reach(&lookup, role);
            for entry in &entries {
                let Some(m) = entry.grant.grants(&PERMISSION) else {
                    continue;
                };
                let mut message = grants_message(entry, std::slice::from_ref(&m));
                if m.verbs.iter().any(|v| v == "list" || v == "watch") {
                    message.push_str(" (list and watch return every Secret's value)");
                }
                let severity = if entry.grant.resource_names.is_empty() {
                    message.push_str(&how);
                    severity
                } else {
                    message.push_str(&format!(
                        "; limited to resourceNames {}",
                        entry.grant.resource_names.join(", ")
                    ));
                    Severity::Low
                };
                let (pos, pointer) = entry.field("verbs");
                out.violation(role, pos, &pointer, message);
                if severity != META.severity {
                    out.with_severity(severity);
                }
            }
        }
    }
}
