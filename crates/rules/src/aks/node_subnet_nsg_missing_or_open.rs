//! AKS-106: A node subnet has no NSG, or an NSG allows SSH/RDP/all ports from the internet.

#![allow(unused_imports)]

use super::util::*;

/// Whether a destination port (range) includes SSH, RDP or everything.
fn admin_port(p: &str) -> bool {
    let p = p.trim();
    if p == "*" {
        return true;
    }
    let (lo, hi) = match p.split_once('-') {
        Some((a, b)) => (a.trim().parse::<u32>().ok(), b.trim().parse::<u32>().ok()),
        None => (p.parse::<u32>().ok(), p.parse::<u32>().ok()),
    };
    match (lo, hi) {
        (Some(lo), Some(hi)) => [22, 3389].iter().any(|x| (lo..=hi).contains(x)),
        _ => false,
    }
}
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-106.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-106",
    name: "node-subnet-nsg-missing-or-open",
    family: "aks",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "A node subnet has no NSG, or an NSG allows SSH/RDP/all ports from the internet.",
    remediation: "Associate an NSG with every node subnet and remove inbound Allow rules from Internet/* to 22, 3389 or all ports.",
    docs: r#"## What it does
Flags NSG rules (inline `security_rule`, `azurerm_network_security_rule`, `securityRules[]`) that are Inbound, Allow,
from `*`, `Internet`, `Any` or `0.0.0.0/0`, to port 22, 3389 or `*` (ranges included); and node pools whose
`vnet_subnet_id` is a subnet declared in the scan without an NSG association.

## Why is this bad?
Nodes reachable on SSH or RDP from the internet are brute-forced within minutes; a subnet without an NSG has no
network-level guard at all.

## Example
```hcl
resource "azurerm_network_security_rule" "ssh" {
  direction                  = "Inbound"
  access                     = "Allow"
  protocol                   = "Tcp"
  source_address_prefix      = "*"
  destination_port_range     = "22"
}
```

## Use instead
```hcl
resource "azurerm_network_security_rule" "https" {
  direction                  = "Inbound"
  access                     = "Allow"
  protocol                   = "Tcp"
  source_address_prefix      = "AzureLoadBalancer"
  destination_port_range     = "443"
}
```

## References
- Checkov CKV_AZURE_9, CKV_AZURE_10
- seed:000, seed:001, seed:002, seed:003
- https://learn.microsoft.com/azure/aks/concepts-network
"#,
    references: &[
        "Checkov CKV_AZURE_9, CKV_AZURE_10",
        "seed:000, seed:001, seed:002, seed:003",
        "https://learn.microsoft.com/azure/aks/concepts-network",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// A node subnet has no NSG, or an NSG allows SSH/RDP/all ports from the internet.
pub struct NodeSubnetNsgMissingOrOpen;

impl Rule for NodeSubnetNsgMissingOrOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let m = index.aks.model();
        for r in &m.nsg_rules {
            let inbound = r.direction.known().is_some_and(|d| d.eq_ignore_ascii_case("Inbound"));
            let allow = r.access.known().is_some_and(|a| a.eq_ignore_ascii_case("Allow"));
            if !inbound || !allow {
                continue;
            }
            let any_source = r.sources.known().is_some_and(|s| {
                s.iter().any(|x| {
                    matches!(
                        x.to_ascii_lowercase().as_str(),
                        "*" | "internet" | "any" | "0.0.0.0/0" | "0.0.0.0"
                    )
                })
            });
            if !any_source {
                continue;
            }
            let ports = r.ports.known().cloned().unwrap_or_default();
            if let Some(p) = ports.iter().find(|p| admin_port(p)) {
                out.violation_at(
                    r.object.clone(),
                    r.at.clone(),
                    format!("NSG rule {} allows inbound {p} from the internet", r.name),
                );
            }
        }
        let associated: Vec<&String> = m
            .subnet_nsgs
            .iter()
            .filter(|s| s.nsg.is_present())
            .flat_map(|s| s.subnet_keys.iter())
            .collect();
        let declared: Vec<&String> = m.subnet_nsgs.iter().flat_map(|s| s.subnet_keys.iter()).collect();
        for p in pools(index) {
            let Some(k) = p.vnet_subnet.known() else { continue };
            if declared.contains(&k) && !associated.contains(&k) {
                report_pool(
                    out,
                    p,
                    p.vnet_subnet.location(),
                    format!(
                        "node pool {} uses subnet {} which has no NSG",
                        p.name,
                        palisade_core::aks::short_key(k)
                    ),
                );
            }
        }
    }
}
