//! RBAC-012: roles that grant creating PersistentVolumes.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// `create` on persistentvolumes.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "persistentvolumes",
    }],
};

/// Metadata of RBAC-012.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-012",
    name: "persistent-volume-create-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants create on persistentvolumes.",
    remediation: "Let StorageClasses provision volumes dynamically and keep create on persistentvolumes with \
                  cluster administrators.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create` on `persistentvolumes` (wildcards count).

## Why is this bad?
A PersistentVolume can be a `hostPath` volume. Whoever can create one and claim it mounts any directory of the
node into a pod, which bypasses Pod Security Admission's hostPath restriction and exposes the node.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: storage-user
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes", "persistentvolumeclaims"]
    verbs: ["get", "list", "create"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: storage-user
rules:
  - apiGroups: [""]
    resources: ["persistentvolumeclaims"]
    verbs: ["get", "list", "create"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.8 (minimize access to create persistent volumes)
- Kubernetes RBAC good practices, persistent volume creation: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.8",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting PersistentVolume creation.
pub struct PersistentVolumeCreatePermission;

impl Rule for PersistentVolumeCreatePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
