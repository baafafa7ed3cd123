//! SEC-007: a SecretProviderClass that copies vault secrets into Kubernetes Secrets.

use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-007.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-007",
    name: "secret-provider-class-syncs-secret",
    family: "secrets",
    severity: Severity::Info,
    profiles: &["nsa", "seed"],
    summary: "A SecretProviderClass syncs vault secrets into native Kubernetes Secrets (spec.secretObjects).",
    remediation:
        "Read the mounted files from the CSI volume instead of syncing them to Kubernetes Secrets, or restrict \
                  who can read Secrets in the namespace.",
    docs: r#"## What it does
Reports each `SecretProviderClass` (any provider) whose `spec.secretObjects` list is non-empty, naming the
Kubernetes Secrets it creates.

## Why is this bad?
Syncing recreates the exposure the external store was meant to avoid: the secret is copied into etcd, readable by
anyone with `get secrets` in the namespace (RBAC-008), and is usually consumed as environment variables (SEC-002).
It is sometimes required (ingress TLS certificates, image pull secrets), hence informational.

## Example
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-kv
spec:
  provider: azure
  secretObjects:
    - secretName: api-key
      type: Opaque
      data:
        - objectName: api-key
          key: api-key
  parameters:
    clientID: 00000000-0000-0000-0000-000000000000
    keyvaultName: shop-kv
    tenantID: 11111111-1111-1111-1111-111111111111
    objects: |
      array:
        - |
          objectName: api-key
          objectType: secret
```

## Use instead
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-kv
spec:
  provider: azure
  parameters:
    clientID: 00000000-0000-0000-0000-000000000000
    keyvaultName: shop-kv
    tenantID: 11111111-1111-1111-1111-111111111111
    objects: |
      array:
        - |
          objectName: api-key
          objectType: secret
```

## References
- seed:002 (SecretProviderClass with secretObjects)
- https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret
"#,
    references: &[
        "seed:002",
        "https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["SecretProviderClass"]),
    pss: None,
};

/// Reports SecretProviderClasses with `secretObjects`.
pub struct SecretProviderClassSyncsSecret;

impl Rule for SecretProviderClassSyncsSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let loc = locate(&obj.root, "", obj.root.pos, &["spec", "secretObjects"]);
        let items = loc.node.and_then(Node::as_seq).unwrap_or(&[]);
        if items.is_empty() {
            return Vec::new();
        }
        let names: Vec<String> = items
            .iter()
            .filter_map(|s| s.get_str("secretName"))
            .map(|n| format!("\"{n}\""))
            .collect();
        vec![Violation::new(
            format!(
                "SecretProviderClass syncs vault objects into Kubernetes Secret(s) {}",
                names.join(", ")
            ),
            loc.pos,
            loc.pointer,
        )]
    }
}
