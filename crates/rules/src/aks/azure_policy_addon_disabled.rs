//! AKS-041: The Azure Policy add-on (managed Gatekeeper) is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-041.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-041",
    name: "azure-policy-addon-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "The Azure Policy add-on (managed Gatekeeper) is not enabled.",
    remediation: "Enable the azurepolicy add-on (Terraform azure_policy_enabled = true) and assign the Pod Security baseline or restricted initiative.",
    docs: r#"## What it does
Flags clusters where `addonProfiles.azurepolicy.enabled` (Terraform `azure_policy_enabled`, azurerm 2.x
`addon_profile.azure_policy.enabled`) is false or not set. Add-on keys are matched case-insensitively
(`azurepolicy`, `azurePolicy`).

## Why is this bad?
Without the add-on, Azure Policy cannot audit or deny workloads inside the cluster: privileged pods, host
namespaces and unapproved registries are admitted no matter what policies are assigned.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_policy_enabled = false
}
```
```json
{ "properties": { "addonProfiles": { "azurepolicy": { "enabled": false } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_policy_enabled = true
}
```
```json
{ "properties": { "addonProfiles": { "azurepolicy": { "enabled": true } } } }
```

## References
- Azure Policy 0a15ec92
- Checkov CKV_AZURE_116
- Trivy AZU-0066
- seed:000, seed:001, seed:002, seed:004
- https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes
"#,
    references: &[
        "Azure Policy 0a15ec92",
        "Checkov CKV_AZURE_116",
        "Trivy AZU-0066",
        "seed:000, seed:001, seed:002, seed:004",
        "https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The Azure Policy add-on (managed Gatekeeper) is not enabled.
pub struct AzurePolicyAddonDisabled;

impl Rule for AzurePolicyAddonDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_enabled(
            index,
            out,
            Names {
                tf: "azure_policy_enabled",
                arm: "addonProfiles.azurepolicy",
                az: "addonProfiles.azurepolicy",
            },
            |c| &c.azure_policy.enabled,
            "Azure Policy cannot audit or deny workloads in the cluster",
        );
    }
}
