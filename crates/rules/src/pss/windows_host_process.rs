//! K8S-014: Windows HostProcess containers (PSA baseline check `windowsHostProcess`).

use super::util::{bool_at, security_context_fields, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-014.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-014",
    name: "windows-host-process",
    family: "pss",
    severity: Severity::Critical,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "The pod or a container runs as a Windows HostProcess container.",
    remediation: "Remove securityContext.windowsOptions.hostProcess or set it to false on the pod and every container.",
    docs: r#"## What it does
Flags `securityContext.windowsOptions.hostProcess: true` on the pod, containers, init containers and ephemeral
containers (Pod Security Standards baseline control "HostProcess", PSA check `windowsHostProcess`, all policy
versions).

## Why is this bad?
A HostProcess container runs directly on the Windows node, in the host's network namespace and with access to
its filesystem, usually as SYSTEM: it is the Windows equivalent of a privileged container.

## Example
```yaml
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\SYSTEM"
  hostNetwork: true
  containers:
    - name: agent
      image: registry.example.com/agent:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    windowsOptions:
      runAsUserName: ContainerUser
  containers:
    - name: agent
      image: registry.example.com/agent:1.0
```

## References
- Pod Security Standards, baseline "HostProcess": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 077f0ce1 (Windows HostProcess containers)
"#,
    references: &[PSS_DOCS, "Azure Policy 077f0ce1"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "windowsHostProcess",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `windowsOptions.hostProcess: true`.
pub struct WindowsHostProcess;

impl Rule for WindowsHostProcess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostProcess` key (only a set `hostProcess` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostProcess"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        security_context_fields(&pod, &["windowsOptions", "hostProcess"])
            .filter(|(_, field)| bool_at(field) == Some(true))
            .map(|(who, field)| {
                Violation::new(
                    format!("{who}.windowsOptions.hostProcess: true"),
                    field.pos,
                    field.pointer,
                )
            })
            .collect()
    }
}
