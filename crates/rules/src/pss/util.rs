//! Helpers shared by the Pod Security Standards rules.
//!
//! Pod Security Admission reads a decoded, defaulted `corev1.PodSpec`. These helpers reproduce how a field looks
//! there: a key whose value is `null` is a nil pointer (unset), and a value of the wrong type is treated as unset
//! too (the API server would refuse to decode it, so there is nothing to judge).

use palisade_core::object::{locate_at, Pointer};
use palisade_core::{CheckContext, ContainerKind, Located, Node, PodSpecView, Pos};

/// The Pod Security Standards documentation page, cited by every rule.
pub(crate) const PSS_DOCS: &str = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

/// The policy minor version (1.N) the object is judged at.
pub(crate) fn minor(ctx: &CheckContext) -> u32 {
    ctx.pss.version.minor()
}

/// The located value, when it is present and not `null` (a non-nil pointer in the Go struct).
pub(crate) fn set<'a>(loc: &Located<'a>) -> Option<&'a Node> {
    loc.node.filter(|n| !n.is_null())
}

/// The located value as a boolean, when it is one.
pub(crate) fn bool_at(loc: &Located<'_>) -> Option<bool> {
    loc.node.and_then(Node::as_bool)
}

/// The located value as an integer, when it is one.
pub(crate) fn int_at(loc: &Located<'_>) -> Option<i64> {
    loc.node.and_then(Node::as_i64)
}

/// The string a Go `string` field of a present struct holds: the value when it is a string, else `""`.
pub(crate) fn str_field<'a>(parent: &'a Node, key: &str) -> &'a str {
    parent.get(key).and_then(Node::as_str).unwrap_or("")
}

/// The located value as a string, when it is one (a `*string` field: `None` is nil).
pub(crate) fn str_at<'a>(loc: &Located<'a>) -> Option<&'a str> {
    loc.node.and_then(Node::as_str)
}

/// Whether the pod runs in a user namespace (`spec.hostUsers: false`), which relaxes some checks from v1.35.
pub(crate) fn in_user_namespace(pod: &PodSpecView<'_>) -> bool {
    pod.host_users() == Some(false)
}

/// Whether a restricted check exempts this pod as a Windows pod (`spec.os.name: windows`, policy v1.25+).
pub(crate) fn windows_exempt(ctx: &CheckContext, pod: &PodSpecView<'_>) -> bool {
    minor(ctx) >= 25 && pod.is_windows()
}

/// Looks up a field of the pod (template) metadata, e.g. `["annotations", key]`.
pub(crate) fn metadata_field<'a>(pod: &PodSpecView<'a>, path: &[&'a str]) -> Option<Located<'a>> {
    let metadata = pod.metadata?;
    Some(locate_at(
        metadata,
        Pointer::new(pod.metadata_pointer()),
        metadata.pos,
        path,
    ))
}

/// The pod (template) annotations whose values are strings, with the position and pointer of each key.
pub(crate) fn string_annotations<'a>(pod: &PodSpecView<'a>) -> Vec<(&'a str, &'a str, Pos, Pointer<'a>)> {
    let Some(map) = pod.annotations().and_then(Node::as_map) else {
        return Vec::new();
    };
    map.entries()
        .iter()
        .filter_map(|e| {
            let value = e.value.as_str()?;
            let loc = metadata_field(pod, &["annotations", &e.key])?;
            Some((e.key.as_str(), value, loc.pos, loc.pointer))
        })
        .collect()
}

/// Who sets a security context field, as messages start: `pod sets spec.securityContext`, `init container
/// "setup" sets securityContext`. Rendered only when a message is written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Setter<'a> {
    /// The pod's `spec.securityContext`.
    Pod,
    /// A container's `securityContext`.
    Container(ContainerKind, &'a str),
}

impl std::fmt::Display for Setter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setter::Pod => f.write_str("pod sets spec.securityContext"),
            Setter::Container(kind, name) => write!(f, "{} \"{name}\" sets securityContext", kind.noun()),
        }
    }
}

/// A field under the security context of the pod and of every container, in Pod Security Admission's order, each
/// with its setter (the start of a message).
pub(crate) fn security_context_fields<'p, 'a>(
    pod: &'p PodSpecView<'a>,
    path: &[&'a str],
) -> impl Iterator<Item = (Setter<'a>, Located<'a>)> + 'p {
    let full = KeyPath::under("securityContext", path);
    let pod_field = pod.field(full.keys());
    std::iter::once((Setter::Pod, pod_field)).chain(
        pod.containers()
            .map(move |c| (Setter::Container(c.kind, c.name()), c.field(full.keys()))),
    )
}

/// `parent` followed by `path`, as one field path, kept on the stack when it is short (as the paths rules look
/// up are): rules look fields up for every container of every object.
pub(crate) enum KeyPath<'a> {
    /// Up to four keys.
    Short([&'a str; 4], usize),
    /// Longer paths.
    Long(Vec<&'a str>),
}

impl<'a> KeyPath<'a> {
    /// `parent` then the keys of `path`.
    pub(crate) fn under(parent: &'a str, path: &[&'a str]) -> Self {
        if path.len() < 4 {
            let mut keys = [parent; 4];
            for (slot, key) in keys.iter_mut().skip(1).zip(path) {
                *slot = key;
            }
            KeyPath::Short(keys, path.len() + 1)
        } else {
            KeyPath::Long(std::iter::once(parent).chain(path.iter().copied()).collect())
        }
    }

    /// The keys.
    pub(crate) fn keys(&self) -> &[&'a str] {
        match self {
            KeyPath::Short(keys, n) => keys.get(..*n).unwrap_or(keys),
            KeyPath::Long(keys) => keys,
        }
    }
}

/// The pod's volumes that are maps, with their index in `spec.volumes`.
pub(crate) fn volumes<'a>(pod: &PodSpecView<'a>) -> Vec<(usize, &'a Node)> {
    let items = pod.spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]);
    items.iter().enumerate().filter(|(_, v)| v.as_map().is_some()).collect()
}

/// Describes how the containers mount volume `name`: `mounted read-write by container "app"`, `mounted read-only`
/// or `not mounted`.
pub(crate) fn mount_summary(pod: &PodSpecView<'_>, name: &str) -> String {
    let mut writers = Vec::new();
    let mut mounted = false;
    for c in pod.containers() {
        let mounts = c.node.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]);
        for m in mounts.iter().filter(|m| m.get_str("name") == Some(name)) {
            mounted = true;
            if m.get("readOnly").and_then(Node::as_bool) != Some(true) {
                let label = c.label().to_string();
                if !writers.contains(&label) {
                    writers.push(label);
                }
            }
        }
    }
    if !writers.is_empty() {
        format!("mounted read-write by {}", writers.join(", "))
    } else if mounted {
        "mounted read-only".to_string()
    } else {
        "not mounted".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{PssLevel, PssPolicy, PssVersion};

    #[test]
    fn latest_is_the_newest_minor() {
        let ctx = CheckContext::with_pss(PssPolicy {
            level: PssLevel::Restricted,
            version: PssVersion::Latest,
        });
        assert_eq!(minor(&ctx), palisade_core::pss::LATEST_MINOR);
    }

    #[test]
    fn key_paths_keep_every_key_in_order() {
        assert_eq!(KeyPath::under("sc", &[]).keys(), ["sc"]);
        assert_eq!(KeyPath::under("sc", &["a", "b", "c"]).keys(), ["sc", "a", "b", "c"]);
        assert_eq!(
            KeyPath::under("sc", &["a", "b", "c", "d"]).keys(),
            ["sc", "a", "b", "c", "d"]
        );
    }
}
