//! AKS-101: The container registry's admin user is enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-101.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-101",
    name: "acr-admin-user-enabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "The container registry's admin user is enabled.",
    remediation: "Disable the admin user (adminUserEnabled: false; Terraform admin_enabled = false) and pull with the kubelet identity (AcrPull).",
    docs: r#"## What it does
Flags `Microsoft.ContainerRegistry/registries` with `adminUserEnabled: true` (Terraform `azurerm_container_registry`
`admin_enabled = true`). The default is false.

## Why is this bad?
The admin user is a single shared username/password with push and pull rights on every repository; it cannot be
scoped, audited per person, or protected with MFA.

## Example
```hcl
resource "azurerm_container_registry" "acr" {
  sku           = "Premium"
  admin_enabled = true
}
```

## Use instead
```hcl
resource "azurerm_container_registry" "acr" {
  sku           = "Premium"
  admin_enabled = false
}
```

## References
- CIS AKS Benchmark 5.1.2
- Checkov CKV_AZURE_137
- seed:002
- https://learn.microsoft.com/azure/container-registry/container-registry-authentication
"#,
    references: &[
        "CIS AKS Benchmark 5.1.2",
        "Checkov CKV_AZURE_137",
        "seed:002",
        "https://learn.microsoft.com/azure/container-registry/container-registry-authentication",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The container registry's admin user is enabled.
pub struct AcrAdminUserEnabled;

impl Rule for AcrAdminUserEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for r in &index.aks.model().registries {
            match &r.admin_enabled {
                Setting::Set(true, l) => report(
                    out,
                    &r.origin,
                    Some(l),
                    "the registry admin user is enabled: a shared password with push rights",
                ),
                Setting::Unknown(why, l) => out.not_evaluated(
                    scope(&r.origin),
                    format!("admin user setting is not known at {}:{}: {why}", l.file, l.line),
                ),
                _ => {}
            }
        }
    }
}
