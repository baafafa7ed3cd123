//! K8S-024: seccomp profile not set to RuntimeDefault or Localhost (PSA restricted check
//! `seccompProfile_restricted`).

use super::seccomp_unconfined::valid_type;
use super::util::{set, str_field, windows_exempt, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-024.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-024",
    name: "seccomp-profile-missing",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-restricted", "nsa"],
    summary: "The pod does not run every container under the RuntimeDefault or a Localhost seccomp profile.",
    remediation: "Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a reviewed \
                  profile), or set it on every container.",
    docs: r#"## What it does
Requires `seccompProfile.type` `RuntimeDefault` or `Localhost`, either in `spec.securityContext` or in the
`securityContext` of every container, init container and ephemeral container; any other explicit value fails
(Pod Security Standards restricted control "Seccomp", PSA check `seccompProfile_restricted`, policy v1.19+).
From policy v1.25 pods with `spec.os.name: windows` are exempt. From v1.19 this rule replaces K8S-011 in the
restricted profile.

## Why is this bad?
Without a seccomp profile (the kubelet default is `Unconfined`), every system call is available to the
container, including the ones used by most kernel exploits and container escapes.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, restricted "Seccomp": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 975ce327 (seccomp profiles)
- NSA/CISA Kubernetes Hardening Guidance, hardening container environments
"#,
    references: &[
        PSS_DOCS,
        "Azure Policy 975ce327",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "seccompProfile_restricted",
        level: PssLevel::Restricted,
        since: 19,
        overrides: &[("K8S-011", 19)],
    }),
};

/// Flags pods whose containers do not all run under an allowed seccomp profile.
pub struct SeccompProfileMissing;

impl Rule for SeccompProfileMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if windows_exempt(ctx, &pod) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let pod_profile = pod.field(&["securityContext", "seccompProfile"]);
        // None: unset; Some(valid?): set explicitly.
        let pod_valid = set(&pod_profile).map(|p| {
            let t = str_field(p, "type");
            if !valid_type(t) {
                let pos = p.entry("type").map_or(pod_profile.pos, |e| e.key_pos);
                out.push(Violation::new(
                    format!("pod sets spec.securityContext.seccompProfile.type: \"{t}\""),
                    pos,
                    format!("{}/type", pod_profile.pointer),
                ));
            }
            valid_type(t)
        });
        for c in pod.containers() {
            let profile = c.field(&["securityContext", "seccompProfile"]);
            match set(&profile) {
                Some(p) => {
                    let t = str_field(p, "type");
                    if !valid_type(t) {
                        let pos = p.entry("type").map_or(profile.pos, |e| e.key_pos);
                        out.push(Violation::new(
                            format!("{} sets securityContext.seccompProfile.type: \"{t}\"", c.label()),
                            pos,
                            format!("{}/type", profile.pointer),
                        ));
                    }
                }
                // Inheriting an explicitly bad pod profile is fixed with the pod: report the pod only.
                None if pod_valid.is_none() => out.push(Violation::new(
                    c.label().with(
                        " does not set securityContext.seccompProfile.type to RuntimeDefault or Localhost, and \
                         neither does the pod",
                    ),
                    profile.pos,
                    format!("{}/type", profile.pointer),
                )),
                None => {}
            }
        }
        out
    }
}
