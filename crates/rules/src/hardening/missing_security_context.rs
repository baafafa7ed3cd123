//! K8S-048: containers with no security context at all (neither their own nor the pod's).

use palisade_core::{CheckContext, K8sObject, Located, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-048.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-048",
    name: "missing-security-context",
    family: "hardening",
    severity: Severity::Low,
    profiles: &["cis-aks"],
    summary: "Neither the pod nor the container sets a securityContext.",
    remediation: "Add a securityContext to the pod or the container that sets at least runAsNonRoot, \
                  allowPrivilegeEscalation: false, readOnlyRootFilesystem and a seccomp profile.",
    docs: r#"## What it does
Reports each container, init container and ephemeral container that has no `securityContext` when the pod has no
`spec.securityContext` either. An empty map (`securityContext: {}`) or `null` counts as absent: it sets nothing.
Other rules (K8S-021, K8S-022, K8S-024, K8S-040, ...) report the individual settings; this one points out
workloads that were never given any thought about their security context.

## Why is this bad?
Without a security context every setting is the runtime default: the image's user (often root), a writable root
filesystem, privilege escalation allowed, all default capabilities. CIS asks for a security context on every pod
and container.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
```

## Use instead
```yaml
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: myacr.azurecr.io/app:1.0.0
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.6.2 (apply security context to your pods and containers)
"#,
    references: &["CIS AKS Benchmark 4.6.2"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// True when the located security context is a map with at least one key.
fn present(loc: &Located<'_>) -> bool {
    loc.node.and_then(Node::as_map).is_some_and(|m| !m.is_empty())
}

/// Flags containers without any security context.
pub struct MissingSecurityContext;

impl Rule for MissingSecurityContext {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if present(&pod.field(&["securityContext"])) {
            return Vec::new();
        }
        pod.containers()
            .filter_map(|c| {
                let field = c.field(&["securityContext"]);
                (!present(&field)).then(|| {
                    Violation::new(
                        c.label()
                            .with(" sets no securityContext and the pod sets no spec.securityContext"),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect()
    }
}
