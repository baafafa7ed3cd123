//! RBAC-020: Secrets of type `kubernetes.io/service-account-token` (long-lived ServiceAccount tokens).

use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The legacy token Secret type.
const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";

/// Metadata of RBAC-020.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-020",
    name: "legacy-service-account-token-secret",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &["nsa"],
    summary: "A Secret of type kubernetes.io/service-account-token holds a long-lived ServiceAccount token.",
    remediation: "Delete the Secret and obtain short-lived tokens through the TokenRequest API (projected volumes or \
                  kubectl create token) instead.",
    docs: r#"## What it does
Reports Secrets of `type: kubernetes.io/service-account-token`. The token controller fills such a Secret with a
token for the ServiceAccount named in its `kubernetes.io/service-account.name` annotation. No Secret values are
read or shown.

## Why is this bad?
These tokens never expire and are not bound to a pod: anyone who can read the Secret (or finds it in a backup,
a Git repository or a CI log) can act as the ServiceAccount until the Secret is deleted. Since Kubernetes 1.24
pods get short-lived, automatically rotated tokens instead, and unused legacy tokens are cleaned up.

## Example
```yaml
apiVersion: v1
kind: Secret
metadata:
  name: ci-deployer-token
  namespace: ci
  annotations:
    kubernetes.io/service-account.name: ci-deployer
type: kubernetes.io/service-account-token
```

## Use instead
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: deployer
  namespace: ci
spec:
  serviceAccountName: ci-deployer
  containers:
    - name: deploy
      image: myacr.azurecr.io/deployer:2.1.0
      volumeMounts:
        - name: token
          mountPath: /var/run/secrets/tokens
  volumes:
    - name: token
      projected:
        sources:
          - serviceAccountToken:
              path: token
              expirationSeconds: 3600
```

## References
- NSA/CISA Kubernetes Hardening Guidance, protecting Pod service account tokens
- Kubernetes legacy ServiceAccount token cleanup: https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Secret"]),
    pss: None,
};

/// Flags legacy ServiceAccount token Secrets.
pub struct LegacyServiceAccountTokenSecret;

impl Rule for LegacyServiceAccountTokenSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(entry) = obj.root.entry("type") else {
            return Vec::new();
        };
        if entry.value.as_str() != Some(TOKEN_TYPE) {
            return Vec::new();
        }
        let account = locate(
            &obj.root,
            "",
            obj.root.pos,
            &["metadata", "annotations", "kubernetes.io/service-account.name"],
        )
        .node
        .and_then(|n| n.as_str())
        .map_or_else(
            || "the ServiceAccount named in its kubernetes.io/service-account.name annotation".to_string(),
            |name| format!("ServiceAccount \"{name}\""),
        );
        vec![Violation::new(
            format!("Secret of type {TOKEN_TYPE} holds a non-expiring token for {account}"),
            entry.key_pos,
            "/type",
        )]
    }
}
