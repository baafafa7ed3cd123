//! K8S-105: long-running containers without a liveness probe.

use super::util::{in_system_namespace, runs_to_completion};
use palisade_core::{
    CheckContext, ContainerKind, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-105.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-105",
    name: "liveness-probe-missing",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A long-running container has no livenessProbe.",
    remediation: "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when the container is \
                  stuck and must be restarted.",
    docs: r#"## What it does
Flags every regular container without a `livenessProbe` in objects whose pods keep running: Deployments,
StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and Pods. Jobs, CronJobs, Pods owned by a Job and
Pods with `restartPolicy: Never` or `OnFailure` run to completion and are skipped, as are init containers (they
must finish) and ephemeral containers (they cannot have probes). Objects in the `system_namespaces` are skipped.

## Why is this bad?
Without a liveness probe the kubelet restarts a container only when its process exits. A deadlocked or wedged
process keeps its pod Running, keeps receiving traffic (unless a readiness probe catches it) and never recovers on
its own.

## Example
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:2.1.0
      ports:
        - containerPort: 8080
```

## Use instead
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:2.1.0
      ports:
        - containerPort: 8080
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
        periodSeconds: 10
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
    target: Target::PodSpec,
    pss: None,
};

/// Flags long-running containers without a liveness probe.
pub struct LivenessProbeMissing;

impl Rule for LivenessProbeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if in_system_namespace(ctx, obj) || runs_to_completion(obj, &pod) {
            return Vec::new();
        }
        pod.containers()
            .filter(|c| c.kind == ContainerKind::Regular)
            .filter_map(|c| {
                let field = c.field(&["livenessProbe"]);
                field
                    .node
                    .is_none_or(Node::is_null)
                    .then(|| Violation::new(c.label().with(" has no livenessProbe"), field.pos, field.pointer))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_object;
    use serde_json::json;

    fn pod(extra_spec: serde_json::Value, owners: serde_json::Value) -> K8sObject {
        let mut spec = json!({"containers": [{"name": "web"}], "initContainers": [{"name": "init"}],
                              "ephemeralContainers": [{"name": "debug"}]});
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra_spec.as_object()) {
            s.extend(e.clone());
        }
        test_object(json!({"apiVersion": "v1", "kind": "Pod",
                           "metadata": {"name": "p", "namespace": "shop", "ownerReferences": owners},
                           "spec": spec}))
    }

    #[test]
    fn only_regular_containers_of_long_running_pods() {
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        assert_eq!(LivenessProbeMissing.check(&ctx, &pod(json!({}), json!([]))).len(), 1);
        assert!(LivenessProbeMissing
            .check(&ctx, &pod(json!({"restartPolicy": "OnFailure"}), json!([])))
            .is_empty());
        assert!(LivenessProbeMissing
            .check(
                &ctx,
                &pod(json!({}), json!([{"kind": "Job", "name": "j", "controller": true}]))
            )
            .is_empty());
    }
}
