//! AKS-107: A federated identity credential does not match the cluster's OIDC issuer, the token audience or a service account subject.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-107.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-107",
    name: "federated-credential-mismatch",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A federated identity credential does not match the cluster's OIDC issuer, the token audience or a service account subject.",
    remediation: "Set issuer to the cluster's oidcIssuerProfile.issuerURL, audience to api://AzureADTokenExchange and subject to system:serviceaccount:<namespace>:<name> of an existing ServiceAccount.",
    docs: r#"## What it does
Checks federated identity credentials (`azurerm_federated_identity_credential`,
`Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials`): audience must be exactly
`api://AzureADTokenExchange`; subject must be `system:serviceaccount:<namespace>:<name>` and, when that namespace's
ServiceAccounts are in the scan, name one of them; an issuer that references a cluster must reference a scanned
cluster's OIDC issuer URL.

## Why is this bad?
A mismatched credential silently breaks workload identity (pods then fall back to broader credentials), and a
subject naming a service account nobody reviews lets whoever creates it take the identity.

## Example
```hcl
resource "azurerm_federated_identity_credential" "app" {
  audience = ["api://AzureADTokenExchange"]
  issuer   = azurerm_kubernetes_cluster.main.oidc_issuer_url
  subject  = "shop:web"
}
```

## Use instead
```hcl
resource "azurerm_federated_identity_credential" "app" {
  audience = ["api://AzureADTokenExchange"]
  issuer   = azurerm_kubernetes_cluster.main.oidc_issuer_url
  subject  = "system:serviceaccount:shop:web"
}
```

## References
- seed:002
- https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster
"#,
    references: &[
        "seed:002",
        "https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A federated identity credential does not match the cluster's OIDC issuer, the token audience or a service account subject.
pub struct FederatedCredentialMismatch;

impl Rule for FederatedCredentialMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let m = index.aks.model();
        let issuers: Vec<&String> = m.clusters.iter().flat_map(|c| c.oidc_issuer_keys.iter()).collect();
        for f in &m.federated_credentials {
            match &f.audiences {
                Setting::Set(a, l)
                    if a.len() != 1 || a.first().map(String::as_str) != Some("api://AzureADTokenExchange") =>
                {
                    report(
                        out,
                        &f.origin,
                        Some(l),
                        format!("audience is {a:?}, not [\"api://AzureADTokenExchange\"]"),
                    );
                }
                _ => {}
            }
            if let Setting::Set(s, l) = &f.subject {
                match s.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':')) {
                    None => report(
                        out,
                        &f.origin,
                        Some(l),
                        format!("subject {s} is not system:serviceaccount:<namespace>:<name>"),
                    ),
                    Some((ns, sa)) => {
                        let sas: Vec<_> = index.in_namespace("ServiceAccount", ns).collect();
                        if !sas.is_empty() && !sas.iter().any(|o| o.id.name.as_deref() == Some(sa)) {
                            report(out, &f.origin, Some(l), format!("subject names ServiceAccount {ns}/{sa}, which is not among the scanned ServiceAccounts of {ns}"));
                        }
                    }
                }
            }
            if let Setting::Set(i, l) = &f.issuer {
                let cluster_ref = i.contains("azurerm_kubernetes_cluster.") || i.contains("managedclusters/");
                if cluster_ref && !issuers.contains(&i) {
                    report(
                        out,
                        &f.origin,
                        Some(l),
                        format!(
                            "issuer {} is not a scanned cluster's OIDC issuer URL",
                            palisade_core::aks::short_key(i)
                        ),
                    );
                }
            }
        }
    }
}
