//! RBAC-013: roles that grant approving CertificateSigningRequests.

use super::util::{grants_message, permission_violations, ApiResource, Permission};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

const CERTIFICATES: &str = "certificates.k8s.io";

/// update/patch on certificatesigningrequests/approval, and approve on signers.
pub(crate) static PERMISSIONS: [Permission; 2] = [
    Permission {
        verbs: &["update", "patch"],
        targets: &[ApiResource {
            groups: &[CERTIFICATES],
            resource: "certificatesigningrequests/approval",
        }],
    },
    Permission {
        verbs: &["approve"],
        targets: &[ApiResource {
            groups: &[CERTIFICATES],
            resource: "signers",
        }],
    },
];

/// Metadata of RBAC-013.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-013",
    name: "csr-approval-permission",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks"],
    summary: "A Role or ClusterRole grants approval of CertificateSigningRequests.",
    remediation: "Remove update/patch on certificatesigningrequests/approval and approve on signers; leave \
                  approval to the control plane's approvers.",
    docs: r#"## What it does
Reports every Role/ClusterRole rule entry that grants `update` or `patch` on
`certificatesigningrequests/approval`, or `approve` on `signers` (API group `certificates.k8s.io`; wildcards
count). Approving a request needs both; each entry that grants either part is reported.

## Why is this bad?
Whoever can approve CSRs for the `kubernetes.io/kube-apiserver-client` signer can issue a client certificate for
any user or group, including `system:masters`, which is unrestricted cluster access that RBAC cannot revoke.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cert-helper
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests/approval"]
    verbs: ["update"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["signers"]
    verbs: ["approve"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cert-helper
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.10 (minimize access to the approval sub-resource of certificatesigningrequests)
- Kubernetes certificate signing requests, authorization: https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.10",
        "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags rule entries granting CSR approval.
pub struct CsrApprovalPermission;

impl Rule for CsrApprovalPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        permission_violations(obj, &PERMISSIONS, "verbs", grants_message)
    }
}
