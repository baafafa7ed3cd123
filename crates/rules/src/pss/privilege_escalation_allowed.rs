//! K8S-021: privilege escalation not disabled (PSA restricted check `allowPrivilegeEscalation`).

use super::util::{bool_at, windows_exempt, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-021.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-021",
    name: "privilege-escalation-allowed",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-restricted", "cis-aks", "nsa"],
    summary: "A container does not set securityContext.allowPrivilegeEscalation to false.",
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every container, init container and \
                  ephemeral container.",
    docs: r#"## What it does
Flags every container, init container and ephemeral container whose `securityContext.allowPrivilegeEscalation`
is not explicitly `false` (Pod Security Standards restricted control "Privilege Escalation", PSA check
`allowPrivilegeEscalation`, policy v1.8+). From policy v1.25 pods with `spec.os.name: windows` are exempt.
Severity is high when the field is explicitly `true` and medium when it is unset (the runtime then allows
escalation by default).

## Why is this bad?
Unless `no_new_privs` is set, a process can gain more privileges than its parent through setuid/setgid binaries
or file capabilities, turning a compromise of an unprivileged process into root inside the container.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        allowPrivilegeEscalation: true
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        allowPrivilegeEscalation: false
```

## References
- Pod Security Standards, restricted "Privilege Escalation": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.5
- Azure Policy 1c6e92c9 (privilege escalation)
- NSA/CISA Kubernetes Hardening Guidance, Pod security
"#,
    references: &[
        PSS_DOCS,
        "CIS AKS Benchmark 4.2.5",
        "Azure Policy 1c6e92c9",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "allowPrivilegeEscalation",
        level: PssLevel::Restricted,
        since: 8,
        overrides: &[],
    }),
};

/// Flags containers without `allowPrivilegeEscalation: false`.
pub struct PrivilegeEscalationAllowed;

impl Rule for PrivilegeEscalationAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if windows_exempt(ctx, &pod) {
            return Vec::new();
        }
        pod.containers()
            .filter_map(|c| {
                let field = c.field(&["securityContext", "allowPrivilegeEscalation"]);
                match bool_at(&field) {
                    Some(false) => None,
                    Some(true) => Some(Violation::new(
                        c.label().with(" sets securityContext.allowPrivilegeEscalation: true"),
                        field.pos,
                        field.pointer,
                    )),
                    None => Some(
                        Violation::new(
                            c.label()
                                .with(" does not set securityContext.allowPrivilegeEscalation to false"),
                            field.pos,
                            field.pointer,
                        )
                        .with_severity(Severity::Medium),
                    ),
                }
            })
            .collect()
    }
}
