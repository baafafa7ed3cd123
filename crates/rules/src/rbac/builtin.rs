//! What the API server's default ClusterRoles grant, for bindings whose role is not in the scanned set.
//!
//! Taken from the bootstrap policy (`plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`, Kubernetes
//! 1.22+: `endpoints` write removed from `edit`, `serviceaccounts/token` create added), reduced to the rules the
//! RBAC checks look at. `admin` ⊇ `edit` ⊇ `view` as aggregation makes them. Other `system:*` ClusterRoles are
//! known built-ins whose permissions (scoped to control-plane components) are treated as granting none of the
//! checked permissions, except the few listed here.

use super::util::{Grant, CORE, RBAC_GROUP, WRITE_VERBS};

const READ: &[&str] = &["get", "list", "watch"];

fn view() -> Vec<Grant<'static>> {
    vec![
        Grant::of(
            READ,
            &[CORE],
            &[
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
                "limitranges",
                "resourcequotas",
                "bindings",
                "events",
                "pods/status",
                "resourcequotas/status",
                "namespaces/status",
                "replicationcontrollers/status",
                "pods/log",
                "namespaces",
            ],
        ),
        Grant::of(
            READ,
            &["apps"],
            &[
                "controllerrevisions",
                "statefulsets",
                "statefulsets/status",
                "statefulsets/scale",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/status",
                "deployments/scale",
                "replicasets",
                "replicasets/status",
                "replicasets/scale",
            ],
        ),
        Grant::of(
            READ,
            &["autoscaling"],
            &["horizontalpodautoscalers", "horizontalpodautoscalers/status"],
        ),
        Grant::of(
            READ,
            &["batch"],
            &["jobs", "cronjobs", "cronjobs/status", "jobs/status"],
        ),
        Grant::of(
            READ,
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "ingresses",
                "networkpolicies",
                "replicasets",
            ],
        ),
        Grant::of(
            READ,
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
        ),
        Grant::of(
            READ,
            &["networking.k8s.io"],
            &["networkpolicies", "ingresses", "ingresses/status"],
        ),
        Grant::of(READ, &["discovery.k8s.io"], &["endpointslices"]),
    ]
}

fn aggregate_to_edit() -> Vec<Grant<'static>> {
    vec![
        Grant::of(
            READ,
            &[CORE],
            &[
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
                "secrets",
                "services/proxy",
            ],
        ),
        Grant::of(&["impersonate"], &[CORE], &["serviceaccounts"]),
        Grant::of(
            WRITE_VERBS,
            &[CORE],
            &["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"],
        ),
        Grant::of(&["create"], &[CORE], &["pods/eviction"]),
        Grant::of(
            WRITE_VERBS,
            &[CORE],
            &[
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/proxy",
                "persistentvolumeclaims",
                "configmaps",
                "secrets",
                "events",
            ],
        ),
        Grant::of(&["create"], &[CORE], &["serviceaccounts/token"]),
        Grant::of(
            WRITE_VERBS,
            &["apps"],
            &[
                "statefulsets",
                "statefulsets/scale",
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "replicasets",
                "replicasets/scale",
            ],
        ),
        Grant::of(WRITE_VERBS, &["autoscaling"], &["horizontalpodautoscalers"]),
        Grant::of(WRITE_VERBS, &["batch"], &["jobs", "cronjobs"]),
        Grant::of(
            WRITE_VERBS,
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "ingresses",
                "networkpolicies",
                "replicasets",
            ],
        ),
        Grant::of(WRITE_VERBS, &["policy"], &["poddisruptionbudgets"]),
        Grant::of(WRITE_VERBS, &["networking.k8s.io"], &["networkpolicies", "ingresses"]),
    ]
}

fn aggregate_to_admin() -> Vec<Grant<'static>> {
    vec![
        Grant::of(&["create"], &["authorization.k8s.io"], &["localsubjectaccessreviews"]),
        Grant::of(
            &[
                "get",
                "list",
                "watch",
                "create",
                "update",
                "patch",
                "delete",
                "deletecollection",
            ],
            &[RBAC_GROUP],
            &["roles", "rolebindings"],
        ),
    ]
}

/// The aggregation labels each aggregated built-in ClusterRole collects (edit is itself aggregated into admin,
/// view into edit).
pub(crate) fn aggregation_labels(name: &str) -> &'static [&'static str] {
    match name {
        "admin" => &[
            "rbac.authorization.k8s.io/aggregate-to-admin",
            "rbac.authorization.k8s.io/aggregate-to-edit",
            "rbac.authorization.k8s.io/aggregate-to-view",
        ],
        "edit" => &[
            "rbac.authorization.k8s.io/aggregate-to-edit",
            "rbac.authorization.k8s.io/aggregate-to-view",
        ],
        "view" => &["rbac.authorization.k8s.io/aggregate-to-view"],
        _ => &[],
    }
}

/// What built-in ClusterRole `name` grants; `None` when `name` is not a built-in.
pub(crate) fn cluster_role(name: &str) -> Option<Vec<Grant<'static>>> {
    let grants = match name {
        "cluster-admin" => {
            let mut urls = Grant::of(&["*"], &[], &[]);
            urls.non_resource_urls = vec!["*"];
            vec![Grant::of(&["*"], &["*"], &["*"]), urls]
        }
        "view" | "system:aggregate-to-view" => view(),
        "system:aggregate-to-edit" => aggregate_to_edit(),
        "system:aggregate-to-admin" => aggregate_to_admin(),
        "edit" => [view(), aggregate_to_edit()].concat(),
        "admin" => [view(), aggregate_to_edit(), aggregate_to_admin()].concat(),
        "system:basic-user" => vec![Grant::of(
            &["create"],
            &["authorization.k8s.io"],
            &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        )],
        "system:kubelet-api-admin" => vec![
            Grant::of(&["get", "list", "watch", "proxy"], &[CORE], &["nodes"]),
            Grant::of(
                &["*"],
                &[CORE],
                &["nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"],
            ),
        ],
        "system:kube-controller-manager" => vec![
            Grant::of(&["list", "watch"], &["*"], &["*"]),
            Grant::of(&["create", "get", "update", "delete"], &[CORE], &["secrets"]),
            Grant::of(&["create"], &[CORE], &["serviceaccounts/token"]),
        ],
        "system:node" => vec![
            Grant::of(&["get"], &[CORE], &["secrets", "configmaps"]),
            Grant::of(&["get", "create", "delete"], &[CORE], &["pods"]),
            Grant::of(&["create"], &[CORE], &["serviceaccounts/token"]),
        ],
        n if n.starts_with("system:") => Vec::new(),
        _ => return None,
    };
    Some(grants)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(grants: &[Grant<'_>], verb: &str, group: &str, resource: &str) -> bool {
        grants.iter().any(|g| g.allows(verb, group, resource))
    }

    #[test]
    fn built_in_roles_grant_what_the_bootstrap_policy_does() {
        let admin = cluster_role("cluster-admin").unwrap();
        assert!(admin.iter().any(Grant::is_unrestricted));
        let view = cluster_role("view").unwrap();
        assert!(any(&view, "get", "", "pods"));
        assert!(!any(&view, "get", "", "secrets"));
        let edit = cluster_role("edit").unwrap();
        assert!(any(&edit, "list", "", "secrets"));
        assert!(any(&edit, "create", "apps", "deployments"));
        assert!(any(&edit, "create", "", "pods/exec"));
        assert!(!any(&edit, "create", RBAC_GROUP, "rolebindings"));
        assert!(!any(&edit, "create", "", "endpoints"));
        let ns_admin = cluster_role("admin").unwrap();
        assert!(any(&ns_admin, "create", RBAC_GROUP, "rolebindings"));
        assert!(cluster_role("system:public-info-viewer").unwrap().is_empty());
        assert!(cluster_role("my-role").is_none());
        assert_eq!(aggregation_labels("edit").len(), 2);
        assert!(aggregation_labels("cluster-admin").is_empty());
    }
}
