//! AKS-022: A private cluster also publishes a public FQDN for its API server.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-022.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-022",
    name: "private-cluster-public-fqdn",
    family: "aks",
    severity: Severity::Low,
    profiles: &["cis-aks"],
    summary: "A private cluster also publishes a public FQDN for its API server.",
    remediation: "Set apiServerAccessProfile.enablePrivateClusterPublicFQDN: false (Terraform private_cluster_public_fqdn_enabled = false).",
    docs: r#"## What it does
For private clusters, flags `apiServerAccessProfile.enablePrivateClusterPublicFQDN: true` (Terraform
`private_cluster_public_fqdn_enabled = true`). Absent is treated as false.

## Why is this bad?
The public FQDN resolves the private API server address from anywhere, revealing the cluster's existence and
internal address plan.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  private_cluster_enabled             = true
  private_cluster_public_fqdn_enabled = true
}
```
```json
{ "properties": { "apiServerAccessProfile": { "enablePrivateCluster": true, "enablePrivateClusterPublicFQDN": true } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  private_cluster_enabled             = true
  private_cluster_public_fqdn_enabled = false
}
```

## References
- CIS AKS Benchmark 5.4.2
- https://learn.microsoft.com/azure/aks/private-clusters
"#,
    references: &[
        "CIS AKS Benchmark 5.4.2",
        "https://learn.microsoft.com/azure/aks/private-clusters",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A private cluster also publishes a public FQDN for its API server.
pub struct PrivateClusterPublicFqdn;

impl Rule for PrivateClusterPublicFqdn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            if c.private_cluster.known() != Some(&true) {
                continue;
            }
            let name = Names {
                tf: "private_cluster_public_fqdn_enabled",
                arm: "apiServerAccessProfile.enablePrivateClusterPublicFQDN",
                az: "apiServerAccessProfile.enablePrivateClusterPublicFqdn",
            }
            .of(&c.origin);
            if let Some(Read::Set(true, l)) = read(out, &c.origin, name, &c.private_public_fqdn, None) {
                report(
                    out,
                    &c.origin,
                    Some(l),
                    format!(
                        "{} is true: the private API server has a public DNS name",
                        written(l, name)
                    ),
                );
            }
        }
    }
}
