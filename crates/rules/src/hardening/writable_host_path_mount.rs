//! K8S-045: containers that mount a hostPath volume without readOnly: true.

use super::util::host_path_volumes;
use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-045.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-045",
    name: "writable-host-path-mount",
    family: "hardening",
    severity: Severity::High,
    profiles: &["nsa", "azure-policy"],
    summary: "A container mounts a hostPath volume read-write.",
    remediation: "Set readOnly: true on the volumeMount, or replace the hostPath volume with an emptyDir or a \
                  PersistentVolumeClaim.",
    docs: r#"## What it does
Flags every `volumeMounts` entry of a container, init container or ephemeral container that mounts a `hostPath`
volume without `readOnly: true`. The finding names the container, the volume, the host path and the mount path,
and points at `readOnly: false` when it is written out, else at the mount.

## Why is this bad?
A writable hostPath mount lets the container change files on the node: plant binaries or cron jobs, edit kubelet
or runtime configuration, or fill the node's disk. Files written there survive the pod and are visible to every
other workload that mounts the same path.

## Example
```yaml
spec:
  containers:
    - name: collector
      image: myacr.azurecr.io/collector:1.9.0
      volumeMounts:
        - name: varlog
          mountPath: /var/log
  volumes:
    - name: varlog
      hostPath:
        path: /var/log
```

## Use instead
```yaml
spec:
  containers:
    - name: collector
      image: myacr.azurecr.io/collector:1.9.0
      volumeMounts:
        - name: varlog
          mountPath: /var/log
          readOnly: true
  volumes:
    - name: varlog
      hostPath:
        path: /var/log
```

## References
- Azure Policy 098fc59e (allowed host paths, with the readOnly flag)
- NSA/CISA Kubernetes Hardening Guidance, Pod security (hostPath volumes)
"#,
    references: &["Azure Policy 098fc59e", "NSA/CISA Kubernetes Hardening Guidance"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags read-write mounts of hostPath volumes.
pub struct WritableHostPathMount;

impl Rule for WritableHostPathMount {
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
        let host_paths = host_path_volumes(&pod);
        if host_paths.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in pod.containers() {
            let mounts = c.field(&["volumeMounts"]);
            let items = mounts.node.and_then(Node::as_seq).unwrap_or(&[]);
            for (i, mount) in items.iter().enumerate() {
                let Some(name) = mount.get_str("name") else {
                    continue;
                };
                let Some(volume) = host_paths.iter().find(|v| v.name == name) else {
                    continue;
                };
                let read_only = locate_at(mount, mounts.pointer.index(i), mount.pos, &["readOnly"]);
                if read_only.node.and_then(Node::as_bool) == Some(true) {
                    continue;
                }
                let mount_path = mount.get_str("mountPath").unwrap_or("");
                out.push(Violation::new(
                    format!(
                        "{} mounts hostPath volume \"{name}\" (host path \"{}\") at \"{mount_path}\" without \
                         readOnly: true",
                        c.label(),
                        volume.path
                    ),
                    read_only.pos,
                    read_only.pointer,
                ));
            }
        }
        out
    }
}
