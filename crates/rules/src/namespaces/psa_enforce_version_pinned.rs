//! K8S-063: a namespace pins its enforced Pod Security policy to an old version.

use super::util::{field_location, is_namespace, label_entry, PSA_DOCS};
use crate::pss::util::PSS_DOCS;
use palisade_core::pss::{ENFORCE_VERSION_LABEL, LATEST_MINOR};
use palisade_core::{CheckContext, K8sObject, PssVersion, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-063.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-063",
    name: "psa-enforce-version-pinned",
    family: "namespaces",
    severity: Severity::Info,
    profiles: &[],
    summary: "A namespace pins pod-security.kubernetes.io/enforce-version to an older policy version.",
    remediation: "Set pod-security.kubernetes.io/enforce-version: latest (or remove it) once the namespace's pods \
                  pass the current policy.",
    docs: r#"## What it does
Flags non-system namespaces whose `pod-security.kubernetes.io/enforce-version` label is `v1.N` with N older than
the newest policy version Palisade knows (v1.37), or is not a valid version at all (`latest` or `v1.N`; Pod
Security Admission rejects the namespace). Namespaces listed in the `system_namespaces` parameter are skipped.
Without a live cluster the cluster's own minor version is unknown, so the newest known policy version stands in
for it.

## Why is this bad?
A pinned version keeps enforcing the policy as it was in that release: checks added since (for example the
probe and lifecycle host check of v1.34, or new restricted sysctls and `procMount` rules) are not applied, so
pods the current standard forbids are still admitted.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.24
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
```

## References
- Pod Security Admission (labels and versions; k8s.io/pod-security-admission api/constants.go): https://kubernetes.io/docs/concepts/security/pod-security-admission/
- Pod Security Standards: https://kubernetes.io/docs/concepts/security/pod-security-standards/
"#,
    references: &[PSA_DOCS, PSS_DOCS],
    status: Status::Preview,
    target: Target::Kinds(&["Namespace"]),
    pss: None,
};

/// Flags namespaces pinning an old (or invalid) enforce version.
pub struct PsaEnforceVersionPinned;

impl Rule for PsaEnforceVersionPinned {
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
        let Some(entry) = label_entry(obj, ENFORCE_VERSION_LABEL) else {
            return Vec::new();
        };
        let message = match entry.value.as_str().map(|v| (v, v.parse::<PssVersion>())) {
            Some((_, Ok(PssVersion::Latest))) => return Vec::new(),
            Some((_, Ok(PssVersion::Minor(m)))) if m >= LATEST_MINOR => return Vec::new(),
            Some((v, Ok(_))) => format!(
                "namespace \"{name}\" pins {ENFORCE_VERSION_LABEL}: {v}, older than the current policy \
                 version v1.{LATEST_MINOR}"
            ),
            Some((v, Err(_))) => format!(
                "namespace \"{name}\" sets {ENFORCE_VERSION_LABEL} to \"{v}\", which is not latest or v1.N (Pod \
                 Security Admission rejects the namespace)"
            ),
            None => format!(
                "namespace \"{name}\" sets {ENFORCE_VERSION_LABEL} to a non-string value (Pod Security \
                 Admission rejects the namespace)"
            ),
        };
        let (pos, pointer) = field_location(obj, &["metadata", "labels", ENFORCE_VERSION_LABEL]);
        vec![Violation::new(message, pos, pointer)]
    }
}
