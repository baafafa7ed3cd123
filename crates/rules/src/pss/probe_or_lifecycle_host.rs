//! K8S-013: probes and lifecycle handlers aimed at another host (PSA baseline check `hostProbesAndHostLifecycle`).

use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// The handler fields that carry a `host`, as paths under a container.
const HOST_PATHS: &[&[&str]] = &[
    &["livenessProbe", "httpGet", "host"],
    &["livenessProbe", "tcpSocket", "host"],
    &["readinessProbe", "httpGet", "host"],
    &["readinessProbe", "tcpSocket", "host"],
    &["startupProbe", "httpGet", "host"],
    &["startupProbe", "tcpSocket", "host"],
    &["lifecycle", "postStart", "httpGet", "host"],
    &["lifecycle", "postStart", "tcpSocket", "host"],
    &["lifecycle", "preStop", "httpGet", "host"],
    &["lifecycle", "preStop", "tcpSocket", "host"],
];

/// Metadata of K8S-013.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-013",
    name: "probe-or-lifecycle-host",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "A probe or lifecycle handler sends its request to another host (httpGet.host or tcpSocket.host).",
    remediation: "Remove the host field from the probe or lifecycle handler so the kubelet targets the pod's own IP.",
    docs: r#"## What it does
Flags a non-empty `host` in `httpGet` or `tcpSocket` of `livenessProbe`, `readinessProbe`, `startupProbe` and
`lifecycle.postStart` / `lifecycle.preStop` of containers, init containers and ephemeral containers (Pod Security
Standards baseline control "Probes and Lifecycle Hooks", PSA check `hostProbesAndHostLifecycle`, policy v1.34+).

## Why is this bad?
The kubelet sends probe and hook requests from the node. A `host` lets a pod author point those requests at any
address the node can reach (node-local services, the cloud metadata endpoint, other tenants), a server-side
request forgery through the kubelet.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      livenessProbe:
        httpGet:
          host: 169.254.169.254
          path: /metadata
          port: 80
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
```

## References
- Pod Security Standards, baseline "Probes and Lifecycle Hooks": https://kubernetes.io/docs/concepts/security/pod-security-standards/
"#,
    references: &[PSS_DOCS],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "hostProbesAndHostLifecycle",
        level: PssLevel::Baseline,
        since: 34,
        overrides: &[],
    }),
};

/// Flags a `host` in probes and lifecycle handlers.
pub struct ProbeOrLifecycleHost;

impl Rule for ProbeOrLifecycleHost {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `host` key (only a probe's or lifecycle handler's `host` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["host"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            for path in HOST_PATHS {
                let field = c.field(path);
                let Some(host) = super::util::str_at(&field).filter(|h| !h.is_empty()) else {
                    continue;
                };
                out.push(Violation::new(
                    format!("{} sets {}: \"{host}\"", c.label(), path.join(".")),
                    field.pos,
                    field.pointer,
                ));
            }
        }
        out
    }
}
