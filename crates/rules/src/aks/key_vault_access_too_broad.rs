//! AKS-105: A Key Vault grants the cluster's identities more than reading secrets, or has no purge protection.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-105.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-105",
    name: "key-vault-access-too-broad",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "A Key Vault grants the cluster's identities more than reading secrets, or has no purge protection.",
    remediation: "Give the Secrets Provider / kubelet identity only secret Get and List (or the Key Vault Secrets User role) and enable purge protection.",
    docs: r#"## What it does
Flags Key Vault access policies (inline `access_policy` blocks, `azurerm_key_vault_access_policy`,
`accessPolicies[]`) for a scanned cluster's Key Vault Secrets Provider or kubelet identity that grant secret
permissions beyond Get/List or any key or certificate permission, and Key Vaults without purge protection
(`purge_protection_enabled`, `enablePurgeProtection`; default false).

## Why is this bad?
Identities used by pods can be borrowed by any pod on the node; with Set/Delete/Purge they can overwrite or
destroy secrets, and without purge protection a deleted vault is gone for good.

## Example
```hcl
resource "azurerm_key_vault_access_policy" "aks" {
  key_vault_id       = azurerm_key_vault.main.id
  object_id          = azurerm_kubernetes_cluster.main.key_vault_secrets_provider[0].secret_identity[0].object_id
  secret_permissions = ["Get", "List", "Set", "Delete"]
}
```

## Use instead
```hcl
resource "azurerm_key_vault_access_policy" "aks" {
  key_vault_id       = azurerm_key_vault.main.id
  object_id          = azurerm_kubernetes_cluster.main.key_vault_secrets_provider[0].secret_identity[0].object_id
  secret_permissions = ["Get", "List"]
}
```

## References
- seed:002
- https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access
"#,
    references: &[
        "seed:002",
        "https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A Key Vault grants the cluster's identities more than reading secrets, or has no purge protection.
pub struct KeyVaultAccessTooBroad;

impl Rule for KeyVaultAccessTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let m = index.aks.model();
        let ids: Vec<&String> = m
            .clusters
            .iter()
            .flat_map(|c| c.kv_identity_keys.iter().chain(c.kubelet_principal_keys.iter()))
            .collect();
        for p in &m.access_policies {
            let Some(principal) = p.principal.known() else { continue };
            if !ids.contains(&principal) {
                continue;
            }
            let mut extra: Vec<String> = Vec::new();
            if let Some(s) = p.secrets.known() {
                extra.extend(
                    s.iter()
                        .filter(|x| !matches!(x.as_str(), "get" | "list"))
                        .map(|x| format!("secret {x}")),
                );
            }
            for (what, s) in [("key", &p.keys), ("certificate", &p.certificates)] {
                if let Some(s) = s.known() {
                    extra.extend(s.iter().map(|x| format!("{what} {x}")));
                }
            }
            if !extra.is_empty() {
                out.violation_at(
                    p.object.clone(),
                    p.at.clone(),
                    format!(
                        "the cluster identity is granted {} on a Key Vault; it only needs secret get and list",
                        list_some(&extra)
                    ),
                );
            }
        }
        for v in &m.key_vaults {
            match &v.purge_protection {
                Setting::Absent => report(out, &v.origin, None, "purge protection is not enabled (default false)"),
                Setting::Set(false, l) => report(out, &v.origin, Some(l), "purge protection is disabled"),
                _ => {}
            }
        }
    }
}
