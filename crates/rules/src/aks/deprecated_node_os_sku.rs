//! AKS-068: A node pool uses a retired or deprecated OS SKU.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-068.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-068",
    name: "deprecated-node-os-sku",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A node pool uses a retired or deprecated OS SKU.",
    remediation: "Move the pool to osSKU AzureLinux (Azure Linux 3) or Ubuntu, or Windows2022/2025.",
    docs: r#"## What it does
Reports node pools whose `osSKU` (Terraform `os_sku`) is `CBLMariner`/`Mariner` (Azure Linux 2.0, retired) or
`Windows2019`.

## Why is this bad?
Retired images stop receiving security updates; the node OS then accumulates kernel and package CVEs.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name   = "system"
    os_sku = "CBLMariner"
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name   = "system"
    os_sku = "AzureLinux"
  }
}
```

## References
- seed:002
- https://learn.microsoft.com/azure/aks/upgrade-os-version
"#,
    references: &["seed:002", "https://learn.microsoft.com/azure/aks/upgrade-os-version"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A node pool uses a retired or deprecated OS SKU.
pub struct DeprecatedNodeOsSku;

impl Rule for DeprecatedNodeOsSku {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            if let Setting::Set(v, l) = &p.os_sku {
                if matches!(
                    v.to_ascii_lowercase().as_str(),
                    "cblmariner" | "mariner" | "windows2019"
                ) {
                    report_pool(
                        out,
                        p,
                        Some(l),
                        format!("node pool {} uses the retired OS SKU {v}", p.name),
                    );
                }
            }
        }
    }
}
