//! K8S-109: PodDisruptionBudgets that allow no voluntary disruption at all.

use super::util::{describe, Lookup};
use crate::namespaces::util::{describe as describe_object, field_location};
use palisade_core::index::selector_matches;
use palisade_core::{IndexOutput, K8sObject, Node, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of K8S-109.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-109",
    name: "pod-disruption-budget-blocks-eviction",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A PodDisruptionBudget allows no pod to be evicted, blocking node drains and upgrades.",
    remediation: "Allow at least one disruption: use maxUnavailable: 1 (or a percentage above 0%), or a \
                  minAvailable below the number of replicas.",
    docs: r#"## What it does
A cross-object check over PodDisruptionBudgets (outside the `system_namespaces`). Flags a PDB whose
- `spec.maxUnavailable` is `0` or `0%`;
- `spec.minAvailable` is `100%` (or more); or
- `spec.minAvailable` is an integer at least the number of pods it protects: the sum of the replicas (default 1,
  raised to an HPA's `minReplicas`) of the Deployments, StatefulSets, ReplicaSets and ReplicationControllers, and
  1 for each bare Pod, in its namespace whose pod labels its `spec.selector` selects.

When an integer `minAvailable` has to be compared with replicas the scan does not know (no selected workload was
scanned, or it selects DaemonSet or Job pods, whose count depends on the cluster), the PDB is reported as not
evaluated.

## Why is this bad?
The eviction API refuses every eviction such a PDB covers. Node drains then hang: AKS node-image and Kubernetes
version upgrades stall or fail, and the cluster autoscaler cannot remove nodes. Teams end up deleting the PDB by
hand during an incident, losing the protection it was meant to give.

## Example
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 0
  selector:
    matchLabels:
      app: web
```

## Use instead
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
```

## References
- Azure Policy d9e8f2c1 (preview: accurate Pod Disruption Budgets), mutation d77f191e (maxUnavailable 1)
- Polaris pdbDisruptionsIsZero; kube-linter pdb-max-unavailable, pdb-min-available
- https://learn.microsoft.com/azure/aks/upgrade-cluster#optimize-upgrades-to-improve-performance-and-minimize-disruptions
- https://kubernetes.io/docs/tasks/run-application/configure-pdb/
"#,
    references: &[
        "Azure Policy d9e8f2c1",
        "Azure Policy d77f191e",
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags PDBs that allow no eviction.
pub struct PodDisruptionBudgetBlocksEviction;

/// A percentage `N%` as N.
fn percent(node: &Node) -> Option<i64> {
    node.as_str()?.strip_suffix('%')?.trim().parse().ok()
}

/// How a PDB field value reads in a message.
fn shown(node: &Node) -> String {
    node.as_str()
        .map(|s| format!("\"{s}\""))
        .or_else(|| node.as_i64().map(|i| i.to_string()))
        .unwrap_or_default()
}

/// Judges one PDB.
fn check_pdb(index: &ScanIndex, lookup: &Lookup<'_>, pdb: &K8sObject, out: &mut IndexOutput) {
    let spec = pdb.root.get("spec");
    let field = |k: &str| spec.and_then(|s| s.get(k)).filter(|n| !n.is_null());
    let pdb_name = describe_object(pdb);
    if let Some(max) = field("maxUnavailable") {
        if max.as_i64() == Some(0) || percent(max) == Some(0) {
            let (pos, pointer) = field_location(pdb, &["spec", "maxUnavailable"]);
            out.violation(
                pdb,
                pos,
                &pointer,
                format!(
                    "{pdb_name} sets maxUnavailable: {}, so no pod may ever be evicted",
                    shown(max)
                ),
            );
        }
        return;
    }
    let Some(min) = field("minAvailable") else {
        return;
    };
    let (pos, pointer) = field_location(pdb, &["spec", "minAvailable"]);
    if percent(min).is_some_and(|p| p >= 100) {
        out.violation(
            pdb,
            pos,
            &pointer,
            format!(
                "{pdb_name} sets minAvailable: {}, so no pod may ever be evicted",
                shown(min)
            ),
        );
        return;
    }
    let Some(min) = min.as_i64().filter(|m| *m >= 1) else {
        return;
    };
    let ns = pdb.id.namespace.as_deref().unwrap_or("default");
    let selector = pdb.root.path(&["spec", "selector"]);
    let selected: Vec<_> = lookup
        .workloads_in(ns)
        .iter()
        .filter(|w| !index.controlled_by_scanned(w))
        .filter(|w| selector_matches(selector, &w.pod_labels))
        .collect();
    if selected.is_empty() {
        out.not_evaluated(
            pdb_name,
            format!("minAvailable: {min} needs the replica count of the pods it selects, and no workload it selects was scanned"),
        );
        return;
    }
    let mut total = 0i64;
    for w in &selected {
        match lookup.effective_replicas(w) {
            Some(r) => total = total.saturating_add(r),
            None => {
                out.not_evaluated(
                    pdb_name,
                    format!("it selects {}, whose pod count depends on the cluster", describe(w)),
                );
                return;
            }
        }
    }
    if min >= total {
        let names: Vec<String> = selected.iter().map(|w| describe(w)).collect();
        out.violation(
            pdb,
            pos,
            &pointer,
            format!(
                "{pdb_name} sets minAvailable: {min} but the pods it selects ({}) number {total}, so none may be \
                 evicted",
                names.join(", ")
            ),
        );
    }
}

impl Rule for PodDisruptionBudgetBlocksEviction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        // The lookups are built for the first budget that is judged (most scans have few or none).
        let mut lookup = None;
        for pdb in index.of_kind("PodDisruptionBudget") {
            let ns = pdb.id.namespace.as_deref().unwrap_or("default");
            if !pdb.id.api_version.starts_with("policy/") || params.is_system_namespace(ns) {
                continue;
            }
            check_pdb(index, lookup.get_or_insert_with(|| Lookup::new(index)), pdb, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn run(objects: Vec<serde_json::Value>) -> IndexOutput {
        let mut out = IndexOutput::default();
        PodDisruptionBudgetBlocksEviction.check_index(Params::default_ref(), &test_index(objects), &mut out);
        out
    }

    fn pdb(spec: serde_json::Value) -> serde_json::Value {
        let mut spec = spec;
        spec["selector"] = json!({"matchLabels": {"app": "web"}});
        json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
               "metadata": {"name": "web", "namespace": "shop"}, "spec": spec})
    }

    fn deployment(replicas: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "web"}]}}}})
    }

    #[test]
    fn budgets() {
        assert_eq!(run(vec![pdb(json!({"maxUnavailable": 0}))]).violations.len(), 1);
        assert_eq!(run(vec![pdb(json!({"maxUnavailable": "0%"}))]).violations.len(), 1);
        assert!(run(vec![pdb(json!({"maxUnavailable": 1}))]).violations.is_empty());
        assert_eq!(run(vec![pdb(json!({"minAvailable": "100%"}))]).violations.len(), 1);
        let out = run(vec![pdb(json!({"minAvailable": 2}))]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 1));
        assert_eq!(
            run(vec![pdb(json!({"minAvailable": 2})), deployment(json!(2))])
                .violations
                .len(),
            1
        );
        assert!(run(vec![pdb(json!({"minAvailable": 2})), deployment(json!(3))])
            .violations
            .is_empty());
        // Unset replicas is 1, but an HPA keeps at least 3.
        let hpa = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                         "metadata": {"name": "web", "namespace": "shop"},
                         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                                  "minReplicas": 3, "maxReplicas": 5}});
        assert!(run(vec![pdb(json!({"minAvailable": 2})), deployment(json!(null)), hpa])
            .violations
            .is_empty());
    }
}
