//! AKS-024: The cluster does not use Azure CNI (kubenet or no plugin set).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-024.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-024",
    name: "kubenet-network-plugin",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "The cluster does not use Azure CNI (kubenet or no plugin set).",
    remediation: "Use networkProfile.networkPlugin: azure, optionally with networkPluginMode: overlay (Terraform network_profile { network_plugin = \"azure\" }).",
    docs: r#"## What it does
Flags clusters whose `networkProfile.networkPlugin` (Terraform `network_profile.network_plugin`) is `kubenet`, or is
not set (kubenet is the default of the azurerm provider and of older API versions). `none` (bring your own CNI) is
reported too.

## Why is this bad?
kubenet relies on user-defined routes and NAT, cannot use Azure network policy, is being retired, and gives pods
no VNet identity for NSGs and private endpoints.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "kubenet"
  }
}
```
```json
{ "properties": { "networkProfile": { "networkPlugin": "kubenet" } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "azure"
  }
}
```

## References
- CIS AKS Benchmark 4.4.1
- Azure Policy 46238e2f
- Checkov CKV2_AZURE_29
- seed:002, seed:003
- https://learn.microsoft.com/azure/aks/concepts-network-cni-overview
"#,
    references: &[
        "CIS AKS Benchmark 4.4.1",
        "Azure Policy 46238e2f",
        "Checkov CKV2_AZURE_29",
        "seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/concepts-network-cni-overview",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The cluster does not use Azure CNI (kubenet or no plugin set).
pub struct KubenetNetworkPlugin;

impl Rule for KubenetNetworkPlugin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "network_profile.network_plugin",
                arm: "networkProfile.networkPlugin",
                az: "networkProfile.networkPlugin",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.network_plugin, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set: the cluster uses kubenet"),
                ),
                Some(Read::Set(v, l)) if !v.eq_ignore_ascii_case("azure") => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is {v}, not azure (Azure CNI)", written(l, name)),
                ),
                _ => {}
            }
        }
    }
}
