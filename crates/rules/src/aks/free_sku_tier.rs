//! AKS-069: The cluster runs on the Free tier (no uptime SLA for the API server).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-069.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-069",
    name: "free-sku-tier",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "The cluster runs on the Free tier (no uptime SLA for the API server).",
    remediation: "Use sku.tier Standard (or Premium) for production clusters (Terraform sku_tier = \"Standard\").",
    docs: r#"## What it does
Flags clusters whose `sku.tier` (Terraform `sku_tier`) is `Free` or not set (the default). `Standard`, `Premium` and
the legacy `Paid` pass.

## Why is this bad?
The Free tier has no financially backed uptime SLA and smaller control-plane capacity: security tooling that
depends on the API server (admission, policy, audit export) degrades first under load.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  sku_tier = "Free"
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  sku_tier = "Standard"
}
```

## References
- Checkov CKV_AZURE_170
- seed:002
- https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers
"#,
    references: &[
        "Checkov CKV_AZURE_170",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The cluster runs on the Free tier (no uptime SLA for the API server).
pub struct FreeSkuTier;

impl Rule for FreeSkuTier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "sku_tier",
                arm: "sku.tier",
                az: "sku.tier",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.sku_tier, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set (default Free): no uptime SLA"),
                ),
                Some(Read::Set(v, l))
                    if !matches!(v.to_ascii_lowercase().as_str(), "standard" | "premium" | "paid") =>
                {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("{} is {v}: no uptime SLA", written(l, name)),
                    );
                }
                _ => {}
            }
        }
    }
}
