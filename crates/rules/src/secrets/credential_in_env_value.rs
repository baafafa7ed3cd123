//! SEC-001: a credential written as a literal environment variable value.

use super::util::{detect, explain, Mode};
use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-001.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-001",
    name: "credential-in-env-value",
    family: "secrets",
    severity: Severity::High,
    profiles: &["nsa", "seed"],
    summary: "A container environment variable holds a credential as a literal value.",
    remediation:
        "Store the value in Azure Key Vault (Secrets Store CSI driver) or a Kubernetes Secret and reference it \
                  with valueFrom.secretKeyRef or a mounted file; then rotate the exposed credential.",
    docs: r#"## What it does
Checks every `env[*].value` of every container, init container and ephemeral container (values under `valueFrom`
are references, not literals) and reports a value that

- matches a known secret format, whatever the variable name: a PEM private key, a JWT, an AWS access key ID, a
  GitHub token, an Azure storage account key, shared access key or SAS signature in a connection string, a
  connection string with `Password=`, a URL with a password in it; or
- sits under a sensitive name (`password`, `passwd`, `pwd`, `secret`, `token`, `api_key`, `access_key`,
  `client_secret`, `connection_string`, `credential`, `bearer`, `private_key`, `AZURE_*KEY`,
  `AWS_SECRET_ACCESS_KEY`, case-insensitive) and is a literal that could be a credential.

Not reported: empty values; values with a `$(VAR)` reference (Kubernetes fills them from other variables);
placeholders meant to be replaced by a pipeline (`changeme`, `<password>`, `${VAR}`, `{{ .Values.x }}`,
`#{token}#`, `__TOKEN__`, `xxxx`, `API_KEY_VALUE`); values shaped like settings (booleans, numbers, durations, absolute paths, URLs
without credentials); and, for names whose last word says they hold a reference (`SECRET_NAME`, `TOKEN_URL`,
`PASSWORD_FILE`) or whose only sensitive part is `connection_string` (often a locator such as
`projects/p/instances/i/databases/d`), values that do not look random (16+ characters, letters and digits, 3.5+
bits of entropy per character). Messages name the container and variable and show the value masked (`****, 24 chars`), never the value.

## Why is this bad?
Manifests end up in Git history, CI logs, Helm release Secrets and `kubectl get -o yaml` output, and environment
values are visible to anyone who can read the workload or `kubectl describe` the pod. A literal credential there
is effectively published and cannot be rotated without a redeploy.

## Example
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      env:
        - name: DB_PASSWORD
          value: "S3cr3t-Passw0rd"
```

## Use instead
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: api-db
              key: password
```

## References
- seed:000 (never store secrets in YAML), seed:001 #9 (secrets not in environment variables)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
- Kubescape C-0012, Polaris sensitiveContainerEnvVar, kube-linter env-var-secret
"#,
    references: &[
        "seed:000",
        "seed:001",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
        "Kubescape C-0012",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Flags literal env values that look like credentials.
pub struct CredentialInEnvValue;

impl Rule for CredentialInEnvValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `value` key (only literal `env[].value` strings are read).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["value"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            let env = c.field(&["env"]);
            for (i, var) in env.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let name = var.get_str("name").unwrap_or("");
                let loc = locate_at(var, env.pointer.index(i), var.pos, &["value"]);
                let Some(value) = loc.node.and_then(Node::as_str) else {
                    continue;
                };
                if let Some(d) = detect(name, value, Mode::Literal) {
                    out.push(Violation::new(
                        format!(
                            "{} env {name} holds a literal credential ({})",
                            c.label(),
                            explain(d, value)
                        ),
                        loc.pos,
                        loc.pointer,
                    ));
                }
            }
        }
        out
    }
}
