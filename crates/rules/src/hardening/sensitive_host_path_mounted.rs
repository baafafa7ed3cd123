//! K8S-044: hostPath volumes that expose sensitive node paths (including AKS's /etc/kubernetes/azure.json).

use super::util::{host_path_volumes, is_within};
use crate::pss::util::mount_summary;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Sensitive node paths, with what they hold.
pub const SENSITIVE_HOST_PATHS: &[(&str, &str)] = &[
    ("/", "the whole node filesystem"),
    ("/etc", "node configuration and credentials"),
    ("/etc/kubernetes", "kubelet and cluster configuration"),
    (
        "/etc/kubernetes/azure.json",
        "the AKS cloud-provider configuration with the cluster's service principal or managed identity",
    ),
    (
        "/var/lib/kubelet",
        "kubelet state, including the Secrets and service account tokens of every pod on the node",
    ),
    ("/var/lib/waagent", "Azure VM agent state, including provisioning data"),
    ("/proc", "the host's processes and kernel settings"),
    ("/sys", "the host's kernel and device interfaces"),
    ("/boot", "the node's kernel and boot loader"),
    ("/dev", "the host's devices"),
    ("/root", "the node root user's home directory"),
    ("/.azure", "Azure CLI credentials"),
];

/// Metadata of K8S-044.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-044",
    name: "sensitive-host-path-mounted",
    family: "hardening",
    severity: Severity::Critical,
    profiles: &["cis-aks", "nsa"],
    summary: "A hostPath volume exposes a sensitive node path such as /etc/kubernetes/azure.json or /var/lib/kubelet.",
    remediation: "Remove the hostPath volume; use ConfigMaps, Secrets, projected service account tokens or workload \
                  identity for the data the workload needs.",
    docs: r#"## What it does
Flags every `hostPath` volume whose path (after removing repeated and trailing `/`) is one of `/`, `/etc`,
`/etc/kubernetes`, `/etc/kubernetes/azure.json`, `/var/lib/kubelet`, `/var/lib/waagent`, `/proc`, `/sys`, `/boot`,
`/dev`, `/root`, `/.azure`, lies under one of them (except `/`, which matches only itself), or is a directory
that contains one (`/var`, `/var/lib`). The finding names the most specific sensitive path and the containers
that mount the volume. A read-only mount is reported too: these paths leak credentials when read.

## Why is this bad?
On AKS nodes `/etc/kubernetes/azure.json` holds the cluster's cloud-provider identity, `/var/lib/kubelet` holds the
Secrets and service account tokens of every pod on the node, and `/etc`, `/proc`, `/sys`, `/dev` and `/boot`
let a process read or change the node itself. A pod with such a mount can take over the node or the cluster's
Azure identity.

## Example
```yaml
spec:
  containers:
    - name: agent
      image: myacr.azurecr.io/agent:3.0.1
      volumeMounts:
        - name: k8s-config
          mountPath: /host/etc/kubernetes
          readOnly: true
  volumes:
    - name: k8s-config
      hostPath:
        path: /etc/kubernetes/
```

## Use instead
```yaml
spec:
  serviceAccountName: agent
  containers:
    - name: agent
      image: myacr.azurecr.io/agent:3.0.1
      volumeMounts:
        - name: agent-config
          mountPath: /etc/agent
          readOnly: true
  volumes:
    - name: agent-config
      configMap:
        name: agent-config
```

## References
- CIS Azure Kubernetes Service Benchmark 3.1.3, 3.1.4 (azure.json file permissions and ownership)
- NSA/CISA Kubernetes Hardening Guidance, "Protecting sensitive cloud infrastructure"
"#,
    references: &[
        "CIS AKS Benchmark 3.1.3",
        "CIS AKS Benchmark 3.1.4",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// What a cleaned hostPath exposes: the most specific sensitive path it lies under, or else the first sensitive
/// path it contains. `None` when it touches none.
pub(crate) fn sensitive_match(clean: &str) -> Option<String> {
    let under = SENSITIVE_HOST_PATHS
        .iter()
        .filter(|(p, _)| if *p == "/" { clean == "/" } else { is_within(clean, p) })
        .max_by_key(|(p, _)| p.len());
    if let Some((p, what)) = under {
        return Some(if *p == clean {
            (*what).to_string()
        } else {
            format!("under {p} ({what})")
        });
    }
    SENSITIVE_HOST_PATHS
        .iter()
        .find(|(p, _)| is_within(p, clean))
        .map(|(p, what)| format!("a directory containing {p} ({what})"))
}

/// Flags hostPath volumes at, under or above a sensitive node path.
pub struct SensitiveHostPathMounted;

impl Rule for SensitiveHostPathMounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `hostPath` key (only hostPath volumes are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["hostPath"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        host_path_volumes(&pod)
            .into_iter()
            .filter_map(|v| {
                let what = sensitive_match(v.clean.as_deref()?)?;
                Some(Violation::new(
                    format!(
                        "volume \"{}\" uses hostPath \"{}\": {what}; {}",
                        v.name,
                        v.path,
                        mount_summary(&pod, v.name)
                    ),
                    v.field.pos,
                    v.field.pointer,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::sensitive_match;

    #[test]
    fn matches_exact_under_and_above() {
        assert_eq!(sensitive_match("/").as_deref(), Some("the whole node filesystem"));
        assert!(sensitive_match("/etc/kubernetes/azure.json").is_some_and(|m| m.starts_with("the AKS cloud-provider")));
        assert!(sensitive_match("/etc/kubernetes/pki").is_some_and(|m| m.starts_with("under /etc/kubernetes ")));
        assert!(sensitive_match("/var/lib").is_some_and(|m| m.starts_with("a directory containing /var/lib/kubelet")));
        assert!(sensitive_match("/var/lib/kubelet/pods").is_some());
        assert_eq!(sensitive_match("/var/log"), None);
        assert_eq!(sensitive_match("/etcd"), None);
        assert_eq!(sensitive_match("/data"), None);
    }
}
