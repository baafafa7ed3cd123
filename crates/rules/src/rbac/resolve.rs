//! Cross-object RBAC helpers: what the role a binding refers to grants (scanned roles, aggregation, built-ins),
//! which bindings apply to a ServiceAccount, and what a workload's pods get from their ServiceAccount.

use super::builtin;
use super::util::{label_pairs, rule_entries, subjects, Grant, RoleRef, Subject};
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

/// The grants of a scanned ClusterRole, with those of the scanned ClusterRoles its `aggregationRule` selects.
fn scanned_cluster_role_grants<'a>(index: &'a ScanIndex, role: &'a K8sObject) -> Vec<Grant<'a>> {
    let mut grants: Vec<Grant<'a>> = rule_entries(&role.root).into_iter().map(|e| e.grant).collect();
    let selectors = role
        .root
        .path(&["aggregationRule", "clusterRoleSelectors"])
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    if !selectors.is_empty() {
        for other in index.of_kind("ClusterRole") {
            if std::ptr::eq(other, role) {
                continue;
            }
            let labels = label_pairs(other);
            if selectors.iter().any(|s| selector_matches(Some(s), &labels)) {
                grants.extend(rule_entries(&other.root).into_iter().map(|e| e.grant));
            }
        }
    }
    grants
}

/// The grants of built-in ClusterRole `name`, plus those of scanned ClusterRoles aggregated into it.
fn builtin_grants<'a>(index: &'a ScanIndex, name: &str) -> Option<Vec<Grant<'a>>> {
    let mut grants = builtin::cluster_role(name)?;
    let labels = builtin::aggregation_labels(name);
    if !labels.is_empty() {
        for other in index.of_kind("ClusterRole") {
            let aggregated = label_pairs(other)
                .iter()
                .any(|(k, v)| v == "true" && labels.contains(&k.as_str()));
            if aggregated {
                grants.extend(rule_entries(&other.root).into_iter().map(|e| e.grant));
            }
        }
    }
    Some(grants)
}

/// What the role `rr` of `binding` grants: a scanned Role in the binding's namespace or scanned ClusterRole
/// (scanned objects win), else a built-in ClusterRole, else [`Resolution::Missing`].
pub(crate) fn resolve<'a>(index: &'a ScanIndex, binding: &K8sObject, rr: &RoleRef<'_>) -> Resolution<'a> {
    match rr.kind {
        "Role" => {
            let ns = binding.id.namespace.as_deref().unwrap_or("default");
            match index
                .of_kind("Role")
                .find(|r| r.id.name.as_deref() == Some(rr.name) && r.id.namespace.as_deref().unwrap_or("default") == ns)
            {
                Some(role) => Resolution::Found(rule_entries(&role.root).into_iter().map(|e| e.grant).collect()),
                None => Resolution::Missing(format!("Role {ns}/{} was not scanned", rr.name)),
            }
        }
        "ClusterRole" => {
            if let Some(role) = index
                .of_kind("ClusterRole")
                .find(|r| r.id.name.as_deref() == Some(rr.name))
            {
                return Resolution::Found(scanned_cluster_role_grants(index, role));
            }
            match builtin_grants(index, rr.name) {
                Some(grants) => Resolution::Found(grants),
                None => Resolution::Missing(format!("ClusterRole {} was not scanned", rr.name)),
            }
        }
        other => Resolution::Missing(format!("roleRef kind {other} is not Role or ClusterRole")),
    }
}

/// Scanned RoleBindings and ClusterRoleBindings, in scan order.
pub(crate) fn bindings(index: &ScanIndex) -> impl Iterator<Item = &K8sObject> {
    index
        .objects
        .iter()
        .filter(|o| o.id.kind == "RoleBinding" || o.id.kind == "ClusterRoleBinding")
}

/// Bindings that apply to ServiceAccount `ns/name`, each with the first subject that names it.
pub(crate) fn bindings_of_service_account<'a>(
    index: &'a ScanIndex,
    ns: &str,
    name: &str,
) -> Vec<(&'a K8sObject, Subject<'a>)> {
    bindings(index)
        .filter_map(|b| {
            let s = subjects(b)
                .into_iter()
                .find(|s| s.covers_service_account(b, ns, name))?;
            Some((b, s))
        })
        .collect()
}

/// Whether a workload is managed by a controller that is in the scan (then it is reported at the controller).
pub(crate) fn owned_by_scanned_controller(index: &ScanIndex, w: &Workload) -> bool {
    let ns = w.namespace();
    w.owners.iter().any(|o| {
        o.controller
            && index.workloads.iter().any(|c| {
                c.object.id.kind == o.kind
                    && c.object.id.name.as_deref() == Some(o.name.as_str())
                    && c.namespace() == ns
            })
    })
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

/// The scanned ServiceAccount `ns/name`.
pub(crate) fn service_account<'a>(index: &'a ScanIndex, ns: &str, name: &str) -> Option<&'a K8sObject> {
    index
        .of_kind("ServiceAccount")
        .find(|o| o.id.name.as_deref() == Some(name) && o.id.namespace.as_deref().unwrap_or("default") == ns)
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

/// The effective automount of a workload: pod spec ?? ServiceAccount ?? true.
pub(crate) fn automount(index: &ScanIndex, w: &Workload) -> Automount {
    if let Some((b, pos)) = w.automount {
        return Automount::PodSpec(b, pos);
    }
    let sa = w.service_account_name();
    match service_account(index, w.namespace(), sa) {
        Some(obj) => Automount::ServiceAccount(obj.root.get("automountServiceAccountToken").and_then(Node::as_bool)),
        None if sa == "default" => Automount::UnscannedDefault,
        None => Automount::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::util::role_ref;
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
        assert!(grants_secret_read(&resolve(&idx, &b, &role_ref(&b).unwrap())));
        let b = binding("RoleBinding", "Role", "other");
        match resolve(&idx, &b, &role_ref(&b).unwrap()) {
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
        assert!(grants_secret_read(&resolve(&idx, &b, &role_ref(&b).unwrap())));
        let b = binding("RoleBinding", "ClusterRole", "view");
        match resolve(&idx, &b, &role_ref(&b).unwrap()) {
            Resolution::Found(g) => assert!(g.iter().any(|g| g.allows("list", "", "secrets"))),
            Resolution::Missing(_) => panic!("view is built in"),
        }
        let b = binding("RoleBinding", "ClusterRole", "cluster-admin");
        match resolve(&idx, &b, &role_ref(&b).unwrap()) {
            Resolution::Found(g) => assert!(g.iter().any(Grant::is_unrestricted)),
            Resolution::Missing(_) => panic!("cluster-admin is built in"),
        }
        let b = binding("RoleBinding", "ClusterRole", "vendor-role");
        assert!(matches!(
            resolve(&idx, &b, &role_ref(&b).unwrap()),
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
        let names: Vec<_> = bindings_of_service_account(&idx, "shop", "web")
            .iter()
            .map(|(b, _)| b.id.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["same-ns", "all-sas"]);
        assert_eq!(bindings_of_service_account(&idx, "tools", "web").len(), 2);
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
        let got: Vec<Option<bool>> = idx.workloads.iter().map(|w| automount(&idx, w).effective()).collect();
        assert_eq!(got, [Some(false), Some(true), Some(true), None]);
        assert!(matches!(
            automount(&idx, &idx.workloads[2]),
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
        let owned: Vec<bool> = idx
            .workloads
            .iter()
            .map(|w| owned_by_scanned_controller(&idx, w))
            .collect();
        assert_eq!(owned, [false, true, false]);
    }
}
