//! K8S-051: containers that declare a privileged port (below 1024).

use super::util::container_ports;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-051.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-051",
    name: "privileged-container-port",
    family: "hardening",
    severity: Severity::Low,
    profiles: &[],
    summary: "A container declares a containerPort below 1024.",
    remediation: "Make the application listen on a port of 1024 or above and map the well-known port in the \
                  Service (port: 80, targetPort: 8080).",
    docs: r#"## What it does
Reports every `ports[*].containerPort` from 1 to 1023 on containers and init containers (ephemeral containers
cannot declare ports). Windows pods (`spec.os.name: windows`) are skipped: Windows has no privileged port range.

## Why is this bad?
Binding a port below 1024 traditionally needs root or the `NET_BIND_SERVICE` capability, so images that listen on
them tend to run as root or keep extra capabilities. Listening on a high port lets the container run as a
non-root user with every capability dropped; the Service still exposes the well-known port.

## Example
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:1.4.2
      ports:
        - containerPort: 80
```

## Use instead
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:1.4.2
      ports:
        - containerPort: 8080
```

## References
- Best practice, also checked by kube-linter (privileged-ports) and Trivy (KSV-0117); no seed, CIS or Azure
  Policy item requires it
"#,
    references: &["kube-linter privileged-ports", "Trivy KSV-0117"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags container ports from 1 to 1023.
pub struct PrivilegedContainerPort;

impl Rule for PrivilegedContainerPort {
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
        if pod.is_windows() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in pod.containers() {
            for p in container_ports(&c) {
                if (1..1024).contains(&p.port) {
                    out.push(Violation::new(
                        format!(
                            "{} declares privileged port {} (containerPort below 1024)",
                            c.label(),
                            p.port
                        ),
                        p.field.pos,
                        p.field.pointer,
                    ));
                }
            }
        }
        out
    }
}
