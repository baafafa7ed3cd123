//! K8S-040: containers whose root filesystem is writable.

use crate::pss::util::bool_at;
use palisade_core::{CheckContext, ContainerKind, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-040.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-040",
    name: "writable-root-filesystem",
    family: "hardening",
    severity: Severity::Medium,
    profiles: &["cis-aks", "nsa", "azure-policy", "seed"],
    summary: "A container does not set securityContext.readOnlyRootFilesystem: true.",
    remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir volume at each path the \
                  application must write to (for example /tmp).",
    docs: r#"## What it does
Flags every container and ephemeral container whose `securityContext.readOnlyRootFilesystem` is not `true`
(unset, `null` or `false`), and init containers too unless the parameter `readonly_rootfs_init_containers` is
set to false (init containers run to completion before the application starts, so some teams accept a writable
filesystem there). Pods with `spec.os.name: windows` are skipped: Windows containers do not
support a read-only root filesystem and the API server rejects the field for them.

## Why is this bad?
An attacker who gets code execution in a container with a writable root filesystem can drop tools, replace
binaries or libraries the application loads later, and persist until the container is replaced. A read-only root
filesystem turns the image into what actually runs and makes tampering visible, because writes must go to
explicitly mounted volumes.

## Example
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:1.4.2
```

## Use instead
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:1.4.2
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}
```

## References
- CIS Azure Kubernetes Service Benchmark 4.6.2 (apply security context to pods and containers)
- Azure Policy df49d893 (read-only root filesystem; mutations 8e875f96, 2ae2f266)
- NSA/CISA Kubernetes Hardening Guidance, "Immutable container file systems"
- seed:000 (checklist: read-only root FS), seed:001 (#5 use a read-only root file system)
"#,
    references: &[
        "CIS AKS Benchmark 4.6.2",
        "Azure Policy df49d893",
        "NSA/CISA Kubernetes Hardening Guidance",
        "seed:000",
        "seed:001",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Flags containers without `securityContext.readOnlyRootFilesystem: true`.
pub struct WritableRootFilesystem;

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if pod.is_windows() {
            return Vec::new();
        }
        pod.containers()
            .filter(|c| c.kind != ContainerKind::Init || ctx.params.readonly_rootfs_init_containers)
            .filter_map(|c| {
                let field = c.field(&["securityContext", "readOnlyRootFilesystem"]);
                let message = match bool_at(&field) {
                    Some(true) => return None,
                    Some(false) => c.label().with(" sets securityContext.readOnlyRootFilesystem: false"),
                    None => c
                        .label()
                        .with(" does not set securityContext.readOnlyRootFilesystem: true"),
                };
                Some(Violation::new(message, field.pos, field.pointer))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardening::util::test_pod;
    use palisade_core::{Params, PssPolicy};

    #[test]
    fn init_containers_unless_exempted() {
        let pod = test_pod(serde_json::json!({
            "initContainers": [{"name": "setup", "image": "a:1"}],
            "containers": [{"name": "app", "image": "a:1", "securityContext": {"readOnlyRootFilesystem": true}}],
        }));
        let exempt = Params {
            readonly_rootfs_init_containers: false,
            ..Params::default()
        };
        let exempting = CheckContext {
            pss: PssPolicy::default(),
            params: &exempt,
        };
        assert!(WritableRootFilesystem.check(&exempting, &pod).is_empty());
        let params = Params::default();
        let ctx = CheckContext {
            pss: PssPolicy::default(),
            params: &params,
        };
        let found = WritableRootFilesystem.check(&ctx, &pod);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("init container \"setup\""));
    }
}
