//! AKS-020: The API server has a public endpoint (the cluster is not private).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-020.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-020",
    name: "public-api-server",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "The API server has a public endpoint (the cluster is not private).",
    remediation: "Create the cluster as a private cluster (apiServerAccessProfile.enablePrivateCluster: true, Terraform private_cluster_enabled = true), or at least restrict authorized IP ranges (AKS-021).",
    docs: r#"## What it does
Flags clusters where `apiServerAccessProfile.enablePrivateCluster` (Terraform `private_cluster_enabled`, azurerm
2.x `private_link_enabled`) is false or not set. Azure's default is a public API server.

## Why is this bad?
A public API server can be reached, probed and brute-forced from the whole internet, and every Kubernetes or
AKS API vulnerability becomes remotely exploitable. A private cluster exposes the API server only inside the
virtual network.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  private_cluster_enabled = false
}
```
```json
{ "properties": { "apiServerAccessProfile": { "enablePrivateCluster": false } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  private_cluster_enabled = true
  private_dns_zone_id     = "System"
}
```
```json
{ "properties": { "apiServerAccessProfile": { "enablePrivateCluster": true } } }
```

## References
- CIS AKS Benchmark 5.4.1, 5.4.2, 5.4.3
- Azure Policy 040732e8
- Checkov CKV_AZURE_115
- Trivy AZU-0065
- seed:000, seed:001, seed:002
- https://learn.microsoft.com/azure/aks/private-clusters
"#,
    references: &[
        "CIS AKS Benchmark 5.4.1, 5.4.2, 5.4.3",
        "Azure Policy 040732e8",
        "Checkov CKV_AZURE_115",
        "Trivy AZU-0065",
        "seed:000, seed:001, seed:002",
        "https://learn.microsoft.com/azure/aks/private-clusters",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The API server has a public endpoint (the cluster is not private).
pub struct PublicApiServer;

impl Rule for PublicApiServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        require_bool(
            index,
            out,
            Names {
                tf: "private_cluster_enabled",
                arm: "apiServerAccessProfile.enablePrivateCluster",
                az: "apiServerAccessProfile.enablePrivateCluster",
            },
            false,
            true,
            |c| &c.private_cluster,
            "the API server is reachable from the internet",
        );
    }
}
