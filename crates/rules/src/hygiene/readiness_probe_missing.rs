//! K8S-106: containers behind a Service without a readiness probe.

use super::util::{describe, report_not_evaluated, Lookup};
use foldhash::{HashMap, HashMapExt as _};
use palisade_core::index::service_selector_matches;
use palisade_core::{
    ContainerKind, IndexOutput, K8sObject, Node, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target,
};
use std::collections::BTreeMap;

/// Metadata of K8S-106.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-106",
    name: "readiness-probe-missing",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A container whose pods a Service selects has no readinessProbe.",
    remediation: "Add a readinessProbe that succeeds only when the container can serve requests.",
    docs: r#"## What it does
A cross-object check. For every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob) whose pod labels a Service in the same namespace selects
(`spec.selector`, all keys equal), flags each regular container without a `readinessProbe`, naming the Service.
Pods and ReplicaSets whose controller is in the same scan are judged through the controller only. Workloads in
the `system_namespaces` are skipped.

When a namespace's Namespace object was not scanned and the scan holds no Service in it, its workloads cannot be
judged (the Service may live elsewhere): the namespace is reported as not evaluated.

## Why is this bad?
A Service sends traffic to every Running pod it selects unless a readiness probe says otherwise. Without one,
new pods receive requests before they finish starting (failed requests on every rollout and scale-up), and a pod
that cannot serve stays in the load balancer.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: myacr.azurecr.io/web:2.1.0
```

## Use instead
```yaml
      containers:
        - name: web
          image: myacr.azurecr.io/web:2.1.0
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
            periodSeconds: 5
```

## References
- Azure Policy b1a9997f (containers have readiness or liveness probes; deployment safeguards)
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
"#,
    references: &[
        "Azure Policy b1a9997f",
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// The scanned Services keyed by namespace and the first pair of their selector. A Service selects a pod only
/// when every pair of its selector is among the pod's labels, so its first pair must be one of them: a workload
/// looks up its own labels instead of testing every Service of its namespace.
struct Services<'a> {
    /// Services in scan order.
    all: Vec<&'a K8sObject>,
    /// (namespace, first selector key, its value) -> positions in `all`, ascending.
    by_first_pair: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> Services<'a> {
    fn new(index: &'a ScanIndex) -> Self {
        let mut services = Services {
            all: Vec::new(),
            by_first_pair: HashMap::new(),
        };
        for obj in index.objects.iter().filter(|o| o.id.kind == "Service") {
            let first = obj
                .root
                .path(&["spec", "selector"])
                .and_then(Node::as_map)
                .and_then(|m| m.entries().first());
            // A Service without a selector (or with a non-string value) selects nothing.
            if let Some((key, Some(value))) = first.map(|e| (e.key.as_str(), e.value.as_str())) {
                let ns = obj.id.namespace.as_deref().unwrap_or("default");
                let at = services.all.len();
                services.by_first_pair.entry((ns, key, value)).or_default().push(at);
                services.all.push(obj);
            }
        }
        services
    }

    /// The first Service (in scan order) in `ns` whose selector selects pods labelled `labels`.
    fn first_selecting(&self, ns: &str, labels: &[(String, String)]) -> Option<&'a K8sObject> {
        labels
            .iter()
            .filter_map(|(k, v)| self.by_first_pair.get(&(ns, k.as_str(), v.as_str())))
            .filter_map(|candidates| {
                candidates.iter().copied().find(|&i| {
                    self.all
                        .get(i)
                        .is_some_and(|s| service_selector_matches(s.root.path(&["spec", "selector"]), labels))
                })
            })
            .min()
            .and_then(|i| self.all.get(i).copied())
    }
}

/// Flags containers behind a Service without a readiness probe.
pub struct ReadinessProbeMissing;

impl Rule for ReadinessProbeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        let services = Services::new(index);
        let mut pending: BTreeMap<String, usize> = BTreeMap::new();
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if params.is_system_namespace(ns) || index.controlled_by_scanned(w) {
                continue;
            }
            let unprobed: Vec<_> = w
                .containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Regular && !c.has_readiness_probe)
                .collect();
            if unprobed.is_empty() {
                continue;
            }
            if !lookup.can_judge(ns, "Service") {
                *pending.entry(ns.to_string()).or_default() += unprobed.len();
                continue;
            }
            let Some(service) = services.first_selecting(ns, &w.pod_labels) else {
                continue;
            };
            let service_name = service.id.name.as_deref().unwrap_or("");
            for c in unprobed {
                out.violation(
                    &w.object,
                    c.pos,
                    &c.pointer,
                    format!(
                        "container \"{}\" of {} has no readinessProbe but Service \"{service_name}\" sends it \
                         traffic",
                        c.name,
                        describe(w)
                    ),
                );
            }
        }
        report_not_evaluated(out, pending, "Service", "container(s) without readinessProbe");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn run(objects: Vec<serde_json::Value>) -> IndexOutput {
        let mut out = IndexOutput::default();
        ReadinessProbeMissing.check_index(Params::default_ref(), &test_index(objects), &mut out);
        out
    }

    fn deployment(ns: &str, probe: bool) -> serde_json::Value {
        let mut c = json!({"name": "web"});
        if probe {
            c["readinessProbe"] = json!({"httpGet": {"port": 8080}});
        }
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": ns},
               "spec": {"template": {"metadata": {"labels": {"app": "web", "tier": "fe"}},
                        "spec": {"containers": [c], "initContainers": [{"name": "init"}]}}}})
    }

    fn service(ns: &str, selector: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": ns},
               "spec": {"selector": selector}})
    }

    #[test]
    fn services_select_workloads_in_their_namespace() {
        let out = run(vec![deployment("shop", false), service("shop", json!({"app": "web"}))]);
        assert_eq!(out.violations.len(), 1, "only the regular container");
        assert!(
            run(vec![deployment("shop", true), service("shop", json!({"app": "web"}))])
                .violations
                .is_empty()
        );
        let out = run(vec![
            deployment("shop", false),
            service("shop", json!({"app": "other"})),
        ]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 0));
        let out = run(vec![deployment("shop", false), service("blog", json!({"app": "web"}))]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 1));
        let out = run(vec![deployment("kube-system", false)]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 0));
    }

    fn named(mut service: serde_json::Value, name: &str) -> serde_json::Value {
        service["metadata"]["name"] = json!(name);
        service
    }

    #[test]
    fn every_selector_pair_must_match_and_the_first_selecting_service_is_named() {
        // Keyed by a selector's first pair: later pairs, pair order and scan order must still count.
        let out = run(vec![
            deployment("shop", false),
            named(service("shop", json!({"tier": "fe", "app": "other"})), "wrong-app"),
            named(service("shop", json!({"tier": "fe", "app": "web"})), "first"),
            named(service("shop", json!({"app": "web"})), "second"),
            named(service("shop", json!({"app": 1})), "not-a-string"),
            named(service("shop", json!({})), "empty"),
        ]);
        assert_eq!(out.violations.len(), 1);
        let message = &out.violations[0].message;
        assert!(message.contains("Service \"first\""), "{message}");
        let out = run(vec![
            deployment("shop", false),
            named(service("shop", json!({"app": 1})), "not-a-string"),
            named(service("shop", json!({})), "empty"),
            named(
                service("shop", json!({"tier": "fe", "app": "web", "x": "y"})),
                "extra-pair",
            ),
        ]);
        assert_eq!((out.violations.len(), out.not_evaluated.len()), (0, 0));
    }
}
