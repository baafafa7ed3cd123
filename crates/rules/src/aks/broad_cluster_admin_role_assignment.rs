//! AKS-104: An Azure role assignment grants AKS cluster-admin rights on the whole cluster (or wider).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-104.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-104",
    name: "broad-cluster-admin-role-assignment",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "An Azure role assignment grants AKS cluster-admin rights on the whole cluster (or wider).",
    remediation: "Assign Azure Kubernetes Service RBAC Admin/Writer/Reader at namespace scope (<cluster id>/namespaces/<ns>) to groups; keep cluster-admin for a break-glass group.",
    docs: r#"## What it does
Flags role assignments of `Azure Kubernetes Service RBAC Cluster Admin` or `Azure Kubernetes Service Cluster Admin
Role` (by name or built-in role ID) whose scope is not a namespace (`.../namespaces/<ns>`), and notes when the
principal is a single user.

## Why is this bad?
Cluster-admin at cluster, resource group or subscription scope gives every secret and workload of every namespace
to the principal; assignments to individual users are rarely reviewed.

## Example
```hcl
resource "azurerm_role_assignment" "dev" {
  scope                = azurerm_kubernetes_cluster.main.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = var.developer_object_id
  principal_type       = "User"
}
```

## Use instead
```hcl
resource "azurerm_role_assignment" "dev" {
  scope                = "${azurerm_kubernetes_cluster.main.id}/namespaces/shop"
  role_definition_name = "Azure Kubernetes Service RBAC Writer"
  principal_id         = var.shop_team_group_id
  principal_type       = "Group"
}
```

## References
- Kubescape C-0251
- seed:002, seed:003
- https://learn.microsoft.com/azure/aks/manage-azure-rbac
"#,
    references: &[
        "Kubescape C-0251",
        "seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/manage-azure-rbac",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// An Azure role assignment grants AKS cluster-admin rights on the whole cluster (or wider).
pub struct BroadClusterAdminRoleAssignment;

impl Rule for BroadClusterAdminRoleAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        const ADMIN: [&str; 2] = [
            "azure kubernetes service rbac cluster admin",
            "azure kubernetes service cluster admin role",
        ];
        for a in &index.aks.model().role_assignments {
            let Some(role) = a.role.known() else { continue };
            if !ADMIN.contains(&role.to_ascii_lowercase().as_str()) {
                continue;
            }
            if let Setting::Unknown(why, l) = &a.scope {
                out.not_evaluated(
                    scope(&a.origin),
                    format!("the scope is not known at {}:{}: {why}", l.file, l.line),
                );
                continue;
            }
            let s = a.scope.known().cloned().unwrap_or_default();
            if s.contains("/namespaces/") || s.contains("namespaces.") {
                continue;
            }
            let user = a.principal_type.known().is_some_and(|t| t.eq_ignore_ascii_case("User"));
            let who = if user { " to a single user" } else { "" };
            report(
                out,
                &a.origin,
                a.role.location(),
                format!("{role} is assigned{who} at cluster scope or wider: prefer namespace-scoped roles"),
            );
        }
    }
}
