//! AKS-005: Kubernetes RBAC is disabled on the cluster.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-005.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-005",
    name: "kubernetes-rbac-disabled",
    family: "aks",
    severity: Severity::Critical,
    profiles: &["azure-policy", "seed"],
    summary: "Kubernetes RBAC is disabled on the cluster.",
    remediation: "Keep Kubernetes RBAC enabled (enableRBAC: true, Terraform role_based_access_control_enabled = true); it cannot be turned on after creation, so recreate the cluster.",
    docs: r#"## What it does
Flags clusters that explicitly set `enableRBAC` (az `enableRbac`; Terraform `role_based_access_control_enabled`,
azurerm 2.x `role_based_access_control { enabled }`) to false. Azure's default is true, so an absent setting passes.

## Why is this bad?
Without RBAC every authenticated identity is effectively cluster-admin: any service account token or user
can read every Secret, exec into every pod and change the cluster. RBAC cannot be enabled after creation.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  role_based_access_control_enabled = false
}
```
```json
{ "properties": { "enableRBAC": false } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  role_based_access_control_enabled = true
}
```
```json
{ "properties": { "enableRBAC": true } }
```

## References
- Azure Policy ac4a19c2
- Checkov CKV_AZURE_5
- Trivy AZU-0042
- seed:001 (#4)
- https://learn.microsoft.com/azure/aks/concepts-identity
"#,
    references: &[
        "Azure Policy ac4a19c2",
        "Checkov CKV_AZURE_5",
        "Trivy AZU-0042",
        "seed:001 (#4)",
        "https://learn.microsoft.com/azure/aks/concepts-identity",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Kubernetes RBAC is disabled on the cluster.
pub struct KubernetesRbacDisabled;

impl Rule for KubernetesRbacDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_bool(
            index,
            out,
            Names {
                tf: "role_based_access_control_enabled",
                arm: "enableRBAC",
                az: "enableRbac",
            },
            true,
            true,
            |c| &c.rbac,
            "every authenticated identity can do anything in the cluster",
        );
    }
}
