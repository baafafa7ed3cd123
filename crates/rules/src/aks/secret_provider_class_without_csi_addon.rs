//! AKS-091: SecretProviderClass objects or Secrets Store CSI volumes are used, but the cluster's Key Vault Secrets Provider add-on is off.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-091.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-091",
    name: "secret-provider-class-without-csi-addon",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "SecretProviderClass objects or Secrets Store CSI volumes are used, but the cluster's Key Vault Secrets Provider add-on is off.",
    remediation: "Enable the azureKeyvaultSecretsProvider add-on (Terraform key_vault_secrets_provider {}), or install the Secrets Store CSI driver and Azure provider yourself.",
    docs: r#"## What it does
Cross-layer: when cluster configuration and manifests are scanned together, flags clusters whose Key Vault Secrets
Provider add-on is disabled while the manifests contain `SecretProviderClass` objects or pods mounting
`secrets-store.csi.k8s.io` volumes.

## Why is this bad?
Pods mounting the volume never start; the usual workaround under pressure is to copy the secret into a plain
Kubernetes Secret, which is exactly what the Key Vault design was meant to avoid.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no key_vault_secrets_provider block
}
// and in the manifests: kind: SecretProviderClass
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }
}
```

## References
- CIS AKS Benchmark 4.5.2
- seed:000, seed:002
- https://learn.microsoft.com/azure/aks/csi-secrets-store-driver
"#,
    references: &[
        "CIS AKS Benchmark 4.5.2",
        "seed:000, seed:002",
        "https://learn.microsoft.com/azure/aks/csi-secrets-store-driver",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// SecretProviderClass objects or Secrets Store CSI volumes are used, but the cluster's Key Vault Secrets Provider add-on is off.
pub struct SecretProviderClassWithoutCsiAddon;

impl Rule for SecretProviderClassWithoutCsiAddon {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        // Without a cluster there is nothing to report on: the users are not looked for (every workload).
        if clusters(index).is_empty() {
            return;
        }
        let mut users: Vec<String> = index
            .of_kind("SecretProviderClass")
            .map(|o| {
                format!(
                    "SecretProviderClass {}/{}",
                    o.id.namespace.as_deref().unwrap_or("default"),
                    o.id.name.as_deref().unwrap_or("?")
                )
            })
            .collect();
        users.extend(
            index
                .workloads
                .iter()
                .filter(|w| !w.secret_provider_classes.is_empty())
                .map(|w| describe(&w.object.id)),
        );
        if users.is_empty() {
            return;
        }
        for c in clusters(index) {
            let name = Names {
                tf: "key_vault_secrets_provider",
                arm: "addonProfiles.azureKeyvaultSecretsProvider",
                az: "addonProfiles.azureKeyvaultSecretsProvider",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.kv_secrets_provider.enabled, None) {
                Some(Read::Set(false, l)) => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!(
                        "{} is disabled, but {} use the Secrets Store CSI driver",
                        written(l, name),
                        list_some(&users)
                    ),
                ),
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!(
                        "{name} is not enabled, but {} use the Secrets Store CSI driver",
                        list_some(&users)
                    ),
                ),
                _ => {}
            }
        }
    }
}
