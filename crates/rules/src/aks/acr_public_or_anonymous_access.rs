//! AKS-102: The container registry is reachable from public networks or allows anonymous pull.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-102.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-102",
    name: "acr-public-or-anonymous-access",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "The container registry is reachable from public networks or allows anonymous pull.",
    remediation: "Disable public network access (publicNetworkAccess: Disabled; Terraform public_network_access_enabled = false) with a private endpoint (Premium SKU), and disable anonymous pull.",
    docs: r#"## What it does
Flags registries with public network access enabled (`publicNetworkAccess` not `Disabled`; Terraform
`public_network_access_enabled`, default true) or `anonymousPullEnabled: true` (Terraform
`anonymous_pull_enabled`).

## Why is this bad?
A public registry accepts credential-stuffing and token replay from anywhere; anonymous pull publishes every
image, including internal code and embedded secrets.

## Example
```hcl
resource "azurerm_container_registry" "acr" {
  sku                    = "Standard"
  anonymous_pull_enabled = true
}
```

## Use instead
```hcl
resource "azurerm_container_registry" "acr" {
  sku                           = "Premium"
  public_network_access_enabled = false
}
```

## References
- Checkov CKV_AZURE_139, CKV_AZURE_138
- seed:002
- https://learn.microsoft.com/azure/container-registry/container-registry-private-link
"#,
    references: &[
        "Checkov CKV_AZURE_139, CKV_AZURE_138",
        "seed:002",
        "https://learn.microsoft.com/azure/container-registry/container-registry-private-link",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The container registry is reachable from public networks or allows anonymous pull.
pub struct AcrPublicOrAnonymousAccess;

impl Rule for AcrPublicOrAnonymousAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for r in &index.aks.model().registries {
            match &r.public_network {
                Setting::Absent => report(
                    out,
                    &r.origin,
                    None,
                    "public network access is not disabled (default enabled)",
                ),
                Setting::Set(true, l) => report(out, &r.origin, Some(l), "public network access is enabled"),
                Setting::Unknown(why, l) => out.not_evaluated(
                    scope(&r.origin),
                    format!("public network access is not known at {}:{}: {why}", l.file, l.line),
                ),
                _ => {}
            }
            if let Setting::Set(true, l) = &r.anonymous_pull {
                report(
                    out,
                    &r.origin,
                    Some(l),
                    "anonymous pull is enabled: anyone can pull every image",
                );
            }
        }
    }
}
