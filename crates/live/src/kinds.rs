//! The kinds a live scan reads: every kind a built-in rule or the scan index looks at, with the API versions to
//! try, newest first (discovery picks the first one the server serves).

/// How the objects of a kind are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadMode {
    /// Whole objects (then stripped of server-managed noise).
    Full,
    /// Metadata and `type` only, from the server's Table rendering: values never leave the API server. Secrets.
    MetadataAndType,
}

/// A kind the live scan reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// API group (`""` for the core group).
    pub group: &'static str,
    /// Versions to try, preferred first.
    pub versions: &'static [&'static str],
    /// Kind.
    pub kind: &'static str,
    /// Resource (plural) name.
    pub plural: &'static str,
    /// Namespaced (else cluster-scoped).
    pub namespaced: bool,
    /// How objects are read.
    pub mode: ReadMode,
    /// A kind from an add-on (a CRD): its absence is normal and reported as a note, not a gap.
    pub optional: bool,
    /// Server-side field selector applied to every list of this kind.
    pub field_selector: Option<&'static str>,
}

const fn k(
    group: &'static str,
    versions: &'static [&'static str],
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
) -> KindSpec {
    KindSpec {
        group,
        versions,
        kind,
        plural,
        namespaced,
        mode: ReadMode::Full,
        optional: false,
        field_selector: None,
    }
}

const fn optional(mut spec: KindSpec) -> KindSpec {
    spec.optional = true;
    spec
}

/// Every kind read, in report order.
pub const KINDS: &[KindSpec] = &[
    k("", &["v1"], "Namespace", "namespaces", false),
    // Pods that have finished (Succeeded, Failed) run nothing: the server leaves them out.
    KindSpec {
        field_selector: Some("status.phase!=Succeeded,status.phase!=Failed"),
        ..k("", &["v1"], "Pod", "pods", true)
    },
    k("apps", &["v1"], "Deployment", "deployments", true),
    k("apps", &["v1"], "ReplicaSet", "replicasets", true),
    k("apps", &["v1"], "StatefulSet", "statefulsets", true),
    k("apps", &["v1"], "DaemonSet", "daemonsets", true),
    k("", &["v1"], "ReplicationController", "replicationcontrollers", true),
    k("batch", &["v1"], "Job", "jobs", true),
    k("batch", &["v1", "v1beta1"], "CronJob", "cronjobs", true),
    k("", &["v1"], "ServiceAccount", "serviceaccounts", true),
    k("rbac.authorization.k8s.io", &["v1", "v1beta1"], "Role", "roles", true),
    k(
        "rbac.authorization.k8s.io",
        &["v1", "v1beta1"],
        "RoleBinding",
        "rolebindings",
        true,
    ),
    k(
        "rbac.authorization.k8s.io",
        &["v1", "v1beta1"],
        "ClusterRole",
        "clusterroles",
        false,
    ),
    k(
        "rbac.authorization.k8s.io",
        &["v1", "v1beta1"],
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
    ),
    k("networking.k8s.io", &["v1"], "NetworkPolicy", "networkpolicies", true),
    k("", &["v1"], "Service", "services", true),
    k("networking.k8s.io", &["v1", "v1beta1"], "Ingress", "ingresses", true),
    k("", &["v1"], "ConfigMap", "configmaps", true),
    KindSpec {
        mode: ReadMode::MetadataAndType,
        ..k("", &["v1"], "Secret", "secrets", true)
    },
    k("", &["v1"], "LimitRange", "limitranges", true),
    k("", &["v1"], "ResourceQuota", "resourcequotas", true),
    k(
        "policy",
        &["v1", "v1beta1"],
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
    ),
    k(
        "autoscaling",
        &["v2", "v2beta2", "v1"],
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
    ),
    // Built in from Kubernetes 1.30 (beta 1.28); older servers do not serve it.
    k(
        "admissionregistration.k8s.io",
        &["v1", "v1beta1"],
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        false,
    ),
    optional(k(
        "secrets-store.csi.x-k8s.io",
        &["v1", "v1alpha1"],
        "SecretProviderClass",
        "secretproviderclasses",
        true,
    )),
    optional(k(
        "gateway.networking.k8s.io",
        &["v1", "v1beta1"],
        "Gateway",
        "gateways",
        true,
    )),
    optional(k(
        "gateway.networking.k8s.io",
        &["v1", "v1beta1"],
        "HTTPRoute",
        "httproutes",
        true,
    )),
    optional(k(
        "templates.gatekeeper.sh",
        &["v1", "v1beta1"],
        "ConstraintTemplate",
        "constrainttemplates",
        false,
    )),
    optional(k("kyverno.io", &["v1"], "ClusterPolicy", "clusterpolicies", false)),
];

impl KindSpec {
    /// `group/version` (`v1` for the core group).
    pub fn api_version(&self, version: &str) -> String {
        if self.group.is_empty() {
            version.to_string()
        } else {
            format!("{}/{version}", self.group)
        }
    }

    /// The list path for `version`, in `namespace` when given (namespaced kinds only).
    pub fn list_path(&self, version: &str, namespace: Option<&str>) -> String {
        let prefix = if self.group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{}/{version}", self.group)
        };
        match namespace {
            Some(ns) if self.namespaced => format!("{prefix}/namespaces/{ns}/{}", self.plural),
            _ => format!("{prefix}/{}", self.plural),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn paths() {
        let pods = KINDS.iter().find(|k| k.kind == "Pod").copied().unwrap();
        assert_eq!(pods.list_path("v1", None), "/api/v1/pods");
        assert_eq!(pods.list_path("v1", Some("web")), "/api/v1/namespaces/web/pods");
        let crb = KINDS.iter().find(|k| k.kind == "ClusterRoleBinding").copied().unwrap();
        assert_eq!(
            crb.list_path("v1", Some("web")),
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"
        );
        assert_eq!(crb.api_version("v1"), "rbac.authorization.k8s.io/v1");
    }

    #[test]
    fn unique_kinds() {
        let mut kinds: Vec<_> = KINDS.iter().map(|k| k.kind).collect();
        kinds.sort_unstable();
        let n = kinds.len();
        kinds.dedup();
        assert_eq!(n, kinds.len());
    }
}
