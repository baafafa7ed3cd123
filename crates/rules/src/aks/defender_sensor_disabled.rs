//! AKS-040: The Microsoft Defender for Containers sensor is not enabled on the cluster.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-040.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-040",
    name: "defender-sensor-disabled",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "The Microsoft Defender for Containers sensor is not enabled on the cluster.",
    remediation: "Enable securityProfile.defender.securityMonitoring with a Log Analytics workspace (Terraform microsoft_defender { log_analytics_workspace_id = ... }).",
    docs: r#"## What it does
Flags clusters without `securityProfile.defender.securityMonitoring.enabled: true` (Terraform: no
`microsoft_defender` block). Azure's default is no sensor.

## Why is this bad?
Without the sensor, Defender for Containers sees no runtime events from the nodes: no alerts for crypto
miners, reverse shells, privileged container launches or suspicious API calls from inside the cluster.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no microsoft_defender block
}
```
```json
{ "properties": { "securityProfile": {} } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }
}
```
```json
{ "properties": { "securityProfile": { "defender": { "securityMonitoring": { "enabled": true } } } } }
```

## References
- CIS AKS Benchmark 5.1.1
- Azure Policy a1840de2
- seed:000, seed:002, seed:003, seed:004
- https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable
"#,
    references: &[
        "CIS AKS Benchmark 5.1.1",
        "Azure Policy a1840de2",
        "seed:000, seed:002, seed:003, seed:004",
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The Microsoft Defender for Containers sensor is not enabled on the cluster.
pub struct DefenderSensorDisabled;

impl Rule for DefenderSensorDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_enabled(
            index,
            out,
            Names {
                tf: "microsoft_defender",
                arm: "securityProfile.defender.securityMonitoring",
                az: "securityProfile.defender.securityMonitoring",
            },
            |c| &c.defender,
            "no runtime threat detection on the nodes",
        );
    }
}
