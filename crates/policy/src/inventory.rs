//! `data.inventory`: every object of the scan (or of a suite case), in Gatekeeper's layout:
//! `data.inventory.namespace[ns][groupVersion][kind][name]` and `data.inventory.cluster[groupVersion][kind][name]`.
//! Also the labels of every Namespace, for `namespaceSelector`.

use crate::convert::node_to_value;
use palisade_core::K8sObject;
use regorus::Value;
use std::collections::{BTreeMap, HashMap};

/// Kinds that are cluster-scoped in Kubernetes (and Gatekeeper). A namespaced object without
/// `metadata.namespace` is placed in the inventory's default namespace when one is set.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "PodSecurityPolicy",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ClusterIssuer",
    "ConstraintTemplate",
];

type ByName = BTreeMap<String, Value>;
type ByKind = BTreeMap<String, ByName>;
type ByGroupVersion = BTreeMap<String, ByKind>;

/// The objects policies may look up through `data.inventory`.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    namespaced: BTreeMap<String, ByGroupVersion>,
    cluster: ByGroupVersion,
    namespaces: HashMap<String, BTreeMap<String, String>>,
    len: usize,
    default_namespace: Option<String>,
}

/// An object's `metadata.labels` with string values.
pub(crate) fn labels_of(root: &palisade_core::Node) -> BTreeMap<String, String> {
    root.path(&["metadata", "labels"])
        .and_then(palisade_core::Node::as_map)
        .map(|m| {
            m.entries()
                .iter()
                .filter_map(|e| Some((e.key.clone(), e.value.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

impl Inventory {
    /// An empty inventory: objects without a namespace are cluster-scoped, as `gator verify` places them.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty inventory that places namespaced kinds without `metadata.namespace` in `namespace` (what
    /// `kubectl apply` does with `default`), as a scan of manifests needs.
    pub fn with_default_namespace(namespace: &str) -> Self {
        Self {
            default_namespace: Some(namespace.to_string()),
            ..Self::default()
        }
    }

    /// An inventory of these objects (see [`Inventory::with_default_namespace`] for `default_namespace`).
    pub fn from_objects<'a>(objects: impl IntoIterator<Item = &'a K8sObject>, default_namespace: Option<&str>) -> Self {
        let mut inv = Self {
            default_namespace: default_namespace.map(str::to_string),
            ..Self::default()
        };
        for o in objects {
            inv.add(o);
        }
        inv
    }

    /// Adds an object (objects without `metadata.name` are skipped, as the API server would reject them). A later
    /// object with the same identity replaces an earlier one.
    pub fn add(&mut self, obj: &K8sObject) {
        let Some(name) = obj
            .root
            .path(&["metadata", "name"])
            .and_then(palisade_core::Node::as_str)
        else {
            return;
        };
        if obj.id.kind == "Namespace" && obj.id.api_version == "v1" {
            self.namespaces.insert(name.to_string(), labels_of(&obj.root));
        }
        let value = node_to_value(&obj.root);
        let gv = obj.id.api_version.clone();
        let kind = obj.id.kind.clone();
        let ns = obj.id.namespace.clone().or_else(|| {
            (!CLUSTER_SCOPED.contains(&kind.as_str()))
                .then(|| self.default_namespace.clone())
                .flatten()
        });
        let tree = match ns {
            Some(ns) => self.namespaced.entry(ns).or_default(),
            None => &mut self.cluster,
        };
        tree.entry(gv)
            .or_default()
            .entry(kind)
            .or_default()
            .insert(name.to_string(), value);
        self.len += 1;
    }

    /// Number of objects added.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no object was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The labels of a Namespace in the inventory.
    pub fn namespace_labels(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.namespaces.get(name)
    }

    /// The `data.inventory` document.
    pub fn to_value(&self) -> Value {
        fn gvs(t: &ByGroupVersion) -> Value {
            Value::from(
                t.iter()
                    .map(|(gv, kinds)| {
                        let kinds = kinds
                            .iter()
                            .map(|(k, names)| {
                                let names: BTreeMap<Value, Value> = names
                                    .iter()
                                    .map(|(n, v)| (Value::from(n.as_str()), v.clone()))
                                    .collect();
                                (Value::from(k.as_str()), Value::from(names))
                            })
                            .collect::<BTreeMap<_, _>>();
                        (Value::from(gv.as_str()), Value::from(kinds))
                    })
                    .collect::<BTreeMap<_, _>>(),
            )
        }
        let namespaced: BTreeMap<Value, Value> = self
            .namespaced
            .iter()
            .map(|(ns, t)| (Value::from(ns.as_str()), gvs(t)))
            .collect();
        crate::convert::object([("cluster", gvs(&self.cluster)), ("namespace", Value::from(namespaced))])
    }
}
