//! K8S-068: no admission policy mechanism (PSA, Gatekeeper/Azure Policy, Kyverno, ValidatingAdmissionPolicy).

use super::util::{is_namespace, label_entry, name_location, scanned_namespaces, PSA_DOCS};
use crate::pss::util::PSS_DOCS;
use palisade_core::pss::ENFORCE_LABEL;
use palisade_core::{IndexOutput, K8sObject, Params, PssLevel, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of K8S-068.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-068",
    name: "no-admission-policy-mechanism",
    family: "namespaces",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "No admission policy mechanism is active: no Pod Security enforce label, Gatekeeper, Kyverno or ValidatingAdmissionPolicy.",
    remediation: "Enable an admission policy mechanism: label namespaces with pod-security.kubernetes.io/enforce, or \
                  enable the Azure Policy add-on (Gatekeeper), Kyverno or ValidatingAdmissionPolicies.",
    docs: r#"## What it does
A cluster-wide check, meant for live cluster scans (or a manifest set that holds the whole cluster). It reports
one finding, on the first scanned Namespace, when none of these is present:

- a Namespace whose `pod-security.kubernetes.io/enforce` label is `baseline` or `restricted` (or an invalid
  value, which Pod Security Admission treats as restricted); `privileged` enforces nothing and does not count;
- a Gatekeeper `ConstraintTemplate` (`templates.gatekeeper.sh`; the Azure Policy add-on installs these);
- a Kyverno `ClusterPolicy` (`kyverno.io`);
- a `ValidatingAdmissionPolicyBinding` (`admissionregistration.k8s.io`).

When the scan holds no Namespace object at all (a typical application repository), the rule cannot tell what the
cluster runs and reports itself as not evaluated for the cluster.

## Why is this bad?
Every pod-level control in this catalogue is advisory unless something rejects non-compliant pods at admission.
Without Pod Security Admission labels or a policy engine, anyone allowed to create a Deployment can run a
privileged, host-namespace pod and take over a node.

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
```

## References
- seed:001 (enforce with Gatekeeper/Azure Policy, Kyverno or PSA), seed:004 (Azure Policy add-on)
- CIS Kubernetes Benchmark 5.2.1 (at least one active policy control mechanism)
- Pod Security Admission: https://kubernetes.io/docs/concepts/security/pod-security-admission/
- Pod Security Standards: https://kubernetes.io/docs/concepts/security/pod-security-standards/
"#,
    references: &[
        "seed:001",
        "seed:004",
        "CIS Kubernetes Benchmark 5.2.1",
        PSA_DOCS,
        PSS_DOCS,
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Reports a scan of a whole cluster without any admission policy mechanism.
pub struct NoAdmissionPolicyMechanism;

/// Whether a Namespace's enforce label makes Pod Security Admission reject something.
fn enforces_pod_security(ns: &K8sObject) -> bool {
    label_entry(ns, ENFORCE_LABEL)
        .is_some_and(|e| e.value.as_str().and_then(|v| v.parse::<PssLevel>().ok()) != Some(PssLevel::Privileged))
}

/// The API group of an object's apiVersion (`""` for the core group).
fn group(obj: &K8sObject) -> &str {
    obj.id.api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// Whether the scan holds Gatekeeper, Kyverno or ValidatingAdmissionPolicy objects that enforce policies.
fn has_policy_engine_objects(index: &ScanIndex) -> bool {
    let of = |kind: &'static str, grp: &'static str| index.of_kind(kind).any(move |o| group(o) == grp);
    of("ConstraintTemplate", "templates.gatekeeper.sh")
        || of("ClusterPolicy", "kyverno.io")
        || of("ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io")
}

impl Rule for NoAdmissionPolicyMechanism {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let namespaces = scanned_namespaces(index);
        let Some(first) = namespaces.first() else {
            out.not_evaluated(
                "cluster",
                "needs a live cluster scan (or manifests holding the cluster's Namespace objects): no Namespace \
                 object was scanned, so the admission policy mechanisms of the cluster are unknown",
            );
            return;
        };
        if index
            .of_kind("Namespace")
            .any(|o| is_namespace(o) && enforces_pod_security(o))
            || has_policy_engine_objects(index)
        {
            return;
        }
        let (pos, pointer) = name_location(first);
        out.violation(
            first,
            pos,
            &pointer,
            format!(
                "no admission policy mechanism found: none of the {} scanned namespaces enforces a Pod Security \
                 level and no Gatekeeper ConstraintTemplate, Kyverno ClusterPolicy or \
                 ValidatingAdmissionPolicyBinding was scanned",
                namespaces.len()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn run(objects: Vec<serde_json::Value>) -> IndexOutput {
        let mut out = IndexOutput::default();
        NoAdmissionPolicyMechanism.check_index(Params::default_ref(), &test_index(objects), &mut out);
        out
    }

    fn ns(labels: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": labels}})
    }

    #[test]
    fn mechanisms() {
        let out = run(vec![
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}),
        ]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 1));
        let out = run(vec![ns(json!({}))]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (1, 0));
        let out = run(vec![ns(json!({"pod-security.kubernetes.io/enforce": "privileged"}))]);
        assert_eq!(out.violations.len(), 1);
        let out = run(vec![ns(json!({"pod-security.kubernetes.io/enforce": "baseline"}))]);
        assert!(out.violations.is_empty());
        let out = run(vec![
            ns(json!({})),
            json!({"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": {"name": "p"}}),
        ]);
        assert!(out.violations.is_empty());
        let out = run(vec![
            ns(json!({})),
            json!({"apiVersion": "example.com/v1", "kind": "ClusterPolicy", "metadata": {"name": "p"}}),
        ]);
        assert_eq!(out.violations.len(), 1);
    }
}
