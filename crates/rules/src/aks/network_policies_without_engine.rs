//! AKS-090: NetworkPolicy objects are deployed to a cluster that has no network policy engine: they enforce nothing.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-090.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-090",
    name: "network-policies-without-engine",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "nsa"],
    summary: "NetworkPolicy objects are deployed to a cluster that has no network policy engine: they enforce nothing.",
    remediation: "Enable a network policy engine on the cluster (networkProfile.networkPolicy azure, calico or cilium), or stop relying on the NetworkPolicies.",
    docs: r#"## What it does
Cross-layer: when cluster configuration and manifests are scanned together, flags each cluster without a network
policy engine (`networkProfile.networkPolicy` absent or `none`, no Cilium data plane) if the manifests contain
NetworkPolicy objects. Reported at the cluster's setting, naming the policies.

## Why is this bad?
The API server stores NetworkPolicies without complaint and `kubectl get networkpolicy` shows them, so everyone
believes traffic is segmented; without an engine nothing enforces them and every pod reaches every other pod.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "azure"
  }
}
// and in the manifests: kind: NetworkPolicy (default-deny)
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
  }
}
```

## References
- CIS AKS Benchmark 5.4.4, 4.4.2
- NSA/CISA Kubernetes Hardening Guidance, Network policies
- https://learn.microsoft.com/azure/aks/use-network-policies
"#,
    references: &[
        "CIS AKS Benchmark 5.4.4, 4.4.2",
        "NSA/CISA Kubernetes Hardening Guidance, Network policies",
        "https://learn.microsoft.com/azure/aks/use-network-policies",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// NetworkPolicy objects are deployed to a cluster that has no network policy engine: they enforce nothing.
pub struct NetworkPoliciesWithoutEngine;

impl Rule for NetworkPoliciesWithoutEngine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        // Only a scanned cluster can be reported (nothing to do for manifests alone).
        if clusters(index).is_empty() {
            return;
        }
        let policies: Vec<String> = index
            .of_kind("NetworkPolicy")
            .map(|o| {
                format!(
                    "{}/{}",
                    o.id.namespace.as_deref().unwrap_or("default"),
                    o.id.name.as_deref().unwrap_or("?")
                )
            })
            .collect();
        if policies.is_empty() {
            return;
        }
        for c in clusters(index) {
            if c.network_dataplane.lower().as_deref() == Some("cilium") {
                continue;
            }
            let name = Names {
                tf: "network_profile.network_policy",
                arm: "networkProfile.networkPolicy",
                az: "networkProfile.networkPolicy",
            }
            .of(&c.origin);
            let (loc, engine) = match read(out, &c.origin, name, &c.network_policy, None) {
                None => continue,
                Some(Read::Set(p, l)) => (Some(l), p.to_ascii_lowercase()),
                _ => (None, "none".to_string()),
            };
            if !matches!(engine.as_str(), "azure" | "calico" | "cilium") {
                report(out, &c.origin, loc, format!("{} NetworkPolicy object(s) ({}) are scanned, but the cluster has no network policy engine ({name}: {engine}): they enforce nothing", policies.len(), list_some(&policies)));
            }
        }
    }
}
