//! K8S-061: a namespace enforces a Pod Security level weaker than restricted.

use super::util::{field_location, is_namespace, label_entry, PSA_DOCS};
use crate::pss::util::PSS_DOCS;
use palisade_core::pss::ENFORCE_LABEL;
use palisade_core::{CheckContext, K8sObject, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-061.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-061",
    name: "psa-enforce-level-weaker-than-restricted",
    family: "namespaces",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "A namespace enforces the privileged or baseline Pod Security level instead of restricted.",
    remediation: "Set pod-security.kubernetes.io/enforce: restricted and fix the pods it rejects (keep audit/warn at \
                  restricted while migrating).",
    docs: r#"## What it does
Flags non-system namespaces whose `pod-security.kubernetes.io/enforce` label is `privileged` (severity high: Pod
Security Admission enforces nothing) or `baseline` (severity low: known privilege escalations are blocked, but pods
may still run as root, keep all default capabilities and skip seccomp). Namespaces listed in the
`system_namespaces` parameter are skipped.

## Why is this bad?
The restricted level is the current pod hardening best practice. A weaker enforced level lets workloads in the
namespace drift away from it without anyone noticing, and `privileged` admits host-namespace and privileged pods.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: privileged
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
```

## References
- Pod Security Standards: https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- seed:000 and seed:002 (enforce: restricted)
"#,
    references: &[PSS_DOCS, PSA_DOCS, "seed:000", "seed:002"],
    status: Status::Preview,
    target: Target::Kinds(&["Namespace"]),
    pss: None,
};

/// Flags namespaces enforcing `privileged` or `baseline`.
pub struct PsaEnforceLevelWeakerThanRestricted;

impl Rule for PsaEnforceLevelWeakerThanRestricted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(name) = obj.id.name.as_deref() else {
            return Vec::new();
        };
        if !is_namespace(obj) || ctx.params.is_system_namespace(name) {
            return Vec::new();
        }
        let Some(level) = label_entry(obj, ENFORCE_LABEL)
            .and_then(|e| e.value.as_str())
            .and_then(|v| v.parse::<PssLevel>().ok())
        else {
            return Vec::new();
        };
        let severity = match level {
            PssLevel::Privileged => Severity::High,
            PssLevel::Baseline => Severity::Low,
            PssLevel::Restricted => return Vec::new(),
        };
        let (pos, pointer) = field_location(obj, &["metadata", "labels", ENFORCE_LABEL]);
        vec![Violation::new(
            format!("namespace \"{name}\" sets {ENFORCE_LABEL}: {level}, weaker than restricted"),
            pos,
            pointer,
        )
        .with_severity(severity)]
    }
}
