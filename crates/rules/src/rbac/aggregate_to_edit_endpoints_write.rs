//! RBAC-027: the built-in `system:aggregate-to-edit` ClusterRole still grants write on endpoints
//! (CVE-2021-25740).

use super::util::{grants_message, rule_entries, ApiResource, Permission, CORE, WRITE_VERBS};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Write verbs on endpoints.
static PERMISSION: Permission = Permission {
    verbs: WRITE_VERBS,
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "endpoints",
    }],
};

/// Metadata of RBAC-027.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-027",
    name: "aggregate-to-edit-endpoints-write",
    family: "rbac",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "ClusterRole system:aggregate-to-edit grants write on endpoints (CVE-2021-25740).",
    remediation: "Remove endpoints from the write rules of system:aggregate-to-edit and set its \
                  rbac.authorization.kubernetes.io/autoupdate annotation to false so the change is kept.",
    docs: r#"## What it does
Checks the ClusterRole `system:aggregate-to-edit` (a built-in role, so this is mostly a live-cluster check) and
reports each rule entry that grants `create`, `update`, `patch`, `delete` or `deletecollection` on `endpoints`.
Clusters created before Kubernetes 1.22 and upgraded since keep this grant; new clusters no longer have it.

## Why is this bad?
CVE-2021-25740: the grant aggregates into `edit` and `admin`, so every namespace editor can write Endpoints
pointing at addresses in other namespaces, sending traffic of a LoadBalancer or Ingress to backends the
editor should not reach (confused deputy across namespaces).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-edit
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
rules:
  - apiGroups: [""]
    resources: ["services", "endpoints", "configmaps"]
    verbs: ["create", "update", "patch", "delete"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-edit
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
  annotations:
    rbac.authorization.kubernetes.io/autoupdate: "false"
rules:
  - apiGroups: [""]
    resources: ["services", "configmaps"]
    verbs: ["create", "update", "patch", "delete"]
```

## References
- Azure Policy 1ddac26b (no endpoint edit permissions for ClusterRole/system:aggregate-to-edit)
- CVE-2021-25740: https://github.com/kubernetes/kubernetes/issues/103675
"#,
    references: &[
        "Azure Policy 1ddac26b",
        "CVE-2021-25740",
        "https://github.com/kubernetes/kubernetes/issues/103675",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["ClusterRole"]),
    pss: None,
};

/// Flags endpoint writes in `system:aggregate-to-edit`.
pub struct AggregateToEditEndpointsWrite;

impl Rule for AggregateToEditEndpointsWrite {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if obj.id.name.as_deref() != Some("system:aggregate-to-edit") {
            return Vec::new();
        }
        // The built-in role carries the bootstrap label: unlike the other RBAC rules, it is not exempt here.
        rule_entries(&obj.root)
            .iter()
            .filter_map(|entry| {
                let m = entry.grant.grants(&PERMISSION)?;
                let (pos, pointer) = entry.field("resources");
                Some(Violation::new(
                    grants_message(entry, std::slice::from_ref(&m)),
                    pos,
                    pointer,
                ))
            })
            .collect()
    }
}
