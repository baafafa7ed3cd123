//! RBAC-001: `*` in the verbs, resources or apiGroups of a Role/ClusterRole rule.

use super::util::{is_bootstrap_default, rule_entries};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-001.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-001",
    name: "wildcard-in-rbac-rule",
    family: "rbac",
    severity: Severity::High,
    profiles: &["cis-aks", "azure-policy", "seed"],
    summary: "A Role or ClusterRole rule uses \"*\" in verbs, resources or apiGroups.",
    remediation: "List the exact verbs, resources and API groups the subject needs instead of \"*\".",
    docs: r#"## What it does
Checks every entry of `rules` of each Role and ClusterRole (not only the first) and reports each entry that
uses `*` in `verbs`, `apiGroups` or `resources` (including `*/scale` and `pods/*`). An entry with `*` in both `verbs`
and `resources` is critical: it grants every action on every resource of its API groups. The API server's own
default roles (label `kubernetes.io/bootstrapping: rbac-defaults`, as read from a live cluster) are exempt.

## Why is this bad?
Wildcards grant far more than intended, and keep growing: a `*` also covers every resource, subresource and
verb added later, including CRDs installed after the role was written. It defeats least privilege and usually
includes secrets, pods/exec and RBAC objects, which lead to full cluster compromise.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ops
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ops
rules:
  - apiGroups: [""]
    resources: ["pods", "services"]
    verbs: ["get", "list", "watch"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.3 (minimize wildcard use in Roles and ClusterRoles)
- Azure Policy ca8d5704 (minimize wildcard use in role and cluster role)
- seed:001 (#4 least privilege), seed:000 (least-privilege developer role)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "CIS AKS Benchmark 4.1.3",
        "Azure Policy ca8d5704",
        "seed:001",
        "seed:000",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Role", "ClusterRole"]),
    pss: None,
};

/// Flags Role/ClusterRole rule entries with wildcards.
pub struct WildcardInRbacRule;

impl Rule for WildcardInRbacRule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if is_bootstrap_default(obj) {
            return Vec::new();
        }
        rule_entries(&obj.root)
            .iter()
            .filter_map(|entry| {
                let fields = entry.grant.wildcard_fields();
                let first = fields.first()?;
                let (pos, pointer) = entry.field(first);
                let everything = entry.grant.verbs.contains(&"*") && entry.grant.resources.contains(&"*");
                let mut message = format!("{} uses \"*\" in {}", entry.label(), fields.join(", "));
                if everything {
                    message.push_str(": every verb on every resource");
                }
                let v = Violation::new(message, pos, pointer);
                Some(if everything {
                    v.with_severity(Severity::Critical)
                } else {
                    v
                })
            })
            .collect()
    }
}
