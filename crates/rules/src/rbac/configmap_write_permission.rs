//! RBAC-024: roles that grant writing ConfigMaps (high in kube-system, where CoreDNS reads its config).

use super::util::{grants_message, permission_violations, ApiResource, Permission, CORE};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// create/update/patch on configmaps.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create", "update", "patch"],
    targets: &[ApiResource {
        groups: &[CORE],
        resource: "configmaps",
    }],
};

/// Metadata of RBAC-024.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-024",
    name: "configmap-write-permission",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &[],
    summary: "A Role or ClusterRole grants create, update or patch on configmaps.",
    remediation: "Grant ConfigMap writes only to the pipeline that deploys them, limited with resourceNames where \
                  possible, and never in kube-system.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create`, `update` or `patch` on `configmaps` (wildcards
count). A Role in `kube-system` is reported as high: the CoreDNS configuration (`coredns`, `coredns-custom` on
AKS) lives there.

## Why is this bad?
ConfigMaps steer workloads: changing one can redirect traffic, switch off security features of an application
or, for CoreDNS, answer cluster DNS queries with attacker-chosen addresses (DNS poisoning for every pod).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: dns-tuning
  namespace: kube-system
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "patch"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: dns-tuning
  namespace: kube-system
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["coredns-custom"]
    verbs: ["get"]
```

## References
- CoreDNS poisoning: Trivy KSV-0049, Kubescape C-0037 (CoreDNS poisoning)
- AKS CoreDNS customization: https://learn.microsoft.com/azure/aks/coredns-custom
"#,
    references: &[
        "Trivy KSV-0049",
        "Kubescape C-0037",
        "https://learn.microsoft.com/azure/aks/coredns-custom",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting ConfigMap writes.
pub struct ConfigmapWritePermission;

impl Rule for ConfigmapWritePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let in_kube_system = obj.id.kind == "Role" && obj.id.namespace.as_deref() == Some("kube-system");
        permission_violations(obj, &[PERMISSION], "verbs", |entry, matches| {
            let msg = grants_message(entry, matches);
            if in_kube_system {
                format!("{msg} in kube-system, where the CoreDNS configuration lives")
            } else {
                msg
            }
        })
        .into_iter()
        .map(|v| {
            if in_kube_system {
                v.with_severity(Severity::High)
            } else {
                v
            }
        })
        .collect()
    }
}
