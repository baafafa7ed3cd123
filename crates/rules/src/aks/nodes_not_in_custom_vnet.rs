//! AKS-027: A node pool is not placed in a customer-managed VNet subnet.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-027.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-027",
    name: "nodes-not-in-custom-vnet",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A node pool is not placed in a customer-managed VNet subnet.",
    remediation: "Set vnetSubnetID (Terraform vnet_subnet_id) on every pool to a subnet you control, with an NSG.",
    docs: r#"## What it does
Reports node pools without `vnetSubnetID` (Terraform `vnet_subnet_id`): AKS then creates its own VNet in the node
resource group.

## Why is this bad?
In an AKS-managed VNet you cannot attach your NSGs, route tables, firewalls or private endpoints, and cannot peer
it into a hub-and-spoke design.

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
    name           = "system"
    vnet_subnet_id = azurerm_subnet.aks_nodes.id
  }
}
```

## References
- seed:002, seed:003
- https://learn.microsoft.com/azure/aks/configure-azure-cni
"#,
    references: &[
        "seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/configure-azure-cni",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A node pool is not placed in a customer-managed VNet subnet.
pub struct NodesNotInCustomVnet;

impl Rule for NodesNotInCustomVnet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            match &p.vnet_subnet {
                Setting::Absent => report_pool(
                    out,
                    p,
                    None,
                    format!(
                        "node pool {} has no vnet subnet: nodes are in an AKS-managed VNet",
                        p.name
                    ),
                ),
                Setting::Unknown(r, l) => out.not_evaluated(
                    pool_scope(p),
                    format!("vnet subnet is not known at {}:{}: {r}", l.file, l.line),
                ),
                Setting::Set(..) => {}
            }
        }
    }
}
