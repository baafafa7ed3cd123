//! K8S-001: containers running privileged (PSA baseline check `privileged`).

use super::util::{bool_at, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-001.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-001",
    name: "privileged-container",
    family: "pss",
    severity: Severity::Critical,
    profiles: &["pss-baseline", "pss-restricted", "cis-aks", "nsa"],
    summary: "A container runs with securityContext.privileged: true.",
    remediation: "Remove securityContext.privileged or set it to false; grant only the specific capabilities the \
                  workload needs.",
    docs: r#"## What it does
Flags every container, init container and ephemeral container that sets `securityContext.privileged: true`
(Pod Security Standards baseline control "Privileged Containers", PSA check `privileged`, all policy versions).

## Why is this bad?
A privileged container gets every Linux capability, all host devices and no seccomp, AppArmor or SELinux
confinement. A process in it can load kernel modules or mount the host disk: it is root on the node.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        privileged: true
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        privileged: false
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
```

## References
- Pod Security Standards, baseline "Privileged Containers": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.1
- Azure Policy 95edb821 (privileged containers)
- NSA/CISA Kubernetes Hardening Guidance, Pod security
"#,
    references: &[
        PSS_DOCS,
        "CIS AKS Benchmark 4.2.1",
        "Azure Policy 95edb821",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "privileged",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags containers that set `securityContext.privileged: true`.
pub struct PrivilegedContainer;

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `privileged` key (only a set `privileged` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["privileged"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        pod.containers()
            .filter_map(|c| {
                let field = c.field(&["securityContext", "privileged"]);
                (bool_at(&field) == Some(true)).then(|| {
                    Violation::new(
                        c.label().with(" sets securityContext.privileged: true"),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect()
    }
}
