//! K8S-023: runAsUser 0 (PSA restricted check `runAsUser`).

use super::util::{in_user_namespace, int_at, minor, security_context_fields, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-023.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-023",
    name: "run-as-root-user",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-restricted"],
    summary: "The pod or a container sets runAsUser: 0 (root).",
    remediation: "Set runAsUser to a non-zero UID (or remove it and let the image's non-root user apply).",
    docs: r#"## What it does
Flags `securityContext.runAsUser: 0` on the pod, containers, init containers and ephemeral containers (Pod
Security Standards restricted control "Running as Non-root user", PSA check `runAsUser`, policy v1.23+). An unset
`runAsUser` is allowed. From policy v1.35 pods that run in a user namespace (`spec.hostUsers: false`) are exempt.

## Why is this bad?
UID 0 in the container is UID 0 on the node's kernel; any escape or writable host mount yields full node access.
An explicit `runAsUser: 0` also defeats `runAsNonRoot: true`, which then blocks the pod from starting.

## Example
```yaml
spec:
  securityContext:
    runAsUser: 0
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, restricted "Running as Non-root user": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy f06ddb64 (allowed users)
"#,
    references: &[PSS_DOCS, "Azure Policy f06ddb64"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "runAsUser",
        level: PssLevel::Restricted,
        since: 23,
        overrides: &[],
    }),
};

/// Flags `runAsUser: 0`.
pub struct RunAsRootUser;

impl Rule for RunAsRootUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `runAsUser` key (only a set `runAsUser: 0` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["runAsUser"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if minor(ctx) >= 35 && in_user_namespace(&pod) {
            return Vec::new();
        }
        security_context_fields(&pod, &["runAsUser"])
            .filter(|(_, field)| int_at(field) == Some(0))
            .map(|(who, field)| Violation::new(format!("{who}.runAsUser: 0"), field.pos, field.pointer))
            .collect()
    }
}
