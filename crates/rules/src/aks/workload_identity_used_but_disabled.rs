//! AKS-092: Workloads use workload identity (label or service account annotation), but the cluster has workload identity or the OIDC issuer off.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-092.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-092",
    name: "workload-identity-used-but-disabled",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "Workloads use workload identity (label or service account annotation), but the cluster has workload identity or the OIDC issuer off.",
    remediation: "Enable securityProfile.workloadIdentity and oidcIssuerProfile on the cluster (Terraform workload_identity_enabled = true, oidc_issuer_enabled = true).",
    docs: r#"## What it does
Cross-layer: when cluster configuration and manifests are scanned together, flags clusters with workload identity
or the OIDC issuer disabled (or not set) while pods carry the label `azure.workload.identity/use: "true"` or
ServiceAccounts carry the annotation `azure.workload.identity/client-id`.

## Why is this bad?
The mutating webhook is not installed, so the pods get no federated token: applications fail to authenticate or,
worse, fall back to the node's kubelet identity or a secret in an environment variable.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oidc_issuer_enabled = false
}
// and in the manifests: pod label azure.workload.identity/use: "true"
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
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

/// Workloads use workload identity (label or service account annotation), but the cluster has workload identity or the OIDC issuer off.
pub struct WorkloadIdentityUsedButDisabled;

impl Rule for WorkloadIdentityUsedButDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        const LABEL: &str = "azure.workload.identity/use";
        const ANNOTATION: &str = "azure.workload.identity/client-id";
        // Only a scanned cluster can be reported (nothing to do for manifests alone).
        if clusters(index).is_empty() {
            return;
        }
        let mut users: Vec<String> = index
            .workloads
            .iter()
            .filter(|w| w.pod_labels.iter().any(|(k, v)| k == LABEL && v == "true"))
            .map(|w| describe(&w.object.id))
            .collect();
        users.extend(
            index
                .of_kind("ServiceAccount")
                .filter(|o| {
                    o.root
                        .path(&["metadata", "annotations"])
                        .and_then(|a| a.get(ANNOTATION))
                        .is_some()
                })
                .map(|o| describe(&o.id)),
        );
        if users.is_empty() {
            return;
        }
        let wi = Names {
            tf: "workload_identity_enabled",
            arm: "securityProfile.workloadIdentity.enabled",
            az: "securityProfile.workloadIdentity.enabled",
        };
        let oidc = Names {
            tf: "oidc_issuer_enabled",
            arm: "oidcIssuerProfile.enabled",
            az: "oidcIssuerProfile.enabled",
        };
        for c in clusters(index) {
            for (names, s) in [(wi, &c.workload_identity), (oidc, &c.oidc_issuer)] {
                let name = names.of(&c.origin);
                match read(out, &c.origin, name, s, Some(&false)) {
                    Some(Read::Set(false, l)) => report(
                        out,
                        &c.origin,
                        Some(l),
                        format!(
                            "{} is false, but {} use workload identity",
                            written(l, name),
                            list_some(&users)
                        ),
                    ),
                    Some(Read::Default(_)) => report(
                        out,
                        &c.origin,
                        None,
                        format!(
                            "{name} is not set (default false), but {} use workload identity",
                            list_some(&users)
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
}
