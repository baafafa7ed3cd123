//! AKS-081: Control-plane platform logs (API server, controller manager, scheduler, autoscaler) are not exported.

#![allow(unused_imports)]

use super::diag::{audit_status, DiagVerdict};
use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-081.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-081",
    name: "platform-logs-not-exported",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "Control-plane platform logs (API server, controller manager, scheduler, autoscaler) are not exported.",
    remediation: "Add kube-apiserver, kube-controller-manager, kube-scheduler and cluster-autoscaler (or the allLogs category group) to the cluster's diagnostic setting.",
    docs: r#"## What it does
Checks that the cluster's diagnostic settings with a destination enable `kube-apiserver`,
`kube-controller-manager`, `kube-scheduler` and `cluster-autoscaler`, or the `allLogs` category group. Not evaluated
for `az aks show` output and for clusters whose diagnostic settings cannot be linked (see AKS-080).

## Why is this bad?
Without these logs, failed authentications, controller errors and scheduling decisions that explain an incident
are lost.

## Example
```hcl
resource "azurerm_monitor_diagnostic_setting" "aks" {
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log {
    category = "kube-audit-admin"
  }
}
```

## Use instead
```hcl
resource "azurerm_monitor_diagnostic_setting" "aks" {
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log {
    category_group = "allLogs"
  }
}
```

## References
- PSRule Azure.AKS.PlatformLogs
- seed:002
- https://learn.microsoft.com/azure/aks/monitor-aks-reference
"#,
    references: &[
        "PSRule Azure.AKS.PlatformLogs",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/monitor-aks-reference",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Control-plane platform logs (API server, controller manager, scheduler, autoscaler) are not exported.
pub struct PlatformLogsNotExported;

impl Rule for PlatformLogsNotExported {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let req: &[&[&str]] = &[
                &["kube-apiserver"],
                &["kube-controller-manager"],
                &["kube-scheduler"],
                &["cluster-autoscaler"],
            ];
            match audit_status(index, c, req, &["alllogs"]) {
                DiagVerdict::Ok => {}
                DiagVerdict::NotEvaluated(why) => out.not_evaluated(scope(&c.origin), why),
                DiagVerdict::Missing(loc, what) => report(
                    out,
                    &c.origin,
                    loc.as_ref(),
                    format!("control-plane platform logs are not exported: {what}"),
                ),
            }
        }
    }
}
