//! AKS-045: Kubernetes Secrets in etcd are not encrypted with a customer-managed Key Vault key (KMS).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-045.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-045",
    name: "etcd-kms-encryption-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "azure-policy", "nsa", "seed"],
    summary: "Kubernetes Secrets in etcd are not encrypted with a customer-managed Key Vault key (KMS).",
    remediation: "Enable securityProfile.azureKeyVaultKms with a Key Vault key, preferably with private network access (Terraform key_management_service { key_vault_key_id, key_vault_network_access = \"Private\" }).",
    docs: r#"## What it does
Flags clusters without `securityProfile.azureKeyVaultKms.enabled: true` (Terraform: no
`key_management_service` block). Azure's default is platform-managed encryption only.

## Why is this bad?
Without KMS, Secrets are encrypted at rest only with Microsoft-managed keys: anyone who obtains an etcd backup or
snapshot through the platform reads them, and you cannot revoke access by disabling a key.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no key_management_service block
}
```
```json
{ "properties": { "securityProfile": { "azureKeyVaultKms": { "enabled": false } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  key_management_service {
    key_vault_key_id         = azurerm_key_vault_key.etcd.id
    key_vault_network_access = "Private"
  }
}
```
```json
{ "properties": { "securityProfile": { "azureKeyVaultKms": { "enabled": true, "keyVaultNetworkAccess": "Private" } } } }
```

## References
- CIS AKS Benchmark 5.3.1
- Azure Policy dbbdc317
- NSA/CISA Kubernetes Hardening Guidance, etcd encryption (Appendix I)
- seed:000
- https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption
"#,
    references: &[
        "CIS AKS Benchmark 5.3.1",
        "Azure Policy dbbdc317",
        "NSA/CISA Kubernetes Hardening Guidance, etcd encryption (Appendix I)",
        "seed:000",
        "https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Kubernetes Secrets in etcd are not encrypted with a customer-managed Key Vault key (KMS).
pub struct EtcdKmsEncryptionDisabled;

impl Rule for EtcdKmsEncryptionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_enabled(
            index,
            out,
            Names {
                tf: "key_management_service",
                arm: "securityProfile.azureKeyVaultKms",
                az: "securityProfile.azureKeyVaultKms",
            },
            |c| &c.kms,
            "Secrets in etcd are not encrypted with a key you control",
        );
    }
}
