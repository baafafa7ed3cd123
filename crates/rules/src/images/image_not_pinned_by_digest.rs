//! K8S-081: images not pinned by digest.

use super::util::container_images;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-081.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-081",
    name: "image-not-pinned-by-digest",
    family: "images",
    severity: Severity::Low,
    profiles: &[],
    summary: "A container image is referenced by tag only, without an @sha256: digest.",
    remediation: "Append the image digest to the reference (myacr.azurecr.io/app:1.4.2@sha256:...), for example by \
                  resolving tags to digests in CI.",
    docs: r#"## What it does
Parses the `image` of every container, init container and ephemeral container and reports references without a
well-formed digest: `@` followed by `sha256:` and 64 lower-case hex digits (`sha384`/`sha512` digests of the right
length are accepted too). A malformed digest (`app@sha256:abc`) is reported as such; the runtime cannot pull it.

## Why is this bad?
Tags are mutable: whoever can push to the repository (or compromise the registry) can change what a tag points
to, and the next pod start runs the new content. A digest names exactly one image, so what was reviewed and
scanned is what runs, and admission-time signature verification has a stable subject.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
```

## References
- Supply chain best practice, also checked by Checkov (CKV_K8S_43), Kubescape (C-0306), the Gatekeeper library
  (imagedigests) and Kyverno (require-image-checksum); no seed, CIS or Azure Policy item requires it
"#,
    references: &[
        "Checkov CKV_K8S_43",
        "Kubescape C-0306",
        "Gatekeeper library imagedigests",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags image references without a well-formed digest.
pub struct ImageNotPinnedByDigest;

impl Rule for ImageNotPinnedByDigest {
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
            .map(|ci| {
                let (label, reference) = (ci.container.label(), ci.reference);
                let message = match ci.image.digest {
                    Some(d) => format!("{label} image \"{reference}\" has a malformed digest \"{d}\""),
                    None => format!("{label} image \"{reference}\" is not pinned by digest (@sha256:...)"),
                };
                Violation::new(message, ci.field.pos, ci.field.pointer)
            })
            .collect()
    }
}
