//! AKS-021: A public API server accepts connections from any address (no authorized IP ranges, or 0.0.0.0/0).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-021.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-021",
    name: "api-server-open-to-internet",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "A public API server accepts connections from any address (no authorized IP ranges, or 0.0.0.0/0).",
    remediation: "Set apiServerAccessProfile.authorizedIPRanges (Terraform api_server_access_profile { authorized_ip_ranges }) to the addresses that need access, or make the cluster private.",
    docs: r#"## What it does
For clusters that are not private, flags an empty or missing `apiServerAccessProfile.authorizedIPRanges`
(az `authorizedIpRanges`; Terraform `api_server_access_profile.authorized_ip_ranges`, azurerm 2.x/3.x
`api_server_authorized_ip_ranges`) and ranges that contain `0.0.0.0/0`. Azure Policy 0e246bcf only tests that the
list exists; Palisade also rejects a list that allows everything.

## Why is this bad?
Without authorized ranges anyone on the internet can reach the API server's authentication layer, which is
where credential stuffing, token replay and API server CVEs are exploited.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  api_server_access_profile {
    authorized_ip_ranges = ["0.0.0.0/0"]
  }
}
```
```json
{ "properties": { "apiServerAccessProfile": { "authorizedIPRanges": [] } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24"]
  }
}
```
```json
{ "properties": { "apiServerAccessProfile": { "authorizedIPRanges": ["203.0.113.0/24"] } } }
```

## References
- CIS AKS Benchmark 5.4.1
- Azure Policy 0e246bcf
- Checkov CKV_AZURE_6
- Trivy AZU-0041
- seed:000, seed:002, seed:003, seed:004
- https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
"#,
    references: &[
        "CIS AKS Benchmark 5.4.1",
        "Azure Policy 0e246bcf",
        "Checkov CKV_AZURE_6",
        "Trivy AZU-0041",
        "seed:000, seed:002, seed:003, seed:004",
        "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// A public API server accepts connections from any address (no authorized IP ranges, or 0.0.0.0/0).
pub struct ApiServerOpenToInternet;

impl Rule for ApiServerOpenToInternet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "api_server_access_profile.authorized_ip_ranges",
            arm: "apiServerAccessProfile.authorizedIPRanges",
            az: "apiServerAccessProfile.authorizedIpRanges",
        };
        for c in clusters(index) {
            match read(
                out,
                &c.origin,
                "private cluster setting",
                &c.private_cluster,
                Some(&false),
            ) {
                Some(Read::Set(true, _)) | None => continue,
                _ => {}
            }
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.authorized_ip_ranges, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("the API server is public and {name} is not set: any address can connect"),
                ),
                Some(Read::Set(r, l)) if r.is_empty() => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("the API server is public and {name} is empty: any address can connect"),
                ),
                Some(Read::Set(r, l)) => {
                    if let Some(any) = r
                        .iter()
                        .find(|x| matches!(x.trim(), "0.0.0.0/0" | "0.0.0.0" | "*" | "::/0" | "Internet"))
                    {
                        report(
                            out,
                            &c.origin,
                            Some(l),
                            format!("{} contains {any}: any address can connect", written(l, name)),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
