//! AKS-060: The cluster has no auto-upgrade channel, so Kubernetes patches are not applied automatically.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-060.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-060",
    name: "auto-upgrade-channel-not-set",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "The cluster has no auto-upgrade channel, so Kubernetes patches are not applied automatically.",
    remediation: "Set autoUpgradeProfile.upgradeChannel to patch or stable (Terraform 4.x automatic_upgrade_channel, 3.x automatic_channel_upgrade) with a maintenance window.",
    docs: r#"## What it does
Flags clusters whose `autoUpgradeProfile.upgradeChannel` (Terraform 4.x `automatic_upgrade_channel`, 3.x
`automatic_channel_upgrade`) is absent or `none`. Accepted: `patch`, `stable`, `rapid`, `node-image`. Azure's default
is `none`.

## Why is this bad?
Without a channel the control plane and nodes stay on whatever version they were created with until someone
upgrades them by hand; clusters drift out of support and keep known CVEs open.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  automatic_upgrade_channel = "none"
}
```
```json
{ "properties": { "autoUpgradeProfile": { "upgradeChannel": "none" } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
}
```
```json
{ "properties": { "autoUpgradeProfile": { "upgradeChannel": "stable" } } }
```

## References
- Azure Policy 5c345cdf
- Checkov CKV_AZURE_171
- seed:000, seed:001, seed:002, seed:004
- https://learn.microsoft.com/azure/aks/auto-upgrade-cluster
"#,
    references: &[
        "Azure Policy 5c345cdf",
        "Checkov CKV_AZURE_171",
        "seed:000, seed:001, seed:002, seed:004",
        "https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The cluster has no auto-upgrade channel, so Kubernetes patches are not applied automatically.
pub struct AutoUpgradeChannelNotSet;

impl Rule for AutoUpgradeChannelNotSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "automatic_upgrade_channel",
            arm: "autoUpgradeProfile.upgradeChannel",
            az: "autoUpgradeProfile.upgradeChannel",
        };
        for c in clusters(index) {
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.upgrade_channel, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set (Azure's default is none): the cluster is never upgraded automatically"),
                ),
                Some(Read::Set(v, l))
                    if !matches!(
                        v.to_ascii_lowercase().as_str(),
                        "patch" | "stable" | "rapid" | "node-image"
                    ) =>
                {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!(
                            "{} is {v}: the cluster is never upgraded automatically",
                            written(l, name)
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}
