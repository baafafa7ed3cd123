//! NET-003: a workload whose pods no NetworkPolicy selects.

use super::util::{describe, namespace_object, policy_selects, runs_pods, show_labels, workload_location};
use palisade_core::{IndexOutput, K8sObject, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeSet;

/// Metadata of NET-003.
pub static META: RuleMeta = RuleMeta {
    id: "NET-003",
    name: "workload-not-selected-by-network-policy",
    family: "network",
    severity: Severity::Medium,
    profiles: &["cis-aks", "nsa"],
    summary: "The pods of a workload are not selected by any NetworkPolicy of their namespace.",
    remediation: "Add a NetworkPolicy whose podSelector matches the workload's pod labels (or a default-deny policy \
                  with podSelector: {}) in its namespace.",
    docs: r#"## What it does
For every workload of the scan (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
CronJob), compares the pod (template) labels with the `spec.podSelector` of every NetworkPolicy in the workload's
namespace (`matchLabels` and `matchExpressions`; an empty, absent or `null` selector selects every pod). Policies
of any type count: a pod selected by any policy is isolated for that direction.

- Pods whose controller is in the same scan are reported once, on the controller.
- When the scan holds no NetworkPolicy for the namespace: if the Namespace object was scanned, every workload in it
  gets a finding; otherwise the namespace is reported as not evaluated (its policies may live elsewhere).
- Workloads in namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
A pod that no NetworkPolicy selects accepts traffic from every pod of the cluster and may connect anywhere. It is
the easiest foothold for lateral movement, and usually an oversight: a new workload whose labels don't match the
policies written for the old ones.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector: {}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
        - name: worker
          image: myacr.azurecr.io/worker:1.4.2
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress", "Egress"]
```

## References
- CIS Azure Kubernetes Service Benchmark 4.4.2 (all namespaces have network policies defined)
- NSA/CISA Kubernetes Hardening Guidance, Network policies
- https://kubernetes.io/docs/concepts/services-networking/network-policies/
"#,
    references: &[
        "CIS AKS Benchmark 4.4.2",
        "NSA/CISA Kubernetes Hardening Guidance, Network policies",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags workloads whose pods no NetworkPolicy selects.
pub struct WorkloadNotSelectedByNetworkPolicy;

impl Rule for WorkloadNotSelectedByNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let mut not_evaluated = BTreeSet::new();
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if params.is_system_namespace(ns) || !runs_pods(w) || index.controlled_by_scanned(w) {
                continue;
            }
            let policies: Vec<&K8sObject> = index.in_namespace("NetworkPolicy", ns).collect();
            if policies.is_empty() && namespace_object(index, ns).is_none() {
                not_evaluated.insert(ns);
                continue;
            }
            if policies.iter().any(|np| policy_selects(np, &w.pod_labels)) {
                continue;
            }
            let (pos, pointer) = workload_location(w);
            let why = if policies.is_empty() {
                format!("namespace \"{ns}\" has no NetworkPolicy")
            } else {
                format!("none of the NetworkPolicies of namespace \"{ns}\" selects them")
            };
            out.violation(
                &w.object,
                pos,
                pointer,
                format!(
                    "pods of {} ({}) are not selected by any NetworkPolicy: {why}",
                    describe(&w.object),
                    show_labels(&w.pod_labels)
                ),
            );
        }
        for ns in not_evaluated {
            out.not_evaluated(
                format!("namespace {ns}"),
                format!("no NetworkPolicy objects and no Namespace object were scanned for namespace {ns}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn index(objects: Vec<serde_json::Value>) -> ScanIndex {
        let mut index = ScanIndex::default();
        for o in objects {
            index.add(&object(o));
        }
        index
    }

    fn pod(name: &str, ns: &str, labels: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
               "spec": {"containers": [{"name": "c", "image": "i"}]}})
    }

    #[test]
    fn selection_and_not_evaluated() {
        let idx = index(vec![
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "web", "namespace": "shop"},
                   "spec": {"podSelector": {"matchLabels": {"app": "web"}}}}),
            pod("web", "shop", json!({"app": "web"})),
            pod("db", "shop", json!({"app": "db"})),
            pod("other", "blog", json!({"app": "x"})),
            pod("sys", "kube-system", json!({"app": "x"})),
        ]);
        let mut out = IndexOutput::default();
        WorkloadNotSelectedByNetworkPolicy.check_index(Params::default_ref(), &idx, &mut out);
        let msgs: Vec<_> = out.violations.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].contains("Pod \"db\""), "{msgs:?}");
        assert_eq!(out.not_evaluated.len(), 1);
        assert_eq!(out.not_evaluated[0].0, "namespace blog");
    }

    #[test]
    fn defined_namespace_without_policies_is_a_finding_and_owned_pods_are_skipped() {
        let idx = index(vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "blog"}}),
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs", "namespace": "blog"},
                   "spec": {"template": {"metadata": {"labels": {"a": "b"}},
                                         "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "rs-1", "namespace": "blog",
                                "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "controller": true}]},
                   "spec": {"containers": [{"name": "c", "image": "i"}]}}),
        ]);
        let mut out = IndexOutput::default();
        WorkloadNotSelectedByNetworkPolicy.check_index(Params::default_ref(), &idx, &mut out);
        assert_eq!(out.violations.len(), 1);
        assert!(out.violations[0].message.contains("ReplicaSet \"rs\""));
        assert!(out.not_evaluated.is_empty());
    }
}
