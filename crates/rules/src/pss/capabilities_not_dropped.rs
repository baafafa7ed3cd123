//! K8S-025: capabilities not dropped, or added beyond NET_BIND_SERVICE (PSA restricted check
//! `capabilities_restricted`).

use super::capabilities_beyond_baseline::BASELINE_CAPABILITIES;
use super::util::{set, windows_exempt, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, Node, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-025.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-025",
    name: "capabilities-not-dropped",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-restricted", "cis-aks"],
    summary: "A container does not drop ALL capabilities, or adds one other than NET_BIND_SERVICE.",
    remediation: "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add back at most \
                  NET_BIND_SERVICE.",
    docs: r#"## What it does
Requires every container, init container and ephemeral container to list `ALL` in
`securityContext.capabilities.drop` and to add nothing but `NET_BIND_SERVICE` (Pod Security Standards restricted
control "Capabilities", PSA check `capabilities_restricted`, policy v1.22+). From policy v1.25 pods with
`spec.os.name: windows` are exempt. From v1.22 this rule replaces K8S-007 in the restricted profile; an added
capability outside the baseline set (e.g. `NET_RAW`, `SYS_ADMIN`) is reported at K8S-007's high severity.

## Why is this bad?
The runtime's default capability set still includes `NET_RAW`, `SETUID`, `DAC_OVERRIDE`, `CHOWN` and others that
an attacker uses to spoof traffic, change file ownership or escalate. Dropping everything and adding back only
what is needed removes that surface.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        capabilities:
          add: ["CHOWN"]
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]
```

## References
- Pod Security Standards, restricted "Capabilities": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.9
- Azure Policy c26596ff (required drop capabilities; the initiative default drops nothing)
"#,
    references: &[PSS_DOCS, "CIS AKS Benchmark 4.2.9", "Azure Policy c26596ff"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "capabilities_restricted",
        level: PssLevel::Restricted,
        since: 22,
        overrides: &[("K8S-007", 22)],
    }),
};

/// Flags containers that do not drop ALL or that add more than NET_BIND_SERVICE.
pub struct CapabilitiesNotDropped;

impl Rule for CapabilitiesNotDropped {
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
        let mut out = Vec::new();
        for c in pod.containers() {
            let caps = c.field(&["securityContext", "capabilities"]);
            let caps_node = set(&caps);
            let drop = c.field(&["securityContext", "capabilities", "drop"]);
            let drops_all = drop
                .node
                .and_then(Node::as_seq)
                .is_some_and(|d| d.iter().any(|x| x.as_str() == Some("ALL")));
            if !drops_all {
                out.push(Violation::new(
                    c.label()
                        .with(" does not set securityContext.capabilities.drop: [\"ALL\"]"),
                    drop.pos,
                    drop.pointer,
                ));
            }
            if caps_node.is_none() {
                continue;
            }
            let add = c.field(&["securityContext", "capabilities", "add"]);
            let items = add.node.and_then(Node::as_seq).unwrap_or(&[]);
            for (index, item) in items.iter().enumerate() {
                let Some(cap) = item.as_str() else { continue };
                if cap == "NET_BIND_SERVICE" {
                    continue;
                }
                let v = Violation::new(
                    format!(
                        "{} adds capability \"{cap}\" in securityContext.capabilities.add",
                        c.label()
                    ),
                    item.pos,
                    format!("{}/{index}", add.pointer),
                );
                // Outside the baseline set too: keep the baseline rule's (higher) severity.
                out.push(if BASELINE_CAPABILITIES.contains(&cap) {
                    v
                } else {
                    v.with_severity(super::capabilities_beyond_baseline::META.severity)
                });
            }
        }
        out
    }
}
