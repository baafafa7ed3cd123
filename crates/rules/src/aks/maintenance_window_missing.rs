//! AKS-062: No planned maintenance window is configured for automatic upgrades.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-062.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-062",
    name: "maintenance-window-missing",
    family: "aks",
    severity: Severity::Info,
    profiles: &["azure-policy", "seed"],
    summary: "No planned maintenance window is configured for automatic upgrades.",
    remediation: "Add maintenance configurations (aksManagedAutoUpgradeSchedule, aksManagedNodeOSUpgradeSchedule; Terraform maintenance_window_auto_upgrade / maintenance_window_node_os).",
    docs: r#"## What it does
Reports clusters without a planned maintenance window: no `managedClusters/maintenanceConfigurations` child
resource in the template, no Terraform `maintenance_window_auto_upgrade`, `maintenance_window_node_os` or
`maintenance_window` block. `az aks show` output does not contain maintenance configurations: not evaluated.

## Why is this bad?
Without a window, automatic upgrades and node reboots happen at any time, which pushes teams to disable
auto-upgrade altogether.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  automatic_upgrade_channel = "patch"
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  automatic_upgrade_channel = "patch"
  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    day_of_week = "Sunday"
    duration    = 4
    start_time  = "00:00"
  }
}
```

## References
- Azure Policy e1352e44
- seed:002
- https://learn.microsoft.com/azure/aks/planned-maintenance
"#,
    references: &[
        "Azure Policy e1352e44",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/planned-maintenance",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// No planned maintenance window is configured for automatic upgrades.
pub struct MaintenanceWindowMissing;

impl Rule for MaintenanceWindowMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            if !declares_resources(c) {
                out.not_evaluated(scope(&c.origin), "maintenance configurations are not part of `az aks show` output (`az aks maintenanceconfiguration list`)");
                continue;
            }
            if c.maintenance.is_empty() {
                report(
                    out,
                    &c.origin,
                    None,
                    "no planned maintenance window: automatic upgrades may run at any time",
                );
            }
        }
    }
}
