//! K8S-042: containers that add a dangerous Linux capability.

use super::util::{capability_entries, normalize_capability};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Capabilities this rule reports when added, with why each is dangerous.
pub const DANGEROUS_CAPABILITIES: &[(&str, &str)] = &[
    ("ALL", "every capability"),
    (
        "SYS_ADMIN",
        "mount filesystems, use most privileged syscalls; a near-equivalent of root on the node",
    ),
    (
        "NET_ADMIN",
        "reconfigure interfaces, routes and firewall rules of the pod network",
    ),
    ("SYS_MODULE", "load kernel modules"),
    ("SYS_PTRACE", "trace and inject code into other processes"),
    ("SYS_RAWIO", "raw access to I/O ports and devices"),
    ("SYS_BOOT", "reboot the node"),
    ("BPF", "load eBPF programs"),
    ("PERFMON", "kernel performance monitoring, often combined with BPF"),
    (
        "MAC_ADMIN",
        "change the mandatory access control (AppArmor/SELinux) configuration",
    ),
    ("MAC_OVERRIDE", "bypass mandatory access control"),
];

/// Metadata of K8S-042.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-042",
    name: "dangerous-capability-added",
    family: "hardening",
    severity: Severity::High,
    profiles: &["nsa", "azure-policy"],
    summary: "A container adds a dangerous Linux capability such as SYS_ADMIN, NET_ADMIN or ALL.",
    remediation: "Remove the capability from securityContext.capabilities.add; if the workload really needs it, \
                  list it in the allowed_capabilities parameter.",
    docs: r#"## What it does
Flags every entry of `securityContext.capabilities.add` (containers, init containers and ephemeral containers)
that is one of `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `SYS_BOOT`, `BPF`,
`PERFMON`, `MAC_ADMIN` or `MAC_OVERRIDE`. `SYS_ADMIN` and `ALL` are reported as critical, the others as high.
Names are compared the way containerd and CRI-O read them: case-insensitively and with an optional `CAP_` prefix.
Capabilities listed in the `allowed_capabilities` parameter are not reported.

## Why is this bad?
Each of these capabilities is a known container escape or node tampering vector: `SYS_ADMIN` allows mounting the
host's filesystems and most privileged syscalls, `SYS_MODULE` loads kernel code, `SYS_PTRACE` injects code into
other processes, `NET_ADMIN` rewrites the pod network, `BPF`/`PERFMON` load kernel programs and read kernel memory.
`ALL` grants every one of them.

## Example
```yaml
spec:
  containers:
    - name: agent
      image: myacr.azurecr.io/agent:3.0.1
      securityContext:
        capabilities:
          add: ["SYS_ADMIN", "NET_ADMIN"]
```

## Use instead
```yaml
spec:
  containers:
    - name: agent
      image: myacr.azurecr.io/agent:3.0.1
      securityContext:
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]
```

## References
- Azure Policy d2e7ea85 (Kubernetes cluster containers should not use CAP_SYS_ADMIN), a27c700f (allowed
  capabilities)
- NSA/CISA Kubernetes Hardening Guidance, Pod security (least privilege)
"#,
    references: &[
        "Azure Policy d2e7ea85",
        "Azure Policy a27c700f",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags dangerous capabilities in `securityContext.capabilities.add`.
pub struct DangerousCapabilityAdded;

impl Rule for DangerousCapabilityAdded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `add` key (only added capabilities are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["add"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let allowed: Vec<String> = ctx
            .params
            .allowed_capabilities
            .iter()
            .map(|c| normalize_capability(c))
            .collect();
        let mut out = Vec::new();
        for c in pod.containers() {
            let (_, added) = capability_entries(&c, "add");
            for entry in added {
                let Some((_, why)) = DANGEROUS_CAPABILITIES.iter().find(|(name, _)| *name == entry.name) else {
                    continue;
                };
                if allowed.contains(&entry.name) {
                    continue;
                }
                let v = Violation::new(
                    format!(
                        "{} adds capability \"{}\" in securityContext.capabilities.add ({why})",
                        c.label(),
                        entry.raw
                    ),
                    entry.pos,
                    entry.pointer,
                );
                out.push(if matches!(entry.name.as_str(), "SYS_ADMIN" | "ALL") {
                    v.with_severity(Severity::Critical)
                } else {
                    v
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardening::util::test_pod;
    use palisade_core::{Params, PssPolicy};

    fn pod() -> K8sObject {
        test_pod(serde_json::json!({
            "containers": [{"name": "app", "image": "a:1",
                "securityContext": {"capabilities": {"add": ["NET_ADMIN", "cap_sys_admin", "CHOWN"]}}}],
        }))
    }

    #[test]
    fn severities_and_allowlist() {
        let default = CheckContext::with_pss(PssPolicy::default());
        let found = DangerousCapabilityAdded.check(&default, &pod());
        let sev: Vec<_> = found.iter().map(|v| v.severity).collect();
        assert_eq!(sev, vec![None, Some(Severity::Critical)]);
        assert_eq!(
            found[1].pointer,
            "/spec/containers/0/securityContext/capabilities/add/1"
        );
        let params = Params {
            allowed_capabilities: vec!["net_admin".to_string(), "CAP_SYS_ADMIN".to_string()],
            ..Params::default()
        };
        let ctx = CheckContext {
            pss: PssPolicy::default(),
            params: &params,
        };
        assert!(DangerousCapabilityAdded.check(&ctx, &pod()).is_empty());
    }
}
