//! Permissions that amount to taking over the cluster or a namespace, in order of gravity: what RBAC-004 raises
//! to critical and RBAC-029 reports for workloads. Each check reuses the permission of the rule that reports it
//! on roles (RBAC-001/002/006/007/008/010/011), so there is one definition of each.

use super::util::Grant;
use super::{
    impersonation_permission, node_proxy_permission, pod_create_permission, rbac_escalation_permission,
    secret_read_permission,
};

/// Descriptions of the dangerous permissions `grants` hold, most severe first (at most one per kind). An
/// unrestricted grant (what cluster-admin has) is reported alone.
pub(crate) fn takeover_permissions(grants: &[Grant<'_>]) -> Vec<String> {
    if grants.iter().any(Grant::is_unrestricted) {
        return vec!["every verb on every resource (cluster-admin)".to_string()];
    }
    let mut out = Vec::new();
    if let Some(fields) = grants.iter().map(Grant::wildcard_fields).find(|f| !f.is_empty()) {
        out.push(format!("wildcard access (\"*\" in {})", fields.join(", ")));
    }
    let checks = [
        &rbac_escalation_permission::PERMISSIONS[..],
        std::slice::from_ref(&impersonation_permission::PERMISSION),
        std::slice::from_ref(&node_proxy_permission::PERMISSION),
        std::slice::from_ref(&secret_read_permission::PERMISSION),
        std::slice::from_ref(&pod_create_permission::PERMISSION),
    ];
    for perms in checks {
        if let Some(m) = perms.iter().find_map(|p| grants.iter().find_map(|g| g.grants(p))) {
            out.push(m.describe());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_summarises() {
        assert_eq!(
            takeover_permissions(&[Grant::of(&["*"], &["*"], &["*"])]),
            ["every verb on every resource (cluster-admin)"]
        );
        let g = [
            Grant::of(&["get"], &[""], &["pods"]),
            Grant::of(&["list"], &[""], &["secrets"]),
            Grant::of(&["create"], &["apps"], &["deployments"]),
        ];
        assert_eq!(takeover_permissions(&g), ["list on secrets", "create on deployments"]);
        assert!(takeover_permissions(&[Grant::of(&["get"], &[""], &["pods"])]).is_empty());
        let wild = [Grant::of(&["get"], &[""], &["*"])];
        assert_eq!(
            takeover_permissions(&wild),
            [
                "wildcard access (\"*\" in resources)",
                "get on nodes/proxy (through \"*\" in resources)",
                "get on secrets (through \"*\" in resources)"
            ]
        );
    }
}
