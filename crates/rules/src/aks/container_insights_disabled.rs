//! AKS-047: Container Insights (the monitoring add-on) is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-047.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-047",
    name: "container-insights-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "Container Insights (the monitoring add-on) is not enabled.",
    remediation: "Enable the omsagent add-on with a Log Analytics workspace (Terraform oms_agent { log_analytics_workspace_id = ... }).",
    docs: r#"## What it does
Flags clusters where `addonProfiles.omsagent.enabled` is false or not set, or enabled without
`config.logAnalyticsWorkspaceResourceID` (Terraform: no `oms_agent` block; azurerm 2.x `addon_profile.oms_agent`).

## Why is this bad?
Without Container Insights there are no container logs, node and pod metrics or Kubernetes events in Azure
Monitor: incidents are noticed late and cannot be reconstructed.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no oms_agent block
}
```
```json
{ "properties": { "addonProfiles": { "omsagent": { "enabled": false } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oms_agent {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }
}
```

## References
- Checkov CKV_AZURE_4
- Trivy AZU-0040
- seed:002, seed:003, seed:004
- https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview
"#,
    references: &[
        "Checkov CKV_AZURE_4",
        "Trivy AZU-0040",
        "seed:002, seed:003, seed:004",
        "https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Container Insights (the monitoring add-on) is not enabled.
pub struct ContainerInsightsDisabled;

impl Rule for ContainerInsightsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "oms_agent",
            arm: "addonProfiles.omsagent",
            az: "addonProfiles.omsagent",
        };
        for c in clusters(index) {
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.oms_agent.enabled, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not configured: no container logs or metrics"),
                ),
                Some(Read::Set(false, l)) => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is disabled: no container logs or metrics", written(l, name)),
                ),
                Some(Read::Set(true, l)) if !c.oms_agent.workspace.is_present() && !c.origin.is_terraform() => {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("{} has no Log Analytics workspace", written(l, name)),
                    );
                }
                _ => {}
            }
        }
    }
}
