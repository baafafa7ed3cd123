//! AKS-044: The Key Vault Secrets Provider add-on does not rotate secrets.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-044.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-044",
    name: "secret-rotation-disabled",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "The Key Vault Secrets Provider add-on does not rotate secrets.",
    remediation: "Enable secret rotation (config.enableSecretRotation: \"true\"; Terraform key_vault_secrets_provider { secret_rotation_enabled = true }).",
    docs: r#"## What it does
For clusters with the Key Vault Secrets Provider add-on, flags `config.enableSecretRotation` not `"true"`
(Terraform `secret_rotation_enabled`), absent included (the default is false). The poll interval defaults to 2m.

## Why is this bad?
Without rotation, pods keep the secret value from the time they started: rotating a leaked secret in Key Vault
does not reach running workloads.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  key_vault_secrets_provider {
    secret_rotation_enabled = false
  }
}
```
```json
{ "properties": { "addonProfiles": { "azureKeyvaultSecretsProvider": { "enabled": true, "config": { "enableSecretRotation": "false" } } } } }
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

## References
- Checkov CKV_AZURE_172
- seed:002, seed:003
- https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options
"#,
    references: &[
        "Checkov CKV_AZURE_172",
        "seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The Key Vault Secrets Provider add-on does not rotate secrets.
pub struct SecretRotationDisabled;

impl Rule for SecretRotationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            if c.kv_secrets_provider.enabled.known() != Some(&true) {
                continue;
            }
            let name = Names {
                tf: "key_vault_secrets_provider.secret_rotation_enabled",
                arm: "addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation",
                az: "addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.kv_secrets_provider.rotation, Some(&false)) {
                Some(Read::Set(false, l)) => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!(
                        "{} is false: rotated secrets do not reach running pods",
                        written(l, name)
                    ),
                ),
                Some(Read::Default(_)) => report(
                    out,
                    &c.origin,
                    c.kv_secrets_provider.enabled.location(),
                    format!("{name} is not set (default false): rotated secrets do not reach running pods"),
                ),
                _ => {}
            }
        }
    }
}
