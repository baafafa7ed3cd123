//! RBAC-028: roles that grant writing services/status (CVE-2020-8554).

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// update/patch on services/status.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["update", "patch"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "services/status",
    }],
};

/// Metadata of RBAC-028.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-028",
    name: "service-status-write-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &[],
    summary: "A Role or ClusterRole grants update or patch on services/status.",
    remediation: "Remove update and patch on services/status; only load-balancer controllers need them.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `update` or `patch` on `services/status` (wildcards
count).

## Why is this bad?
CVE-2020-8554: setting `status.loadBalancer.ingress[].ip` of a LoadBalancer Service makes kube-proxy on every
node route traffic for that IP to the Service, so the holder can intercept traffic meant for any address,
inside or outside the cluster. Kubernetes did not patch this; restricting the permission is the mitigation.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lb-helper
rules:
  - apiGroups: [""]
    resources: ["services", "services/status"]
    verbs: ["get", "list", "patch"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lb-helper
rules:
  - apiGroups: [""]
    resources: ["services", "services/status"]
    verbs: ["get", "list", "watch"]
```

## References
- CVE-2020-8554 (man-in-the-middle through LoadBalancer or ExternalIPs): https://github.com/kubernetes/kubernetes/issues/97076
- Checkov CKV2_K8S_4
"#,
    references: &[
        "CVE-2020-8554",
        "https://github.com/kubernetes/kubernetes/issues/97076",
        "Checkov CKV2_K8S_4",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting services/status writes.
pub struct ServiceStatusWritePermission;

impl Rule for ServiceStatusWritePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
