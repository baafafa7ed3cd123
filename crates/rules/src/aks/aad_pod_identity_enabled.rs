//! AKS-008: The deprecated AAD pod identity add-on is enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-008.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-008",
    name: "aad-pod-identity-enabled",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "The deprecated AAD pod identity add-on is enabled.",
    remediation: "Migrate to workload identity and set podIdentityProfile.enabled: false.",
    docs: r#"## What it does
Flags clusters with `podIdentityProfile.enabled: true`. azurerm does not expose pod identity, so Terraform
clusters always pass.

## Why is this bad?
AAD pod identity is deprecated (replaced by workload identity). It intercepts IMDS traffic on every node through
the NMI DaemonSet; pods that reach IMDS directly or run with hostNetwork can obtain identities assigned to other
pods.

## Example
```hcl
// Not configurable in azurerm; ARM:
// "podIdentityProfile": { "enabled": true }
```
```json
{ "properties": { "podIdentityProfile": { "enabled": true } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
}
```

## References
- seed:002
- https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity
"#,
    references: &[
        "seed:002",
        "https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The deprecated AAD pod identity add-on is enabled.
pub struct AadPodIdentityEnabled;

impl Rule for AadPodIdentityEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        forbid_enabled(
            index,
            out,
            Names {
                tf: "pod identity",
                arm: "podIdentityProfile.enabled",
                az: "podIdentityProfile.enabled",
            },
            |c| &c.pod_identity,
            "AAD pod identity is deprecated; use workload identity",
        );
    }
}
