//! K8S-060: a namespace without a (valid) Pod Security Admission enforce label.

use super::util::{field_location, is_namespace, label_entry, PSA_DOCS};
use crate::pss::util::PSS_DOCS;
use palisade_core::pss::ENFORCE_LABEL;
use palisade_core::{CheckContext, K8sObject, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-060.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-060",
    name: "namespace-without-psa-enforce-label",
    family: "namespaces",
    severity: Severity::Medium,
    profiles: &["seed", "cis-aks", "nsa"],
    summary:
        "A namespace has no pod-security.kubernetes.io/enforce label, so Pod Security Admission enforces nothing in it.",
    remediation:
        "Label the namespace with pod-security.kubernetes.io/enforce: restricted (or baseline while workloads \
                  are being hardened).",
    docs: r#"## What it does
Flags every Namespace (except the system namespaces of the `system_namespaces` parameter: kube-system,
kube-public, kube-node-lease, gatekeeper-system, azure-arc, azure-extensions-usage-system by default) whose
`metadata.labels` lack `pod-security.kubernetes.io/enforce`, or set it to something other than `privileged`,
`baseline` or `restricted` (the API server's Pod Security Admission plugin rejects such a namespace).

## Why is this bad?
Pod Security Admission, the built-in replacement for PodSecurityPolicy, only enforces a Pod Security Standard in
namespaces that carry the enforce label (unless the cluster-wide admission configuration sets a default, which
AKS does not). Without it, any pod, including privileged ones with host namespaces, is admitted.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
```

## References
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- Pod Security Standards: https://kubernetes.io/docs/concepts/security/pod-security-standards/
- seed:000 (PSS at namespace level, enforce: restricted), seed:002 (enforce/audit/warn labels)
- CIS Azure Kubernetes Service Benchmark 4.2 (admission of pods)
- NSA/CISA Kubernetes Hardening Guidance, Pod security enforcement
"#,
    references: &[
        PSA_DOCS,
        PSS_DOCS,
        "seed:000",
        "seed:002",
        "CIS AKS Benchmark 4.2",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Namespace"]),
    pss: None,
};

/// Flags namespaces without a valid `pod-security.kubernetes.io/enforce` label.
pub struct NamespaceWithoutPsaEnforceLabel;

impl Rule for NamespaceWithoutPsaEnforceLabel {
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
        match label_entry(obj, ENFORCE_LABEL) {
            None => {
                let (pos, pointer) = field_location(obj, &["metadata", "labels", ENFORCE_LABEL]);
                vec![Violation::new(
                    format!("namespace \"{name}\" has no {ENFORCE_LABEL} label"),
                    pos,
                    pointer,
                )]
            }
            Some(e) => {
                let value = e.value.as_str();
                if value.is_some_and(|v| v.parse::<PssLevel>().is_ok()) {
                    return Vec::new();
                }
                let (pos, pointer) = field_location(obj, &["metadata", "labels", ENFORCE_LABEL]);
                vec![Violation::new(
                    format!(
                        "namespace \"{name}\" sets {ENFORCE_LABEL} to {}, which is not privileged, baseline or \
                         restricted (Pod Security Admission rejects the namespace)",
                        value.map_or_else(|| "a non-string value".to_string(), |v| format!("\"{v}\""))
                    ),
                    pos,
                    pointer,
                )]
            }
        }
    }
}
