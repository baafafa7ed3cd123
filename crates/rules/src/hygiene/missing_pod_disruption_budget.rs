//! K8S-108: replicated Deployments/StatefulSets without a PodDisruptionBudget.

use super::util::{describe, report_not_evaluated, Lookup};
use crate::namespaces::util::name_location;
use palisade_core::index::selector_matches;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeMap;

/// Metadata of K8S-108.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-108",
    name: "missing-pod-disruption-budget",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &[],
    summary: "A Deployment or StatefulSet with two or more replicas is not covered by any PodDisruptionBudget.",
    remediation: "Add a PodDisruptionBudget in the same namespace whose selector matches the pod labels, for \
                  example with maxUnavailable: 1.",
    docs: r#"## What it does
A cross-object check. Flags every Deployment and StatefulSet that runs two or more replicas (`spec.replicas`,
default 1, raised to the `minReplicas` of a HorizontalPodAutoscaler targeting it) when no PodDisruptionBudget in
its namespace selects its pod labels (`spec.selector`). The finding is on the workload's `metadata.name`.
Workloads in the `system_namespaces` are skipped.

When a namespace's Namespace object was not scanned and the scan holds no PodDisruptionBudget in it, the
namespace is reported as not evaluated: its PDBs may live elsewhere.

## Why is this bad?
Node drains (AKS node-image and Kubernetes upgrades, cluster-autoscaler scale-down) evict pods through the
eviction API, which only holds back when a PDB says so. Without one, a drain may evict every replica at once
and the service goes down even though it runs several copies.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
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
- Polaris missingPodDisruptionBudget; kube-score deployment-has-poddisruptionbudget
- https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
"#,
    references: &["https://kubernetes.io/docs/concepts/workloads/pods/disruptions/"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags replicated workloads without a PodDisruptionBudget.
pub struct MissingPodDisruptionBudget;

impl Rule for MissingPodDisruptionBudget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        let mut pending: BTreeMap<String, usize> = BTreeMap::new();
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if !matches!(w.object.id.kind.as_str(), "Deployment" | "StatefulSet")
                || params.is_system_namespace(ns)
                || index.controlled_by_scanned(w)
            {
                continue;
            }
            let Some(replicas) = lookup.effective_replicas(w).filter(|r| *r >= 2) else {
                continue;
            };
            if !lookup.can_judge(ns, "PodDisruptionBudget") {
                *pending.entry(ns.to_string()).or_default() += 1;
                continue;
            }
            let covered = lookup
                .in_namespace("PodDisruptionBudget", ns)
                .any(|pdb| selector_matches(pdb.root.path(&["spec", "selector"]), &w.pod_labels));
            if covered {
                continue;
            }
            let (pos, pointer) = name_location(&w.object);
            out.violation(
                &w.object,
                pos,
                &pointer,
                format!(
                    "{} runs {replicas} replicas but no PodDisruptionBudget in namespace \"{ns}\" selects its pods",
                    describe(w)
                ),
            );
        }
        report_not_evaluated(
            out,
            pending,
            "PodDisruptionBudget",
            "Deployment(s)/StatefulSet(s) with 2 or more replicas",
        );
    }
}
