//! K8S-011: seccomp explicitly disabled (PSA baseline check `seccompProfile_baseline`).
//!
//! Policy v1.0 ... v1.18 read the alpha annotations; from v1.19 only the `seccompProfile` fields count.

use super::util::{metadata_field, minor, security_context_fields, set, str_at, str_field, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// The pod-level seccomp annotation read by policy versions before v1.19.
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
/// Prefix of the per-container seccomp annotations read by policy versions before v1.19.
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// Metadata of K8S-011.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-011",
    name: "seccomp-unconfined",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "The pod or a container sets a seccomp profile other than RuntimeDefault or Localhost.",
    remediation: "Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile), or leave it unset.",
    docs: r#"## What it does
From policy v1.19, flags `securityContext.seccompProfile` on the pod, containers, init containers and ephemeral
containers whose `type` is not `RuntimeDefault` or `Localhost` (Pod Security Standards baseline control
"Seccomp", PSA check `seccompProfile_baseline`). Policy versions v1.0 ... v1.18 check the
`seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/<container>`
annotations instead, which must be `runtime/default`, `docker/default` or `localhost/*`. From v1.19 the
restricted profile replaces this rule with K8S-024.

## Why is this bad?
`Unconfined` lets the container call every system call, including the ones behind most container escapes
(`unshare`, `keyctl`, `bpf`, `ptrace`, ...), which the runtime's default profile blocks.

## Example
```yaml
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
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
- Pod Security Standards, baseline "Seccomp": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 975ce327 (seccomp profiles)
"#,
    references: &[PSS_DOCS, "Azure Policy 975ce327"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "seccompProfile_baseline",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags seccomp profiles (fields from v1.19, annotations before) outside the allowed values.
pub struct SeccompUnconfined;

/// Whether a `seccompProfile.type` is allowed (`RuntimeDefault` or `Localhost`).
pub(crate) fn valid_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn valid_annotation(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

impl Rule for SeccompUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `seccompProfile` or `annotations` key (only a set `seccompProfile` or a seccomp annotation is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["seccompProfile", "annotations"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if minor(ctx) < 19 {
            if let Some(field) = metadata_field(&pod, &["annotations", POD_ANNOTATION]) {
                if let Some(value) = str_at(&field).filter(|v| !valid_annotation(v)) {
                    out.push(Violation::new(
                        format!("annotation \"{POD_ANNOTATION}\" sets seccomp profile \"{value}\" for the pod"),
                        field.pos,
                        field.pointer.clone(),
                    ));
                }
            }
            for c in pod.containers() {
                let key = format!("{CONTAINER_ANNOTATION_PREFIX}{}", c.name());
                let Some(field) = metadata_field(&pod, &["annotations", &key]) else {
                    continue;
                };
                if let Some(value) = str_at(&field).filter(|v| !valid_annotation(v)) {
                    out.push(Violation::new(
                        format!(
                            "annotation \"{key}\" sets seccomp profile \"{value}\" for {}",
                            c.label()
                        ),
                        field.pos,
                        field.pointer.clone(),
                    ));
                }
            }
            return out;
        }
        for (who, profile) in security_context_fields(&pod, &["seccompProfile"]) {
            let Some(p) = set(&profile) else { continue };
            let t = str_field(p, "type");
            if !valid_type(t) {
                let pos = p.entry("type").map_or(profile.pos, |e| e.key_pos);
                out.push(Violation::new(
                    format!("{who}.seccompProfile.type: \"{t}\""),
                    pos,
                    format!("{}/type", profile.pointer),
                ));
            }
        }
        out
    }
}
