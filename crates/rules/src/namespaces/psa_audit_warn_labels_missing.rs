//! K8S-062: a namespace enforces a Pod Security level but has no audit or warn label.

use super::util::{field_location, is_namespace, label_entry, AUDIT_LABEL, PSA_DOCS, WARN_LABEL};
use crate::pss::util::PSS_DOCS;
use palisade_core::pss::ENFORCE_LABEL;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-062.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-062",
    name: "psa-audit-warn-labels-missing",
    family: "namespaces",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A namespace sets the Pod Security enforce label but not the audit or warn label.",
    remediation: "Add pod-security.kubernetes.io/audit and pod-security.kubernetes.io/warn labels, usually at \
                  restricted, next to the enforce label.",
    docs: r#"## What it does
Flags non-system namespaces that set `pod-security.kubernetes.io/enforce` but lack
`pod-security.kubernetes.io/audit` or `pod-security.kubernetes.io/warn` (one finding per missing label).
Namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
`warn` shows users a warning when they apply a pod that violates the level, and `audit` records violations in the
API server audit log. Without them, tightening the enforced level later means discovering violations by breaking
deployments; with them set to `restricted`, teams see what would fail before it is enforced.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
```

## References
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- Pod Security Standards: https://kubernetes.io/docs/concepts/security/pod-security-standards/
- seed:002 (enforce, audit and warn labels)
"#,
    references: &[PSA_DOCS, PSS_DOCS, "seed:002"],
    status: Status::Preview,
    target: Target::Kinds(&["Namespace"]),
    pss: None,
};

/// Flags namespaces with an enforce label but no audit or warn label.
pub struct PsaAuditWarnLabelsMissing;

impl Rule for PsaAuditWarnLabelsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(name) = obj.id.name.as_deref() else {
            return Vec::new();
        };
        if !is_namespace(obj) || ctx.params.is_system_namespace(name) || label_entry(obj, ENFORCE_LABEL).is_none() {
            return Vec::new();
        }
        [AUDIT_LABEL, WARN_LABEL]
            .into_iter()
            .filter(|label| label_entry(obj, label).is_none())
            .map(|label| {
                let (pos, pointer) = field_location(obj, &["metadata", "labels", label]);
                Violation::new(
                    format!("namespace \"{name}\" sets {ENFORCE_LABEL} but has no {label} label"),
                    pos,
                    pointer,
                )
            })
            .collect()
    }
}
