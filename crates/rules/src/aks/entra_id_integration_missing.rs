//! AKS-001: The cluster is not integrated with Microsoft Entra ID in AKS-managed mode.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-001.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-001",
    name: "entra-id-integration-missing",
    family: "aks",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "The cluster is not integrated with Microsoft Entra ID in AKS-managed mode.",
    remediation: "Enable AKS-managed Entra ID integration (aadProfile.managed: true; Terraform azure_active_directory_role_based_access_control {}) and remove legacy server/client application settings.",
    docs: r#"## What it does
Flags clusters without Entra ID (Azure AD) integration (`aadProfile` absent; Terraform: no
`azure_active_directory_role_based_access_control` block, azurerm 2.x `role_based_access_control.azure_active_directory`),
and clusters using the legacy integration (`aadProfile.managed` false or absent, `serverAppID`/`clientAppID`/
`serverAppSecret`; azurerm 3.x `managed = false` with `client_app_id`/`server_app_id`). In azurerm 4.x the block is
always AKS-managed. Azure's default when nothing is written: no Entra ID integration.

## Why is this bad?
Without Entra ID, users authenticate with client certificates from the cluster's kubeconfig, which cannot be
revoked individually, carry no MFA or conditional access, and leave no identity in audit logs. The legacy
integration needs an application secret that must be rotated by hand.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  name = "aks-prod"
  // no azure_active_directory_role_based_access_control block
}
```
```json
{ "properties": { "aadProfile": null } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  name = "aks-prod"
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.aks_admin_group_id]
  }
}
```
```json
{ "properties": { "aadProfile": { "managed": true, "enableAzureRBAC": true } } }
```

## References
- CIS AKS Benchmark 5.5.1
- Azure Policy 450d2877
- seed:000, seed:002, seed:003, seed:004
- https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id
"#,
    references: &[
        "CIS AKS Benchmark 5.5.1",
        "Azure Policy 450d2877",
        "seed:000, seed:002, seed:003, seed:004",
        "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// The cluster is not integrated with Microsoft Entra ID in AKS-managed mode.
pub struct EntraIdIntegrationMissing;

impl Rule for EntraIdIntegrationMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let names = Names {
            tf: "azure_active_directory_role_based_access_control",
            arm: "aadProfile",
            az: "aadProfile",
        };
        for c in clusters(index) {
            let name = names.of(&c.origin);
            match read(out, &c.origin, name, &c.aad, None) {
                Some(Read::Absent) | Some(Read::Set(false, _)) => {
                    report(
                        out,
                        &c.origin,
                        c.aad.location(),
                        format!("{name} is not configured: the cluster has no Entra ID integration"),
                    );
                    continue;
                }
                None => continue,
                _ => {}
            }
            if let Some(Read::Set(true, l)) = read(
                out,
                &c.origin,
                "legacy Entra ID application settings",
                &c.aad_legacy_app,
                None,
            ) {
                report(
                    out,
                    &c.origin,
                    Some(l),
                    "legacy Entra ID integration (server/client application IDs): use AKS-managed Entra ID",
                );
                continue;
            }
            if let Some(Read::Set(false, l)) = read(out, &c.origin, "aadProfile.managed", &c.aad_managed, None) {
                report(
                    out,
                    &c.origin,
                    Some(l),
                    "Entra ID integration is not AKS-managed (managed is false)",
                );
            }
        }
    }
}
