//! K8S-064: namespaced objects placed in the `default` namespace.

use super::util::field_location;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The namespaced kinds the rule looks at: pod-embedding workloads and what usually ships with them.
const KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "PodTemplate",
    "Service",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "Ingress",
    "PersistentVolumeClaim",
    "LimitRange",
    "ResourceQuota",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ConfigMap",
    "Secret",
];

/// Objects Kubernetes itself creates in the `default` namespace: (kind, name).
const BUILT_IN: &[(&str, &str)] = &[
    ("Service", "kubernetes"),
    ("ServiceAccount", "default"),
    ("ConfigMap", "kube-root-ca.crt"),
];

/// Metadata of K8S-064.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-064",
    name: "workload-in-default-namespace",
    family: "namespaces",
    severity: Severity::Low,
    profiles: &["cis-aks", "azure-policy"],
    summary: "A namespaced object has no metadata.namespace or uses the default namespace.",
    remediation: "Set metadata.namespace to a dedicated namespace for the application.",
    docs: r#"## What it does
Flags Pods, workload controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
ReplicationController), PodTemplates, Services, ServiceAccounts, Roles, RoleBindings, ConfigMaps and Secrets whose
`metadata.namespace` is `default` or unset. An unset namespace lands in `default` unless the object is applied
with an explicit target namespace (`kubectl apply -n`, Helm `--namespace`, kustomize `namespace:`); if your
pipeline always sets one, disable this rule for rendered-without-namespace manifests. The objects Kubernetes
creates in `default` itself (Service `kubernetes`, ServiceAccount `default`, ConfigMap `kube-root-ca.crt`) are
not reported.

## Why is this bad?
Namespaces are the unit of RBAC, NetworkPolicy, ResourceQuota, LimitRange and Pod Security Admission. The
`default` namespace usually has none of them configured, is where every mistyped or namespace-less `kubectl`
command lands, and mixes unrelated workloads under the same permissions.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
```

## References
- CIS Azure Kubernetes Service Benchmark 4.6.3 (the default namespace should not be used) and 4.6.1
- Azure Policy 9f061a12 (Kubernetes clusters should not use the default namespace)
- https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
"#,
    references: &[
        "CIS AKS Benchmark 4.6.3",
        "CIS AKS Benchmark 4.6.1",
        "Azure Policy 9f061a12",
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
    ],
    status: Status::Preview,
    target: Target::Kinds(KINDS),
    pss: None,
};

/// Flags namespaced objects in the `default` namespace.
pub struct WorkloadInDefaultNamespace;

impl Rule for WorkloadInDefaultNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let kind = obj.id.kind.as_str();
        let name = obj.id.name.as_deref().unwrap_or("");
        if BUILT_IN.contains(&(kind, name)) {
            return Vec::new();
        }
        let (pos, pointer) = field_location(obj, &["metadata", "namespace"]);
        let message = match obj.id.namespace.as_deref() {
            None => format!(
                "{kind} \"{name}\" has no metadata.namespace, so it lands in the default namespace unless a \
                 target namespace is given when it is applied"
            ),
            Some("default") => format!("{kind} \"{name}\" is in the default namespace"),
            Some(_) => return Vec::new(),
        };
        vec![Violation::new(message, pos, pointer)]
    }
}
