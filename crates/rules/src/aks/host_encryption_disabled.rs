//! AKS-064: Encryption at host is not enabled on a node pool (temp disks and caches are unencrypted).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-064.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-064",
    name: "host-encryption-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "Encryption at host is not enabled on a node pool (temp disks and caches are unencrypted).",
    remediation: "Set enableEncryptionAtHost: true on every pool (Terraform 4.x host_encryption_enabled, 3.x enable_host_encryption).",
    docs: r#"## What it does
Flags every node pool (cluster pools and separate node-pool resources) whose `enableEncryptionAtHost`
(Terraform 4.x `host_encryption_enabled`, 3.x `enable_host_encryption`) is false or not set (the default).

## Why is this bad?
Without it, the VM temp disk and the OS/data disk caches on the host are not encrypted, so pod data written to
emptyDir volumes or swapped pages is stored in the clear.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name                   = "system"
    enable_host_encryption = false
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name                    = "system"
    host_encryption_enabled = true
  }
}
```

## References
- Azure Policy 41425d9f
- Checkov CKV_AZURE_227
- seed:002
- https://learn.microsoft.com/azure/aks/enable-host-encryption
"#,
    references: &[
        "Azure Policy 41425d9f",
        "Checkov CKV_AZURE_227",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/enable-host-encryption",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Encryption at host is not enabled on a node pool (temp disks and caches are unencrypted).
pub struct HostEncryptionDisabled;

impl Rule for HostEncryptionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        pool_bool(
            index,
            out,
            Names {
                tf: "host_encryption_enabled",
                arm: "enableEncryptionAtHost",
                az: "enableEncryptionAtHost",
            },
            false,
            true,
            |p| &p.host_encryption,
            "temp disks and caches are not encrypted",
        );
    }
}
