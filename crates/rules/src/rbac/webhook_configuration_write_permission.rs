//! RBAC-014: roles that grant changing admission webhook configurations.

use super::util::{grants_message, permission_violations, ApiResource, Permission};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

const ADMISSION: &str = "admissionregistration.k8s.io";

/// create/update/patch/delete(collection) on validating and mutating webhook configurations.
pub(crate) static PERMISSION: Permission = Permission {
    verbs: &["create", "update", "patch", "delete", "deletecollection"],
    targets: &[
        ApiResource {
            groups: &[ADMISSION],
            resource: "validatingwebhookconfigurations",
        },
        ApiResource {
            groups: &[ADMISSION],
            resource: "mutatingwebhookconfigurations",
        },
    ],
};

/// Metadata of RBAC-014.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-014",
    name: "webhook-configuration-write-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants write on validating or mutating webhook configurations.",
    remediation: "Remove write access to webhook configurations from the role; only the policy engine's own \
                  installer and cluster administrators need it.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `create`, `update`, `patch`, `delete` or
`deletecollection` on `validatingwebhookconfigurations` or `mutatingwebhookconfigurations` (API group
`admissionregistration.k8s.io`; wildcards count).

## Why is this bad?
Admission webhooks enforce policy (Azure Policy/Gatekeeper, Kyverno) and can rewrite every object sent to the
API server. Whoever can change them can switch enforcement off, or register a mutating webhook that injects
privileged containers or reads every Secret as it is written.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: platform-tools
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations"]
    verbs: ["get", "list", "patch"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: platform-tools
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.11 (minimize access to webhook configuration objects)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.11",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting webhook configuration writes.
pub struct WebhookConfigurationWritePermission;

impl Rule for WebhookConfigurationWritePermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &[PERMISSION], "verbs", grants_message)
    }
}
