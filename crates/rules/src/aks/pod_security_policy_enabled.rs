//! AKS-048: The deprecated PodSecurityPolicy flag is set.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-048.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-048",
    name: "pod-security-policy-enabled",
    family: "aks",
    severity: Severity::Info,
    profiles: &["azure-policy", "seed"],
    summary: "The deprecated PodSecurityPolicy flag is set.",
    remediation: "Remove enablePodSecurityPolicy (Terraform enable_pod_security_policy) and enforce Pod Security Standards with namespace labels and Azure Policy.",
    docs: r#"## What it does
Reports `enablePodSecurityPolicy: true` (Terraform `enable_pod_security_policy`, removed in azurerm 4.0).

## Why is this bad?
PodSecurityPolicy was removed in Kubernetes 1.25: the flag protects nothing on current versions and blocks
upgrades.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  enable_pod_security_policy = true
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_policy_enabled = true
}
```

## References
- Azure Policy 3abeb944 (deprecated)
- seed:001
- https://learn.microsoft.com/azure/aks/use-psa
"#,
    references: &[
        "Azure Policy 3abeb944 (deprecated)",
        "seed:001",
        "https://learn.microsoft.com/azure/aks/use-psa",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The deprecated PodSecurityPolicy flag is set.
pub struct PodSecurityPolicyEnabled;

impl Rule for PodSecurityPolicyEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        forbid_enabled(
            index,
            out,
            Names {
                tf: "enable_pod_security_policy",
                arm: "enablePodSecurityPolicy",
                az: "enablePodSecurityPolicy",
            },
            |c| &c.pod_security_policy,
            "PodSecurityPolicy was removed in Kubernetes 1.25",
        );
    }
}
