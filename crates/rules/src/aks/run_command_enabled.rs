//! AKS-009: Run command (az aks command invoke) is enabled.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-009.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-009",
    name: "run-command-enabled",
    family: "aks",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "Run command (az aks command invoke) is enabled.",
    remediation: "Set apiServerAccessProfile.disableRunCommand: true (Terraform run_command_enabled = false).",
    docs: r#"## What it does
Flags clusters where `apiServerAccessProfile.disableRunCommand` is false or not set (Terraform
`run_command_enabled` true or not set). Azure's default is enabled.

## Why is this bad?
Run command lets anyone with the Azure permission run kubectl inside a private cluster through the Azure control
plane, bypassing network isolation of the API server.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  run_command_enabled = true
}
```
```json
{ "properties": { "apiServerAccessProfile": { "disableRunCommand": false } } }
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  run_command_enabled = false
}
```

## References
- Azure Policy 89f2d532, 1b708b0a
- https://learn.microsoft.com/azure/aks/access-private-cluster
"#,
    references: &[
        "Azure Policy 89f2d532, 1b708b0a",
        "https://learn.microsoft.com/azure/aks/access-private-cluster",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Run command (az aks command invoke) is enabled.
pub struct RunCommandEnabled;

impl Rule for RunCommandEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "run_command_enabled",
                arm: "apiServerAccessProfile.disableRunCommand",
                az: "apiServerAccessProfile.disableRunCommand",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.run_command_disabled, Some(&false)) {
                Some(Read::Set(false, l)) => report(
                    out,
                    &c.origin,
                    Some(l),
                    "run command is enabled: kubectl can be run through the Azure control plane",
                ),
                Some(Read::Default(_)) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set (Azure's default: run command enabled)"),
                ),
                _ => {}
            }
        }
    }
}
