//! RBAC-029: workloads whose ServiceAccount holds admin or takeover permissions (attack path: pod → token →
//! binding → role).

use super::resolve::{workload_scope, Lookup, Resolution};
use super::takeover::takeover_permissions;
use super::util::{binding_label, role_ref};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::HashMap;

/// (gravity, description) per binding that grants a takeover permission, and reasons bindings could not be
/// resolved.
type Takeovers = (Vec<(usize, String)>, Vec<String>);

/// The takeover permissions ServiceAccount `ns/sa` gets through scanned bindings. `per_binding` caches each
/// (binding, subject) pair's answer, since broad groups (`system:authenticated`) apply to every ServiceAccount.
fn takeovers_of(
    lookup: &Lookup<'_>,
    per_binding: &mut HashMap<(usize, usize), Option<(usize, String)>>,
    ns: &str,
    sa: &str,
) -> Takeovers {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (b, subject) in lookup.bindings_of_service_account(ns, sa) {
        let Some(rr) = role_ref(b) else { continue };
        let key = (std::ptr::from_ref(b) as usize, subject.index);
        if let Some(cached) = per_binding.get(&key) {
            found.extend(cached.clone());
            continue;
        }
        match lookup.resolve(b, &rr) {
            Resolution::Found(grants) => {
                let hit = takeover_permissions(&grants).first().map(|t| {
                    let via = if subject.kind == "ServiceAccount" {
                        String::new()
                    } else {
                        format!(" (through {})", subject.describe(b))
                    };
                    (
                        t.rank,
                        format!(
                            "{}{via} binds it to {}, which grants {}",
                            binding_label(b),
                            rr.describe(b),
                            t.description
                        ),
                    )
                });
                // Direct ServiceAccount subjects name this account; only group subjects are shared.
                if subject.kind != "ServiceAccount" {
                    per_binding.insert(key, hit.clone());
                }
                found.extend(hit);
            }
            Resolution::Missing(reason) => missing.push(reason),
        }
    }
    (found, missing)
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
        let mut per_account: HashMap<(String, String), Takeovers> = HashMap::new();
        let mut per_binding: HashMap<(usize, usize), Option<(usize, String)>> = HashMap::new();
        for w in &index.workloads {
            if index.controlled_by_scanned(w) {
                continue;
            }
            let ns = w.namespace();
            let sa = w.service_account_name();
            // Workloads sharing a ServiceAccount share the answer: work it out once per ServiceAccount.
            let (found, missing) = per_account
                .entry((ns.to_string(), sa.to_string()))
                .or_insert_with(|| takeovers_of(&lookup, &mut per_binding, ns, sa));
            let Some((_, first)) = found.iter().min_by_key(|(rank, _)| *rank) else {
                if let Some(reason) = missing.first() {
                    out.not_evaluated(workload_scope(w), reason.clone());
                }
                continue;
            };
            let more = match found.len() {
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
