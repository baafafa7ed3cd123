//! RBAC-029: workloads whose ServiceAccount holds admin or takeover permissions (attack path: pod → token →
//! binding → role).

use super::resolve::{workload_scope, Lookup, Resolution};
use super::takeover::takeover_permissions;
use super::util::{binding_label, role_ref, Subject};
use foldhash::{HashMap, HashMapExt as _};
use palisade_core::{IndexOutput, K8sObject, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::rc::Rc;

/// What the bindings that apply to one ServiceAccount grant.
#[derive(Clone, Default)]
struct Takeovers {
    /// The gravest takeover permission (lowest rank; the first binding among equals): its rank, the binding's
    /// position among the scanned bindings, and its description.
    gravest: Option<(usize, usize, Rc<str>)>,
    /// How many bindings grant a takeover permission.
    bindings: usize,
    /// The first binding that could not be resolved: its position, and why.
    first_missing: Option<(usize, String)>,
}

impl Takeovers {
    /// What two sets of bindings with no binding in common grant together: the same as working out their union.
    fn and(self, other: Takeovers) -> Takeovers {
        Takeovers {
            gravest: [self.gravest, other.gravest]
                .into_iter()
                .flatten()
                .min_by_key(|(rank, order, _)| (*rank, *order)),
            bindings: self.bindings + other.bindings,
            first_missing: [self.first_missing, other.first_missing]
                .into_iter()
                .flatten()
                .min_by_key(|(order, _)| *order),
        }
    }
}

/// Each (binding, subject index) pair's gravest takeover permission, if any (rank, description).
type PerBinding = HashMap<(usize, usize), Option<(usize, Rc<str>)>>;

/// What a role grants, worked out once per role: its gravest takeover permission (rank, description), or why it
/// is unknown. Keyed by the role reference's kind, namespace (the binding's, for a `Role`; empty otherwise) and
/// name, which is all [`Lookup::resolve`] reads. Built-in roles with aggregation go through every labelled
/// ClusterRole of the scan, so resolving them once per binding grew with the square of the scan.
type PerRole<'a> = HashMap<(&'a str, &'a str, &'a str), Result<Option<(usize, Rc<str>)>, String>>;

/// The caches [`takeovers_of`] fills.
#[derive(Default)]
struct Caches<'a> {
    per_binding: PerBinding,
    per_role: PerRole<'a>,
}

/// The takeover permissions the bindings `applying` (in scan order, with their positions) grant. `caches` holds
/// each (binding, subject) pair's answer, since broad groups (`system:authenticated`) apply to every
/// ServiceAccount, and each role's.
fn takeovers_of<'a>(
    lookup: &Lookup<'a>,
    caches: &mut Caches<'a>,
    applying: Vec<(usize, &'a K8sObject, Subject<'a>)>,
) -> Takeovers {
    let mut found: Vec<(usize, usize, Rc<str>)> = Vec::new();
    let mut missing = Vec::new();
    for (order, b, subject) in applying {
        let key = (std::ptr::from_ref(b) as usize, subject.index);
        if let Some(cached) = caches.per_binding.get(&key) {
            found.extend(cached.clone().map(|(rank, d)| (rank, order, d)));
            continue;
        }
        let Some(rr) = role_ref(b) else { continue };
        let ns = if rr.kind == "Role" {
            b.id.namespace.as_deref().unwrap_or("default")
        } else {
            ""
        };
        let role = caches
            .per_role
            .entry((rr.kind, ns, rr.name))
            .or_insert_with(|| match lookup.resolve(b, &rr) {
                Resolution::Found(grants) => Ok(takeover_permissions(&grants)
                    .into_iter()
                    .next()
                    .map(|t| (t.rank, Rc::from(t.description)))),
                Resolution::Missing(reason) => Err(reason),
            });
        match role {
            Ok(takeover) => {
                let hit = takeover.as_ref().map(|(rank, description)| {
                    let via = if subject.kind == "ServiceAccount" {
                        String::new()
                    } else {
                        format!(" (through {})", subject.describe(b))
                    };
                    (
                        *rank,
                        Rc::from(format!(
                            "{}{via} binds it to {}, which grants {description}",
                            binding_label(b),
                            rr.describe(b),
                        )),
                    )
                });
                // Direct ServiceAccount subjects name this account; only group subjects are shared.
                if subject.kind != "ServiceAccount" {
                    caches.per_binding.insert(key, hit.clone());
                }
                found.extend(hit.map(|(rank, d)| (rank, order, d)));
            }
            Err(reason) => missing.push((order, reason.clone())),
        }
    }
    let bindings = found.len();
    let gravest = found.into_iter().reduce(|best, f| if f.0 < best.0 { f } else { best });
    Takeovers {
        gravest,
        bindings,
        first_missing: missing.into_iter().next(),
    }
}

/// What the group bindings of a namespace grant, and their positions (sorted).
struct NamespaceGroups {
    takeovers: Takeovers,
    orders: Vec<usize>,
}

/// The takeover permissions ServiceAccount `ns/sa` gets through scanned bindings (`account`: its name when a
/// binding names it directly). The group bindings of each namespace are worked out once (`per_namespace`): a
/// ServiceAccount no binding names gets just their answer, one that is named gets it combined with its direct
/// bindings', unless a binding is in both (then the union is worked out as a whole). With many
/// `system:authenticated` bindings, going through all of them for every named ServiceAccount made this rule
/// grow with the square of the scan.
fn takeovers_of_account<'a>(
    lookup: &Lookup<'a>,
    caches: &mut Caches<'a>,
    per_namespace: &mut HashMap<&'a str, NamespaceGroups>,
    ns: &'a str,
    account: Option<&str>,
) -> Takeovers {
    let groups = per_namespace.entry(ns).or_insert_with(|| {
        let applying = lookup.group_bindings_of_namespace(ns);
        let orders = applying.iter().map(|(order, _, _)| *order).collect();
        NamespaceGroups {
            takeovers: takeovers_of(lookup, caches, applying),
            orders,
        }
    });
    let Some(sa) = account else {
        return groups.takeovers.clone();
    };
    if lookup.any_direct_binding(ns, sa, |order| groups.orders.binary_search(&order).is_ok()) {
        return takeovers_of(lookup, caches, lookup.bindings_of_service_account(ns, sa));
    }
    let direct = takeovers_of(lookup, caches, lookup.direct_bindings_of_service_account(ns, sa));
    groups.takeovers.clone().and(direct)
}

/// Metadata of RBAC-029.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-029",
    name: "workload-service-account-takeover",
    family: "rbac",
    severity: Severity::High,
    profiles: &[],
    summary: "A workload runs as a ServiceAccount that holds admin or takeover permissions.",
    remediation: "Give the workload its own ServiceAccount bound to a role with only the permissions it uses, and \
                  set automountServiceAccountToken: false if it does not call the API.",
    docs: r#"## What it does
Follows each workload to its ServiceAccount (namespace + `serviceAccountName`, `default` when unset), to every
scanned RoleBinding or ClusterRoleBinding that applies to it (as a ServiceAccount subject, or through the groups
`system:serviceaccounts`, `system:serviceaccounts:<namespace>` and `system:authenticated`), to the role each
binding grants (scanned, aggregated, or a built-in such as `cluster-admin`, `admin`, `edit`). It reports the
workload once, naming the binding and the most dangerous permission, when a role grants any of: cluster-admin
power (RBAC-002), wildcards (RBAC-001), RBAC escalation (RBAC-006), impersonation (RBAC-007), nodes/proxy
(RBAC-010), Secret read (RBAC-008) or pod creation (RBAC-011). When the token is not automounted (pod spec or
ServiceAccount sets `automountServiceAccountToken: false`) the finding is low: the pods hold no token, but
anyone allowed to request one for the ServiceAccount still gets these permissions. When no finding is made but a
binding's role was not scanned, the workload is listed as not evaluated. Pods managed by a scanned controller are
reported at the controller.

## Why is this bad?
A compromised container (a vulnerable dependency, an SSRF, a malicious image) can read the mounted token and call
the API with everything its ServiceAccount holds. With these permissions one application bug becomes control of
the namespace or the cluster.

## Example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: web-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: web
    namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: myacr.azurecr.io/web:3.2.1
```

## Use instead
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: myacr.azurecr.io/web:3.2.1
```

## References
- Attack path from workload to cluster: Kubescape C-0267 (workload with cluster takeover roles), C-0272 (workload with administrative roles)
- Kubernetes RBAC good practices: https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"#,
    references: &[
        "Kubescape C-0267",
        "Kubescape C-0272",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags workloads whose ServiceAccount is bound to takeover permissions.
pub struct WorkloadServiceAccountTakeover;

impl Rule for WorkloadServiceAccountTakeover {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        let mut per_account: HashMap<(&str, Option<&str>), Takeovers> = HashMap::new();
        let mut caches = Caches::default();
        let mut per_namespace = HashMap::new();
        for w in index.workloads_read_ahead() {
            if index.controlled_by_scanned(w) {
                continue;
            }
            let ns = w.namespace();
            let sa = w.service_account_name();
            // Workloads sharing a ServiceAccount share the answer: work it out once per ServiceAccount, and once
            // per namespace for the ServiceAccounts no binding names (only groups reach them: key `None`).
            let account = lookup.has_direct_subjects(ns, sa).then_some(sa);
            let found = per_account
                .entry((ns, account))
                .or_insert_with(|| takeovers_of_account(&lookup, &mut caches, &mut per_namespace, ns, account));
            let Some((_, _, first)) = &found.gravest else {
                if let Some((_, reason)) = &found.first_missing {
                    out.not_evaluated(workload_scope(w), reason.clone());
                }
                continue;
            };
            let more = match found.bindings {
                1 => String::new(),
                n => format!(" (and {} more binding(s))", n - 1),
            };
            let no_token = lookup.automount(w).effective() == Some(false);
            let token_note = if no_token {
                "; its token is not automounted, which limits but does not remove the exposure"
            } else {
                ""
            };
            let (pos, pointer) = match &w.service_account {
                Some((_, pos)) => (*pos, format!("{}/serviceAccountName", w.spec_pointer)),
                None => (w.spec_pos, w.spec_pointer.clone()),
            };
            out.violation(
                &w.object,
                pos,
                &pointer,
                format!("pods run as ServiceAccount {ns}/{sa}: {first}{more}{token_note}"),
            );
            if no_token {
                out.with_severity(Severity::Low);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn deployment(name: &str, ns: &str, sa: &str) -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
               "spec": {"template": {"spec": {"serviceAccountName": sa, "containers": [{"name": "app"}]}}}})
    }

    fn binding(kind: &str, name: &str, ns: Option<&str>, role: &str, subject: serde_json::Value) -> serde_json::Value {
        let mut b = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": name},
                           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                           "subjects": [subject]});
        if let Some(ns) = ns {
            b["metadata"]["namespace"] = json!(ns);
        }
        b
    }

    /// Combining a namespace's group answer with a ServiceAccount's direct one gives what working out all of
    /// its bindings together gives, for every account of a scan mixing direct and group subjects, bindings in
    /// both, built-in, scanned and missing roles, and ties in rank.
    #[test]
    fn per_namespace_group_answers_combine_as_the_whole() {
        let sa = |name: &str, ns: &str| json!({"kind": "ServiceAccount", "name": name, "namespace": ns});
        let group = |name: &str| json!({"kind": "Group", "name": name});
        let mut objects = Vec::new();
        let roles = ["cluster-admin", "edit", "view", "not-scanned", "admin", "cluster-admin"];
        for (i, role) in roles.iter().enumerate() {
            for (j, subjects) in [
                vec![group("system:authenticated")],
                vec![sa("web", "shop")],
                vec![group("system:serviceaccounts:shop"), sa("api", "shop")],
                vec![sa("web", "shop"), group("system:serviceaccounts")],
                vec![sa("api", "blog"), sa("web", "shop")],
            ]
            .into_iter()
            .enumerate()
            {
                if (i + j) % 2 == 0 {
                    let mut b = binding("ClusterRoleBinding", &format!("b{i}-{j}"), None, role, json!(null));
                    b["subjects"] = json!(subjects);
                    objects.push(b);
                }
            }
        }
        let index = test_index(objects);
        let lookup = Lookup::new(&index);
        let mut caches = Caches::default();
        let mut per_namespace = HashMap::new();
        let mut checked = 0;
        for ns in ["shop", "blog", "other"] {
            for sa in ["web", "api", "db"] {
                let account = lookup.has_direct_subjects(ns, sa).then_some(sa);
                let combined = takeovers_of_account(&lookup, &mut caches, &mut per_namespace, ns, account);
                let whole = takeovers_of(
                    &lookup,
                    &mut Caches::default(),
                    lookup.bindings_of_service_account(ns, sa),
                );
                assert_eq!(combined.gravest, whole.gravest, "{ns}/{sa}");
                assert_eq!(combined.bindings, whole.bindings, "{ns}/{sa}");
                assert_eq!(combined.first_missing, whole.first_missing, "{ns}/{sa}");
                checked += usize::from(whole.bindings > 0);
            }
        }
        assert!(checked >= 6, "{checked}");
    }

    #[test]
    fn accounts_reached_only_through_groups_share_their_namespace_answer() {
        let index = test_index(vec![
            deployment("direct", "shop", "ops"),
            deployment("group-1", "shop", "web"),
            deployment("group-2", "shop", "api"),
            deployment("elsewhere", "blog", "web"),
            binding(
                "RoleBinding",
                "ops-admin",
                Some("shop"),
                "cluster-admin",
                json!({"kind": "ServiceAccount", "name": "ops", "namespace": "shop"}),
            ),
            binding(
                "ClusterRoleBinding",
                "shop-accounts",
                None,
                "cluster-admin",
                json!({"kind": "Group", "name": "system:serviceaccounts:shop"}),
            ),
        ]);
        let mut out = IndexOutput::default();
        WorkloadServiceAccountTakeover.check_index(Params::default_ref(), &index, &mut out);
        let messages: Vec<&str> = out.violations.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("pods run as ServiceAccount shop/ops: RoleBinding"),
            "{}",
            messages[0]
        );
        assert!(messages[0].contains("ops-admin") && messages[0].ends_with("(and 1 more binding(s))"));
        for (m, sa) in messages[1..].iter().zip(["web", "api"]) {
            assert!(
                m.starts_with(&format!("pods run as ServiceAccount shop/{sa}: ClusterRoleBinding")),
                "{m}"
            );
            assert!(m.contains("shop-accounts") && !m.contains("more binding"), "{m}");
        }
    }
}
