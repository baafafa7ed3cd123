//! K8S-020: volume types outside the restricted allow-list (PSA restricted check `restrictedVolumes`).

use super::host_path_volume::host_path_message;
use super::util::{volumes, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, Node, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Volume sources the restricted profile allows. `image` is allowed at every policy version: upstream added it
/// to the v1.0 check in place (Kubernetes 1.33), so pinning an older version does not forbid it.
const ALLOWED_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every other `VolumeSource` field of `core/v1`, in the order Pod Security Admission names them.
const RESTRICTED_SOURCES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

/// Metadata of K8S-020.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-020",
    name: "non-allowlisted-volume-type",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-restricted"],
    summary: "The pod uses a volume type outside the restricted allow-list.",
    remediation: "Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected \
                  or secret volumes; move other storage behind a PersistentVolumeClaim.",
    docs: r#"## What it does
Flags every `spec.volumes[*]` whose source is not one of `configMap`, `csi`, `downwardAPI`, `emptyDir`,
`ephemeral`, `image`, `persistentVolumeClaim`, `projected` or `secret` (Pod Security Standards restricted control
"Volume Types", PSA check `restrictedVolumes`, all policy versions). A volume with no source at all is allowed:
the API server defaults it to `emptyDir`. In the restricted profile this rule replaces K8S-005, and hostPath
volumes keep K8S-005's high severity.

## Why is this bad?
Inline volume sources such as `hostPath`, `nfs`, `iscsi`, `rbd`, `flexVolume`, `gitRepo` or `azureFile` reach
node paths, storage backends or run node-side drivers directly from the pod spec, outside the control of the
cluster's storage classes and PersistentVolume policies.

## Example
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
  volumes:
    - name: share
      nfs:
        server: nfs.example.com
        path: /exports/share
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
  volumes:
    - name: share
      persistentVolumeClaim:
        claimName: share
```

## References
- Pod Security Standards, restricted "Volume Types": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy 16697877 (allowed volume types; the restricted initiative's list lacks `image`)
- Azure Policy f4a8fce0 (allowed FlexVolume drivers)
"#,
    references: &[PSS_DOCS, "Azure Policy 16697877", "Azure Policy f4a8fce0"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "restrictedVolumes",
        level: PssLevel::Restricted,
        since: 0,
        overrides: &[("K8S-005", 0)],
    }),
};

/// Flags volumes whose source is not allow-listed.
pub struct NonAllowlistedVolumeType;

/// Whether `volume` has a non-null `key`.
fn has(volume: &Node, key: &str) -> bool {
    volume.get(key).is_some_and(|n| !n.is_null())
}

impl Rule for NonAllowlistedVolumeType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `volumes` key (only volumes are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["volumes"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, volume) in volumes(&pod) {
            if ALLOWED_SOURCES.iter().any(|k| has(volume, k)) {
                continue;
            }
            // No known source at all: defaulted to emptyDir by the API server.
            let Some(kind) = RESTRICTED_SOURCES.iter().find(|k| has(volume, k)) else {
                continue;
            };
            let pointer = format!("{}/volumes/{index}/{kind}", pod.pointer);
            let pos = volume.entry(kind).map_or(volume.pos, |e| e.key_pos);
            let name = volume.get_str("name").unwrap_or("");
            if *kind == "hostPath" {
                let message = match volume.get(kind) {
                    Some(host_path) => host_path_message(&pod, volume, host_path),
                    None => format!("volume \"{name}\" uses hostPath"),
                };
                out.push(Violation::new(message, pos, pointer).with_severity(super::host_path_volume::META.severity));
            } else {
                out.push(Violation::new(
                    format!("volume \"{name}\" uses restricted volume type \"{kind}\""),
                    pos,
                    pointer,
                ));
            }
        }
        out
    }
}
