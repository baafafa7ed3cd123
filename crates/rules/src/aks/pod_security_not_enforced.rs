//! AKS-093: Pods rely on Pod Security Standards, but their namespaces have no PSA enforce label and the cluster has no Azure Policy add-on.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-093.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-093",
    name: "pod-security-not-enforced",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "Pods rely on Pod Security Standards, but their namespaces have no PSA enforce label and the cluster has no Azure Policy add-on.",
    remediation: "Label the namespaces pod-security.kubernetes.io/enforce: restricted (or baseline), or enable the Azure Policy add-on with the pod security initiative.",
    docs: r#"## What it does
Cross-layer: when cluster configuration and manifests are scanned together, flags clusters whose Azure Policy
add-on is off (or not set) while workloads run in non-system namespaces whose scanned Namespace object has no
`pod-security.kubernetes.io/enforce` label. Namespaces whose Namespace object is not in the scan cannot be judged:
when only such namespaces are involved, the rule is not evaluated.

## Why is this bad?
Pod Security Standards are only guidance until something admits pods against them: with neither PSA labels nor
Azure Policy, privileged and host-namespace pods are admitted and the PSS findings of the manifests describe what
the cluster will actually run.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_policy_enabled = false
}
// and in the manifests: a Namespace without pod-security.kubernetes.io/enforce
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  azure_policy_enabled = true
}
// or: metadata.labels: pod-security.kubernetes.io/enforce: restricted
```

## References
- seed:000, seed:002
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- https://learn.microsoft.com/azure/aks/use-psa
"#,
    references: &[
        "seed:000, seed:002",
        "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        "https://learn.microsoft.com/azure/aks/use-psa",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Pods rely on Pod Security Standards, but their namespaces have no PSA enforce label and the cluster has no Azure Policy add-on.
pub struct PodSecurityNotEnforced;

impl Rule for PodSecurityNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
        // Only a scanned cluster can be reported (nothing to do for manifests alone).
        if clusters(index).is_empty() {
            return;
        }
        let mut unlabelled: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if _params.is_system_namespace(ns) {
                continue;
            }
            match index.namespace_object(ns) {
                Some(o) => {
                    if o.labels().and_then(|l| l.get(ENFORCE)).is_none() && !unlabelled.iter().any(|x| x == ns) {
                        unlabelled.push(ns.to_string());
                    }
                }
                None => {
                    if !unknown.iter().any(|x| x == ns) {
                        unknown.push(ns.to_string());
                    }
                }
            }
        }
        if unlabelled.is_empty() && unknown.is_empty() {
            return;
        }
        for c in clusters(index) {
            let name = Names {
                tf: "azure_policy_enabled",
                arm: "addonProfiles.azurepolicy",
                az: "addonProfiles.azurepolicy",
            }
            .of(&c.origin);
            let loc = match read(out, &c.origin, name, &c.azure_policy.enabled, None) {
                Some(Read::Set(true, _)) | None => continue,
                Some(Read::Set(false, l)) => Some(l),
                _ => None,
            };
            if !unlabelled.is_empty() {
                report(out, &c.origin, loc, format!("the Azure Policy add-on is off and namespace(s) {} have no {ENFORCE} label: their pods are admitted without any Pod Security check", list_some(&unlabelled)));
            } else {
                out.not_evaluated(scope(&c.origin), format!("the Azure Policy add-on is off and the Namespace objects of {} were not scanned (their PSA labels are unknown)", list_some(&unknown)));
            }
        }
    }
}
