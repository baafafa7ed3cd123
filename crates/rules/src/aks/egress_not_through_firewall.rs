//! AKS-026: Cluster egress goes straight out through the load balancer, not through a firewall or NAT gateway.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-026.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-026",
    name: "egress-not-through-firewall",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "Cluster egress goes straight out through the load balancer, not through a firewall or NAT gateway.",
    remediation: "Route egress through Azure Firewall or an NVA (outboundType: userDefinedRouting) or a NAT gateway.",
    docs: r#"## What it does
Reports clusters whose `networkProfile.outboundType` is `loadBalancer` or not set (the default) at info severity;
accepts `userDefinedRouting`, `managedNATGateway`, `userAssignedNATGateway` and `none`.

## Why is this bad?
Egress through the cluster load balancer cannot be filtered by FQDN: a compromised pod can reach any host on the
internet to exfiltrate data or fetch tools.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "azure"
    outbound_type  = "loadBalancer"
  }
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  network_profile {
    network_plugin = "azure"
    outbound_type  = "userDefinedRouting"
  }
}
```

## References
- seed:000 (Azure Firewall/NSGs), seed:001 (egress firewall)
- https://learn.microsoft.com/azure/aks/limit-egress-traffic
"#,
    references: &[
        "seed:000 (Azure Firewall/NSGs), seed:001 (egress firewall)",
        "https://learn.microsoft.com/azure/aks/limit-egress-traffic",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Cluster egress goes straight out through the load balancer, not through a firewall or NAT gateway.
pub struct EgressNotThroughFirewall;

impl Rule for EgressNotThroughFirewall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "network_profile.outbound_type",
                arm: "networkProfile.outboundType",
                az: "networkProfile.outboundType",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.outbound_type, None) {
                Some(Read::Absent) => {
                    report(
                        out,
                        &c.origin,
                        None,
                        format!("{name} is not set (default loadBalancer): egress is not filtered"),
                    );
                    out.with_severity(Severity::Info);
                }
                Some(Read::Set(v, l)) => match v.to_ascii_lowercase().as_str() {
                    "userdefinedrouting" | "managednatgateway" | "userassignednatgateway" | "none" => {}
                    "loadbalancer" => {
                        report(
                            out,
                            &c.origin,
                            Some(l),
                            format!("{} is {v}: egress is not filtered", written(l, name)),
                        );
                        out.with_severity(Severity::Info);
                    }
                    _ => report(
                        out,
                        &c.origin,
                        Some(l),
                        format!(
                            "{} is {v}: egress is not routed through a firewall or NAT gateway",
                            written(l, name)
                        ),
                    ),
                },
                _ => {}
            }
        }
    }
}
