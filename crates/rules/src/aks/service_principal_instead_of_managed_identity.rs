//! AKS-006: The cluster uses a service principal instead of a managed identity.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-006.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-006",
    name: "service-principal-instead-of-managed-identity",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "The cluster uses a service principal instead of a managed identity.",
    remediation: "Use a system- or user-assigned managed identity (identity { type = \"SystemAssigned\" }) and remove the service principal.",
    docs: r#"## What it does
Flags clusters whose `servicePrincipalProfile.clientId` is a real client ID (not `msi`; Terraform: a
`service_principal` block), and clusters with no managed identity (`identity.type` absent or `None`).

## Why is this bad?
A service principal's client secret is stored on every node (`/etc/kubernetes/azure.json`), expires, must be
rotated by hand and can be used from anywhere once stolen. Managed identities have no secret to leak or rotate.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  service_principal {
    client_id     = var.client_id
    client_secret = var.client_secret
  }
}
```
```json
{ "properties": { "servicePrincipalProfile": { "clientId": "00000000-0000-0000-0000-000000000001" } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  identity {
    type = "SystemAssigned"
  }
}
```
```json
{ "identity": { "type": "SystemAssigned" } }
```

## References
- CIS AKS Benchmark 5.2.1
- Azure Policy da6e2401
- seed:000, seed:002
- https://learn.microsoft.com/azure/aks/use-managed-identity
"#,
    references: &[
        "CIS AKS Benchmark 5.2.1",
        "Azure Policy da6e2401",
        "seed:000, seed:002",
        "https://learn.microsoft.com/azure/aks/use-managed-identity",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The cluster uses a service principal instead of a managed identity.
pub struct ServicePrincipalInsteadOfManagedIdentity;

impl Rule for ServicePrincipalInsteadOfManagedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let sp = Names {
                tf: "service_principal",
                arm: "servicePrincipalProfile.clientId",
                az: "servicePrincipalProfile.clientId",
            }
            .of(&c.origin);
            match read(out, &c.origin, sp, &c.service_principal, None) {
                None => continue,
                Some(Read::Set(id, l)) if !id.eq_ignore_ascii_case("msi") => {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("{sp} is set: the cluster authenticates to Azure with a service principal secret"),
                    );
                    continue;
                }
                _ => {}
            }
            let msi = c
                .service_principal
                .known()
                .is_some_and(|s| s.eq_ignore_ascii_case("msi"));
            match read(out, &c.origin, "identity.type", &c.identity_type, None) {
                Some(Read::Set(t, l))
                    if !t.eq_ignore_ascii_case("SystemAssigned") && !t.eq_ignore_ascii_case("UserAssigned") && !msi =>
                {
                    report(
                        out,
                        &c.origin,
                        Some(l),
                        format!("identity.type is {t}: the cluster has no managed identity"),
                    );
                }
                Some(Read::Absent) if !msi => report(
                    out,
                    &c.origin,
                    None,
                    "no managed identity is configured (identity block absent)",
                ),
                _ => {}
            }
        }
    }
}
