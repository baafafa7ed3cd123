//! SEC-002: a Secret consumed through environment variables.

use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-002.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-002",
    name: "secret-in-env-var",
    family: "secrets",
    severity: Severity::Low,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "A container reads a Secret into environment variables instead of mounting it as files.",
    remediation: "Mount the Secret (or a Secrets Store CSI volume) as files and have the application read them; keep \
                  secretKeyRef only where the application cannot read files.",
    docs: r#"## What it does
Reports, for every container, init container and ephemeral container:

- each `env[*].valueFrom.secretKeyRef`, naming the variable, Secret and key;
- each `envFrom[*].secretRef`, naming the Secret (all its keys become variables).

The default severity is low: seed:001 accepts `secretKeyRef` as the better alternative to literals, while CIS AKS
4.5.1 prefers files. Lower it to info in `.palisade.yaml` if your policy accepts it.

## Why is this bad?
Environment variables leak more easily than files: they are inherited by every child process, dumped in crash
reports and debug endpoints (`/proc/<pid>/environ`, framework error pages), and never refreshed when the Secret is
rotated. Files from a volume are updated in place and can be read only by the processes that need them.

## Example
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      envFrom:
        - secretRef:
            name: api-secrets
```

## Use instead
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      volumeMounts:
        - name: secrets
          mountPath: /mnt/secrets
          readOnly: true
  volumes:
    - name: secrets
      secret:
        secretName: api-secrets
```

## References
- seed:001 #9 (secrets as files or secretKeyRef, not literal environment variables)
- CIS Azure Kubernetes Service Benchmark 4.5.1 (prefer using secrets as files over secrets as environment variables)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
"#,
    references: &[
        "seed:001",
        "CIS AKS Benchmark 4.5.1",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags `secretKeyRef` and `envFrom.secretRef`.
pub struct SecretInEnvVar;

impl Rule for SecretInEnvVar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `secretKeyRef` or `secretRef` key (only `valueFrom.secretKeyRef` and `envFrom[].secretRef` are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["secretKeyRef", "secretRef"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            let env = c.field(&["env"]);
            for (i, var) in env.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let loc = locate_at(var, env.pointer.index(i), var.pos, &["valueFrom", "secretKeyRef"]);
                let Some(r) = loc.node.filter(|n| n.as_map().is_some()) else {
                    continue;
                };
                out.push(Violation::new(
                    format!(
                        "{} env {} reads key \"{}\" of Secret \"{}\" (secretKeyRef)",
                        c.label(),
                        var.get_str("name").unwrap_or(""),
                        r.get_str("key").unwrap_or(""),
                        r.get_str("name").unwrap_or("")
                    ),
                    loc.pos,
                    loc.pointer,
                ));
            }
            let env_from = c.field(&["envFrom"]);
            for (i, src) in env_from.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let loc = locate_at(src, env_from.pointer.index(i), src.pos, &["secretRef"]);
                let Some(r) = loc.node.filter(|n| n.as_map().is_some()) else {
                    continue;
                };
                out.push(Violation::new(
                    format!(
                        "{} loads every key of Secret \"{}\" into environment variables (envFrom.secretRef)",
                        c.label(),
                        r.get_str("name").unwrap_or("")
                    ),
                    loc.pos,
                    loc.pointer,
                ));
            }
        }
        out
    }
}
