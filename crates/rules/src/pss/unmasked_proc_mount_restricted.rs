//! K8S-026: unmasked /proc, without the user-namespace relaxation (PSA restricted check `procMount_restricted`).

use super::unmasked_proc_mount::proc_mount_violations;
use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-026.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-026",
    name: "unmasked-proc-mount-restricted",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-restricted"],
    summary: "A container sets securityContext.procMount to something other than Default, even in a user namespace.",
    remediation: "Remove securityContext.procMount or set it to Default.",
    docs: r#"## What it does
Flags containers, init containers and ephemeral containers whose `securityContext.procMount` is set to anything
but `Default`, whether or not the pod runs in a user namespace (Pod Security Standards restricted control
"/proc Mount Type", PSA check `procMount_restricted`, policy v1.35+). From v1.35 it replaces the baseline rule
K8S-010 in the restricted profile, which allows any value when `spec.hostUsers: false`.

## Why is this bad?
`Unmasked` removes the masks and read-only paths over `/proc` and `/sys`. A user namespace limits what root in
the container can do with them, but the restricted profile still requires the default masks as defence in depth.

## Example
```yaml
spec:
  hostUsers: false
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        procMount: Unmasked
```

## Use instead
```yaml
spec:
  hostUsers: false
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        procMount: Default
```

## References
- Pod Security Standards, restricted "/proc Mount Type": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- User namespaces and Pod Security Admission: https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
"#,
    references: &[
        PSS_DOCS,
        "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "procMount_restricted",
        level: PssLevel::Restricted,
        since: 35,
        overrides: &[("K8S-010", 35)],
    }),
};

/// Flags `procMount` other than `Default` in every pod.
pub struct UnmaskedProcMountRestricted;

impl Rule for UnmaskedProcMountRestricted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `procMount` key (only a set `procMount` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["procMount"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        proc_mount_violations(&pod)
    }
}
