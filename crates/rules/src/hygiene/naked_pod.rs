//! K8S-112: bare Pods that no controller manages.

use super::util::in_system_namespace;
use crate::namespaces::util::field_location;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-112.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-112",
    name: "naked-pod",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A Pod is created directly, without a Deployment, StatefulSet, DaemonSet or Job managing it.",
    remediation: "Run the pod through a controller (Deployment, StatefulSet, DaemonSet, Job or CronJob) instead of \
                  creating it directly.",
    docs: r#"## What it does
Flags every `kind: Pod` object without `metadata.ownerReferences`. In manifests that is every bare Pod; in a
live scan, Pods created by controllers carry owner references and are not reported. Objects in the
`system_namespaces` are skipped.

## Why is this bad?
Nothing recreates a bare pod when its node fails, is drained or is upgraded (AKS node-image and Kubernetes
upgrades drain every node), so the workload silently disappears. Bare pods also bypass rollout history,
PodDisruptionBudget-aware eviction of controllers and autoscaling.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: worker
  namespace: shop
spec:
  containers:
    - name: worker
      image: myacr.azurecr.io/worker:1.2.0
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 2
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
          image: myacr.azurecr.io/worker:1.2.0
```

## References
- Azure Policy 65280eef (Kubernetes cluster should not use naked pods)
- https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs
"#,
    references: &[
        "Azure Policy 65280eef",
        "https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Pod"]),
    pss: None,
};

/// Flags Pods without owner references.
pub struct NakedPod;

impl Rule for NakedPod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if in_system_namespace(ctx, obj) {
            return Vec::new();
        }
        let owned = obj
            .root
            .path(&["metadata", "ownerReferences"])
            .and_then(Node::as_seq)
            .is_some_and(|s| !s.is_empty());
        if owned {
            return Vec::new();
        }
        let (pos, pointer) = field_location(obj, &["kind"]);
        vec![Violation::new(
            format!(
                "Pod \"{}\" has no ownerReferences: no controller recreates it",
                obj.id.name.as_deref().unwrap_or("")
            ),
            pos,
            pointer,
        )]
    }
}
