//! AKS-067: System and user workloads share node pools (no tainted System pool plus a User pool).

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-067.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-067",
    name: "system-user-pool-not-separated",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy", "seed"],
    summary: "System and user workloads share node pools (no tainted System pool plus a User pool).",
    remediation: "Taint the System pool with CriticalAddonsOnly=true:NoSchedule (Terraform only_critical_addons_enabled = true) and run applications on separate User pools.",
    docs: r#"## What it does
Flags clusters that do not have both a System pool tainted `CriticalAddonsOnly=true:NoSchedule` (Terraform
`default_node_pool.only_critical_addons_enabled`, or 3.x `node_taints`) and at least one User pool (a separate
`azurerm_kubernetes_cluster_node_pool` defaults to User; an ARM pool without `mode` is User unless it is the only
pool).

## Why is this bad?
Application pods on system nodes compete with CoreDNS, konnectivity and metrics-server, and a compromised
application pod lands on the nodes that run cluster-critical components.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name = "system"
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  default_node_pool {
    name                         = "system"
    only_critical_addons_enabled = true
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  mode                  = "User"
}
```

## References
- Azure Policy 48940d92
- Checkov CKV_AZURE_232
- seed:002
- https://learn.microsoft.com/azure/aks/use-system-pools
"#,
    references: &[
        "Azure Policy 48940d92",
        "Checkov CKV_AZURE_232",
        "seed:002",
        "https://learn.microsoft.com/azure/aks/use-system-pools",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// System and user workloads share node pools (no tainted System pool plus a User pool).
pub struct SystemUserPoolNotSeparated;

impl Rule for SystemUserPoolNotSeparated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            if let Some(why) = &c.node_pools_unknown {
                out.not_evaluated(
                    scope(&c.origin),
                    format!("a node pool could not be attached to the cluster: {why}"),
                );
                continue;
            }
            let only = c.node_pools.len() == 1;
            let mode = |p: &palisade_core::aks::NodePool| match p.mode.known() {
                Some(m) => m.to_ascii_lowercase(),
                None if only && !p.separate => "system".to_string(),
                None => "user".to_string(),
            };
            let tainted = |p: &palisade_core::aks::NodePool| {
                p.only_critical_addons.known() == Some(&true)
                    || p.taints.known().is_some_and(|t| {
                        t.iter().any(|x| {
                            x.replace(' ', "")
                                .eq_ignore_ascii_case("CriticalAddonsOnly=true:NoSchedule")
                        })
                    })
            };
            let system_tainted = c.node_pools.iter().any(|p| mode(p) == "system" && tainted(p));
            let has_user = c.node_pools.iter().any(|p| mode(p) == "user");
            let first = c.node_pools.first().map(|p| &p.at);
            if !system_tainted {
                report(out, &c.origin, first, "no System pool is tainted CriticalAddonsOnly=true:NoSchedule: application pods can run on system nodes");
            } else if !has_user {
                report(
                    out,
                    &c.origin,
                    first,
                    "the cluster has no User node pool: applications run on the System pool",
                );
            }
        }
    }
}
