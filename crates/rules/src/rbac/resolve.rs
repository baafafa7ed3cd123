//! Cross-object RBAC helpers: what the role a binding refers to grants (scanned roles, aggregation, built-ins),
//! which bindings apply to a ServiceAccount, and what a workload's pods get from their ServiceAccount.

use super::builtin;
use super::util::{label_pairs, role_ref, rule_entries, subject_at, subjects, Grant, RoleRef, Subject};
use foldhash::{HashMap, HashMapExt as _};
use palisade_core::index::selector_matches;
use palisade_core::{K8sObject, Node, Pos, ScanIndex, Workload};

/// What a binding's role grants, or why that is unknown.
#[derive(Debug)]
pub(crate) enum Resolution<'a> {
    /// The role was scanned, or is a built-in ClusterRole: its grants.
    Found(Vec<Grant<'a>>),
    /// The role is neither scanned nor built in: `Role shop/x was not scanned`.
    Missing(String),
}

/// A binding (with its position among the scanned bindings) and the index of one of its subjects.
type BoundSubject<'a> = (usize, &'a K8sObject, usize);

/// The RBAC objects of a scan, keyed for lookups, built once per rule run so that cross-object rules stay linear
/// in the size of the scan. The first of duplicate objects wins, as in scan order.
///
/// Each group of keys (roles, bindings, ServiceAccounts) is built the first time a rule asks for it: most rules
/// use one or two of the three, and building all of them for each of the six rules cost ~60 ms at 100,000
/// objects.
pub(crate) struct Lookup<'a> {
    index: &'a ScanIndex,
    roles: std::cell::OnceCell<Roles<'a>>,
    bindings: std::cell::OnceCell<Bindings<'a>>,
    /// Scanned ServiceAccounts by (namespace, name).
    service_accounts: std::cell::OnceCell<HashMap<(&'a str, &'a str), &'a K8sObject>>,
}

/// The scanned roles, keyed.
struct Roles<'a> {
    /// Scanned Roles by (namespace, name).
    roles: HashMap<(&'a str, &'a str), &'a K8sObject>,
    /// Scanned ClusterRoles by name.
    cluster_roles: HashMap<&'a str, &'a K8sObject>,
    /// Scanned ClusterRoles with labels, for aggregation.
    labelled_cluster_roles: Vec<(&'a K8sObject, Vec<(String, String)>)>,
}

/// The scanned bindings, keyed.
struct Bindings<'a> {
    /// Scanned RoleBindings and ClusterRoleBindings, in scan order.
    list: Vec<&'a K8sObject>,
    /// Bindings by the role they refer to: (`Role`/`ClusterRole`, name).
    by_role: HashMap<(&'a str, &'a str), Vec<&'a K8sObject>>,
    /// ServiceAccount subjects by (namespace, name).
    sa_subjects: HashMap<(&'a str, &'a str), Vec<BoundSubject<'a>>>,
    /// Group subjects by group name.
    group_subjects: HashMap<&'a str, Vec<BoundSubject<'a>>>,
}

fn ns_of(obj: &K8sObject) -> &str {
    obj.id.namespace.as_deref().unwrap_or("default")
}

fn name_of(obj: &K8sObject) -> &str {
    obj.id.name.as_deref().unwrap_or("")
}

impl<'a> Roles<'a> {
    fn new(index: &'a ScanIndex) -> Self {
        let mut r = Roles {
            roles: HashMap::new(),
            cluster_roles: HashMap::new(),
            labelled_cluster_roles: Vec::new(),
        };
        for obj in index.of_kinds(&["Role", "ClusterRole"]) {
            if obj.id.kind == "Role" {
                r.roles.entry((ns_of(obj), name_of(obj))).or_insert(obj);
            } else {
                r.cluster_roles.entry(name_of(obj)).or_insert(obj);
                let labels = label_pairs(obj);
                if !labels.is_empty() {
                    r.labelled_cluster_roles.push((obj, labels));
                }
            }
        }
        r
    }
}

impl<'a> Bindings<'a> {
    fn new(index: &'a ScanIndex) -> Self {
        let mut b = Bindings {
            list: Vec::new(),
            by_role: HashMap::new(),
            sa_subjects: HashMap::new(),
            group_subjects: HashMap::new(),
        };
        for obj in index.of_kinds(&["RoleBinding", "ClusterRoleBinding"]) {
            let order = b.list.len();
            b.list.push(obj);
            if let Some(rr) = role_ref(obj) {
                b.by_role.entry((rr.kind, rr.name)).or_default().push(obj);
            }
            for s in subjects(obj) {
                match s.kind {
                    "ServiceAccount" => b
                        .sa_subjects
                        .entry((s.namespace.or(obj.id.namespace.as_deref()).unwrap_or("default"), s.name))
                        .or_default()
                        .push((order, obj, s.index)),
                    "Group" => b.group_subjects.entry(s.name).or_default().push((order, obj, s.index)),
                    _ => {}
                }
            }
        }
        b
    }
}

impl<'a> Lookup<'a> {
    /// Lookups over the RBAC objects and ServiceAccounts of `index` (each group keyed on first use).
    pub fn new(index: &'a ScanIndex) -> Self {
        Lookup {
            index,
            roles: std::cell::OnceCell::new(),
            bindings: std::cell::OnceCell::new(),
            service_accounts: std::cell::OnceCell::new(),
        }
    }

    fn roles(&self) -> &Roles<'a> {
        self.roles.get_or_init(|| Roles::new(self.index))
    }

    fn keyed_bindings(&self) -> &Bindings<'a> {
        self.bindings.get_or_init(|| Bindings::new(self.index))
    }

    /// Scanned RoleBindings and ClusterRoleBindings, in scan order.
    pub fn bindings(&self) -> &[&'a K8sObject] {
        &self.keyed_bindings().list
    }

    /// The grants of a scanned ClusterRole, with those of the scanned ClusterRoles its `aggregationRule`
    /// selects.
    fn scanned_cluster_role_grants(&self, role: &'a K8sObject) -> Vec<Grant<'a>> {
        let mut grants: Vec<Grant<'a>> = rule_entries(&role.root).into_iter().map(|e| e.grant).collect();
        let selectors = role
            .root
            .path(&["aggregationRule", "clusterRoleSelectors"])
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        if !selectors.is_empty() {
            for (other, labels) in &self.roles().labelled_cluster_roles {
                if !std::ptr::eq(*other, role) && selectors.iter().any(|s| selector_matches(Some(s), labels)) {
                    grants.extend(rule_entries(&other.root).into_iter().map(|e| e.grant));
                }
            }
        }
        grants
    }

    /// The grants of built-in ClusterRole `name`, plus those of scanned ClusterRoles aggregated into it.
    fn builtin_grants(&self, name: &str) -> Option<Vec<Grant<'a>>> {
        let mut grants = builtin::cluster_role(name)?;
        let labels = builtin::aggregation_labels(name);
        if !labels.is_empty() {
            for (other, pairs) in &self.roles().labelled_cluster_roles {
                if pairs.iter().any(|(k, v)| v == "true" && labels.contains(&k.as_str())) {
                    grants.extend(rule_entries(&other.root).into_iter().map(|e| e.grant));
                }
            }
        }
        Some(grants)
    }

    /// What the role `rr` of `binding` grants: a scanned Role in the binding's namespace or scanned ClusterRole
    /// (scanned objects win), else a built-in ClusterRole, else [`Resolution::Missing`].
    pub fn resolve(&self, binding: &K8sObject, rr: &RoleRef<'_>) -> Resolution<'a> {
        match rr.kind {
            "Role" => {
                let ns = ns_of(binding);
                match self.roles().roles.get(&(ns, rr.name)) {
                    Some(role) => Resolution::Found(rule_entries(&role.root).into_iter().map(|e| e.grant).collect()),
                    None => Resolution::Missing(format!("Role {ns}/{} was not scanned", rr.name)),
                }
            }
            "ClusterRole" => {
                if let Some(role) = self.roles().cluster_roles.get(rr.name) {
                    return Resolution::Found(self.scanned_cluster_role_grants(role));
                }
                match self.builtin_grants(rr.name) {
                    Some(grants) => Resolution::Found(grants),
                    None => Resolution::Missing(format!("ClusterRole {} was not scanned", rr.name)),
                }
            }
            other => Resolution::Missing(format!("roleRef kind {other} is not Role or ClusterRole")),
        }
    }

    /// Bindings whose `roleRef` is `kind`/`name`.
    pub fn bindings_of_role<'s>(&'s self, kind: &'s str, name: &'s str) -> &'s [&'a K8sObject] {
        self.keyed_bindings()
            .by_role
            .get(&(kind, name))
            .map_or(&[], Vec::as_slice)
    }

    /// Bindings that apply to ServiceAccount `ns/name`, each with its position among the scanned bindings and
    /// the first subject that names it: the ServiceAccount itself, or the groups `system:serviceaccounts`,
    /// `system:serviceaccounts:<ns>` and `system:authenticated`. In scan order.
    pub fn bindings_of_service_account(&self, ns: &str, name: &str) -> Vec<(usize, &'a K8sObject, Subject<'a>)> {
        let direct = self
            .keyed_bindings()
            .sa_subjects
            .get(&(ns, name))
            .map_or(&[][..], Vec::as_slice);
        self.applying(ns, name, direct.iter().chain(self.group_entries(ns)).collect())
    }

    /// The part of [`Self::bindings_of_service_account`] that names `ns/name` directly (a binding that also
    /// reaches it through a group is here, with its ServiceAccount subject).
    pub fn direct_bindings_of_service_account(&self, ns: &str, name: &str) -> Vec<(usize, &'a K8sObject, Subject<'a>)> {
        let direct = self
            .keyed_bindings()
            .sa_subjects
            .get(&(ns, name))
            .map_or(&[][..], Vec::as_slice);
        self.applying(ns, name, direct.iter().collect())
    }

    /// The bindings that reach every ServiceAccount of `ns` through groups, as
    /// [`Self::bindings_of_service_account`] gives them for a ServiceAccount no binding names directly. For one
    /// that is named, its answer is these and [`Self::direct_bindings_of_service_account`] together when no
    /// binding is in both.
    pub fn group_bindings_of_namespace(&self, ns: &str) -> Vec<(usize, &'a K8sObject, Subject<'a>)> {
        // Group subjects do not depend on the ServiceAccount's name.
        self.applying(ns, "", self.group_entries(ns).collect())
    }

    /// The group subjects that may cover ServiceAccounts of `ns`.
    fn group_entries<'s>(&'s self, ns: &str) -> impl Iterator<Item = &'s BoundSubject<'a>> + 's {
        let ns_group = format!("system:serviceaccounts:{ns}");
        let lists = ["system:serviceaccounts", ns_group.as_str(), "system:authenticated"].map(|g| {
            self.keyed_bindings()
                .group_subjects
                .get(g)
                .map_or(&[][..], Vec::as_slice)
        });
        lists.into_iter().flatten()
    }

    /// `hits` in scan order, one per binding (the first listed), kept when its subject covers `ns/name`.
    fn applying(
        &self,
        ns: &str,
        name: &str,
        mut hits: Vec<&BoundSubject<'a>>,
    ) -> Vec<(usize, &'a K8sObject, Subject<'a>)> {
        hits.sort_by_key(|(order, _, _)| *order);
        hits.dedup_by_key(|(order, _, _)| *order);
        hits.into_iter()
            .filter_map(|(order, b, i)| {
                let s = subject_at(b, *i).filter(|s| s.covers_service_account(b, ns, name))?;
                Some((*order, *b, s))
            })
            .collect()
    }

    /// Whether `pred` holds for the position (among the scanned bindings) of a binding that names
    /// ServiceAccount `ns/name` directly.
    pub fn any_direct_binding(&self, ns: &str, name: &str, mut pred: impl FnMut(usize) -> bool) -> bool {
        self.keyed_bindings()
            .sa_subjects
            .get(&(ns, name))
            .is_some_and(|list| list.iter().any(|(order, _, _)| pred(*order)))
    }

    /// Whether a scanned binding names ServiceAccount `ns/name` as a subject. Bindings reach every other
    /// ServiceAccount of `ns` only through groups, so they all get the same answer.
    pub fn has_direct_subjects(&self, ns: &str, name: &str) -> bool {
        self.keyed_bindings().sa_subjects.contains_key(&(ns, name))
    }

    /// The scanned ServiceAccount `ns/name`.
    pub fn service_account(&self, ns: &str, name: &str) -> Option<&'a K8sObject> {
        self.service_accounts
            .get_or_init(|| {
                let mut by_name = HashMap::new();
                for obj in self.index.of_kind("ServiceAccount") {
                    by_name.entry((ns_of(obj), name_of(obj))).or_insert(obj);
                }
                by_name
            })
            .get(&(ns, name))
            .copied()
    }

    /// The effective automount of a workload: pod spec ?? ServiceAccount ?? true.
    pub fn automount(&self, w: &Workload) -> Automount {
        if let Some((b, pos)) = w.automount {
            return Automount::PodSpec(b, pos);
        }
        let sa = w.service_account_name();
        match self.service_account(w.namespace(), sa) {
            Some(obj) => {
                Automount::ServiceAccount(obj.root.get("automountServiceAccountToken").and_then(Node::as_bool))
            }
            None if sa == "default" => Automount::UnscannedDefault,
            None => Automount::Unknown,
        }
    }
}

/// How cross-object findings and notes name a workload: `Deployment shop/web`.
pub(crate) fn workload_scope(w: &Workload) -> String {
    format!(
        "{} {}/{}",
        w.object.id.kind,
        w.namespace(),
        w.object.id.name.as_deref().unwrap_or("<unnamed>")
    )
}

/// Where a workload's effective `automountServiceAccountToken` comes from.
#[derive(Debug)]
pub(crate) enum Automount {
    /// The pod spec sets it (value, position of the key).
    PodSpec(bool, Pos),
    /// The pod spec leaves it unset and the ServiceAccount was scanned: its explicit setting, if any.
    ServiceAccount(Option<bool>),
    /// Unset, and the ServiceAccount is `default`, not scanned: Kubernetes creates it without the field.
    UnscannedDefault,
    /// Unset, and the (non-default) ServiceAccount was not scanned.
    Unknown,
}

impl Automount {
    /// The effective setting, when known (`None` for [`Automount::Unknown`]).
    pub fn effective(&self) -> Option<bool> {
        match self {
            Automount::PodSpec(b, _) => Some(*b),
            Automount::ServiceAccount(explicit) => Some(explicit.unwrap_or(true)),
            Automount::UnscannedDefault => Some(true),
            Automount::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::object::Source;
    use std::sync::Arc;

    fn obj(json: serde_json::Value) -> K8sObject {
        K8sObject::from_node(
            Node::from_json(&json, Pos::new(1, 1)),
            Source {
                file: Arc::from("t.yaml"),
                document: 1,
                base_pointer: String::new(),
            },
        )
        .unwrap()
    }

    fn index(objects: &[serde_json::Value]) -> ScanIndex {
        let mut idx = ScanIndex::default();
        for o in objects {
            idx.add(&obj(o.clone()));
        }
        idx
    }

    fn binding(kind: &str, role_kind: &str, role: &str) -> K8sObject {
        obj(serde_json::json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
            "metadata": {"name": "b", "namespace": "shop"},
            "roleRef": {"kind": role_kind, "name": role, "apiGroup": "rbac.authorization.k8s.io"},
            "subjects": [{"kind": "ServiceAccount", "name": "web"}]
        }))
    }

    fn grants_secret_read(r: &Resolution<'_>) -> bool {
        match r {
            Resolution::Found(g) => g.iter().any(|g| g.allows("get", "", "secrets")),
            Resolution::Missing(_) => false,
        }
    }

    #[test]
    fn resolves_roles_in_the_binding_namespace_only() {
        let idx = index(&[
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": "reader", "namespace": "shop"},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}),
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": "other", "namespace": "elsewhere"},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}),
        ]);
        let b = binding("RoleBinding", "Role", "reader");
        assert!(grants_secret_read(
            &Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap())
        ));
        let b = binding("RoleBinding", "Role", "other");
        match Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap()) {
            Resolution::Missing(m) => assert_eq!(m, "Role shop/other was not scanned"),
            Resolution::Found(_) => panic!("resolved a Role of another namespace"),
        }
    }

    #[test]
    fn resolves_built_ins_and_aggregation() {
        let idx = index(&[
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": "parent"},
                "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"agg": "yes"}}]},
                "rules": []}),
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": "child", "labels": {"agg": "yes"}},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}),
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": "crd-view",
                             "labels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}]}),
        ]);
        let b = binding("ClusterRoleBinding", "ClusterRole", "parent");
        assert!(grants_secret_read(
            &Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap())
        ));
        let b = binding("RoleBinding", "ClusterRole", "view");
        match Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap()) {
            Resolution::Found(g) => assert!(g.iter().any(|g| g.allows("list", "", "secrets"))),
            Resolution::Missing(_) => panic!("view is built in"),
        }
        let b = binding("RoleBinding", "ClusterRole", "cluster-admin");
        match Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap()) {
            Resolution::Found(g) => assert!(g.iter().any(Grant::is_unrestricted)),
            Resolution::Missing(_) => panic!("cluster-admin is built in"),
        }
        let b = binding("RoleBinding", "ClusterRole", "vendor-role");
        assert!(matches!(
            Lookup::new(&idx).resolve(&b, &role_ref(&b).unwrap()),
            Resolution::Missing(m) if m == "ClusterRole vendor-role was not scanned"
        ));
    }

    #[test]
    fn finds_bindings_of_a_service_account() {
        let idx = index(&[
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": "same-ns", "namespace": "shop"},
                "roleRef": {"kind": "ClusterRole", "name": "view"},
                "subjects": [{"kind": "ServiceAccount", "name": "web"}]}),
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": "other-ns", "namespace": "tools"},
                "roleRef": {"kind": "ClusterRole", "name": "view"},
                "subjects": [{"kind": "ServiceAccount", "name": "web"}]}),
            serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                "metadata": {"name": "all-sas"},
                "roleRef": {"kind": "ClusterRole", "name": "view"},
                "subjects": [{"kind": "Group", "name": "system:serviceaccounts"}]}),
        ]);
        let names: Vec<_> = Lookup::new(&idx)
            .bindings_of_service_account("shop", "web")
            .iter()
            .map(|(_, b, _)| b.id.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["same-ns", "all-sas"]);
        assert_eq!(Lookup::new(&idx).bindings_of_service_account("tools", "web").len(), 2);
    }

    #[test]
    fn effective_automount() {
        let idx = index(&[
            serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": "web", "namespace": "shop"},
                "automountServiceAccountToken": false}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "a", "namespace": "shop"},
                "spec": {"serviceAccountName": "web", "containers": []}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "b", "namespace": "shop"},
                "spec": {"serviceAccountName": "web", "automountServiceAccountToken": true,
                         "containers": []}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "c", "namespace": "shop"}, "spec": {"containers": []}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "d", "namespace": "shop"},
                "spec": {"serviceAccountName": "api", "containers": []}}),
        ]);
        let got: Vec<Option<bool>> = idx
            .workloads
            .iter()
            .map(|w| Lookup::new(&idx).automount(w).effective())
            .collect();
        assert_eq!(got, [Some(false), Some(true), Some(true), None]);
        assert!(matches!(
            Lookup::new(&idx).automount(&idx.workloads[2]),
            Automount::UnscannedDefault
        ));
        assert_eq!(workload_scope(&idx.workloads[0]), "Pod shop/a");
    }

    #[test]
    fn controller_ownership() {
        let idx = index(&[
            serde_json::json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": "web-1", "namespace": "shop"},
                "spec": {"template": {"spec": {"containers": []}}}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "web-1-x", "namespace": "shop",
                    "ownerReferences": [{"kind": "ReplicaSet", "name": "web-1", "controller": true}]},
                "spec": {"containers": []}}),
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "orphan", "namespace": "shop",
                    "ownerReferences": [{"kind": "ReplicaSet", "name": "gone", "controller": true}]},
                "spec": {"containers": []}}),
        ]);
        let owned: Vec<bool> = idx.workloads.iter().map(|w| idx.controlled_by_scanned(w)).collect();
        assert_eq!(owned, [false, true, false]);
    }
}
