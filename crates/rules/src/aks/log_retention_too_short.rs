//! AKS-082: A Log Analytics workspace keeps logs for fewer than 90 days.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-082.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-082",
    name: "log-retention-too-short",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy", "seed"],
    summary: "A Log Analytics workspace keeps logs for fewer than 90 days.",
    remediation: "Set the workspace's retention to at least 90 days (Terraform retention_in_days = 90; Azure Policy's default parameter asks for 365).",
    docs: r#"## What it does
Reports Log Analytics workspaces declared in the scan (`azurerm_log_analytics_workspace`,
`Microsoft.OperationalInsights/workspaces`) whose `retention_in_days` / `retentionInDays` is below 90, absent included
(the default is 30).

## Why is this bad?
Audit and container logs are usually needed weeks or months after the fact; with 30 days the evidence of a slow
intrusion is gone before it is noticed.

## Example
```hcl
resource "azurerm_log_analytics_workspace" "main" {
  retention_in_days = 30
}
```

## Use instead
```hcl
resource "azurerm_log_analytics_workspace" "main" {
  retention_in_days = 90
}
```

## References
- Azure Policy 245fc9df (requiredRetentionDays)
- seed:002
- https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure
"#,
    references: &[
        "Azure Policy 245fc9df (requiredRetentionDays)",
        "seed:002",
        "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A Log Analytics workspace keeps logs for fewer than 90 days.
pub struct LogRetentionTooShort;

impl Rule for LogRetentionTooShort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for w in &index.aks.model().workspaces {
            match &w.retention_days {
                Setting::Absent => report(
                    out,
                    &w.origin,
                    None,
                    "retention is not set (default 30 days): keep logs at least 90 days",
                ),
                Setting::Set(d, l) if *d < 90 => report(
                    out,
                    &w.origin,
                    Some(l),
                    format!("retention is {d} days: keep logs at least 90 days"),
                ),
                Setting::Unknown(r, l) => out.not_evaluated(
                    scope(&w.origin),
                    format!("retention is not known at {}:{}: {r}", l.file, l.line),
                ),
                _ => {}
            }
        }
    }
}
