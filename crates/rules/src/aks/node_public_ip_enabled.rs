//! AKS-025: Nodes of a node pool get public IP addresses.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-025.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-025",
    name: "node-public-ip-enabled",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "seed"],
    summary: "Nodes of a node pool get public IP addresses.",
    remediation: "Remove enableNodePublicIP (Terraform node_public_ip_enabled / enable_node_public_ip) from every pool and reach nodes through the VNet.",
    docs: r#"## What it does
Flags every node pool (the cluster's pools and separate `azurerm_kubernetes_cluster_node_pool` /
`managedClusters/agentPools` resources) with `enableNodePublicIP: true` (az `enableNodePublicIp`; Terraform 4.x
`node_public_ip_enabled`, 3.x `enable_node_public_ip`). Checkov CKV_AZURE_143 only checks the default pool.

## Why is this bad?
A public IP on each node exposes kubelet, SSH and any hostPort or NodePort service directly to the internet.

## Example
```hcl
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  enable_node_public_ip = true
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  node_public_ip_enabled = false
}
```

## References
- CIS AKS Benchmark 5.4.3
- Checkov CKV_AZURE_143
- seed:001 (#3)
- https://learn.microsoft.com/azure/aks/use-node-public-ips
"#,
    references: &[
        "CIS AKS Benchmark 5.4.3",
        "Checkov CKV_AZURE_143",
        "seed:001 (#3)",
        "https://learn.microsoft.com/azure/aks/use-node-public-ips",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Nodes of a node pool get public IP addresses.
pub struct NodePublicIpEnabled;

impl Rule for NodePublicIpEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        pool_bool(
            index,
            out,
            Names {
                tf: "node_public_ip_enabled",
                arm: "enableNodePublicIP",
                az: "enableNodePublicIp",
            },
            false,
            false,
            |p| &p.node_public_ip,
            "nodes are reachable from the internet",
        );
    }
}
