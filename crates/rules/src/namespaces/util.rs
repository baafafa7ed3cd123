//! Helpers shared by the namespace rules (and the hygiene family's cross-object rules).
//!
//! Cross-object rules that judge a namespace by what it contains follow one convention: a namespace whose
//! Namespace object was scanned is "defined in the scan" and absence of the needed objects is a finding reported
//! on that Namespace object; a namespace that scanned objects only refer to is judged only when the scan holds
//! objects of the needed kind in it, and is otherwise reported as not evaluated.

use palisade_core::object::locate;
use palisade_core::{Entry, IndexOutput, K8sObject, Params, Pos, ScanIndex};
use std::collections::{BTreeSet, HashMap};

/// The Pod Security Admission page (namespace labels), cited by the PSA label rules.
pub(crate) const PSA_DOCS: &str = "https://kubernetes.io/docs/concepts/security/pod-security-admission/";

/// The `pod-security.kubernetes.io/audit` label.
pub(crate) const AUDIT_LABEL: &str = "pod-security.kubernetes.io/audit";
/// The `pod-security.kubernetes.io/warn` label.
pub(crate) const WARN_LABEL: &str = "pod-security.kubernetes.io/warn";

/// True for a core `v1` Namespace object (a CRD that happens to be called Namespace is not one).
pub(crate) fn is_namespace(obj: &K8sObject) -> bool {
    obj.id.kind == "Namespace" && obj.id.api_version == "v1"
}

/// Position and pointer of a field of an object along `path`, or of its nearest existing parent.
pub(crate) fn field_location(obj: &K8sObject, path: &[&str]) -> (Pos, String) {
    let loc = locate(&obj.root, "", obj.root.pos, path);
    (loc.pos, loc.pointer.into())
}

/// Position and pointer of `metadata.name`: where findings about a whole object point.
pub(crate) fn name_location(obj: &K8sObject) -> (Pos, String) {
    field_location(obj, &["metadata", "name"])
}

/// The `metadata.labels` entry `key` of an object.
pub(crate) fn label_entry<'a>(obj: &'a K8sObject, key: &str) -> Option<&'a Entry> {
    obj.labels()?.entry(key)
}

/// A namespace a cross-object rule judges: its name and, when it is defined in the scan, its Namespace object.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScopedNamespace<'a> {
    /// The namespace's name.
    pub(crate) name: &'a str,
    /// The first scanned Namespace object with that name.
    pub(crate) object: Option<&'a K8sObject>,
}

/// The scanned `v1` Namespace objects, first one per name, in scan order.
pub(crate) fn scanned_namespaces(index: &ScanIndex) -> Vec<&K8sObject> {
    let mut seen = BTreeSet::new();
    index
        .of_kind("Namespace")
        .filter(|o| is_namespace(o))
        .filter(|o| o.id.name.as_deref().is_some_and(|n| seen.insert(n)))
        .collect()
}

/// Every non-system namespace of the scan: the defined ones (scan order), then the ones scanned objects only
/// refer to (name order).
pub(crate) fn namespaces_in_scope<'a>(index: &'a ScanIndex, params: &Params) -> Vec<ScopedNamespace<'a>> {
    let defined = scanned_namespaces(index);
    let names: BTreeSet<&str> = defined.iter().filter_map(|o| o.id.name.as_deref()).collect();
    let mut out: Vec<ScopedNamespace<'a>> = defined
        .iter()
        .filter_map(|o| {
            let name = o.id.name.as_deref()?;
            Some(ScopedNamespace { name, object: Some(*o) })
        })
        .collect();
    for ns in &index.namespaces_used {
        if !names.contains(ns.as_str()) {
            out.push(ScopedNamespace { name: ns, object: None });
        }
    }
    out.retain(|s| !params.is_system_namespace(s.name));
    out
}

/// How messages name an object: `Deployment shop/web`, `ClusterRole admin`.
pub(crate) fn describe(obj: &K8sObject) -> String {
    let name = obj.id.name.as_deref().unwrap_or("<unnamed>");
    match &obj.id.namespace {
        Some(ns) => format!("{} {ns}/{name}", obj.id.kind),
        None => format!("{} {name}", obj.id.kind),
    }
}

/// What a namespace-level presence rule (K8S-066, K8S-067) says about one namespace.
pub(crate) struct PresenceMessages<'m> {
    /// The kind of object the namespace needs (`LimitRange`).
    pub(crate) kind: &'m str,
    /// Finding on a defined namespace without a qualifying object: gets the namespace name.
    pub(crate) missing: &'m dyn Fn(&str) -> String,
    /// Finding on the first object of `kind` in a referenced namespace when none qualifies: gets the namespace
    /// and that object.
    pub(crate) unqualified: &'m dyn Fn(&str, &K8sObject) -> String,
}

/// Runs a namespace-level presence rule: every non-system namespace must hold an object of `msgs.kind` for which
/// `qualifies` holds. Defined namespaces without one get a finding on their Namespace object; referenced
/// namespaces are judged only when the scan holds objects of that kind in them (the finding then goes on the
/// first such object), and are otherwise reported as not evaluated.
pub(crate) fn check_namespace_presence(
    index: &ScanIndex,
    params: &Params,
    out: &mut IndexOutput,
    qualifies: &dyn Fn(&K8sObject) -> bool,
    msgs: &PresenceMessages<'_>,
) {
    let mut by_namespace: HashMap<&str, Vec<&K8sObject>> = HashMap::new();
    for obj in index.of_kind(msgs.kind) {
        by_namespace
            .entry(obj.id.namespace.as_deref().unwrap_or("default"))
            .or_default()
            .push(obj);
    }
    for ns in namespaces_in_scope(index, params) {
        let objects = by_namespace.get(ns.name).map_or(&[][..], Vec::as_slice);
        if objects.iter().any(|o| qualifies(o)) {
            continue;
        }
        match (ns.object, objects.first()) {
            (Some(ns_obj), _) => {
                let (pos, pointer) = name_location(ns_obj);
                out.violation(ns_obj, pos, &pointer, (msgs.missing)(ns.name));
            }
            (None, Some(first)) => {
                let (pos, pointer) = name_location(first);
                out.violation(first, pos, &pointer, (msgs.unqualified)(ns.name, first));
            }
            (None, None) => out.not_evaluated(
                format!("namespace {}", ns.name),
                format!(
                    "no {} objects and no Namespace object were scanned for namespace {}",
                    msgs.kind, ns.name
                ),
            ),
        }
    }
}

/// An object from JSON, for unit tests.
#[cfg(test)]
pub(crate) fn test_object(json: serde_json::Value) -> K8sObject {
    use palisade_core::object::Source;
    K8sObject::from_node(
        palisade_core::Node::from_json(&json, Pos::new(1, 1)),
        Source {
            file: std::sync::Arc::from("t.yaml"),
            document: 1,
            base_pointer: String::new(),
        },
    )
    .unwrap()
}

/// A scan index over objects given as JSON, for unit tests.
#[cfg(test)]
pub(crate) fn test_index(objects: Vec<serde_json::Value>) -> ScanIndex {
    let mut index = ScanIndex::default();
    for o in objects {
        index.add(&test_object(o));
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `ScanIndex::named` finds the object a search of the namespace finds first: duplicates (the first wins),
    /// objects without a namespace (`default`) or a name, kinds and namespaces with nothing, and an index merged
    /// from two (the lookup is rebuilt after `extend`).
    #[test]
    fn named_lookup_finds_what_searching_the_namespace_finds() {
        let object = |kind: &str, ns: Option<&str>, name: Option<&str>, tag: usize| {
            let mut o = json!({"apiVersion": "v1", "kind": kind, "metadata": {"labels": {"tag": tag.to_string()}}});
            if let Some(ns) = ns {
                o["metadata"]["namespace"] = json!(ns);
            }
            if let Some(name) = name {
                o["metadata"]["name"] = json!(name);
            }
            o
        };
        let mut objects = Vec::new();
        for (tag, (kind, ns, name)) in [
            ("ServiceAccount", Some("shop"), Some("web")),
            ("ServiceAccount", Some("shop"), Some("web")),
            ("ServiceAccount", None, Some("web")),
            ("ServiceAccount", Some("default"), Some("web")),
            ("ServiceAccount", Some("shop"), None),
            ("SecretProviderClass", Some("shop"), Some("web")),
            ("ServiceAccount", Some("blog"), Some("api")),
        ]
        .into_iter()
        .enumerate()
        {
            objects.push(object(kind, ns, name, tag));
        }
        let mut index = test_index(objects[..3].to_vec());
        // Looked up once before the merge, so a stale lookup would show.
        assert!(index.named("ServiceAccount", "blog", "api").is_none());
        index.extend(test_index(objects[3..].to_vec()));
        let mut found = 0;
        for kind in ["ServiceAccount", "SecretProviderClass", "ConfigMap"] {
            for ns in ["shop", "default", "blog", "other"] {
                for name in ["web", "api", ""] {
                    let searched = index
                        .in_namespace(kind, ns)
                        .find(|o| o.id.name.as_deref() == Some(name));
                    let named = index.named(kind, ns, name);
                    assert!(
                        match (searched, named) {
                            (Some(a), Some(b)) => std::ptr::eq(a, b),
                            (None, None) => true,
                            _ => false,
                        },
                        "{kind} {ns}/{name}"
                    );
                    found += usize::from(named.is_some());
                }
            }
        }
        assert_eq!(found, 4);
    }

    #[test]
    fn scope_lists_defined_then_referenced_and_skips_system_namespaces() {
        let index = test_index(vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}}),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "blog"}}),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "shop"}}),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "kube-system"}}),
        ]);
        let scope = namespaces_in_scope(&index, Params::default_ref());
        let names: Vec<_> = scope.iter().map(|s| (s.name, s.object.is_some())).collect();
        assert_eq!(names, vec![("shop", true), ("blog", false)]);
    }
}
