//! K8S-113: long-running containers without a preStop hook.

use super::util::{in_system_namespace, runs_to_completion};
use palisade_core::{
    CheckContext, ContainerKind, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// Metadata of K8S-113.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-113",
    name: "prestop-hook-missing",
    family: "hygiene",
    severity: Severity::Info,
    profiles: &["azure-policy"],
    summary: "A long-running container has no lifecycle.preStop hook.",
    remediation: "Add lifecycle.preStop (for example a short sleep, or a drain endpoint) so the container stops \
                  taking traffic before it receives SIGTERM.",
    docs: r#"## What it does
Flags every regular container without `lifecycle.preStop` in objects whose pods keep running (Deployments,
StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and Pods; Jobs, CronJobs, Pods owned by a Job and
Pods with `restartPolicy: Never` or `OnFailure` are skipped). Init and ephemeral containers are skipped. Objects in
the `system_namespaces` are skipped.

## Why is this bad?
When a pod is deleted (rolling update, node drain, AKS node-image upgrade), endpoints are removed from Services
and load balancers at the same time as the container gets SIGTERM. Without a preStop delay, requests still routed
to the pod fail while the process shuts down.

## Example
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:2.1.0
```

## Use instead
```yaml
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:2.1.0
      lifecycle:
        preStop:
          sleep:
            seconds: 10
```

## References
- Azure Policy 1a3b9003 (container images must include the preStop hook)
- https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
"#,
    references: &[
        "Azure Policy 1a3b9003",
        "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags long-running containers without a preStop hook.
pub struct PrestopHookMissing;

impl Rule for PrestopHookMissing {
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
                let field = c.field(&["lifecycle", "preStop"]);
                field.node.is_none_or(Node::is_null).then(|| {
                    Violation::new(
                        c.label().with(" has no lifecycle.preStop hook"),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect()
    }
}
