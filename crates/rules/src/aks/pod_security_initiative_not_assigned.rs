//! AKS-042: No Pod Security baseline/restricted Azure Policy initiative is assigned, or it only audits.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-042.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-042",
    name: "pod-security-initiative-not-assigned",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "No Pod Security baseline/restricted Azure Policy initiative is assigned, or it only audits.",
    remediation: "Assign the Kubernetes pod security restricted (42b8ef37) or baseline (a8640138) initiative at the cluster, resource group or subscription, with effect Deny once audited.",
    docs: r#"## What it does
For clusters declared in Terraform or ARM, looks for a policy assignment (`azurerm_*_policy_assignment`,
`Microsoft.Authorization/policyAssignments`) of the initiative `a8640138-9b0a-4a28-b8cb-1666c838647d` (baseline) or
`42b8ef37-b724-4e24-bbc8-7a7708edfe00` (restricted). None in the scan: a finding on the cluster. Assigned with
`effect` Audit, or not enforced (`enforcementMode: DoNotEnforce`, `enforce = false`): a finding on the assignment.
`az aks show` output does not contain policy assignments: not evaluated.

## Why is this bad?
The Azure Policy add-on only enforces what is assigned; without the pod security initiative in Deny mode,
privileged and host-namespace pods are admitted.

## Example
```hcl
resource "azurerm_resource_group_policy_assignment" "pss" {
  policy_definition_id = "/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00"
  parameters           = jsonencode({ effect = { value = "Audit" } })
}
```

## Use instead
```hcl
resource "azurerm_resource_group_policy_assignment" "pss" {
  policy_definition_id = "/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00"
  parameters           = jsonencode({ effect = { value = "Deny" } })
}
```

## References
- Azure Policy initiatives a8640138 (baseline), 42b8ef37 (restricted)
- seed:002, seed:004
- https://learn.microsoft.com/azure/aks/use-azure-policy
"#,
    references: &[
        "Azure Policy initiatives a8640138 (baseline), 42b8ef37 (restricted)",
        "seed:002, seed:004",
        "https://learn.microsoft.com/azure/aks/use-azure-policy",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// No Pod Security baseline/restricted Azure Policy initiative is assigned, or it only audits.
pub struct PodSecurityInitiativeNotAssigned;

impl Rule for PodSecurityInitiativeNotAssigned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        const INITIATIVES: [&str; 2] = [
            "a8640138-9b0a-4a28-b8cb-1666c838647d",
            "42b8ef37-b724-4e24-bbc8-7a7708edfe00",
        ];
        let m = index.aks.model();
        let pss: Vec<_> = m
            .policy_assignments
            .iter()
            .filter(|p| {
                p.definition
                    .lower()
                    .is_some_and(|d| INITIATIVES.iter().any(|i| d.ends_with(i)))
            })
            .collect();
        for c in clusters(index) {
            if !declares_resources(c) {
                out.not_evaluated(
                    scope(&c.origin),
                    "policy assignments are not part of `az aks show` output (`az policy assignment list`)",
                );
            } else if pss.is_empty() {
                let unknown = m.policy_assignments.iter().find_map(|p| p.definition.unknown_reason());
                match unknown {
                    Some(r) => out.not_evaluated(
                        scope(&c.origin),
                        format!("a policy assignment's definition is not known: {r}"),
                    ),
                    None => report(
                        out,
                        &c.origin,
                        None,
                        "no Pod Security baseline or restricted initiative is assigned in the scanned configuration",
                    ),
                }
            }
        }
        for p in pss {
            if let Setting::Set(e, l) = &p.effect {
                if e.eq_ignore_ascii_case("audit") {
                    report(out, &p.origin, Some(l), "the pod security initiative is assigned with effect Audit: non-compliant pods are still admitted");
                }
            }
            if let Setting::Set(false, l) = &p.enforced {
                report(
                    out,
                    &p.origin,
                    Some(l),
                    "the pod security initiative assignment is not enforced",
                );
            }
        }
    }
}
