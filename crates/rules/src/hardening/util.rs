//! Helpers shared by the container hardening rules: capability names as container runtimes read them, hostPath
//! paths, and security-context fields a container inherits from the pod.

use crate::pss::util::{set, volumes};
use palisade_core::object::{locate_at, Pointer};
use palisade_core::{ContainerKind, ContainerView, Located, Node, PodSpecView, Pos};

/// A capability name as containerd and CRI-O compare it: upper-cased, without a `CAP_` prefix (`sys_admin`,
/// `CAP_SYS_ADMIN` and `SYS_ADMIN` are the same capability to a reader of the manifest).
pub(crate) fn normalize_capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => upper,
    }
}

/// One entry of `securityContext.capabilities.add` or `.drop`.
pub(crate) struct CapabilityEntry<'a> {
    /// The entry as written.
    pub raw: &'a str,
    /// The normalised name (see [`normalize_capability`]).
    pub name: String,
    /// Position of the entry.
    pub pos: Pos,
    /// Pointer of the entry.
    pub pointer: Pointer<'a>,
}

/// The string entries of `securityContext.capabilities.<list>` (`add` or `drop`) of a container.
pub(crate) fn capability_entries<'a>(c: &ContainerView<'a>, list: &'a str) -> (Located<'a>, Vec<CapabilityEntry<'a>>) {
    let field = c.field(&["securityContext", "capabilities", list]);
    let items = field.node.and_then(Node::as_seq).unwrap_or(&[]);
    let entries = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let raw = item.as_str()?;
            Some(CapabilityEntry {
                raw,
                name: normalize_capability(raw),
                pos: item.pos,
                pointer: field.pointer.index(i),
            })
        })
        .collect();
    (field, entries)
}

/// Cleans an absolute host path lexically, as Go's `filepath.Clean` does (repeated and trailing `/` and `.`
/// components removed, `..` applied). `None` for relative paths, which never name a node path we judge.
pub(crate) fn clean_host_path(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// True when clean path `path` is `base` or lies under it (component-wise: `/etc2` is not under `/etc`).
pub(crate) fn is_within(path: &str, base: &str) -> bool {
    if base == "/" {
        return true;
    }
    path == base || path.strip_prefix(base).is_some_and(|rest| rest.starts_with('/'))
}

/// A `hostPath` volume of a pod spec.
pub(crate) struct HostPathVolume<'a> {
    /// The volume's name.
    pub name: &'a str,
    /// `hostPath.path` as written.
    pub path: &'a str,
    /// The cleaned path, when absolute.
    pub clean: Option<String>,
    /// Position and pointer of `hostPath.path` (or the nearest parent when missing).
    pub field: Located<'a>,
}

/// The pod's `hostPath` volumes (those whose `hostPath` is set).
pub(crate) fn host_path_volumes<'a>(pod: &PodSpecView<'a>) -> Vec<HostPathVolume<'a>> {
    volumes(pod)
        .into_iter()
        .filter_map(|(index, volume)| {
            let base = Pointer::new(pod.pointer).join(&["volumes"]).index(index);
            set(&locate_at(volume, base.clone(), volume.pos, &["hostPath"]))?;
            let field = locate_at(volume, base, volume.pos, &["hostPath", "path"]);
            let path = field.node.and_then(Node::as_str).unwrap_or("");
            Some(HostPathVolume {
                name: volume.get_str("name").unwrap_or(""),
                path,
                clean: clean_host_path(path),
                field,
            })
        })
        .collect()
}

/// A `ports[*]` entry of a container.
pub(crate) struct ContainerPort<'a> {
    /// `containerPort` (when an integer).
    pub port: i64,
    /// `protocol` (`TCP` when unset, as the API server defaults it).
    pub protocol: &'a str,
    /// Position and pointer of `containerPort`.
    pub field: Located<'a>,
}

/// The ports a container declares. Ephemeral containers may not declare ports, so they have none.
pub(crate) fn container_ports<'a>(c: &ContainerView<'a>) -> Vec<ContainerPort<'a>> {
    if c.kind == ContainerKind::Ephemeral {
        return Vec::new();
    }
    let ports = c.field(&["ports"]);
    let items = ports.node.and_then(Node::as_seq).unwrap_or(&[]);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let field = locate_at(p, ports.pointer.index(i), p.pos, &["containerPort"]);
            Some(ContainerPort {
                port: field.node.and_then(Node::as_i64)?,
                protocol: p.get_str("protocol").unwrap_or("TCP"),
                field,
            })
        })
        .collect()
}

/// Where a container's effective value of a `securityContext` field comes from.
pub(crate) enum Effective<'a> {
    /// The container sets it (not `null`).
    Own(Located<'a>),
    /// The container leaves it unset and the pod sets it in `spec.securityContext`.
    Inherited,
    /// Neither sets it; the field located on the container (for the position of a "missing" finding).
    Unset(Located<'a>),
}

/// The pod-level field (`spec.securityContext.<path>`) and, for every container, where its effective value comes
/// from. Containers override the pod; `null` counts as unset.
pub(crate) fn effective_fields<'a>(
    pod: &PodSpecView<'a>,
    path: &[&'a str],
) -> (Located<'a>, Vec<(ContainerView<'a>, Effective<'a>)>) {
    let full = crate::pss::util::KeyPath::under("securityContext", path);
    let full = full.keys();
    let pod_field = pod.field(full);
    let pod_set = set(&pod_field).is_some();
    let containers = pod
        .containers()
        .map(|c| {
            let own = c.field(full);
            let effective = if set(&own).is_some() {
                Effective::Own(own)
            } else if pod_set {
                Effective::Inherited
            } else {
                Effective::Unset(own)
            };
            (c, effective)
        })
        .collect();
    (pod_field, containers)
}

/// `container "a", init container "b"`.
pub(crate) fn join_labels<'a>(containers: impl IntoIterator<Item = &'a ContainerView<'a>>) -> String {
    containers
        .into_iter()
        .map(|c| c.label().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A Pod object built from JSON, for unit tests of rules that depend on parameters.
#[cfg(test)]
pub(crate) fn test_pod(spec: serde_json::Value) -> palisade_core::K8sObject {
    let root = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "test"},
        "spec": spec,
    });
    let source = palisade_core::object::Source {
        file: std::sync::Arc::from("test.yaml"),
        document: 1,
        base_pointer: String::new(),
    };
    palisade_core::K8sObject::from_node(Node::from_json(&root, Pos::new(1, 1)), source).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_are_compared_as_runtimes_do() {
        assert_eq!(normalize_capability("sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize_capability("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalize_capability("cap_net_raw"), "NET_RAW");
        assert_eq!(normalize_capability("all"), "ALL");
        assert_eq!(normalize_capability("CAP_"), "CAP_");
    }

    #[test]
    fn host_paths_are_cleaned() {
        assert_eq!(clean_host_path("/etc/").as_deref(), Some("/etc"));
        assert_eq!(
            clean_host_path("//var//run/./docker.sock").as_deref(),
            Some("/var/run/docker.sock")
        );
        assert_eq!(clean_host_path("/var/lib/../run").as_deref(), Some("/var/run"));
        assert_eq!(clean_host_path("/").as_deref(), Some("/"));
        assert_eq!(clean_host_path("/..").as_deref(), Some("/"));
        assert_eq!(clean_host_path("var/run"), None);
        assert_eq!(clean_host_path(""), None);
    }

    #[test]
    fn within_is_component_wise() {
        assert!(is_within("/etc", "/etc"));
        assert!(is_within("/etc/kubernetes", "/etc"));
        assert!(!is_within("/etc2", "/etc"));
        assert!(!is_within("/etc", "/etc/kubernetes"));
        assert!(is_within("/anything", "/"));
    }
}
