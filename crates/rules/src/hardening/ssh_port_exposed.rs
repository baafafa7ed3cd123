//! K8S-052: containers that declare the SSH port.

use super::util::container_ports;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-052.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-052",
    name: "ssh-port-exposed",
    family: "hardening",
    severity: Severity::Low,
    profiles: &[],
    summary: "A container declares containerPort 22 (SSH).",
    remediation: "Remove the SSH server from the image; use kubectl exec, kubectl debug or an ephemeral container for \
                  interactive access.",
    docs: r#"## What it does
Reports every `ports[*].containerPort: 22` with protocol TCP (the default) on containers and init containers.

## Why is this bad?
An SSH server in a container is a second, unmanaged way in: its keys or passwords live outside Kubernetes RBAC and
audit logging, and it usually means the container runs a full init system as root. Kubernetes already provides
audited interactive access.

## Example
```yaml
spec:
  containers:
    - name: legacy
      image: myacr.azurecr.io/legacy:7.0.0
      ports:
        - containerPort: 22
```

## Use instead
```yaml
spec:
  containers:
    - name: legacy
      image: myacr.azurecr.io/legacy:7.0.0
      ports:
        - containerPort: 8080
```

## References
- Best practice, also checked by Kubescape (C-0042) and kube-linter (ssh-port); no seed, CIS or Azure Policy item
  requires it
"#,
    references: &["Kubescape C-0042", "kube-linter ssh-port"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags TCP containerPort 22.
pub struct SshPortExposed;

impl Rule for SshPortExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `containerPort` key (only declared container ports are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["containerPort"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            for p in container_ports(&c) {
                if p.port == 22 && p.protocol == "TCP" {
                    out.push(Violation::new(
                        c.label().with(" declares containerPort 22 (SSH)"),
                        p.field.pos,
                        p.field.pointer,
                    ));
                }
            }
        }
        out
    }
}
