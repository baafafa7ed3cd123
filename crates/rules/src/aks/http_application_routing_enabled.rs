//! AKS-028: The HTTP application routing add-on is enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-028.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-028",
    name: "http-application-routing-enabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &[],
    summary: "The HTTP application routing add-on is enabled.",
    remediation: "Disable addonProfiles.httpApplicationRouting (Terraform http_application_routing_enabled = false) and use the application routing add-on or an ingress controller you manage.",
    docs: r#"## What it does
Flags `addonProfiles.httpApplicationRouting.enabled: true` (Terraform `http_application_routing_enabled`, azurerm
2.x `addon_profile.http_application_routing`).

## Why is this bad?
The add-on is not meant for production: it creates a public DNS zone and a public ingress controller without TLS
or WAF, and is retired.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  http_application_routing_enabled = true
}
```
```json
{ "properties": { "addonProfiles": { "httpApplicationRouting": { "enabled": true } } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  http_application_routing_enabled = false
}
```

## References
- Checkov CKV_AZURE_246
- https://learn.microsoft.com/azure/aks/http-application-routing
"#,
    references: &[
        "Checkov CKV_AZURE_246",
        "https://learn.microsoft.com/azure/aks/http-application-routing",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The HTTP application routing add-on is enabled.
pub struct HttpApplicationRoutingEnabled;

impl Rule for HttpApplicationRoutingEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        forbid_enabled(
            index,
            out,
            Names {
                tf: "http_application_routing_enabled",
                arm: "addonProfiles.httpApplicationRouting",
                az: "addonProfiles.httpApplicationRouting",
            },
            |c| &c.http_app_routing.enabled,
            "it publishes a public, unencrypted ingress",
        );
    }
}
