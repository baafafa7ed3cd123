//! K8S-043: hostPath volumes that expose the container runtime socket.

use super::util::{host_path_volumes, is_within};
use crate::pss::util::mount_summary;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Container runtime API sockets (and socket directories) on the node. `/var/run` is a symlink to `/run` on every
/// current distribution, so both spellings are listed.
pub const RUNTIME_SOCKET_PATHS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
];

/// Metadata of K8S-043.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-043",
    name: "container-runtime-socket-mounted",
    family: "hardening",
    severity: Severity::Critical,
    profiles: &["nsa"],
    summary: "A hostPath volume exposes the container runtime socket (containerd, Docker, CRI-O).",
    remediation: "Remove the hostPath volume; workloads that need container metadata should use the Kubernetes API \
                  or a purpose-built node agent with a narrow interface.",
    docs: r#"## What it does
Flags every `hostPath` volume whose path (after removing repeated and trailing `/`) is one of the container
runtime sockets or socket directories — `/var/run/docker.sock`, `/run/docker.sock`, `/var/run/containerd`,
`/run/containerd` (and anything under them, such as `containerd.sock`), `/var/run/crio/crio.sock`,
`/run/crio/crio.sock`, `/var/run/cri-dockerd.sock`, `/run/cri-dockerd.sock` — or a directory that contains one
(`/var/run`, `/run`, `/var`). Mounting the whole node filesystem (`/`) is reported by K8S-044 instead. The
finding names the containers that mount the volume and whether they mount it read-write; a read-only mount of a
socket still allows connecting to it.

## Why is this bad?
Whoever can talk to the runtime socket can start a privileged container with the host's filesystem mounted,
exec into any container on the node and read their secrets: it is root on the node. AKS nodes run containerd.

## Example
```yaml
spec:
  containers:
    - name: builder
      image: myacr.azurecr.io/builder:5.2.0
      volumeMounts:
        - name: containerd
          mountPath: /run/containerd/containerd.sock
  volumes:
    - name: containerd
      hostPath:
        path: /run/containerd/containerd.sock
        type: Socket
```

## Use instead
```yaml
spec:
  containers:
    - name: builder
      image: myacr.azurecr.io/builder:5.2.0
      volumeMounts:
        - name: workspace
          mountPath: /workspace
  volumes:
    - name: workspace
      emptyDir: {}
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Pod security (do not mount the container runtime socket)
"#,
    references: &["NSA/CISA Kubernetes Hardening Guidance"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Flags hostPath volumes at, under or above a container runtime socket.
pub struct ContainerRuntimeSocketMounted;

impl Rule for ContainerRuntimeSocketMounted {
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
                let clean = v.clean.as_deref()?;
                let what = if let Some(socket) = RUNTIME_SOCKET_PATHS.iter().find(|s| is_within(clean, s)) {
                    format!("the container runtime socket path {socket}")
                } else if clean != "/" {
                    let socket = RUNTIME_SOCKET_PATHS.iter().find(|s| is_within(s, clean))?;
                    format!("a directory containing the container runtime socket {socket}")
                } else {
                    return None;
                };
                Some(Violation::new(
                    format!(
                        "volume \"{}\" uses hostPath \"{}\", {what}; {}",
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
