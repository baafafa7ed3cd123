//! RBAC-010: roles that grant access to nodes/proxy (the kubelet API).

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Any verb on nodes/proxy.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &[],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "nodes/proxy",
    }],
};

/// Metadata of RBAC-010.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-010",
    name: "node-proxy-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants access to nodes/proxy.",
    remediation: "Remove nodes/proxy from the role; monitoring agents should read nodes/metrics or nodes/stats \
                  instead.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants any verb on `nodes/proxy` (wildcards count).

## Why is this bad?
`nodes/proxy` reaches the kubelet API through the API server. The kubelet authorizes exec, attach, port-forward
and log reads by that one permission, so the holder can run commands in any pod on every node, bypassing
admission control and most audit logging.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: metrics-agent
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/proxy"]
    verbs: ["get", "list", "watch"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: metrics-agent
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/metrics", "nodes/stats"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.9 (minimize access to the proxy sub-resource of nodes)
- Kubernetes kubelet authorization: https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.9",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting nodes/proxy.
pub struct NodeProxyPermission;

impl Rule for NodeProxyPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "resources", grants_message)
    }
}
