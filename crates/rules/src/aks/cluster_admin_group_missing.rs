//! AKS-003: Entra ID integration has no cluster-admin group.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-003.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-003",
    name: "cluster-admin-group-missing",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy", "seed"],
    summary: "Entra ID integration has no cluster-admin group.",
    remediation: "Set aadProfile.adminGroupObjectIDs (Terraform admin_group_object_ids) to an Entra group for break-glass cluster administration.",
    docs: r#"## What it does
For clusters with Entra ID integration, flags an empty or missing `aadProfile.adminGroupObjectIDs` (Terraform
`azure_active_directory_role_based_access_control.admin_group_object_ids`).

## Why is this bad?
Without an admin group, cluster administration falls back to the local admin credential (if enabled) or to ad-hoc
RoleBindings for individual users, which are hard to review and to revoke.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.aks_admin_group_id]
  }
}
```

## References
- Azure Policy 36a27de4
- seed:000, seed:002, seed:004
- https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id
"#,
    references: &[
        "Azure Policy 36a27de4",
        "seed:000, seed:002, seed:004",
        "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Entra ID integration has no cluster-admin group.
pub struct ClusterAdminGroupMissing;

impl Rule for ClusterAdminGroupMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "admin_group_object_ids",
            arm: "aadProfile.adminGroupObjectIDs",
            az: "aadProfile.adminGroupObjectIDs",
        };
        for c in clusters(index) {
            if c.aad.known() != Some(&true) {
                continue;
            }
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.admin_groups, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    c.aad.location(),
                    format!("{name} is not set: no Entra group administers the cluster"),
                ),
                Some(Read::Set(g, l)) if g.is_empty() => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is empty: no Entra group administers the cluster", written(l, name)),
                ),
                _ => {}
            }
        }
    }
}
