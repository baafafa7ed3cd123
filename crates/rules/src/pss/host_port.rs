//! K8S-006: container ports bound to a node port (PSA baseline check `hostPorts`).

use super::util::{int_at, PSS_DOCS};
use palisade_core::object::locate_at;
use palisade_core::{
    CheckContext, K8sObject, Node, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-006.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-006",
    name: "host-port",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "A container port is bound to a port of the node (ports[].hostPort).",
    remediation: "Remove hostPort (or set it to 0) and expose the port through a Service.",
    docs: r#"## What it does
Flags every `ports[*].hostPort` other than 0 on containers, init containers and ephemeral containers (Pod Security
Standards baseline control "Host Ports", PSA check `hostPorts`, all policy versions).

## Why is this bad?
A host port publishes the container on the node's own address, bypassing Services and NetworkPolicies, and ties
the pod to nodes where the port is free. It is a common way to expose a debug or admin port to the whole network.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      ports:
        - containerPort: 8080
          hostPort: 8080
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      ports:
        - containerPort: 8080
```
and a `Service` selecting the pod.

## References
- Pod Security Standards, baseline "Host Ports": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 82985f06 (allowed host ports)
"#,
    references: &[PSS_DOCS, "Azure Policy 82985f06"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "hostPorts",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `ports[*].hostPort` other than 0.
pub struct HostPort;

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostPort` key (only a set `hostPort` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostPort"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            let ports = c.node.get("ports").and_then(Node::as_seq).unwrap_or(&[]);
            for (index, port) in ports.iter().enumerate() {
                let base = c.pointer().join(&["ports"]).index(index);
                let field = locate_at(port, base, port.pos, &["hostPort"]);
                match int_at(&field) {
                    Some(host_port) if host_port != 0 => out.push(Violation::new(
                        format!("{} sets ports[{index}].hostPort: {host_port}", c.label()),
                        field.pos,
                        field.pointer,
                    )),
                    _ => {}
                }
            }
        }
        out
    }
}
