//! K8S-005: hostPath volumes (PSA baseline check `hostPathVolumes`).

use super::util::{mount_summary, volumes, PSS_DOCS};
use palisade_core::object::{locate_at, Pointer};
use palisade_core::{
    CheckContext, K8sObject, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-005.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-005",
    name: "host-path-volume",
    family: "pss",
    severity: Severity::High,
    profiles: &["pss-baseline", "pss-restricted", "nsa"],
    summary: "The pod mounts a directory or file of the node through a hostPath volume.",
    remediation: "Replace the hostPath volume with a configMap, secret, emptyDir, projected or persistentVolumeClaim \
                  volume.",
    docs: r#"## What it does
Flags every `spec.volumes[*].hostPath` volume and says whether a container mounts it read-write (Pod Security
Standards baseline control "HostPath Volumes", PSA check `hostPathVolumes`, all policy versions). In the restricted
profile K8S-020 replaces this rule and reports the same volumes at the same severity.

## Why is this bad?
A hostPath volume exposes the node's filesystem to the container. Mounting `/`, `/var/run/docker.sock`,
`/run/containerd`, `/etc/kubernetes` or `/var/lib/kubelet` hands over the node and the credentials on it; even a
read-only mount leaks other pods' secrets and logs.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      volumeMounts:
        - name: docker
          mountPath: /var/run/docker.sock
  volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      volumeMounts:
        - name: scratch
          mountPath: /tmp
  volumes:
    - name: scratch
      emptyDir: {}
```

## References
- Pod Security Standards, baseline "HostPath Volumes": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 098fc59e (allowed host paths)
- NSA/CISA Kubernetes Hardening Guidance, Pod security
"#,
    references: &[
        PSS_DOCS,
        "Azure Policy 098fc59e",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "hostPathVolumes",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags `spec.volumes[*].hostPath`.
pub struct HostPathVolume;

impl Rule for HostPathVolume {
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
        volumes(&pod)
            .into_iter()
            .filter_map(|(index, volume)| {
                let base = Pointer::new(pod.pointer).join(&["volumes"]).index(index);
                let field = locate_at(volume, base, volume.pos, &["hostPath"]);
                let host_path = super::util::set(&field)?;
                Some(Violation::new(
                    host_path_message(&pod, volume, host_path),
                    field.pos,
                    field.pointer,
                ))
            })
            .collect()
    }
}

/// `volume "docker" uses hostPath "/var/run/docker.sock", mounted read-write by container "app"`.
pub(crate) fn host_path_message(
    pod: &palisade_core::PodSpecView<'_>,
    volume: &palisade_core::Node,
    host_path: &palisade_core::Node,
) -> String {
    let name = volume.get_str("name").unwrap_or("");
    let path = host_path.get_str("path").unwrap_or("");
    format!(
        "volume \"{name}\" uses hostPath \"{path}\", {}",
        mount_summary(pod, name)
    )
}
