//! K8S-022: runAsNonRoot not enforced (PSA restricted check `runAsNonRoot`).

use super::util::{bool_at, in_user_namespace, minor, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-022.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-022",
    name: "run-as-non-root-not-enforced",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-restricted", "cis-aks", "nsa"],
    summary: "Containers may run as root: runAsNonRoot is not true for the pod or every container.",
    remediation: "Set spec.securityContext.runAsNonRoot: true (or runAsNonRoot: true on every container) and build \
                  the image to run as a non-root user.",
    docs: r#"## What it does
Requires `runAsNonRoot: true`, either in `spec.securityContext` or in the `securityContext` of every container,
init container and ephemeral container; an explicit `false` anywhere fails (Pod Security Standards restricted
control "Running as Non-root", PSA check `runAsNonRoot`, all policy versions). From policy v1.35 pods that run in
a user namespace (`spec.hostUsers: false`) are exempt. Each explicit `false` is reported; when the pod leaves
the field unset, so is each container that does not set it either.

## Why is this bad?
Root in a container is root on the node's kernel, limited only by capabilities, seccomp and the other controls.
Any container escape or writable host mount then yields full node access. `runAsNonRoot: true` makes the kubelet
refuse to start a container whose image would run as UID 0.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        runAsNonRoot: false
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
- Pod Security Standards, restricted "Running as Non-root": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.6
- Azure Policy f06ddb64 (MustRunAsNonRoot)
- NSA/CISA Kubernetes Hardening Guidance, Non-root containers
"#,
    references: &[
        PSS_DOCS,
        "CIS AKS Benchmark 4.2.6",
        "Azure Policy f06ddb64",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "runAsNonRoot",
        level: PssLevel::Restricted,
        since: 0,
        overrides: &[],
    }),
};

/// Flags pods whose containers may run as root.
pub struct RunAsNonRootNotEnforced;

impl Rule for RunAsNonRootNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if minor(ctx) >= 35 && in_user_namespace(&pod) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let pod_field = pod.field(&["securityContext", "runAsNonRoot"]);
        let pod_value = bool_at(&pod_field);
        if pod_value == Some(false) {
            out.push(Violation::new(
                "pod sets spec.securityContext.runAsNonRoot: false",
                pod_field.pos,
                pod_field.pointer.clone(),
            ));
        }
        for c in pod.containers() {
            let field = c.field(&["securityContext", "runAsNonRoot"]);
            match bool_at(&field) {
                Some(true) => {}
                Some(false) => out.push(Violation::new(
                    c.label().with(" sets securityContext.runAsNonRoot: false"),
                    field.pos,
                    field.pointer,
                )),
                // A container that inherits an explicit pod-level `false` is fixed with the pod: report the pod only.
                None if pod_value.is_none() => out.push(Violation::new(
                    c.label()
                        .with(" does not set securityContext.runAsNonRoot to true, and neither does the pod"),
                    field.pos,
                    field.pointer,
                )),
                None => {}
            }
        }
        out
    }
}
