//! AKS-061: Node OS security patches are not applied automatically (node OS upgrade channel None or Unmanaged).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-061.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-061",
    name: "node-os-upgrade-channel-unmanaged",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "Node OS security patches are not applied automatically (node OS upgrade channel None or Unmanaged).",
    remediation: "Set autoUpgradeProfile.nodeOSUpgradeChannel to NodeImage or SecurityPatch (Terraform 4.x node_os_upgrade_channel, 3.x node_os_channel_upgrade).",
    docs: r#"## What it does
Flags `autoUpgradeProfile.nodeOSUpgradeChannel` (az `nodeOsUpgradeChannel`; Terraform 4.x `node_os_upgrade_channel`,
3.x `node_os_channel_upgrade`) set to `None` or `Unmanaged`, unless the cluster upgrade channel is `node-image`.
Absent means Azure's default, `NodeImage`, and passes.

## Why is this bad?
With None, nodes never get OS security patches; with Unmanaged, patches are installed but nodes are not rebooted
(kernel fixes do not apply) unless you run something like Kured.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  node_os_upgrade_channel = "None"
}
```
```json
{ "properties": { "autoUpgradeProfile": { "nodeOSUpgradeChannel": "Unmanaged" } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  node_os_upgrade_channel = "NodeImage"
}
```

## References
- Azure Policy 04408ca5, 40f1aee2
- seed:002, seed:004
- https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image
"#,
    references: &[
        "Azure Policy 04408ca5, 40f1aee2",
        "seed:002, seed:004",
        "https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Node OS security patches are not applied automatically (node OS upgrade channel None or Unmanaged).
pub struct NodeOsUpgradeChannelUnmanaged;

impl Rule for NodeOsUpgradeChannelUnmanaged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            if c.upgrade_channel.lower().as_deref() == Some("node-image") {
                continue;
            }
            let name = Names {
                tf: "node_os_upgrade_channel",
                arm: "autoUpgradeProfile.nodeOSUpgradeChannel",
                az: "autoUpgradeProfile.nodeOsUpgradeChannel",
            }
            .of(&c.origin);
            if let Some(Read::Set(v, l)) = read(out, &c.origin, name, &c.node_os_channel, None) {
                match v.to_ascii_lowercase().as_str() {
                    "nodeimage" | "securitypatch" => {}
                    _ => report(
                        out,
                        &c.origin,
                        Some(l),
                        format!(
                            "{} is {v}: node OS security patches are not applied automatically",
                            written(l, name)
                        ),
                    ),
                }
            }
        }
    }
}
