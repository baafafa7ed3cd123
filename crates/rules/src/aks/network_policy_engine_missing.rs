//! AKS-023: The cluster has no network policy engine, so NetworkPolicy objects are not enforced.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-023.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-023",
    name: "network-policy-engine-missing",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "The cluster has no network policy engine, so NetworkPolicy objects are not enforced.",
    remediation: "Set networkProfile.networkPolicy to azure, calico or cilium (Terraform network_profile { network_policy = \"azure\" }); it can only be set at creation on older clusters.",
    docs: r#"## What it does
Flags clusters whose `networkProfile.networkPolicy` (Terraform `network_profile.network_policy`) is absent,
`none` or not one of `azure`, `calico`, `cilium`. Azure CNI powered by Cilium (`networkDataplane: cilium`) counts as
an engine. Azure's default is no engine.

## Why is this bad?
Without an engine, NetworkPolicy objects are accepted by the API server and silently ignored: every pod can
talk to every other pod and to the node's metadata endpoints, so one compromised pod reaches everything.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "azure"
  }
}
```
```json
{ "properties": { "networkProfile": { "networkPlugin": "azure" } } }
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
```json
{ "properties": { "networkProfile": { "networkPlugin": "azure", "networkPolicy": "calico" } } }
```

## References
- CIS AKS Benchmark 5.4.4
- NSA/CISA Kubernetes Hardening Guidance, Network separation
- Checkov CKV_AZURE_7
- Trivy AZU-0043
- seed:002, seed:003
- https://learn.microsoft.com/azure/aks/use-network-policies
"#,
    references: &[
        "CIS AKS Benchmark 5.4.4",
        "NSA/CISA Kubernetes Hardening Guidance, Network separation",
        "Checkov CKV_AZURE_7",
        "Trivy AZU-0043",
        "seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/use-network-policies",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The cluster has no network policy engine, so NetworkPolicy objects are not enforced.
pub struct NetworkPolicyEngineMissing;

impl Rule for NetworkPolicyEngineMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "network_profile.network_policy",
            arm: "networkProfile.networkPolicy",
            az: "networkProfile.networkPolicy",
        };
        for c in clusters(index) {
            if c.network_dataplane.lower().as_deref() == Some("cilium") {
                continue;
            }
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.network_policy, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set: NetworkPolicy objects are not enforced"),
                ),
                Some(Read::Set(p, l)) if !matches!(p.to_ascii_lowercase().as_str(), "azure" | "calico" | "cilium") => {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("{} is {p}: NetworkPolicy objects are not enforced", written(l, name)),
                    );
                }
                _ => {}
            }
        }
    }
}
