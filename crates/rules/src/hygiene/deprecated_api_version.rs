//! K8S-114: objects using API versions Kubernetes deprecated or no longer serves.

use crate::namespaces::util::field_location;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// An API version of a kind that Kubernetes deprecated, from the Deprecated API Migration Guide.
struct DeprecatedApi {
    /// `group/version` as written in `apiVersion`.
    api_version: &'static str,
    /// The kind.
    kind: &'static str,
    /// The 1.N release that stopped serving it; `None` when it is deprecated but still served.
    removed_in: Option<u32>,
    /// What to use instead.
    replacement: &'static str,
}

const fn api(
    api_version: &'static str,
    kind: &'static str,
    removed_in: Option<u32>,
    replacement: &'static str,
) -> DeprecatedApi {
    DeprecatedApi {
        api_version,
        kind,
        removed_in,
        replacement,
    }
}

/// Deprecated and removed API versions (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
const DEPRECATED_APIS: &[DeprecatedApi] = &[
    // v1.16
    api("extensions/v1beta1", "NetworkPolicy", Some(16), "networking.k8s.io/v1"),
    api(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        Some(16),
        "Pod Security Admission (policy/v1beta1 is gone too)",
    ),
    api("extensions/v1beta1", "DaemonSet", Some(16), "apps/v1"),
    api("apps/v1beta2", "DaemonSet", Some(16), "apps/v1"),
    api("extensions/v1beta1", "Deployment", Some(16), "apps/v1"),
    api("apps/v1beta1", "Deployment", Some(16), "apps/v1"),
    api("apps/v1beta2", "Deployment", Some(16), "apps/v1"),
    api("apps/v1beta1", "StatefulSet", Some(16), "apps/v1"),
    api("apps/v1beta2", "StatefulSet", Some(16), "apps/v1"),
    api("extensions/v1beta1", "ReplicaSet", Some(16), "apps/v1"),
    api("apps/v1beta1", "ReplicaSet", Some(16), "apps/v1"),
    api("apps/v1beta2", "ReplicaSet", Some(16), "apps/v1"),
    // v1.22
    api(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        Some(22),
        "apiextensions.k8s.io/v1",
    ),
    api(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        Some(22),
        "apiregistration.k8s.io/v1",
    ),
    api(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        Some(22),
        "authentication.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        Some(22),
        "authorization.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        Some(22),
        "authorization.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        Some(22),
        "authorization.k8s.io/v1",
    ),
    api(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        Some(22),
        "certificates.k8s.io/v1",
    ),
    api(
        "coordination.k8s.io/v1beta1",
        "Lease",
        Some(22),
        "coordination.k8s.io/v1",
    ),
    api("extensions/v1beta1", "Ingress", Some(22), "networking.k8s.io/v1"),
    api("networking.k8s.io/v1beta1", "Ingress", Some(22), "networking.k8s.io/v1"),
    api(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        Some(22),
        "networking.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        Some(22),
        "scheduling.k8s.io/v1",
    ),
    api("storage.k8s.io/v1beta1", "CSIDriver", Some(22), "storage.k8s.io/v1"),
    api("storage.k8s.io/v1beta1", "CSINode", Some(22), "storage.k8s.io/v1"),
    api("storage.k8s.io/v1beta1", "StorageClass", Some(22), "storage.k8s.io/v1"),
    api(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        Some(22),
        "storage.k8s.io/v1",
    ),
    // v1.25
    api("batch/v1beta1", "CronJob", Some(25), "batch/v1"),
    api(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        Some(25),
        "discovery.k8s.io/v1",
    ),
    api("events.k8s.io/v1beta1", "Event", Some(25), "events.k8s.io/v1"),
    api(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        Some(25),
        "autoscaling/v2",
    ),
    api("policy/v1beta1", "PodDisruptionBudget", Some(25), "policy/v1"),
    api(
        "policy/v1beta1",
        "PodSecurityPolicy",
        Some(25),
        "Pod Security Admission (no replacement API)",
    ),
    api("node.k8s.io/v1beta1", "RuntimeClass", Some(25), "node.k8s.io/v1"),
    // v1.26
    api(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        Some(26),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        Some(26),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        Some(26),
        "autoscaling/v2",
    ),
    // v1.27
    api(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        Some(27),
        "storage.k8s.io/v1",
    ),
    // v1.29
    api(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        Some(29),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        Some(29),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // v1.32
    api(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        Some(32),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        Some(32),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // Deprecated, still served.
    api(
        "v1",
        "ComponentStatus",
        None,
        "the API server's /livez and /readyz endpoints",
    ),
    api("v1", "Endpoints", None, "discovery.k8s.io/v1 EndpointSlice"),
];

/// Every kind of [`DEPRECATED_APIS`], for the rule's target.
const KINDS: &[&str] = &[
    "NetworkPolicy",
    "PodSecurityPolicy",
    "DaemonSet",
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "CustomResourceDefinition",
    "APIService",
    "TokenReview",
    "SubjectAccessReview",
    "LocalSubjectAccessReview",
    "SelfSubjectAccessReview",
    "CertificateSigningRequest",
    "Lease",
    "Ingress",
    "IngressClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "PriorityClass",
    "CSIDriver",
    "CSINode",
    "StorageClass",
    "VolumeAttachment",
    "CronJob",
    "EndpointSlice",
    "Event",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "RuntimeClass",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "CSIStorageCapacity",
    "ComponentStatus",
    "Endpoints",
];

/// Metadata of K8S-114.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-114",
    name: "deprecated-api-version",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["seed", "azure-policy"],
    summary:
        "An object uses an API version that Kubernetes deprecated or no longer serves (including PodSecurityPolicy).",
    remediation: "Move the object to the replacement API version from the Kubernetes deprecation guide (kubectl \
                  convert helps), and replace PodSecurityPolicy with Pod Security Admission labels.",
    docs: r#"## What it does
Flags objects whose `apiVersion`/`kind` pair is in the Kubernetes Deprecated API Migration Guide: versions
removed in v1.16 (`extensions/v1beta1` and `apps/v1beta1`/`v1beta2` workloads, `extensions/v1beta1`
NetworkPolicy and PodSecurityPolicy), v1.22 (`networking.k8s.io/v1beta1` and `extensions/v1beta1` Ingress,
`rbac.authorization.k8s.io/v1beta1`, `apiextensions.k8s.io/v1beta1` CRDs, admission webhooks, storage, ...),
v1.25 (`batch/v1beta1` CronJob, `policy/v1beta1` PodDisruptionBudget and PodSecurityPolicy,
`autoscaling/v2beta1`, ...), v1.26 (`autoscaling/v2beta2`, flow control v1beta1), v1.27, v1.29 and v1.32 (flow
control). The finding is at `apiVersion` and names the release that stopped serving the version and its
replacement. Versions that are deprecated but still served (`v1` ComponentStatus, and `v1` Endpoints since
v1.33) are reported at severity info. Every supported AKS version is past all listed removals, so removed
versions are reported whatever the target cluster version.

## Why is this bad?
The API server rejects objects in versions it no longer serves, so these manifests fail to apply (or a Helm
upgrade fails halfway) after the next cluster upgrade. PodSecurityPolicy in particular no longer exists: a
manifest that relies on it for pod security enforces nothing.

## Example
```yaml
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
```

## Use instead
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
```

## References
- Kubernetes Deprecated API Migration Guide: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
- seed:001 (its PodSecurityPolicy advice is obsolete: PSP was removed in v1.25)
- Azure Policy 3abeb944 (deprecated pod security policies)
"#,
    references: &[
        "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        "seed:001",
        "Azure Policy 3abeb944",
    ],
    status: Status::Preview,
    target: Target::Kinds(KINDS),
    pss: None,
};

/// Flags objects in deprecated or removed API versions.
pub struct DeprecatedApiVersion;

impl Rule for DeprecatedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(entry) = DEPRECATED_APIS
            .iter()
            .find(|d| d.api_version == obj.id.api_version && d.kind == obj.id.kind)
        else {
            return Vec::new();
        };
        let (pos, pointer) = field_location(obj, &["apiVersion"]);
        let (kind, version, replacement) = (entry.kind, entry.api_version, entry.replacement);
        match entry.removed_in {
            Some(minor) => vec![Violation::new(
                format!(
                    "{kind} uses apiVersion {version}, which Kubernetes stopped serving in v1.{minor}; use \
                     {replacement}"
                ),
                pos,
                pointer,
            )],
            None => vec![Violation::new(
                format!("{kind} uses apiVersion {version}, which is deprecated; use {replacement}"),
                pos,
                pointer,
            )
            .with_severity(Severity::Info)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_kind_is_targeted() {
        for d in DEPRECATED_APIS {
            assert!(KINDS.contains(&d.kind), "{} missing from KINDS", d.kind);
        }
        for k in KINDS {
            assert!(DEPRECATED_APIS.iter().any(|d| d.kind == *k), "{k} not in the table");
        }
    }
}
