//! K8S-082: images pulled from a registry outside the allowlist.

use super::util::{container_images, strip_port};
use palisade_core::params::glob_match;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-082.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-082",
    name: "registry-not-allowlisted",
    family: "images",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "A container image comes from a registry that is not in allowed_registries (default *.azurecr.io).",
    remediation: "Import the image into your Azure Container Registry (az acr import) and reference it there, or add \
                  the registry to the allowed_registries parameter.",
    docs: r#"## What it does
Parses the `image` of every container, init container and ephemeral container and matches its registry host
against the globs of the `allowed_registries` parameter (default `*.azurecr.io`; `*` matches any run of
characters, `?` one). The first path component of a reference is a registry host only when it contains `.` or
`:`, is `localhost`, or has upper-case letters; otherwise the image comes from Docker Hub (`docker.io`,
reported as implicit): `nginx`, `bitnami/redis` and `myapp:1.0.0` are all public Docker Hub images. Hosts are
compared in lower case, `index.docker.io` counts as `docker.io`, and a host with a port (`myacr.azurecr.io:443`)
matches a glob written with or without that port. An empty `allowed_registries` list turns the rule off.

## Why is this bad?
Images from public or unknown registries bypass your registry's vulnerability scanning, retention and access
control, can change or disappear without notice, and are a common way to run typosquatted or backdoored images.
Pulling only from your own Azure Container Registry (with images imported after review) keeps the supply chain
under your control; Azure Policy denies other registries in the AKS Deployment safeguards.

## Example
```yaml
spec:
  containers:
    - name: app
      image: myapp:1.0.0
```

## Use instead
```yaml
spec:
  containers:
    - name: app
      image: myacr.azurecr.io/myapp:1.0.0
```

## References
- CIS Azure Kubernetes Service Benchmark 5.1.4 (minimize container registries to only those approved)
- Azure Policy febd0533 (container images only from allowed registries; Deployment safeguards, default Deny)
- seed:002 (ACR as the registry; its example Deployment uses `image: myapp:1.0.0`), seed:003 (use ACR)
"#,
    references: &[
        "CIS AKS Benchmark 5.1.4",
        "Azure Policy febd0533",
        "seed:002",
        "seed:003",
    ],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: None,
};

/// Whether `host` (lower case, maybe with a port) matches one of the allowlist globs.
pub(crate) fn registry_allowed(host: &str, allowed: &[String]) -> bool {
    let bare = strip_port(host);
    allowed.iter().any(|glob| {
        let glob = if glob.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(glob.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(glob.as_str())
        };
        glob_match(&glob, host) || glob_match(&glob, bare)
    })
}

/// Flags images whose registry host matches no allowlist glob.
pub struct RegistryNotAllowlisted;

impl Rule for RegistryNotAllowlisted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let allowed = &ctx.params.allowed_registries;
        if allowed.is_empty() {
            return Vec::new();
        }
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        container_images(&pod)
            .into_iter()
            .filter_map(|ci| {
                let host = ci.image.registry_host();
                if registry_allowed(&host, allowed) {
                    return None;
                }
                let implicit = if ci.image.implicit_registry() {
                    " (implicit: the reference names no registry)"
                } else {
                    ""
                };
                Some(Violation::new(
                    format!(
                        "{} image \"{}\" comes from registry {host}{implicit}, which is not in allowed_registries \
                         [{}]",
                        ci.container.label(),
                        ci.reference,
                        allowed.join(", ")
                    ),
                    ci.field.pos,
                    ci.field.pointer,
                ))
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
    fn parameters() {
        let pod = test_pod(serde_json::json!({
            "containers": [
                {"name": "app", "image": "myacr.azurecr.io/app:1"},
                {"name": "proxy", "image": "nginx:1.27"},
                {"name": "mirror", "image": "registry.local:5000/tools:2"},
            ],
        }));
        let default = CheckContext::with_pss(PssPolicy::default());
        let found = RegistryNotAllowlisted.check(&default, &pod);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("docker.io (implicit"));
        let params = Params {
            allowed_registries: vec!["*.azurecr.io".into(), "docker.io".into(), "registry.local".into()],
            ..Params::default()
        };
        let ctx = CheckContext {
            pss: PssPolicy::default(),
            params: &params,
        };
        assert!(RegistryNotAllowlisted.check(&ctx, &pod).is_empty());
        let off = Params {
            allowed_registries: Vec::new(),
            ..Params::default()
        };
        let ctx = CheckContext {
            pss: PssPolicy::default(),
            params: &off,
        };
        assert!(RegistryNotAllowlisted.check(&ctx, &pod).is_empty());
    }

    #[test]
    fn allowlist_globs() {
        let acr = vec!["*.azurecr.io".to_string()];
        assert!(registry_allowed("myacr.azurecr.io", &acr));
        assert!(registry_allowed("myacr.azurecr.io:443", &acr));
        assert!(!registry_allowed("docker.io", &acr));
        assert!(!registry_allowed("azurecr.io.evil.com", &acr));
        assert!(!registry_allowed("myacr.azurecr.io.evil.com", &acr));
        let local = vec!["registry.local:5000".to_string(), "MCR.Microsoft.com".to_string()];
        assert!(registry_allowed("registry.local:5000", &local));
        assert!(!registry_allowed("registry.local:6000", &local));
        assert!(registry_allowed("mcr.microsoft.com", &local));
    }
}
