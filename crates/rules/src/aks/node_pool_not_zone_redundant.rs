//! AKS-066: A node pool is not spread over at least two availability zones.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-066.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-066",
    name: "node-pool-not-zone-redundant",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy", "seed"],
    summary: "A node pool is not spread over at least two availability zones.",
    remediation:
        "Set availabilityZones (Terraform zones) to [\"1\", \"2\", \"3\"] on every pool in regions with zones.",
    docs: r#"## What it does
Flags node pools whose `availabilityZones` (Terraform `zones`, azurerm 2.x `availability_zones`) has fewer than two
zones, absent included.

## Why is this bad?
A pool in a single zone (or no zone) goes down with that zone's datacenter; security controls that run as pods
(admission webhooks, policy agents, log shippers) go with it.

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
    name  = "system"
    zones = ["1", "2", "3"]
  }
}
```

## References
- Azure Policy 2dec5f47 (preview)
- seed:002
- https://learn.microsoft.com/azure/aks/availability-zones
"#,
    references: &[
        "Azure Policy 2dec5f47 (preview)",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/availability-zones",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A node pool is not spread over at least two availability zones.
pub struct NodePoolNotZoneRedundant;

impl Rule for NodePoolNotZoneRedundant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            match &p.zones {
                Setting::Unknown(r, l) => out.not_evaluated(
                    pool_scope(p),
                    format!("zones are not known at {}:{}: {r}", l.file, l.line),
                ),
                Setting::Absent => report_pool(out, p, None, format!("node pool {} has no availability zones", p.name)),
                Setting::Set(z, l) if z.len() < 2 => report_pool(
                    out,
                    p,
                    Some(l),
                    format!(
                        "node pool {} uses {} availability zone(s); use at least 2",
                        p.name,
                        z.len()
                    ),
                ),
                _ => {}
            }
        }
    }
}
