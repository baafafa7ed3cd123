//! AKS-080: Control-plane audit logs (kube-audit / kube-audit-admin and guard) are not exported by a diagnostic setting.

#![allow(unused_imports)]

use super::diag::{audit_status, DiagVerdict};
use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-080.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-080",
    name: "audit-logs-not-exported",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "nsa", "seed"],
    summary: "Control-plane audit logs (kube-audit / kube-audit-admin and guard) are not exported by a diagnostic setting.",
    remediation: "Create a diagnostic setting on the cluster that sends kube-audit-admin (or kube-audit) and guard, or the audit category group, to a Log Analytics workspace or storage account.",
    docs: r#"## What it does
Looks for a diagnostic setting on the cluster (`Microsoft.Insights/diagnosticSettings` scoped to it;
Terraform `azurerm_monitor_diagnostic_setting` whose `target_resource_id` is the cluster; `az monitor
diagnostic-settings list` output) with a destination that enables `kube-audit` or `kube-audit-admin` (or the
category group `audit` / `allLogs`) and `guard`. Azure's default is no diagnostic setting. `az aks show` output does
not contain diagnostic settings: such clusters are reported as not evaluated, as are clusters when a diagnostic
setting's target cannot be resolved (a module output, an unknown variable).

## Why is this bad?
Without audit logs there is no record of who read Secrets, exec'd into pods or changed RBAC: incidents cannot
be investigated and attackers leave no trace.

## Example
```hcl
resource "azurerm_monitor_diagnostic_setting" "aks" {
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log {
    category = "kube-apiserver"
  }
}
```

## Use instead
```hcl
resource "azurerm_monitor_diagnostic_setting" "aks" {
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  enabled_log {
    category = "kube-audit-admin"
  }
  enabled_log {
    category = "guard"
  }
}
```

## References
- CIS AKS Benchmark 2.1.1
- Azure Policy 245fc9df, 6c66c325
- NSA/CISA Kubernetes Hardening Guidance, Audit logging
- seed:000, seed:002, seed:003
- https://learn.microsoft.com/azure/aks/monitor-aks
"#,
    references: &[
        "CIS AKS Benchmark 2.1.1",
        "Azure Policy 245fc9df, 6c66c325",
        "NSA/CISA Kubernetes Hardening Guidance, Audit logging",
        "seed:000, seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/monitor-aks",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Control-plane audit logs (kube-audit / kube-audit-admin and guard) are not exported by a diagnostic setting.
pub struct AuditLogsNotExported;

impl Rule for AuditLogsNotExported {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            match audit_status(
                index,
                c,
                &[&["kube-audit", "kube-audit-admin"], &["guard"]],
                &["audit", "alllogs"],
            ) {
                DiagVerdict::Ok => {}
                DiagVerdict::NotEvaluated(why) => out.not_evaluated(scope(&c.origin), why),
                DiagVerdict::Missing(loc, what) => report(
                    out,
                    &c.origin,
                    loc.as_ref(),
                    format!("control-plane audit logs are not exported: {what}"),
                ),
            }
        }
    }
}
