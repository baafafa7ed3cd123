//! AKS-007: Workload identity (with the OIDC issuer) is not enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-007.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-007",
    name: "workload-identity-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "Workload identity (with the OIDC issuer) is not enabled.",
    remediation: "Enable securityProfile.workloadIdentity and oidcIssuerProfile (Terraform workload_identity_enabled = true and oidc_issuer_enabled = true).",
    docs: r#"## What it does
Flags clusters where `securityProfile.workloadIdentity.enabled` (Terraform `workload_identity_enabled`) or
`oidcIssuerProfile.enabled` (Terraform `oidc_issuer_enabled`) is false or not set. Both default to false.

## Why is this bad?
Without workload identity, pods that need Azure access use the node's kubelet identity (shared by every pod on the
node), deprecated pod identity, or client secrets stored in Kubernetes Secrets.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oidc_issuer_enabled = true
}
```
```json
{ "properties": { "securityProfile": { "workloadIdentity": { "enabled": false } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
}
```

## References
- Azure Policy 2cc2e023
- seed:000 (checklist), seed:002
- https://learn.microsoft.com/azure/aks/workload-identity-overview
"#,
    references: &[
        "Azure Policy 2cc2e023",
        "seed:000 (checklist), seed:002",
        "https://learn.microsoft.com/azure/aks/workload-identity-overview",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Workload identity (with the OIDC issuer) is not enabled.
pub struct WorkloadIdentityDisabled;

impl Rule for WorkloadIdentityDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let wi = Names {
            tf: "workload_identity_enabled",
            arm: "securityProfile.workloadIdentity.enabled",
            az: "securityProfile.workloadIdentity.enabled",
        };
        let oidc = Names {
            tf: "oidc_issuer_enabled",
            arm: "oidcIssuerProfile.enabled",
            az: "oidcIssuerProfile.enabled",
        };
        for c in clusters(index) {
            for (names, s) in [(wi, &c.workload_identity), (oidc, &c.oidc_issuer)] {
                let name = names.of(&c.origin);
                match read(out, &c.origin, name, s, Some(&false)) {
                    Some(Read::Set(false, l)) => report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("{} is false: pods cannot use workload identity", written(l, name)),
                    ),
                    Some(Read::Default(_)) => report(
                        out,
                        &c.origin,
                        None,
                        format!("{name} is not set (Azure's default is false): pods cannot use workload identity"),
                    ),
                    _ => {}
                }
            }
        }
    }
}
