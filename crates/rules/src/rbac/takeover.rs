//! Permissions that amount to taking over the cluster or a namespace, in order of gravity: what RBAC-004 raises
//! to critical and RBAC-029 reports for workloads. Each check reuses the permission of the rule that reports it
//! on roles (RBAC-001/002/006/007/008/010/011), so there is one definition of each.

use super::util::Grant;
use super::{
    impersonation_permission, node_proxy_permission, pod_create_permission, rbac_escalation_permission,
    secret_read_permission,
};

/// A dangerous permission: its gravity (0 is the worst) and what it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Takeover {
    /// 0 cluster-admin power, 1 wildcards, 2 RBAC escalation, 3 impersonation, 4 nodes/proxy, 5 Secret read, 6 pod
    /// creation.
    pub rank: usize,
    /// `list on secrets`, `every verb on every resource (cluster-admin)`.
    pub description: String,
}

/// The dangerous permissions `grants` hold, most severe first (at most one per kind). An unrestricted grant (what
/// cluster-admin has) is reported alone.
pub(crate) fn takeover_permissions(grants: &[Grant<'_>]) -> Vec<Takeover> {
    if grants.iter().any(Grant::is_unrestricted) {
        return vec![Takeover {
            rank: 0,
            description: "every verb on every resource (cluster-admin)".to_string(),
        }];
    }
    let mut out = Vec::new();
    if let Some(fields) = grants.iter().map(Grant::wildcard_fields).find(|f| !f.is_empty()) {
        out.push(Takeover {
            rank: 1,
            description: format!("wildcard access (\"*\" in {})", fields.join(", ")),
        });
    }
    let checks = [
        &rbac_escalation_permission::PERMISSIONS[..],
        std::slice::from_ref(&impersonation_permission::PERMISSION),
        std::slice::from_ref(&node_proxy_permission::PERMISSION),
        std::slice::from_ref(&secret_read_permission::PERMISSION),
        std::slice::from_ref(&pod_create_permission::PERMISSION),
    ];
    for (rank, perms) in (2..).zip(checks) {
        if let Some(m) = perms.iter().find_map(|p| grants.iter().find_map(|g| g.grants(p))) {
            out.push(Takeover {
                rank,
                description: m.describe(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(grants: &[Grant<'_>]) -> Vec<String> {
        takeover_permissions(grants)
            .into_iter()
            .map(|t| t.description)
            .collect()
    }

    #[test]
    fn orders_and_summarises() {
        assert_eq!(
            described(&[Grant::of(&["*"], &["*"], &["*"])]),
            ["every verb on every resource (cluster-admin)"]
        );
        let g = [
            Grant::of(&["get"], &[""], &["pods"]),
            Grant::of(&["list"], &[""], &["secrets"]),
            Grant::of(&["create"], &["apps"], &["deployments"]),
        ];
        assert_eq!(described(&g), ["list on secrets", "create on deployments"]);
        assert!(described(&[Grant::of(&["get"], &[""], &["pods"])]).is_empty());
        let ranks: Vec<usize> = takeover_permissions(&g).iter().map(|t| t.rank).collect();
        assert_eq!(ranks, [5, 6]);
        let wild = [Grant::of(&["get"], &[""], &["*"])];
        assert_eq!(
            described(&wild),
            [
                "wildcard access (\"*\" in resources)",
                "get on nodes/proxy (through \"*\" in resources)",
                "get on secrets (through \"*\" in resources)"
            ]
        );
    }
}
