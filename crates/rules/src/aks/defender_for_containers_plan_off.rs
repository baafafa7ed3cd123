//! AKS-100: The Defender for Containers plan is not on the Standard tier for the subscription.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::aks::Setting;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-100.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-100",
    name: "defender-for-containers-plan-off",
    family: "aks",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "The Defender for Containers plan is not on the Standard tier for the subscription.",
    remediation: "Enable the Containers plan (Microsoft.Security/pricings Containers, pricingTier Standard; Terraform azurerm_security_center_subscription_pricing { resource_type = \"Containers\", tier = \"Standard\" }).",
    docs: r#"## What it does
Flags Defender for Cloud plans (`azurerm_security_center_subscription_pricing`, `Microsoft.Security/pricings`) for
`Containers` (and the legacy `KubernetesService` / `ContainerRegistry`) that are not `Standard`. When clusters are
declared in Terraform/ARM but no Containers plan is in the scan, the rule is not evaluated: the plan is usually
managed at subscription level elsewhere.

## Why is this bad?
Without the plan there is no registry and runtime vulnerability assessment, no Kubernetes threat detection and
the Defender sensor (AKS-040) reports nowhere.

## Example
```hcl
resource "azurerm_security_center_subscription_pricing" "containers" {
  tier          = "Free"
  resource_type = "Containers"
}
```

## Use instead
```hcl
resource "azurerm_security_center_subscription_pricing" "containers" {
  tier          = "Standard"
  resource_type = "Containers"
}
```

## References
- CIS AKS Benchmark 5.1.1
- Checkov CKV_AZURE_85, CKV_AZURE_86
- seed:002
- https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction
"#,
    references: &[
        "CIS AKS Benchmark 5.1.1",
        "Checkov CKV_AZURE_85, CKV_AZURE_86",
        "seed:002",
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The Defender for Containers plan is not on the Standard tier for the subscription.
pub struct DefenderForContainersPlanOff;

impl Rule for DefenderForContainersPlanOff {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let m = index.aks.model();
        let mut containers = false;
        for p in &m.defender_pricings {
            let plan = match &p.plan {
                Setting::Set(v, _) => v.to_ascii_lowercase(),
                Setting::Absent => "virtualmachines".to_string(),
                Setting::Unknown(r, l) => {
                    out.not_evaluated(
                        scope(&p.origin),
                        format!("the plan is not known at {}:{}: {r}", l.file, l.line),
                    );
                    continue;
                }
            };
            if !matches!(plan.as_str(), "containers" | "kubernetesservice" | "containerregistry") {
                continue;
            }
            containers |= plan == "containers";
            match &p.tier {
                Setting::Set(t, l) if !t.eq_ignore_ascii_case("standard") => report(
                    out,
                    &p.origin,
                    Some(l),
                    format!("the {plan} Defender plan is on the {t} tier"),
                ),
                Setting::Absent => report(out, &p.origin, None, format!("the {plan} Defender plan has no tier")),
                Setting::Unknown(r, l) => out.not_evaluated(
                    scope(&p.origin),
                    format!("the tier is not known at {}:{}: {r}", l.file, l.line),
                ),
                _ => {}
            }
        }
        if !containers && clusters(index).iter().any(declares_resources) {
            out.not_evaluated("subscription", "no Defender for Containers plan (azurerm_security_center_subscription_pricing / Microsoft.Security/pricings Containers) was scanned");
        }
    }
}
