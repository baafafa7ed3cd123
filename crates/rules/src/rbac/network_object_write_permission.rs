//! RBAC-025: roles that grant writing Services, Ingresses, NetworkPolicies or endpoints.

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE, WRITE_VERBS};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Write verbs on the objects that route or filter traffic.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: WRITE_VERBS,
    targets: &[
        ApiResource {
            groups: &[CORE],
            resource: "services",
        },
        ApiResource {
            groups: &["networking.k8s.io", "extensions"],
            resource: "ingresses",
        },
        ApiResource {
            groups: &["networking.k8s.io", "extensions"],
            resource: "networkpolicies",
        },
        ApiResource {
            groups: &[CORE],
            resource: "endpoints",
        },
        ApiResource {
            groups: &["discovery.k8s.io"],
            resource: "endpointslices",
        },
    ],
};

/// Metadata of RBAC-025.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-025",
    name: "network-object-write-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &[],
    summary: "A Role or ClusterRole grants write on services, ingresses, networkpolicies, endpoints or endpointslices.",
    remediation: "Grant write on networking objects only to the deployment pipeline or controller that owns them.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create`, `update`, `patch`, `delete` or
`deletecollection` on `services`, `endpoints` (core), `ingresses`, `networkpolicies` (`networking.k8s.io`,
`extensions`) or `endpointslices` (`discovery.k8s.io`); wildcards count.

## Why is this bad?
These objects decide where traffic goes and what may reach a pod. Writing them lets the holder expose internal
services through a public LoadBalancer or Ingress, hijack traffic by pointing endpoints at its own pods, or
delete the NetworkPolicies that isolate a namespace: a path for lateral movement.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-operator
  namespace: shop
rules:
  - apiGroups: ["networking.k8s.io"]
    resources: ["networkpolicies"]
    verbs: ["get", "list", "delete"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-operator
  namespace: shop
rules:
  - apiGroups: ["networking.k8s.io"]
    resources: ["networkpolicies"]
    verbs: ["get", "list", "watch"]
```

## References
- Lateral movement through network objects: Trivy KSV-0056 (manage Kubernetes networking)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "Trivy KSV-0056",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting writes on networking objects.
pub struct NetworkObjectWritePermission;

impl Rule for NetworkObjectWritePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
