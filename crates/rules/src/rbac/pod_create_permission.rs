//! RBAC-011: roles that grant creating pods or pod controllers.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `create` on pods and every workload kind that creates pods, in the groups that serve them.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create"],
    targets: &[
        ApiResource {
            groups: &[CORE],
            resource: "pods",
        },
        ApiResource {
            groups: &["apps", "extensions"],
            resource: "deployments",
        },
        ApiResource {
            groups: &["apps", "extensions"],
            resource: "replicasets",
        },
        ApiResource {
            groups: &["apps"],
            resource: "statefulsets",
        },
        ApiResource {
            groups: &["apps", "extensions"],
            resource: "daemonsets",
        },
        ApiResource {
            groups: &["batch"],
            resource: "jobs",
        },
        ApiResource {
            groups: &["batch"],
            resource: "cronjobs",
        },
        ApiResource {
            groups: &[CORE],
            resource: "replicationcontrollers",
        },
    ],
};

/// Metadata of RBAC-011.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-011",
    name: "pod-create-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants create on pods or pod-creating workloads.",
    remediation: "Grant create on pods and workloads only to deployment pipelines and operators that need it, \
                  and enforce Pod Security Admission in their namespaces.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create` on `pods`, `deployments`, `replicasets`,
`statefulsets`, `daemonsets`, `jobs`, `cronjobs` or `replicationcontrollers` in the API groups that serve them
(`""`, `apps`, `extensions`, `batch`; wildcards count).

## Why is this bad?
Whoever can create a pod can run it as any service account of the namespace (and read that account's
permissions and secrets), mount any Secret or ConfigMap of the namespace, and, where Pod Security Admission
does not enforce baseline, start privileged pods that take over the node.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-reader
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "create"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-reader
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.4 (minimize access to create pods)
- Kubernetes RBAC good practices, workload creation: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.4",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting pod creation.
pub struct PodCreatePermission;

impl Rule for PodCreatePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
