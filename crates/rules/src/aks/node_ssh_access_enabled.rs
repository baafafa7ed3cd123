//! AKS-010: SSH access to nodes is enabled on a node pool.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-010.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-010",
    name: "node-ssh-access-enabled",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "SSH access to nodes is enabled on a node pool.",
    remediation: "Set securityProfile.sshAccess: Disabled on every agent pool.",
    docs: r#"## What it does
Flags agent pools whose `securityProfile.sshAccess` is not `Disabled` (absent means `LocalUser`, the API default).
azurerm does not expose the setting, so Terraform pools are reported as not evaluated.

## Why is this bad?
SSH keys on nodes give a path to the node that bypasses Kubernetes RBAC and audit logs; a leaked key gives root on
every node of the pool.

## Example
```hcl
// ARM:
// "agentPoolProfiles": [ { "name": "system", "securityProfile": { "sshAccess": "LocalUser" } } ]
```

## Use instead
```hcl
// ARM:
// "agentPoolProfiles": [ { "name": "system", "securityProfile": { "sshAccess": "Disabled" } } ]
```

## References
- Azure Policy 28257686
- https://learn.microsoft.com/azure/aks/manage-ssh-node-access
"#,
    references: &[
        "Azure Policy 28257686",
        "https://learn.microsoft.com/azure/aks/manage-ssh-node-access",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// SSH access to nodes is enabled on a node pool.
pub struct NodeSshAccessEnabled;

impl Rule for NodeSshAccessEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for p in pools(index) {
            if p.object.kind.starts_with("azurerm_") {
                out.not_evaluated(
                    pool_scope(p),
                    "azurerm does not expose securityProfile.sshAccess (the API default is LocalUser)",
                );
                continue;
            }
            match &p.ssh_access {
                Setting::Unknown(r, l) => out.not_evaluated(
                    pool_scope(p),
                    format!("securityProfile.sshAccess is not known at {}:{}: {r}", l.file, l.line),
                ),
                Setting::Set(v, l) if !v.eq_ignore_ascii_case("Disabled") => {
                    report_pool(out, p, Some(l), format!("node pool {} allows SSH access ({v})", p.name));
                }
                Setting::Absent => report_pool(
                    out,
                    p,
                    None,
                    format!(
                        "node pool {} does not set securityProfile.sshAccess (default LocalUser: SSH allowed)",
                        p.name
                    ),
                ),
                _ => {}
            }
        }
    }
}
