//! AKS-002: Azure RBAC for Kubernetes authorization is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-002.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-002",
    name: "azure-rbac-authorization-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "Azure RBAC for Kubernetes authorization is not enabled.",
    remediation: "Set aadProfile.enableAzureRBAC: true (Terraform azure_active_directory_role_based_access_control { azure_rbac_enabled = true }) and grant access with AKS RBAC role assignments.",
    docs: r#"## What it does
For clusters with Entra ID integration, flags `aadProfile.enableAzureRBAC` (az `enableAzureRbac`, Terraform
`azure_rbac_enabled`) false or not set (Azure's default is false). Clusters without Entra ID are reported by AKS-001.
Kubernetes RBAC stays enabled either way (AKS-005); Azure RBAC is an additional authorizer.

## Why is this bad?
Without Azure RBAC every grant lives in in-cluster RoleBindings that Azure governance (PIM, access reviews, policy)
cannot see; access to many clusters has to be managed cluster by cluster.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = false
  }
}
```
```json
{ "properties": { "aadProfile": { "managed": true, "enableAzureRBAC": false } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
}
```

## References
- CIS AKS Benchmark 5.5.2
- seed:002
- https://learn.microsoft.com/azure/aks/manage-azure-rbac
"#,
    references: &[
        "CIS AKS Benchmark 5.5.2",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/manage-azure-rbac",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Azure RBAC for Kubernetes authorization is not enabled.
pub struct AzureRbacAuthorizationDisabled;

impl Rule for AzureRbacAuthorizationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "azure_active_directory_role_based_access_control.azure_rbac_enabled",
            arm: "aadProfile.enableAzureRBAC",
            az: "aadProfile.enableAzureRbac",
        };
        for c in clusters(index) {
            if c.aad.known() != Some(&true) {
                continue;
            }
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.azure_rbac, Some(&false)) {
                Some(Read::Set(false, l)) => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is false: authorization is only in-cluster RBAC", written(l, name)),
                ),
                Some(Read::Default(_)) => report(
                    out,
                    &c.origin,
                    c.aad.location(),
                    format!("{name} is not set (Azure's default is false): authorization is only in-cluster RBAC"),
                ),
                _ => {}
            }
        }
    }
}
