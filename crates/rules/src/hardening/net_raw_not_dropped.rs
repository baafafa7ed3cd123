//! K8S-041: containers that keep the NET_RAW capability.

use super::util::capability_entries;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-041.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-041",
    name: "net-raw-not-dropped",
    family: "hardening",
    severity: Severity::Medium,
    profiles: &["cis-aks", "seed"],
    summary: "A container keeps the NET_RAW capability (not dropped, or added back).",
    remediation: "Add NET_RAW (or ALL) to securityContext.capabilities.drop and do not list NET_RAW in \
                  capabilities.add.",
    docs: r#"## What it does
Flags every container, init container and ephemeral container whose `securityContext.capabilities.drop` contains
neither `NET_RAW` nor `ALL`, or whose `capabilities.add` lists `NET_RAW` or `ALL` (adding it back after dropping
`ALL`).
Names are compared the way containerd and CRI-O read them: case-insensitively and with an optional `CAP_` prefix.
One finding per container. Pods with `spec.os.name: windows` are skipped (Linux capabilities do not apply).

## Why is this bad?
`NET_RAW` is in the container runtime's default capability set. It lets a process craft raw packets: ARP and DNS
spoofing against other pods on the node, and several kernel exploits that start from a raw socket. Few applications
need it (ping does not on current kernels), so the Pod Security Standards baseline profile already forbids adding
it, but a container that merely does not drop it still has it.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:2.1.0
      securityContext:
        capabilities:
          drop: ["SYS_ADMIN"]
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/app:2.1.0
      securityContext:
        capabilities:
          drop: ["ALL"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.2.7 (aks-1.0 numbering: minimize the admission of containers with
  the NET_RAW capability)
- seed:001 (#7 disable NET_RAW: drop ALL or NET_RAW in the pod's securityContext)
- Pod Security Standards, restricted "Capabilities" (drop ALL): https://kubernetes.io/docs/concepts/security/pod-security-standards/
"#,
    references: &[
        "CIS AKS Benchmark 4.2.7",
        "seed:001",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers that do not drop `NET_RAW` (or `ALL`), or add it back.
pub struct NetRawNotDropped;

impl Rule for NetRawNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &META
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
            let (_, added) = capability_entries(&c, "add");
            // Adding ALL adds NET_RAW back too.
            if let Some(entry) = added.iter().find(|e| e.name == "NET_RAW" || e.name == "ALL") {
                out.push(Violation::new(
                    format!(
                        "{} adds capability \"{}\" in securityContext.capabilities.add",
                        c.label(),
                        entry.raw
                    ),
                    entry.pos,
                    entry.pointer.clone(),
                ));
                continue;
            }
            let (drop, dropped) = capability_entries(&c, "drop");
            if !dropped.iter().any(|e| e.name == "NET_RAW" || e.name == "ALL") {
                out.push(Violation::new(
                    c.label().with(
                        " does not drop NET_RAW (securityContext.capabilities.drop contains neither \"NET_RAW\" \
                         nor \"ALL\")",
                    ),
                    drop.pos,
                    drop.pointer,
                ));
            }
        }
        out
    }
}
