//! AKS-063: The Kubernetes version is below the oldest minor AKS supports, or node pools run a different minor than the control plane.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;

/// Oldest Kubernetes minor (1.N) in AKS standard support when this release was made.
const MIN_SUPPORTED_MINOR: u32 = 32;

/// The minor of `1.N[.P]`.
fn minor(v: &str) -> Option<u32> {
    let mut it = v.trim().trim_start_matches('v').split('.');
    if it.next()? != "1" {
        return None;
    }
    it.next()?.parse().ok()
}
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-063.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-063",
    name: "kubernetes-version-outdated",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["azure-policy", "seed"],
    summary: "The Kubernetes version is below the oldest minor AKS supports, or node pools run a different minor than the control plane.",
    remediation: "Upgrade the cluster to a supported Kubernetes minor (or set an auto-upgrade channel) and keep node pools on the control plane's minor.",
    docs: r#"## What it does
Flags `kubernetesVersion` (Terraform `kubernetes_version`) whose minor is below 1.32, the oldest minor in AKS
standard support when this release was made (AKS supports the three newest minors; long-term support versions are
reported too, as they need the Premium tier), and node pools whose `orchestratorVersion` minor differs from the
cluster's. An absent version means AKS's default (the newest generally available) and passes.

## Why is this bad?
Versions out of support get no security patches from AKS; version skew between control plane and nodes keeps
old kubelets with known CVEs in the cluster.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  kubernetes_version = "1.27.9"
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  kubernetes_version        = "1.33"
  automatic_upgrade_channel = "patch"
}
```

## References
- Azure Policy fb893a29
- Kubescape C-0273
- seed:001
- https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
"#,
    references: &[
        "Azure Policy fb893a29",
        "Kubescape C-0273",
        "seed:001",
        "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The Kubernetes version is below the oldest minor AKS supports, or node pools run a different minor than the control plane.
pub struct KubernetesVersionOutdated;

impl Rule for KubernetesVersionOutdated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "kubernetes_version",
                arm: "kubernetesVersion",
                az: "kubernetesVersion",
            }
            .of(&c.origin);
            let cluster_minor = match read(out, &c.origin, name, &c.kubernetes_version, None) {
                Some(Read::Set(v, l)) => {
                    let m = minor(v);
                    if let Some(m) = m.filter(|m| *m < MIN_SUPPORTED_MINOR) {
                        report(out, &c.origin, Some(l), format!("{} is {v}: 1.{m} is out of AKS standard support (oldest supported minor: 1.{MIN_SUPPORTED_MINOR})", written(l, name)));
                    }
                    m
                }
                _ => None,
            };
            let Some(cm) = cluster_minor else { continue };
            for p in &c.node_pools {
                if let Setting::Set(v, l) = &p.orchestrator_version {
                    if let Some(pm) = minor(v).filter(|pm| *pm != cm) {
                        report_pool(
                            out,
                            p,
                            Some(l),
                            format!("node pool {} runs 1.{pm} while the control plane runs 1.{cm}", p.name),
                        );
                    }
                }
            }
        }
    }
}
