//! AKS-029: The legacy Kubernetes Dashboard add-on is enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-029.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-029",
    name: "kubernetes-dashboard-addon-enabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &[],
    summary: "The legacy Kubernetes Dashboard add-on is enabled.",
    remediation: "Disable addonProfiles.kubeDashboard (azurerm 2.x addon_profile.kube_dashboard) and use the Azure portal's Kubernetes resource view.",
    docs: r#"## What it does
Flags `addonProfiles.kubeDashboard.enabled: true` (azurerm 2.x `addon_profile.kube_dashboard.enabled`; removed in
3.0).

## Why is this bad?
The dashboard runs with broad permissions and has been the entry point of real cluster takeovers when exposed.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  addon_profile {
    kube_dashboard {
      enabled = true
    }
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no kube_dashboard add-on (removed in azurerm 3.0)
}
```

## References
- Checkov CKV_AZURE_8
- https://learn.microsoft.com/azure/aks/kubernetes-portal
"#,
    references: &[
        "Checkov CKV_AZURE_8",
        "https://learn.microsoft.com/azure/aks/kubernetes-portal",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The legacy Kubernetes Dashboard add-on is enabled.
pub struct KubernetesDashboardAddonEnabled;

impl Rule for KubernetesDashboardAddonEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        forbid_enabled(
            index,
            out,
            Names {
                tf: "addon_profile.kube_dashboard.enabled",
                arm: "addonProfiles.kubeDashboard",
                az: "addonProfiles.kubeDashboard",
            },
            |c| &c.kube_dashboard.enabled,
            "the dashboard is a known takeover path",
        );
    }
}
