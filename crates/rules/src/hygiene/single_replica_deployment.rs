//! K8S-110: Deployments running a single replica.

use super::util::{describe, report_not_evaluated, Lookup};
use crate::namespaces::util::name_location;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeMap;

/// Metadata of K8S-110.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-110",
    name: "single-replica-deployment",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "A Deployment runs fewer than two replicas and no HorizontalPodAutoscaler keeps at least two.",
    remediation: "Set spec.replicas to 2 or more, or add a HorizontalPodAutoscaler with minReplicas: 2 or more.",
    docs: r#"## What it does
A cross-object check. Flags every Deployment whose `spec.replicas` is 1 (or unset, which means 1) unless a
HorizontalPodAutoscaler in its namespace targets it (`spec.scaleTargetRef` kind Deployment and its name) with
`minReplicas` of 2 or more. Deployments scaled to 0 are deliberately idle and are not reported. Workloads in the
`system_namespaces` are skipped. The finding is on the Deployment's `metadata.name`.

When a namespace's Namespace object was not scanned and the scan holds no HorizontalPodAutoscaler in it, the
namespace is reported as not evaluated: an HPA managing the replica count may live elsewhere.

## Why is this bad?
A single replica is a single point of failure: every node drain, node-image upgrade, eviction or crash is an
outage until the replacement pod is scheduled and ready.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
```

## Use instead
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
```

## References
- seed:002 (high availability across zones)
- kube-score deployment-replicas; Polaris deploymentMissingReplicas
- https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
"#,
    references: &[
        "seed:002",
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags Deployments with fewer than two replicas.
pub struct SingleReplicaDeployment;

impl Rule for SingleReplicaDeployment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        let mut pending: BTreeMap<String, usize> = BTreeMap::new();
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if w.object.id.kind != "Deployment" || params.is_system_namespace(ns) || index.controlled_by_scanned(w) {
                continue;
            }
            let replicas = w.replicas.unwrap_or(1);
            if replicas != 1 {
                continue;
            }
            if !lookup.can_judge(ns, "HorizontalPodAutoscaler") {
                *pending.entry(ns.to_string()).or_default() += 1;
                continue;
            }
            let name = w.object.id.name.as_deref().unwrap_or("");
            let hpa_min = lookup.hpa_min_replicas(ns, "Deployment", name);
            if hpa_min.is_some_and(|m| m >= 2) {
                continue;
            }
            let how = if w.replicas.is_some() {
                "sets spec.replicas: 1"
            } else {
                "leaves spec.replicas unset (1 replica)"
            };
            let hpa = match hpa_min {
                Some(m) => format!(" and its HorizontalPodAutoscaler allows minReplicas: {m}"),
                None => String::new(),
            };
            let (pos, pointer) = name_location(&w.object);
            out.violation(&w.object, pos, &pointer, format!("{} {how}{hpa}", describe(w)));
        }
        report_not_evaluated(out, pending, "HorizontalPodAutoscaler", "single-replica Deployment(s)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn run(objects: Vec<serde_json::Value>) -> IndexOutput {
        let mut out = IndexOutput::default();
        SingleReplicaDeployment.check_index(Params::default_ref(), &test_index(objects), &mut out);
        out
    }

    fn deployment(replicas: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"replicas": replicas, "template": {"spec": {"containers": [{"name": "web"}]}}}})
    }

    fn hpa(target: &str, min: i64) -> serde_json::Value {
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": "h", "namespace": "shop"},
               "spec": {"scaleTargetRef": {"kind": "Deployment", "name": target}, "minReplicas": min}})
    }

    #[test]
    fn replicas_and_hpas() {
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}});
        assert_eq!(run(vec![ns.clone(), deployment(json!(null))]).violations.len(), 1);
        assert_eq!(run(vec![ns.clone(), deployment(json!(1))]).violations.len(), 1);
        assert!(run(vec![ns.clone(), deployment(json!(2))]).violations.is_empty());
        assert!(run(vec![ns, deployment(json!(0))]).violations.is_empty());
        assert!(run(vec![deployment(json!(1)), hpa("web", 2)]).violations.is_empty());
        assert_eq!(run(vec![deployment(json!(1)), hpa("web", 1)]).violations.len(), 1);
        assert_eq!(run(vec![deployment(json!(1)), hpa("other", 3)]).violations.len(), 1);
        let out = run(vec![deployment(json!(1))]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 1));
    }
}
