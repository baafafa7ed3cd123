//! AKS-049: No managed service mesh (Istio add-on) provides mTLS between services.

#![allow(unused_imports)]

use super::util::*;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of AKS-049.
pub static META: RuleMeta = RuleMeta {
    id: "AKS-049",
    name: "service-mesh-not-enabled",
    family: "aks",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "No managed service mesh (Istio add-on) provides mTLS between services.",
    remediation: "Enable the Istio-based service mesh add-on (serviceMeshProfile.mode: Istio; Terraform service_mesh_profile { mode = \"Istio\" }) or run another mesh with strict mTLS.",
    docs: r#"## What it does
Reports clusters whose `serviceMeshProfile.mode` is not `Istio` (absent included). Advisory: a mesh you install
yourself satisfies the intent.

## Why is this bad?
Without mTLS, traffic between pods is plaintext inside the cluster network and services cannot authenticate
their callers.

## Example
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  // no service_mesh_profile
}
```

## Use instead
```hcl
resource "azurerm_kubernetes_cluster" "main" {
  service_mesh_profile {
    mode = "Istio"
  }
}
```

## References
- seed:003 (TLS between services)
- https://learn.microsoft.com/azure/aks/istio-about
"#,
    references: &[
        "seed:003 (TLS between services)",
        "https://learn.microsoft.com/azure/aks/istio-about",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// No managed service mesh (Istio add-on) provides mTLS between services.
pub struct ServiceMeshNotEnabled;

impl Rule for ServiceMeshNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for c in clusters(index) {
            let name = Names {
                tf: "service_mesh_profile.mode",
                arm: "serviceMeshProfile.mode",
                az: "serviceMeshProfile.mode",
            }
            .of(&c.origin);
            match read(out, &c.origin, name, &c.service_mesh, None) {
                Some(Read::Absent) => report(
                    out,
                    &c.origin,
                    None,
                    format!("{name} is not set: no managed mTLS between services"),
                ),
                Some(Read::Set(v, l)) if !v.eq_ignore_ascii_case("Istio") => report(
                    out,
                    &c.origin,
                    Some(l),
                    format!("{} is {v}: no managed mTLS between services", written(l, name)),
                ),
                _ => {}
            }
        }
    }
}
