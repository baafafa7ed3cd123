//! AKS-071: A node pool uses neither an ephemeral OS disk nor a FIPS image.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-071.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-071",
    name: "node-hardening-options-off",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A node pool uses neither an ephemeral OS disk nor a FIPS image.",
    remediation: "Consider osDiskType Ephemeral (Terraform os_disk_type = \"Ephemeral\"), enableFIPS where required, and Trusted Launch (secure boot, vTPM).",
    docs: r#"## What it does
Reports node pools whose OS disk is not `Ephemeral` (absent means Managed) and whose `enableFIPS` (Terraform
`fips_enabled`) is not true, listing Trusted Launch options explicitly turned off. Advisory.

## Why is this bad?
Managed OS disks keep node state across reimages; non-FIPS images fail FIPS 140 requirements; without secure boot
and vTPM, boot-level malware is not detected.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name = "system"
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name         = "system"
    os_disk_type = "Ephemeral"
    fips_enabled = true
  }
}
```

## References
- Checkov CKV_AZURE_226
- seed:002
- https://learn.microsoft.com/azure/aks/use-trusted-launch
"#,
    references: &[
        "Checkov CKV_AZURE_226",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/use-trusted-launch",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A node pool uses neither an ephemeral OS disk nor a FIPS image.
pub struct NodeHardeningOptionsOff;

impl Rule for NodeHardeningOptionsOff {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            let ephemeral = p.os_disk_type.lower().as_deref() == Some("ephemeral");
            let fips = p.fips.known() == Some(&true);
            if ephemeral || fips || p.os_disk_type.unknown_reason().is_some() || p.fips.unknown_reason().is_some() {
                continue;
            }
            let mut off = vec!["OS disk is not ephemeral".to_string(), "FIPS image is off".to_string()];
            if p.secure_boot.known() == Some(&false) {
                off.push("secure boot is off".into());
            }
            if p.vtpm.known() == Some(&false) {
                off.push("vTPM is off".into());
            }
            let at = p.os_disk_type.location().or(p.fips.location());
            report_pool(out, p, at, format!("node pool {}: {}", p.name, off.join(", ")));
        }
    }
}
