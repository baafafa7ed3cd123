//! RBAC-019: `default` ServiceAccounts that do not disable token automounting.

use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-019.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-019",
    name: "default-service-account-automounts-token",
    family: "rbac",
    severity: Severity::Low,
    profiles: &["cis-aks"],
    summary: "A default ServiceAccount does not set automountServiceAccountToken: false.",
    remediation: "Set automountServiceAccountToken: false on each namespace's default ServiceAccount.",
    docs: r#"## What it does
Reports ServiceAccount objects named `default` whose `automountServiceAccountToken` is not `false` (unset
counts: Kubernetes mounts the token by default).

## Why is this bad?
Every pod that does not choose a ServiceAccount gets the `default` account's API token mounted at
`/var/run/secrets/kubernetes.io/serviceaccount`. Most never call the API; for them the token is only useful
to an attacker who gets code execution in the pod. Disabling it on `default` makes "no token" the namespace
default, and pods that need one opt in.

## Example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
```

## Use instead
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: false
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.5 (default service accounts are not actively used)
- Kubernetes service accounts: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.5",
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["ServiceAccount"]),
    pss: None,
};

/// Flags `default` ServiceAccounts that automount their token.
pub struct DefaultServiceAccountAutomountsToken;

impl Rule for DefaultServiceAccountAutomountsToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if obj.id.name.as_deref() != Some("default") {
            return Vec::new();
        }
        let ns = obj.id.namespace.as_deref().unwrap_or("default");
        match obj.root.entry("automountServiceAccountToken") {
            Some(e) if e.value.as_bool() == Some(false) => Vec::new(),
            Some(e) => vec![Violation::new(
                match e.value.as_bool() {
                    Some(true) => format!("ServiceAccount {ns}/default sets automountServiceAccountToken: true"),
                    _ => format!(
                        "ServiceAccount {ns}/default sets automountServiceAccountToken to a non-boolean value, \
                         which does not disable token mounting"
                    ),
                },
                e.key_pos,
                "/automountServiceAccountToken",
            )],
            None => {
                let loc = locate(&obj.root, "", obj.root.pos, &["metadata", "name"]);
                vec![Violation::new(
                    format!(
                        "ServiceAccount {ns}/default does not set automountServiceAccountToken: false; pods \
                         without serviceAccountName get its token mounted"
                    ),
                    loc.pos,
                    loc.pointer,
                )]
            }
        }
    }
}
