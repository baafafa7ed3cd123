//! AKS-070: A System node pool can run fewer than three nodes.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-070.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-070",
    name: "system-pool-too-small",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A System node pool can run fewer than three nodes.",
    remediation: "Give System pools at least three nodes (count, or minCount with the cluster autoscaler).",
    docs: r#"## What it does
Reports System pools whose node count (`minCount` when `enableAutoScaling` is true, else `count`; Terraform
`min_count` / `node_count`) is below three. Pools without a count are not reported.

## Why is this bad?
With one or two system nodes, a single node failure or upgrade takes out CoreDNS and the cluster's admission
and policy components.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name       = "system"
    node_count = 1
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name                 = "system"
    auto_scaling_enabled = true
    min_count            = 3
    max_count            = 5
  }
}
```

## References
- PSRule Azure.AKS.MinNodeCount
- seed:002
- https://learn.microsoft.com/azure/aks/use-system-pools
"#,
    references: &[
        "PSRule Azure.AKS.MinNodeCount",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/use-system-pools",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A System node pool can run fewer than three nodes.
pub struct SystemPoolTooSmall;

impl Rule for SystemPoolTooSmall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            if p.mode.lower().as_deref() != Some("system") {
                continue;
            }
            let autoscale = p.auto_scaling.known() == Some(&true);
            let (what, s) = if autoscale {
                ("min_count", &p.min_count)
            } else {
                ("node count", &p.count)
            };
            if let Setting::Set(n, l) = s {
                if *n < 3 {
                    report_pool(
                        out,
                        p,
                        Some(l),
                        format!("System node pool {} has a {what} of {n} (fewer than 3)", p.name),
                    );
                }
            }
        }
    }
}
