//! K8S-083: mutable image tags pulled with a policy other than Always.

use super::util::container_images;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-083.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-083",
    name: "image-pull-policy-not-always",
    family: "images",
    severity: Severity::Info,
    profiles: &["azure-policy"],
    summary: "A container with a mutable image tag has an imagePullPolicy other than Always.",
    remediation: "Pin the image by digest, or set imagePullPolicy: Always so every pod start checks the registry and \
                  its credentials.",
    docs: r#"## What it does
Works out each container's effective `imagePullPolicy` — the value written, or the API server's default when it
is unset (`Always` for a reference without tag and digest or with the tag `latest`, `IfNotPresent` otherwise) —
and reports containers, init containers and ephemeral containers whose policy is not `Always` while the image is
not pinned by digest. A digest is immutable, so `IfNotPresent` or `Never` is harmless for it. Advisory (info):
Azure Policy 50c83470 by default allows `IfNotPresent` and `Never` too.

## Why is this bad?
With `IfNotPresent`, a node reuses whatever image it pulled earlier under that tag: pods of one workload can run
different builds, a re-pushed fix is not picked up, and a pod can start from a cached private image without the
registry checking that its service account or pull secret may read it.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0
      imagePullPolicy: IfNotPresent
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      imagePullPolicy: IfNotPresent
```

## References
- Azure Policy 50c83470 (Kubernetes clusters should use an allowed image pull policy)
"#,
    references: &["Azure Policy 50c83470"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags effective pull policies other than `Always` for images not pinned by digest.
pub struct ImagePullPolicyNotAlways;

impl Rule for ImagePullPolicyNotAlways {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        container_images(&pod)
            .into_iter()
            .filter(|ci| !ci.image.has_valid_digest())
            .filter_map(|ci| {
                let field = ci.container.field(&["imagePullPolicy"]);
                let explicit = field.node.and_then(|n| n.as_str()).filter(|s| !s.is_empty());
                let message = match explicit {
                    Some("Always") => return None,
                    Some(policy) => format!(
                        "{} sets imagePullPolicy: {policy} for the mutable image reference \"{}\"",
                        ci.container.label(),
                        ci.reference
                    ),
                    None => {
                        // The API server defaults to Always exactly when the tag is (or defaults to) latest.
                        if matches!(ci.image.tag, None | Some("latest")) && ci.image.digest.is_none() {
                            return None;
                        }
                        format!(
                            "{} has no imagePullPolicy, which defaults to IfNotPresent for the mutable image \
                             reference \"{}\"",
                            ci.container.label(),
                            ci.reference
                        )
                    }
                };
                Some(Violation::new(message, field.pos, field.pointer))
            })
            .collect()
    }
}
