//! K8S-080: images referenced by the `latest` tag or by no tag at all.

use super::util::container_images;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-080.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-080",
    name: "latest-or-missing-image-tag",
    family: "images",
    severity: Severity::Medium,
    profiles: &["nsa", "azure-policy", "seed"],
    summary: "A container image has no tag, or the tag latest, and no digest.",
    remediation: "Reference the image by an immutable version tag (myacr.azurecr.io/app:1.4.2) or, better, by digest \
                  (myacr.azurecr.io/app@sha256:...).",
    docs: r#"## What it does
Parses the `image` of every container, init container and ephemeral container and reports references that carry
no digest and either no tag (the runtime then pulls `:latest`) or the tag `latest`. A reference with a digest is
pinned whatever its tag says (`app@sha256:...` and `app:latest@sha256:...` both pass). Tags are compared exactly:
`Latest` is a different tag. A `:` followed by a port in the registry host (`registry:5000/app`) is not a tag.

## Why is this bad?
`latest` (explicit or implied) points at whatever was pushed last. Pods of one Deployment can run different
code depending on when their node pulled the image, a rollback does not bring the old code back, and a compromised
or mistaken push reaches production on the next restart without any change to the manifest.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:latest
    - name: proxy
      image: nginx
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0
    - name: proxy
      image: myacr.azurecr.io/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
```

## References
- seed:000 (its CI example scans `myacr.azurecr.io/myapp:latest`), seed:002 (pins `myapp:1.0.0`)
- Azure Policy 021f8078 (Deployment safeguards: no latest image tag)
- NSA/CISA Kubernetes Hardening Guidance, building secure container images
"#,
    references: &[
        "seed:000",
        "seed:002",
        "Azure Policy 021f8078",
        "NSA/CISA Kubernetes Hardening Guidance",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Flags image references without a digest whose tag is missing or `latest`.
pub struct LatestOrMissingImageTag;

impl Rule for LatestOrMissingImageTag {
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
                let problem = match ci.image.tag {
                    None | Some("") => "has no tag (the runtime pulls :latest)",
                    Some("latest") => "uses the mutable tag latest",
                    Some(_) => return None,
                };
                Some(Violation::new(
                    format!("{} image \"{}\" {problem}", ci.container.label(), ci.reference),
                    ci.field.pos,
                    ci.field.pointer,
                ))
            })
            .collect()
    }
}
