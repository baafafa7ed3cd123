//! AKS-103: The cluster's kubelet identity has a role other than AcrPull on a container registry.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-103.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-103",
    name: "kubelet-identity-beyond-acr-pull",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "The cluster's kubelet identity has a role other than AcrPull on a container registry.",
    remediation: "Grant the kubelet identity only AcrPull on the registry (az aks update --attach-acr does this).",
    docs: r#"## What it does
Flags role assignments (`azurerm_role_assignment`, `Microsoft.Authorization/roleAssignments`) whose principal is a
scanned cluster's kubelet identity (`kubelet_identity[0].object_id`, `identityProfile.kubeletidentity.objectId`) and
whose scope is a container registry, with a role other than AcrPull (AcrPush, Contributor, Owner, ...).

## Why is this bad?
Every pod on every node can use the kubelet identity through IMDS; with push rights, one compromised pod can
replace images that every other workload pulls.

## Example
```hcl
resource "azurerm_role_assignment" "acr" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}
```

## Use instead
```hcl
resource "azurerm_role_assignment" "acr" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id
}
```

## References
- CIS AKS Benchmark 5.1.3
- Kubescape C-0250
- seed:002
- https://learn.microsoft.com/azure/aks/cluster-container-registry-integration
"#,
    references: &[
        "CIS AKS Benchmark 5.1.3",
        "Kubescape C-0250",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/cluster-container-registry-integration",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The cluster's kubelet identity has a role other than AcrPull on a container registry.
pub struct KubeletIdentityBeyondAcrPull;

impl Rule for KubeletIdentityBeyondAcrPull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let m = index.aks.model();
        let kubelet: Vec<&String> = m
            .clusters
            .iter()
            .flat_map(|c| c.kubelet_principal_keys.iter())
            .collect();
        let registry_keys: Vec<&String> = m.registries.iter().flat_map(|r| r.origin.keys.iter()).collect();
        for a in &m.role_assignments {
            let Some(p) = a.principal.known() else { continue };
            if !kubelet.contains(&p) {
                continue;
            }
            let Some(s) = a.scope.known() else { continue };
            let on_registry = registry_keys.contains(&s)
                || s.contains("containerregistry/registries")
                || s.contains("azurerm_container_registry.");
            if !on_registry {
                continue;
            }
            match &a.role {
                Setting::Set(r, l) if !r.eq_ignore_ascii_case("AcrPull") => {
                    report(
                        out,
                        &a.origin,
                        Some(l),
                        format!("the kubelet identity gets {r} on a container registry; it only needs AcrPull"),
                    );
                }
                Setting::Unknown(why, l) => out.not_evaluated(
                    scope(&a.origin),
                    format!("the role is not known at {}:{}: {why}", l.file, l.line),
                ),
                _ => {}
            }
        }
    }
}
