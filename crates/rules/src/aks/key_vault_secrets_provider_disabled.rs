//! AKS-043: The Key Vault Secrets Store CSI driver add-on is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-043.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-043",
    name: "key-vault-secrets-provider-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "The Key Vault Secrets Store CSI driver add-on is not enabled.",
    remediation: "Enable the azureKeyvaultSecretsProvider add-on (Terraform key_vault_secrets_provider { secret_rotation_enabled = true }) and mount secrets from Key Vault.",
    docs: r#"## What it does
Flags clusters where `addonProfiles.azureKeyvaultSecretsProvider.enabled` is false or not set (Terraform: no
`key_vault_secrets_provider` block; azurerm 2.x `addon_profile.azure_keyvault_secrets_provider`).

## Why is this bad?
Without an external secret store, application secrets live as Kubernetes Secrets: base64 in etcd, in every
backup, readable by anyone with `get secrets` in the namespace, and usually committed somewhere as manifests.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no key_vault_secrets_provider block
}
```
```json
{ "properties": { "addonProfiles": { "azureKeyvaultSecretsProvider": { "enabled": false } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }
}
```
```json
{ "properties": { "addonProfiles": { "azureKeyvaultSecretsProvider": { "enabled": true, "config": { "enableSecretRotation": "true" } } } } }
```

## References
- CIS AKS Benchmark 4.5.2
- seed:000, seed:002, seed:003, seed:004
- https://learn.microsoft.com/azure/aks/csi-secrets-store-driver
"#,
    references: &[
        "CIS AKS Benchmark 4.5.2",
        "seed:000, seed:002, seed:003, seed:004",
        "https://learn.microsoft.com/azure/aks/csi-secrets-store-driver",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The Key Vault Secrets Store CSI driver add-on is not enabled.
pub struct KeyVaultSecretsProviderDisabled;

impl Rule for KeyVaultSecretsProviderDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_enabled(
            index,
            out,
            Names {
                tf: "key_vault_secrets_provider",
                arm: "addonProfiles.azureKeyvaultSecretsProvider",
                az: "addonProfiles.azureKeyvaultSecretsProvider",
            },
            |c| &c.kv_secrets_provider.enabled,
            "secrets cannot be mounted from Key Vault",
        );
    }
}
