//! K8S-007: capabilities added beyond the baseline set (PSA baseline check `capabilities_baseline`).

use super::util::PSS_DOCS;
use palisade_core::{
    CheckContext, K8sObject, Node, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Capabilities the baseline profile lets a container add (the container runtime's default set minus `NET_RAW`).
/// Unchanged since policy v1.0.
pub const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Metadata of K8S-007.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-007",
    name: "capabilities-beyond-baseline",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-baseline", "pss-restricted", "cis-aks"],
    summary: "A container adds a Linux capability outside the Pod Security Standards baseline set.",
    remediation: "Remove the capability from securityContext.capabilities.add; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, \
                  FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT are \
                  allowed.",
    docs: r#"## What it does
Flags every entry of `securityContext.capabilities.add` on containers, init containers and ephemeral containers
that is not one of AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP,
SETGID, SETPCAP, SETUID, SYS_CHROOT (Pod Security Standards baseline control "Capabilities", PSA check
`capabilities_baseline`, all policy versions). `NET_RAW` is not in the set. From policy v1.22 the restricted
profile replaces this rule with K8S-025, which reports these capabilities at the same severity.

## Why is this bad?
Capabilities such as `SYS_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_ADMIN` or `NET_RAW` let a process escape the
container, tamper with the node's network or spoof traffic to other pods. Names are compared exactly, as Kubernetes
does: `CAP_SYS_ADMIN` or `sys_admin` are not in the set either.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        capabilities:
          add: ["NET_ADMIN", "SYS_TIME"]
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
- Pod Security Standards, baseline "Capabilities": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- CIS Azure Kubernetes Service Benchmark 4.2.8
- Azure Policy c26596ff (allowed capabilities; the Azure baseline initiative also allows NET_RAW)
"#,
    references: &[PSS_DOCS, "CIS AKS Benchmark 4.2.8", "Azure Policy c26596ff"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "capabilities_baseline",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags added capabilities outside [`BASELINE_CAPABILITIES`].
pub struct CapabilitiesBeyondBaseline;

impl Rule for CapabilitiesBeyondBaseline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `add` key (only added capabilities are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["add"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in pod.containers() {
            let add = c.field(&["securityContext", "capabilities", "add"]);
            let items = add.node.and_then(Node::as_seq).unwrap_or(&[]);
            for (index, item) in items.iter().enumerate() {
                let Some(cap) = item.as_str() else { continue };
                if !BASELINE_CAPABILITIES.contains(&cap) {
                    out.push(Violation::new(
                        format!(
                            "{} adds capability \"{cap}\" in securityContext.capabilities.add",
                            c.label()
                        ),
                        item.pos,
                        format!("{}/{index}", add.pointer),
                    ));
                }
            }
        }
        out
    }
}
