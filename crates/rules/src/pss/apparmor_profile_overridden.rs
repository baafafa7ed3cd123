//! K8S-008: AppArmor disabled or overridden (PSA baseline check `appArmorProfile`).
//!
//! Pod Security Admission checks both channels at every policy version: the `appArmorProfile` fields (added to the
//! v1.0 check in place when the fields appeared) and the deprecated beta annotations.

use super::util::{set, str_field, string_annotations, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Prefix of the deprecated per-container AppArmor annotations.
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Metadata of K8S-008.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-008",
    name: "apparmor-profile-overridden",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted", "nsa"],
    summary: "The pod or a container sets an AppArmor profile other than RuntimeDefault or Localhost.",
    remediation: "Set appArmorProfile.type to RuntimeDefault or Localhost (or leave it unset), and remove \
                  container.apparmor.security.beta.kubernetes.io annotations with other values.",
    docs: r#"## What it does
Flags `securityContext.appArmorProfile.type` values other than `RuntimeDefault` and `Localhost` on the pod,
containers, init containers and ephemeral containers, and `container.apparmor.security.beta.kubernetes.io/*`
annotations whose value is not empty, `runtime/default` or `localhost/*` (Pod Security Standards baseline control
"AppArmor", PSA check `appArmorProfile`; both the fields and the annotations are checked at every policy version).

## Why is this bad?
`Unconfined` switches off the AppArmor profile the runtime applies by default, removing a layer that blocks
mounts, raw access to `/proc` and `/sys` and other escape techniques.

## Example
```yaml
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  securityContext:
    appArmorProfile:
      type: Unconfined
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "AppArmor": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 511f5417 (AppArmor profiles)
- NSA/CISA Kubernetes Hardening Guidance, hardening container environments
"#,
    references: &[
        PSS_DOCS,
        "Azure Policy 511f5417",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "appArmorProfile",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags AppArmor profile fields and annotations outside the allowed values.
pub struct AppArmorProfileOverridden;

fn allowed_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn allowed_annotation(value: &str) -> bool {
    value.is_empty() || value == "runtime/default" || value.starts_with("localhost/")
}

impl Rule for AppArmorProfileOverridden {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `appArmorProfile` or `annotations` key (only a set `appArmorProfile` or an AppArmor annotation is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["appArmorProfile", "annotations"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let profile = pod.field(&["securityContext", "appArmorProfile"]);
        if let Some(p) = set(&profile) {
            let t = str_field(p, "type");
            if !allowed_type(t) {
                let field = pod.field(&["securityContext", "appArmorProfile", "type"]);
                out.push(Violation::new(
                    format!("pod sets spec.securityContext.appArmorProfile.type: \"{t}\""),
                    field.pos,
                    field.pointer,
                ));
            }
        }
        for c in pod.containers() {
            let profile = c.field(&["securityContext", "appArmorProfile"]);
            if let Some(p) = set(&profile) {
                let t = str_field(p, "type");
                if !allowed_type(t) {
                    let field = c.field(&["securityContext", "appArmorProfile", "type"]);
                    out.push(Violation::new(
                        format!("{} sets securityContext.appArmorProfile.type: \"{t}\"", c.label()),
                        field.pos,
                        field.pointer,
                    ));
                }
            }
        }
        for (key, value, pos, pointer) in string_annotations(&pod) {
            let Some(container) = key.strip_prefix(ANNOTATION_PREFIX) else {
                continue;
            };
            if !allowed_annotation(value) {
                out.push(Violation::new(
                    format!("annotation \"{key}\" sets AppArmor profile \"{value}\" for container \"{container}\""),
                    pos,
                    pointer,
                ));
            }
        }
        out
    }
}
