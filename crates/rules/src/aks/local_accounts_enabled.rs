//! AKS-004: Local Kubernetes accounts (the static cluster-admin credential) are enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-004.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-004",
    name: "local-accounts-enabled",
    family: "aks",
    severity: Severity::High,
    profiles: &["azure-policy", "seed"],
    summary: "Local Kubernetes accounts (the static cluster-admin credential) are enabled.",
    remediation: "Set disableLocalAccounts: true (Terraform local_account_disabled = true) once Entra ID integration is in place.",
    docs: r#"## What it does
Flags clusters where `disableLocalAccounts` (az `disableLocalAccounts`, Terraform `local_account_disabled`) is
false or not set. Azure's default is false: local accounts are enabled.

## Why is this bad?
With local accounts, `az aks get-credentials --admin` returns a static client certificate with cluster-admin
rights that bypasses Entra ID, MFA, conditional access and Azure RBAC, and cannot be revoked without rotating the
cluster certificates.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  local_account_disabled = false
}
```
```json
{ "properties": { "disableLocalAccounts": false } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  local_account_disabled = true
}
```
```json
{ "properties": { "disableLocalAccounts": true } }
```

## References
- Azure Policy 993c2fcd
- Checkov CKV_AZURE_141
- seed:002, seed:001 (#6)
- https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad
"#,
    references: &[
        "Azure Policy 993c2fcd",
        "Checkov CKV_AZURE_141",
        "seed:002, seed:001 (#6)",
        "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Local Kubernetes accounts (the static cluster-admin credential) are enabled.
pub struct LocalAccountsEnabled;

impl Rule for LocalAccountsEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_bool(
            index,
            out,
            Names {
                tf: "local_account_disabled",
                arm: "disableLocalAccounts",
                az: "disableLocalAccounts",
            },
            false,
            true,
            |c| &c.local_accounts_disabled,
            "the static cluster-admin credential bypasses Entra ID",
        );
    }
}
