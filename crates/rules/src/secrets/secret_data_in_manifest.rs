//! SEC-003: a Secret object with data committed in a manifest.

use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-003.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-003",
    name: "secret-data-in-manifest",
    family: "secrets",
    severity: Severity::High,
    profiles: &["nsa", "seed"],
    summary: "A Secret object carries data or stringData in a manifest.",
    remediation: "Remove the Secret from the repository and rotate its values; keep them in Azure Key Vault (Secrets \
                  Store CSI driver) or commit them only encrypted (SOPS, Sealed Secrets).",
    docs: r#"## What it does
Flags every `kind: Secret` whose `data` or `stringData` holds at least one non-empty value, once per field, naming
the keys (never the values). Not reported:

- Secrets encrypted with SOPS (a top-level `sops` key, which SOPS adds to every file it encrypts);
- `SealedSecret` objects (another kind: their `encryptedData` can only be decrypted in the cluster);
- a `kubernetes.io/service-account-token` Secret without data (the token controller fills it in);
- keys whose value is empty or `null`.

## Why is this bad?
`data` is only base64-encoded, not encrypted: anyone who can read the repository, its forks, CI logs or a rendered
Helm chart reads the credentials, and they stay in Git history after deletion.

## Example
```yaml
apiVersion: v1
kind: Secret
metadata:
  name: api-db
type: Opaque
stringData:
  password: S3cr3t-Passw0rd
```

## Use instead
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-db
spec:
  provider: azure
  parameters:
    clientID: 00000000-0000-0000-0000-000000000000
    keyvaultName: shop-kv
    tenantID: 11111111-1111-1111-1111-111111111111
    objects: |
      array:
        - |
          objectName: api-db-password
          objectType: secret
```

## References
- seed:000 (never store secrets in YAML), seed:002 (Key Vault instead of Kubernetes Secrets), seed:004
- NSA/CISA Kubernetes Hardening Guidance, Secrets
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
"#,
    references: &[
        "seed:000",
        "seed:002",
        "seed:004",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Secret"]),
    pss: None,
};

/// Flags Secrets with data or stringData.
pub struct SecretDataInManifest;

impl Rule for SecretDataInManifest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if obj.root.get("sops").is_some() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for field in ["data", "stringData"] {
            let loc = locate(&obj.root, "", obj.root.pos, &[field]);
            let Some(map) = loc.node.and_then(Node::as_map) else {
                continue;
            };
            let keys: Vec<&str> = map
                .entries()
                .iter()
                .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()))
                .map(|e| e.key.as_str())
                .collect();
            if keys.is_empty() {
                continue;
            }
            let shown: Vec<String> = keys.iter().take(10).map(|k| format!("\"{k}\"")).collect();
            let more = if keys.len() > 10 {
                format!(" and {} more", keys.len() - 10)
            } else {
                String::new()
            };
            out.push(Violation::new(
                format!(
                    "Secret has {field} committed in the manifest: keys {}{more}",
                    shown.join(", ")
                ),
                loc.pos,
                loc.pointer,
            ));
        }
        out
    }
}
