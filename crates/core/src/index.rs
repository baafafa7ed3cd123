//! The scan index: what cross-object rules see. Built once per scan while inputs stream past, so it holds only
//! small objects (namespaces, policies, RBAC, services, ...) in full and, for each workload, the facts
//! cross-object rules need (labels, service account, owners, ...), never whole pod templates.

use crate::node::{Node, Pos};
use crate::object::{ContainerKind, K8sObject};
use std::collections::BTreeSet;

/// Kinds kept whole in the index.
pub const RETAINED_KINDS: &[&str] = &[
    "Namespace",
    "NetworkPolicy",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "LimitRange",
    "ResourceQuota",
    "Service",
    "Ingress",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "SecretProviderClass",
    "ValidatingAdmissionPolicyBinding",
    "ClusterPolicy",
    "ConstraintTemplate",
];

/// An owner reference of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerRef {
    /// Owner kind.
    pub kind: String,
    /// Owner name.
    pub name: String,
    /// `controller: true`.
    pub controller: bool,
}

/// A container of a workload, as cross-object rules see it.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadContainer {
    /// Container name.
    pub name: String,
    /// Which list it is in.
    pub kind: ContainerKind,
    /// Pointer of the container within the object.
    pub pointer: String,
    /// Position of the container.
    pub pos: Pos,
    /// `ports[*]`: (containerPort, name).
    pub ports: Vec<(i64, Option<String>)>,
    /// A readinessProbe is set.
    pub has_readiness_probe: bool,
}

/// Facts about one object that embeds a pod spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// The object, with `root` reduced to its `metadata` (labels, annotations, ownerReferences) so findings can be
    /// reported on it.
    pub object: K8sObject,
    /// Pointer of the pod spec within the object (`/spec/template/spec`, ...).
    pub spec_pointer: String,
    /// Position of the pod spec key (or the object when missing).
    pub spec_pos: Pos,
    /// `spec.replicas` for Deployment/StatefulSet/ReplicaSet/ReplicationController (None when unset).
    pub replicas: Option<i64>,
    /// Pod (template) labels.
    pub pod_labels: Vec<(String, String)>,
    /// Pod (template) annotations.
    pub pod_annotations: Vec<(String, String)>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`), with the key's position.
    pub service_account: Option<(String, Pos)>,
    /// `automountServiceAccountToken` of the pod spec, with the key's position.
    pub automount: Option<(bool, Pos)>,
    /// `metadata.ownerReferences`.
    pub owners: Vec<OwnerRef>,
    /// Containers (all three lists).
    pub containers: Vec<WorkloadContainer>,
    /// Secrets Store CSI volumes: (SecretProviderClass name, position, pointer).
    pub secret_provider_classes: Vec<(String, Pos, String)>,
    /// Names of Secrets mounted as `secret` volumes.
    pub secret_volumes: Vec<String>,
}

fn string_pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_map)
        .map(|m| {
            m.entries()
                .iter()
                .filter_map(|e| Some((e.key.clone(), e.value.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `metadata.ownerReferences` of an object.
pub fn owner_refs(root: &Node) -> Vec<OwnerRef> {
    root.path(&["metadata", "ownerReferences"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|o| {
            Some(OwnerRef {
                kind: o.get_str("kind")?.to_string(),
                name: o.get_str("name")?.to_string(),
                controller: o.get("controller").and_then(Node::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

impl Workload {
    /// The facts of a pod-embedding object; `None` for other objects.
    pub fn from_object(obj: &K8sObject) -> Option<Workload> {
        let view = obj.pod_spec()?;
        let spec = view.spec;
        let service_account = ["serviceAccountName", "serviceAccount"].iter().find_map(|k| {
            let e = spec.entry(k)?;
            Some((e.value.as_str()?.to_string(), e.key_pos))
        });
        let automount = spec
            .entry("automountServiceAccountToken")
            .and_then(|e| Some((e.value.as_bool()?, e.key_pos)));
        let containers = view
            .containers()
            .map(|c| WorkloadContainer {
                name: c.name().to_string(),
                kind: c.kind,
                pos: c.node.pos,
                ports: c
                    .node
                    .get("ports")
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|p| Some((p.get("containerPort")?.as_i64()?, p.get_str("name").map(str::to_string))))
                    .collect(),
                has_readiness_probe: c.node.get("readinessProbe").is_some_and(|p| !p.is_null()),
                pointer: c.pointer().into(),
            })
            .collect();
        let mut secret_provider_classes = Vec::new();
        let mut secret_volumes = Vec::new();
        for (i, vol) in spec
            .get("volumes")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(csi) = vol.get("csi") {
                if csi.get_str("driver") == Some("secrets-store.csi.k8s.io") {
                    if let Some(e) = csi.get("volumeAttributes").and_then(|a| a.entry("secretProviderClass")) {
                        if let Some(name) = e.value.as_str() {
                            secret_provider_classes.push((
                                name.to_string(),
                                e.key_pos,
                                format!("{}/volumes/{i}/csi/volumeAttributes/secretProviderClass", view.pointer),
                            ));
                        }
                    }
                }
            }
            if let Some(name) = vol.path(&["secret", "secretName"]).and_then(Node::as_str) {
                secret_volumes.push(name.to_string());
            }
        }
        let replicas = match obj.id.kind.as_str() {
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
                obj.root.path(&["spec", "replicas"]).and_then(Node::as_i64)
            }
            _ => None,
        };
        let spec_pos = locate_spec_pos(obj, view.pointer);
        let mut slim_root = Node::new(obj.root.pos, crate::node::Value::Map(crate::node::Map::new()));
        if let (crate::node::Value::Map(m), Some(meta)) = (&mut slim_root.value, obj.root.entry("metadata")) {
            m.insert("metadata".to_string(), meta.key_pos, meta.value.clone());
        }
        Some(Workload {
            object: K8sObject::from_parts(obj.id.clone(), slim_root, obj.source.clone()),
            spec_pointer: view.pointer.to_string(),
            spec_pos,
            replicas,
            pod_labels: string_pairs(view.metadata.and_then(|m| m.get("labels"))),
            pod_annotations: string_pairs(view.annotations()),
            service_account,
            automount,
            owners: owner_refs(&obj.root),
            containers,
            secret_provider_classes,
            secret_volumes,
        })
    }

    /// The namespace the workload lands in (`default` when unset).
    pub fn namespace(&self) -> &str {
        self.object.id.namespace.as_deref().unwrap_or("default")
    }

    /// The service account the pods run as (`default` when unset).
    pub fn service_account_name(&self) -> &str {
        self.service_account.as_ref().map_or("default", |(n, _)| n.as_str())
    }
}

fn locate_spec_pos(obj: &K8sObject, pointer: &str) -> Pos {
    let keys: Vec<&str> = pointer.split('/').filter(|s| !s.is_empty()).collect();
    let mut cur = &obj.root;
    let mut pos = obj.root.pos;
    for k in keys {
        match cur.entry(k) {
            Some(e) => {
                pos = e.key_pos;
                cur = &e.value;
            }
            None => break,
        }
    }
    pos
}

/// Everything cross-object rules see.
#[derive(Clone, Debug, Default)]
pub struct ScanIndex {
    /// Objects of [`RETAINED_KINDS`], whole, in scan order.
    pub objects: Vec<K8sObject>,
    /// Facts of every pod-embedding object, in scan order.
    pub workloads: Vec<Workload>,
    /// Every namespace a scanned namespaced object names (`default` for namespaced objects without one).
    pub namespaces_used: BTreeSet<String>,
    /// AKS cluster configuration read from Terraform, ARM/Bicep and `az` files in the same scan.
    pub aks: crate::aks::AksInputs,
    /// Positions in `objects` by (kind, namespace), built on first lookup (rules call the lookups once per
    /// workload, so a linear search would make cross-object rules quadratic).
    by_kind_ns: std::sync::OnceLock<Nested<Vec<usize>>>,
    /// Positions in `objects` by kind, built on first lookup.
    by_kind: std::sync::OnceLock<foldhash::HashMap<String, Vec<usize>>>,
    /// (kind, namespace, name) of every workload, built on first lookup.
    workload_keys: std::sync::OnceLock<Nested<foldhash::HashSet<String>>>,
    /// (hash of (kind, namespace, name), position in `objects`) of every named object, sorted, built on first
    /// lookup: a sorted list of hashes costs no allocation per object, unlike maps of owned keys.
    by_name: std::sync::OnceLock<Vec<(u64, usize)>>,
}

/// A map by kind, then namespace: looked up with borrowed strings (rules look up once per workload, and building
/// two owned keys for each lookup cost more than the lookup).
type Nested<T> = foldhash::HashMap<String, foldhash::HashMap<String, T>>;

/// The hash [`ScanIndex::named`] files objects under (equal hashes are told apart by comparing the names).
fn name_key(kind: &str, ns: &str, name: &str) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::fast::FixedState::default().hash_one((kind, ns, name))
}

/// Kinds that are cluster-scoped (never counted as using a namespace).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "IngressClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "ClusterIssuer",
    "ClusterPolicy",
    "ConstraintTemplate",
    "CSIDriver",
    "PodSecurityPolicy",
    "Node",
];

impl ScanIndex {
    /// Adds what the index needs of one object.
    pub fn add(&mut self, obj: &K8sObject) {
        if !CLUSTER_SCOPED.contains(&obj.id.kind.as_str()) {
            self.namespaces_used
                .insert(obj.id.namespace.clone().unwrap_or_else(|| "default".to_string()));
        }
        if RETAINED_KINDS.contains(&obj.id.kind.as_str()) {
            self.by_kind_ns = std::sync::OnceLock::new();
            self.by_kind = std::sync::OnceLock::new();
            self.workload_keys = std::sync::OnceLock::new();
            self.by_name = std::sync::OnceLock::new();
            self.objects.push(obj.clone());
        }
        if let Some(w) = Workload::from_object(obj) {
            self.workload_keys = std::sync::OnceLock::new();
            self.workloads.push(w);
        }
    }

    /// Makes room for this many more retained objects and workloads (before merging many indexes).
    pub fn reserve(&mut self, objects: usize, workloads: usize) {
        self.objects.reserve_exact(objects);
        self.workloads.reserve_exact(workloads);
    }

    /// Merges another index (built over other inputs) into this one, keeping scan order.
    pub fn extend(&mut self, other: ScanIndex) {
        self.by_kind_ns = std::sync::OnceLock::new();
        self.by_kind = std::sync::OnceLock::new();
        self.workload_keys = std::sync::OnceLock::new();
        self.by_name = std::sync::OnceLock::new();
        self.objects.extend(other.objects);
        self.workloads.extend(other.workloads);
        self.namespaces_used.extend(other.namespaces_used);
        self.aks.extend(other.aks);
    }

    /// Positions of the retained objects by kind, built on first use.
    fn kind_positions(&self) -> &foldhash::HashMap<String, Vec<usize>> {
        self.by_kind.get_or_init(|| {
            let mut map: foldhash::HashMap<String, Vec<usize>> = foldhash::HashMap::default();
            for (i, o) in self.objects.iter().enumerate() {
                map.entry(o.id.kind.clone()).or_default().push(i);
            }
            map
        })
    }

    /// Retained objects of `kind`, in scan order.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a K8sObject> + 'a {
        self.kind_positions()
            .get(kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|i| self.objects.get(*i))
    }

    /// Retained objects of any of `kinds`, in scan order: what a pass over every object keeping these kinds
    /// finds, without reading the others (cross-object rules that need a few kinds would otherwise each visit
    /// every retained object, a cache miss apiece in a large scan).
    pub fn of_kinds<'a>(&'a self, kinds: &[&str]) -> impl Iterator<Item = &'a K8sObject> + 'a {
        let map = self.kind_positions();
        let mut positions: Vec<usize> = kinds.iter().filter_map(|k| map.get(*k)).flatten().copied().collect();
        positions.sort_unstable();
        // A kind asked for twice adds its positions twice.
        positions.dedup();
        positions.into_iter().filter_map(|i| self.objects.get(i))
    }

    fn positions(&self, kind: &str, ns: &str) -> &[usize] {
        let map = self.by_kind_ns.get_or_init(|| {
            let mut map: Nested<Vec<usize>> = Nested::default();
            for (i, o) in self.objects.iter().enumerate() {
                let ns = match o.id.kind.as_str() {
                    // Namespaces are filed under their own name, so `namespace_object` is a lookup too.
                    "Namespace" => o.id.name.as_deref().unwrap_or_default(),
                    _ => o.id.namespace.as_deref().unwrap_or("default"),
                };
                map.entry(o.id.kind.clone())
                    .or_default()
                    .entry(ns.to_string())
                    .or_default()
                    .push(i);
            }
            map
        });
        map.get(kind).and_then(|by_ns| by_ns.get(ns)).map_or(&[], Vec::as_slice)
    }

    /// Retained objects of `kind` in namespace `ns` (objects without a namespace count as `default`).
    pub fn in_namespace<'a>(&'a self, kind: &'a str, ns: &'a str) -> impl Iterator<Item = &'a K8sObject> + 'a {
        let positions: &'a [usize] = if kind == "Namespace" {
            &[]
        } else {
            self.positions(kind, ns)
        };
        positions.iter().filter_map(|i| self.objects.get(*i))
    }

    /// The first retained object (in scan order) of `kind` named `name` in namespace `ns`: what
    /// `in_namespace(kind, ns)` finds first with that name, without going through the namespace's objects (rules
    /// look one up per workload). `None` for `Namespace` (see [`Self::namespace_object`]).
    pub fn named(&self, kind: &str, ns: &str, name: &str) -> Option<&K8sObject> {
        if kind == "Namespace" {
            return None;
        }
        let keys = self.by_name.get_or_init(|| {
            let mut keys: Vec<(u64, usize)> = self
                .objects
                .iter()
                .enumerate()
                .filter_map(|(i, o)| {
                    let name = o.id.name.as_deref()?;
                    Some((
                        name_key(&o.id.kind, o.id.namespace.as_deref().unwrap_or("default"), name),
                        i,
                    ))
                })
                .collect();
            // By hash, then position: among equal hashes the first in scan order comes first.
            keys.sort_unstable();
            keys
        });
        let key = name_key(kind, ns, name);
        let from = keys.partition_point(|(k, _)| *k < key);
        keys.get(from..)?
            .iter()
            .take_while(|(k, _)| *k == key)
            .filter_map(|(_, i)| self.objects.get(*i))
            .find(|o| {
                o.id.kind == kind
                    && o.id.namespace.as_deref().unwrap_or("default") == ns
                    && o.id.name.as_deref() == Some(name)
            })
    }

    /// The workloads in scan order, with the strings most rules read (namespace, name, kind, ServiceAccount, first
    /// container and label) read ahead a block at a time: a pass over the workloads of a large scan misses the
    /// cache for each, and these independent loads overlap their misses instead of taking them one after another.
    pub fn workloads_read_ahead(&self) -> impl Iterator<Item = &Workload> {
        self.workloads.chunks(256).flat_map(|block| {
            let mut bytes = 0u8;
            for w in block {
                let id = &w.object.id;
                let first = |s: &str| s.as_bytes().first().copied().unwrap_or(0);
                bytes ^= first(&id.kind)
                    ^ first(id.namespace.as_deref().unwrap_or_default())
                    ^ first(id.name.as_deref().unwrap_or_default())
                    ^ first(w.service_account.as_ref().map_or("", |(n, _)| n.as_str()))
                    ^ w.containers.first().map_or(0, |c| first(&c.name))
                    ^ w.pod_labels.first().map_or(0, |(k, _)| first(k));
            }
            std::hint::black_box(bytes);
            block.iter()
        })
    }

    /// Whether a workload's controller (an owner reference with `controller: true`) is also in the scan. Its
    /// findings are then reported at the controller only: the engine drops the pod's own, and cross-object rules
    /// skip it.
    pub fn controlled_by_scanned(&self, w: &Workload) -> bool {
        if w.owners.is_empty() {
            return false;
        }
        let keys = self.workload_keys.get_or_init(|| {
            let mut keys: Nested<foldhash::HashSet<String>> = Nested::default();
            for w in &self.workloads {
                if let Some(name) = &w.object.id.name {
                    keys.entry(w.object.id.kind.clone())
                        .or_default()
                        .entry(w.namespace().to_string())
                        .or_default()
                        .insert(name.clone());
                }
            }
            keys
        });
        let ns = w.namespace();
        w.owners.iter().any(|o| {
            o.controller
                && keys
                    .get(o.kind.as_str())
                    .and_then(|by_ns| by_ns.get(ns))
                    .is_some_and(|names| names.contains(o.name.as_str()))
        })
    }

    /// The scanned Namespace object named `ns`.
    pub fn namespace_object(&self, ns: &str) -> Option<&K8sObject> {
        self.positions("Namespace", ns)
            .first()
            .and_then(|i| self.objects.get(*i))
    }
}

/// Whether a label selector (`matchLabels` / `matchExpressions`, as in NetworkPolicy `podSelector`, PDB
/// `selector`) selects a set of labels. An empty selector selects everything; a missing selector nothing.
pub fn selector_matches(selector: Option<&Node>, labels: &[(String, String)]) -> bool {
    let Some(sel) = selector else { return false };
    if sel.is_null() {
        return false;
    }
    let get = |k: &str| labels.iter().find(|(lk, _)| lk == k).map(|(_, v)| v.as_str());
    if let Some(m) = sel.get("matchLabels").and_then(Node::as_map) {
        for e in m.entries() {
            if get(&e.key) != e.value.as_str() {
                return false;
            }
        }
    }
    for expr in sel.get("matchExpressions").and_then(Node::as_seq).unwrap_or(&[]) {
        let key = expr.get_str("key").unwrap_or("");
        let values: Vec<&str> = expr
            .get("values")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let ok = match (expr.get_str("operator"), get(key)) {
            (Some("In"), Some(v)) => values.contains(&v),
            (Some("In"), None) => false,
            (Some("NotIn"), Some(v)) => !values.contains(&v),
            (Some("NotIn"), None) => true,
            (Some("Exists"), v) => v.is_some(),
            (Some("DoesNotExist"), v) => v.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether a Service-style selector (a plain map of labels) selects a set of labels. An empty or missing
/// selector selects nothing (such Services have manually managed endpoints).
pub fn service_selector_matches(selector: Option<&Node>, labels: &[(String, String)]) -> bool {
    let Some(m) = selector.and_then(Node::as_map) else {
        return false;
    };
    !m.is_empty()
        && m.entries().iter().all(|e| {
            labels
                .iter()
                .any(|(k, v)| *k == e.key && Some(v.as_str()) == e.value.as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Node, Pos};
    use crate::object::Source;

    fn object(kind: &str, name: &str) -> K8sObject {
        let json = format!(r#"{{"apiVersion": "v1", "kind": "{kind}", "metadata": {{"name": "{name}"}}}}"#);
        let root = Node::from_json_str(&json, Pos::new(1, 1)).unwrap_or_else(|e| panic!("{e}"));
        let source = Source {
            file: "a.yaml".into(),
            document: 1,
            base_pointer: String::new(),
        };
        K8sObject::from_node(root, source).unwrap_or_else(|| panic!("{kind} {name}"))
    }

    /// `of_kinds` is the pass over every retained object that keeps those kinds, in scan order, whatever the
    /// order or repetition of the kinds asked for.
    #[test]
    fn of_kinds_is_the_filtered_scan_order() {
        let kinds = ["Role", "ClusterRoleBinding", "Service", "RoleBinding", "ServiceAccount"];
        let mut index = ScanIndex::default();
        for i in 0..60 {
            let kind = kinds.get((i * 7 + i / 3) % kinds.len()).copied().unwrap_or("Role");
            index.add(&object(kind, &format!("o{i}")));
        }
        let names = |objs: Vec<&K8sObject>| -> Vec<String> {
            objs.iter().map(|o| o.id.name.clone().unwrap_or_default()).collect()
        };
        for asked in [
            &["RoleBinding", "ClusterRoleBinding"][..],
            &["ClusterRoleBinding", "Role", "RoleBinding", "ServiceAccount"][..],
            &["Role", "Role", "Service"][..],
            &["Ingress", "ServiceAccount"][..],
            &[][..],
        ] {
            let want: Vec<&K8sObject> = index
                .objects
                .iter()
                .filter(|o| asked.contains(&o.id.kind.as_str()))
                .collect();
            assert_eq!(names(index.of_kinds(asked).collect()), names(want), "{asked:?}");
        }
        assert_eq!(index.of_kinds(&["Role", "Role"]).count(), index.of_kind("Role").count());
    }

    /// Reading ahead changes nothing of what the pass gives: every workload once, in scan order, across blocks.
    #[test]
    fn workloads_read_ahead_are_the_workloads() {
        for n in [0, 1, 255, 256, 257, 600] {
            let mut index = ScanIndex::default();
            for i in 0..n {
                let json = format!(
                    r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "w{i}", "namespace": "ns{}"}},
                        "spec": {{"containers": [{{"name": "c{i}"}}]}}}}"#,
                    i % 7
                );
                let root = Node::from_json_str(&json, Pos::new(1, 1)).unwrap_or_else(|e| panic!("{e}"));
                let source = Source {
                    file: "a.yaml".into(),
                    document: i + 1,
                    base_pointer: String::new(),
                };
                index.add(&K8sObject::from_node(root, source).unwrap_or_else(|| panic!("pod {i}")));
            }
            assert_eq!(index.workloads.len(), n);
            let ahead: Vec<&Workload> = index.workloads_read_ahead().collect();
            assert_eq!(ahead, index.workloads.iter().collect::<Vec<_>>(), "{n} workloads");
        }
    }
}
