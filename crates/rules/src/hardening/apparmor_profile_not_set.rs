//! K8S-049: containers without an explicit AppArmor profile.

use crate::pss::util::{metadata_field, set};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The deprecated per-container AppArmor annotation prefix (still honoured by the kubelet).
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Metadata of K8S-049.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-049",
    name: "apparmor-profile-not-set",
    family: "hardening",
    severity: Severity::Info,
    profiles: &["nsa"],
    summary: "A container does not set an AppArmor profile explicitly.",
    remediation: "Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost with a profile) on the pod \
                  or the container.",
    docs: r#"## What it does
Reports each container, init container and ephemeral container for which no AppArmor profile is set: neither
`securityContext.appArmorProfile` on the container, nor `spec.securityContext.appArmorProfile` on the pod, nor the
older annotation `container.apparmor.security.beta.kubernetes.io/<container name>` on the pod (template). Any
explicit value passes here; `Unconfined` is reported by K8S-008. Windows pods (`spec.os.name: windows`) are
skipped. Advisory (info): on nodes with AppArmor enabled (AKS Ubuntu node images) the runtime applies its default
profile anyway, so this only makes the intent explicit and keeps the pod confined if the default changes.

## Why is this bad?
An explicit profile documents and pins the confinement the workload is tested with. Without it the container's
confinement depends on the node image and runtime configuration.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
```

## Use instead
```yaml
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
```

## References
- NSA/CISA Kubernetes Hardening Guidance, "Hardening container environments" (AppArmor, seccomp, SELinux)
- Kubernetes AppArmor: https://kubernetes.io/docs/tutorials/security/apparmor/
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance",
        "https://kubernetes.io/docs/tutorials/security/apparmor/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers with no AppArmor field or annotation.
pub struct AppArmorProfileNotSet;

impl Rule for AppArmorProfileNotSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if pod.is_windows() || set(&pod.field(&["securityContext", "appArmorProfile"])).is_some() {
            return Vec::new();
        }
        pod.containers()
            .filter_map(|c| {
                let field = c.field(&["securityContext", "appArmorProfile"]);
                if set(&field).is_some() {
                    return None;
                }
                let key = format!("{ANNOTATION_PREFIX}{}", c.name());
                let annotated = metadata_field(&pod, &["annotations", &key])
                    .is_some_and(|loc| loc.node.and_then(|n| n.as_str()).is_some());
                (!annotated).then(|| {
                    Violation::new(
                        format!(
                            "{} sets no AppArmor profile (securityContext.appArmorProfile, the pod's \
                             spec.securityContext.appArmorProfile or annotation {key})",
                            c.label()
                        ),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect()
    }
}
