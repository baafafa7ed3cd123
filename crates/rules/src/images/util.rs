//! Container image references, parsed the way the container runtimes (distribution/reference) read them, and
//! the container images of a pod spec.

use palisade_core::{ContainerView, Located, PodSpecView};

/// The registry Docker Hub references resolve to when they name no registry host.
pub(crate) const DOCKER_HUB: &str = "docker.io";

/// An image reference split into its parts: `[registry/]repository[:tag][@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// The registry host (with port) as written, when the reference names one.
    pub registry: Option<&'a str>,
    /// The repository path (`library/nginx`, `team/app`, `nginx`).
    pub repository: &'a str,
    /// The tag, when present (may be empty for a malformed `app:`).
    pub tag: Option<&'a str>,
    /// The digest after `@` (`sha256:...`), when present.
    pub digest: Option<&'a str>,
}

/// Splits an image reference. The first path component is a registry host only when it contains `.` or `:`, is
/// `localhost`, or has upper-case letters (which repository names cannot); otherwise the image is on Docker Hub.
/// A `:` starts a tag only after the last `/` (so `registry:5000/app` has a port, not a tag). `None` for an empty
/// reference.
pub(crate) fn parse_image(reference: &str) -> Option<ImageRef<'_>> {
    if reference.is_empty() {
        return None;
    }
    // One pass up to the first `@`: the first and last `/` and the last `:` before it. Every rule about images
    // parses every container's reference, so this is done without a searcher per character.
    let (mut at, mut first_slash, mut last_slash, mut last_colon) = (None, None, None, None);
    for (i, b) in reference.bytes().enumerate() {
        match b {
            b'@' => {
                at = Some(i);
                break;
            }
            b'/' => {
                first_slash = first_slash.or(Some(i));
                last_slash = Some(i);
            }
            b':' => last_colon = Some(i),
            _ => {}
        }
    }
    let (name_and_tag, digest) = match at {
        Some(i) => (reference.get(..i).unwrap_or(""), reference.get(i + 1..)),
        None => (reference, None),
    };
    // A `:` after the last `/` starts the tag; every `/` is then in the name before it.
    let (name, tag) = match last_colon {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (name_and_tag.get(..colon).unwrap_or(""), name_and_tag.get(colon + 1..))
        }
        _ => (name_and_tag, None),
    };
    let split = first_slash.and_then(|i| Some((name.get(..i)?, name.get(i + 1..)?)));
    let (registry, repository) = match split {
        Some((first, rest)) if is_registry_host(first) => (Some(first), rest),
        _ => (None, name),
    };
    Some(ImageRef {
        registry,
        repository,
        tag,
        digest,
    })
}

/// Whether the first component of a reference names a registry host (distribution/reference's rule): it holds
/// `.` or `:` or an upper-case letter (which repository names cannot), or is `localhost`.
fn is_registry_host(component: &str) -> bool {
    component == "localhost"
        || component
            .bytes()
            .any(|b| b == b'.' || b == b':' || b.is_ascii_uppercase())
}

impl<'a> ImageRef<'a> {
    /// The registry the image is pulled from, lower-cased: the explicit host, or `docker.io` when the reference
    /// names none. `index.docker.io` and `registry-1.docker.io` are Docker Hub too.
    pub(crate) fn registry_host(&self) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        let host: Cow<'a, str> = match self.registry {
            None => return Cow::Borrowed(DOCKER_HUB),
            Some(h) if h.bytes().any(|b| b.is_ascii_uppercase()) => Cow::Owned(h.to_ascii_lowercase()),
            Some(h) => Cow::Borrowed(h),
        };
        if host == "index.docker.io" || host == "registry-1.docker.io" {
            Cow::Borrowed(DOCKER_HUB)
        } else {
            host
        }
    }

    /// True when the reference names no registry host (Docker Hub is implied).
    pub(crate) fn implicit_registry(&self) -> bool {
        self.registry.is_none()
    }

    /// True when the reference carries a well-formed digest, which pins the image whatever the tag says.
    pub(crate) fn has_valid_digest(&self) -> bool {
        self.digest.is_some_and(is_valid_digest)
    }
}

/// Whether `digest` is `algorithm:encoded` with a registered algorithm and the right length of lower-case hex
/// (sha256: 64, sha384: 96, sha512: 128), as the OCI image specification defines it.
pub(crate) fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    encoded.len() == len
        && encoded
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A host without its port: `myacr.azurecr.io:443` → `myacr.azurecr.io`, `[::1]:5000` → `[::1]`.
pub(crate) fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => host.get(..=end).unwrap_or(host),
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// A container with a non-empty string `image`, and where the `image` key is.
pub(crate) struct ContainerImage<'a> {
    /// The container.
    pub container: ContainerView<'a>,
    /// The reference as written.
    pub reference: &'a str,
    /// The parsed reference.
    pub image: ImageRef<'a>,
    /// Position and pointer of the `image` key.
    pub field: Located<'a>,
}

/// Every container, init container and ephemeral container with a non-empty string `image`. Containers without
/// one are skipped: the API server rejects them, so there is no image to judge.
pub(crate) fn container_images<'a>(pod: &PodSpecView<'a>) -> Vec<ContainerImage<'a>> {
    pod.containers()
        .filter_map(|container| {
            let field = container.field(&["image"]);
            let reference = field.node.and_then(|n| n.as_str())?;
            let image = parse_image(reference)?;
            Some(ContainerImage {
                container,
                reference,
                image,
                field,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parts(s: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
        let r = parse_image(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    /// The parser as first written, with a string search per separator: the one-pass parser must agree with it.
    fn parse_image_by_search(reference: &str) -> Option<ImageRef<'_>> {
        if reference.is_empty() {
            return None;
        }
        let (name_and_tag, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (reference, None),
        };
        let last_slash = name_and_tag.rfind('/');
        let (name, tag) = match name_and_tag.rfind(':') {
            Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
                (name_and_tag.get(..colon).unwrap_or(""), name_and_tag.get(colon + 1..))
            }
            _ => (name_and_tag, None),
        };
        let host = |c: &str| {
            c.contains('.') || c.contains(':') || c == "localhost" || c.chars().any(|c| c.is_ascii_uppercase())
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if host(first) => (Some(first), rest),
            _ => (None, name),
        };
        Some(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// Every sequence of up to five pieces (separators, host-like and plain components, non-ASCII) parses as the
    /// searching parser parses it.
    #[test]
    fn one_pass_parser_agrees_with_searching() {
        let pieces = [
            "a",
            "B",
            "localhost",
            "x.io",
            "/",
            ":",
            "@",
            "5000",
            "sha256",
            "\u{e9}",
            "[::1]",
            "",
        ];
        let mut refs = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for prefix in &frontier {
                for p in pieces {
                    next.push(format!("{prefix}{p}"));
                }
            }
            refs.extend(next.iter().cloned());
            frontier = next;
        }
        assert!(refs.len() > 200_000);
        for r in &refs {
            assert_eq!(parse_image(r), parse_image_by_search(r), "{r:?}");
        }
    }

    #[test]
    fn docker_hub_short_names() {
        assert_eq!(parts("nginx"), (None, "nginx", None, None));
        assert_eq!(parts("nginx:1.25"), (None, "nginx", Some("1.25"), None));
        assert_eq!(
            parts("library/nginx:latest"),
            (None, "library/nginx", Some("latest"), None)
        );
        assert_eq!(parts("bitnami/redis"), (None, "bitnami/redis", None, None));
        let r = parse_image("myapp:1.0.0").unwrap();
        assert_eq!(r.registry_host(), "docker.io");
        assert!(r.implicit_registry());
    }

    #[test]
    fn registry_hosts() {
        assert_eq!(
            parts("myacr.azurecr.io/team/app:2.0"),
            (Some("myacr.azurecr.io"), "team/app", Some("2.0"), None)
        );
        assert_eq!(parts("localhost/app"), (Some("localhost"), "app", None, None));
        assert_eq!(parts("localhost:5000/app"), (Some("localhost:5000"), "app", None, None));
        assert_eq!(
            parts("registry:5000/app:1"),
            (Some("registry:5000"), "app", Some("1"), None)
        );
        assert_eq!(parts("Registry/app"), (Some("Registry"), "app", None, None));
        assert_eq!(parts("[::1]:5000/app:3"), (Some("[::1]:5000"), "app", Some("3"), None));
        assert_eq!(
            parse_image("MyACR.AzureCR.io/app").unwrap().registry_host(),
            "myacr.azurecr.io"
        );
        assert_eq!(
            parse_image("index.docker.io/library/nginx").unwrap().registry_host(),
            "docker.io"
        );
        assert!(!parse_image("docker.io/library/nginx").unwrap().implicit_registry());
    }

    #[test]
    fn digests() {
        let with_digest = format!("myacr.azurecr.io/app@{D}");
        assert_eq!(parts(&with_digest), (Some("myacr.azurecr.io"), "app", None, Some(D)));
        assert!(parse_image(&with_digest).unwrap().has_valid_digest());
        let both = format!("registry:5000/app:1.2@{D}");
        assert_eq!(parts(&both), (Some("registry:5000"), "app", Some("1.2"), Some(D)));
        assert!(!parse_image("app@sha256:abc").unwrap().has_valid_digest());
        assert!(!parse_image("app@md5:0123456789abcdef0123456789abcdef")
            .unwrap()
            .has_valid_digest());
        assert!(is_valid_digest(&format!("sha512:{}", "a".repeat(128))));
        assert!(!is_valid_digest(&format!("sha256:{}", "A".repeat(64))));
    }

    #[test]
    fn malformed_and_empty() {
        assert_eq!(parse_image(""), None);
        assert_eq!(parts("app:"), (None, "app", Some(""), None));
    }

    #[test]
    fn ports_are_stripped() {
        assert_eq!(strip_port("myacr.azurecr.io:443"), "myacr.azurecr.io");
        assert_eq!(strip_port("myacr.azurecr.io"), "myacr.azurecr.io");
        assert_eq!(strip_port("[::1]:5000"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
        assert_eq!(strip_port("host:"), "host:");
    }
}
