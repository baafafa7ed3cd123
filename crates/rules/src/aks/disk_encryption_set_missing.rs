//! AKS-065: Node OS and data disks are not encrypted with a customer-managed key (no disk encryption set).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-065.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-065",
    name: "disk-encryption-set-missing",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "Node OS and data disks are not encrypted with a customer-managed key (no disk encryption set).",
    remediation: "Set diskEncryptionSetID (Terraform disk_encryption_set_id) to a disk encryption set backed by your Key Vault key.",
    docs: r#"## What it does
Flags clusters without `diskEncryptionSetID` (az `diskEncryptionSetId`; Terraform `disk_encryption_set_id`).

## Why is this bad?
With platform-managed keys only, you cannot revoke access to node disks or prove key custody for compliance.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no disk_encryption_set_id
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  disk_encryption_set_id = azurerm_disk_encryption_set.aks.id
}
```

## References
- Azure Policy 7d7be79c
- Checkov CKV_AZURE_117
- Trivy AZU-0067
- https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys
"#,
    references: &[
        "Azure Policy 7d7be79c",
        "Checkov CKV_AZURE_117",
        "Trivy AZU-0067",
        "https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Node OS and data disks are not encrypted with a customer-managed key (no disk encryption set).
pub struct DiskEncryptionSetMissing;

impl Rule for DiskEncryptionSetMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "disk_encryption_set_id",
                arm: "diskEncryptionSetID",
                az: "diskEncryptionSetId",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.disk_encryption_set, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set: node disks use platform-managed keys"),
                ),
                Some(Read::Set(v, l)) if v.trim().is_empty() => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is empty: node disks use platform-managed keys", written(l, name)),
                ),
                _ => {}
            }
        }
    }
}
