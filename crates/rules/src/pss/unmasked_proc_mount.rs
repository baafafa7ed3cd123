//! K8S-010: unmasked /proc (PSA baseline check `procMount`).

use super::util::{in_user_namespace, minor, str_at, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PodSpecView, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-010.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-010",
    name: "unmasked-proc-mount",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "A container sets securityContext.procMount to something other than Default.",
    remediation: "Remove securityContext.procMount or set it to Default.",
    docs: r#"## What it does
Flags containers, init containers and ephemeral containers whose `securityContext.procMount` is set to anything
but `Default` (Pod Security Standards baseline control "/proc Mount Type", PSA check `procMount`). From policy
v1.35 the baseline profile allows any value in pods that run in a user namespace (`spec.hostUsers: false`); the
restricted profile does not (K8S-026 replaces this rule there).

## Why is this bad?
`Unmasked` removes the masks and read-only paths the runtime puts over `/proc` and `/sys` (`/proc/kcore`,
`/proc/sysrq-trigger`, ...), exposing kernel memory and node controls to the container.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        procMount: Unmasked
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        procMount: Default
```

## References
- Pod Security Standards, baseline "/proc Mount Type": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy f85eb0dd (allowed proc mount types)
"#,
    references: &[PSS_DOCS, "Azure Policy f85eb0dd"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "procMount",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `procMount` other than `Default`, except in user-namespace pods from policy v1.35.
pub struct UnmaskedProcMount;

impl Rule for UnmaskedProcMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `procMount` key (only a set `procMount` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["procMount"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if minor(ctx) >= 35 && in_user_namespace(&pod) {
            return Vec::new();
        }
        proc_mount_violations(&pod)
    }
}

/// One violation per container whose `securityContext.procMount` is set to anything but `Default`.
pub(crate) fn proc_mount_violations(pod: &PodSpecView<'_>) -> Vec<Violation> {
    pod.containers()
        .filter_map(|c| {
            let field = c.field(&["securityContext", "procMount"]);
            let value = str_at(&field)?;
            (value != "Default").then(|| {
                Violation::new(
                    format!("{} sets securityContext.procMount: \"{value}\"", c.label()),
                    field.pos,
                    field.pointer,
                )
            })
        })
        .collect()
}
