//! AKS-046: Image Cleaner (removal of unused, vulnerable images from nodes) is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-046.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-046",
    name: "image-cleaner-disabled",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "Image Cleaner (removal of unused, vulnerable images from nodes) is not enabled.",
    remediation: "Enable securityProfile.imageCleaner (Terraform image_cleaner_enabled = true, image_cleaner_interval_hours = 48).",
    docs: r#"## What it does
Flags clusters without `securityProfile.imageCleaner.enabled: true` (Terraform `image_cleaner_enabled`).

## Why is this bad?
Unused images with known vulnerabilities stay on nodes and can be started by anyone able to create pods, and
they keep vulnerability scanners reporting.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  image_cleaner_enabled = false
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  image_cleaner_enabled        = true
  image_cleaner_interval_hours = 48
}
```

## References
- Azure Policy af3c26b2, 7e49285c
- https://learn.microsoft.com/azure/aks/image-cleaner
"#,
    references: &[
        "Azure Policy af3c26b2, 7e49285c",
        "https://learn.microsoft.com/azure/aks/image-cleaner",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Image Cleaner (removal of unused, vulnerable images from nodes) is not enabled.
pub struct ImageCleanerDisabled;

impl Rule for ImageCleanerDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_enabled(
            index,
            out,
            Names {
                tf: "image_cleaner_enabled",
                arm: "securityProfile.imageCleaner",
                az: "securityProfile.imageCleaner",
            },
            |c| &c.image_cleaner,
            "unused vulnerable images stay on the nodes",
        );
    }
}
