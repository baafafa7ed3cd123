//! K8S-117: workloads whose pods lack labels the organisation requires (parameter `required_labels`).

use super::util::in_system_namespace;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-117.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-117",
    name: "missing-required-labels",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "A workload's pods lack a label listed in the `required_labels` parameter.",
    remediation: "Add the required labels to the pod template's metadata.labels (and to the object itself).",
    docs: r#"## What it does
When the `required_labels` parameter of `.palisade.yaml` lists label keys, flags every object that embeds a pod
(Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController) whose pod labels
(`metadata.labels` of a Pod, `spec.template.metadata.labels` of a controller) lack one of them, one finding per
missing label. With the default (an empty list) the rule reports nothing. Objects in the `system_namespaces` are
skipped.

## Why is this bad?
Ownership, cost allocation, NetworkPolicy selection and incident response depend on consistent labels; Azure
Policy's "Kubernetes cluster pods should use specified labels" denies pods without them, so a manifest that lacks
them fails at admission.

## Example
With `parameters: {required_labels: [app.kubernetes.io/name, owner]}` in `.palisade.yaml`:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
        app.kubernetes.io/name: web
        owner: team-shop
```

## References
- Azure Policy 46592696 (Kubernetes cluster pods should use specified labels)
"#,
    references: &["Azure Policy 46592696"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags pods missing required labels.
pub struct MissingRequiredLabels;

impl Rule for MissingRequiredLabels {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if ctx.params.required_labels.is_empty() || in_system_namespace(ctx, obj) {
            return Vec::new();
        }
        let Some(view) = obj.pod_spec() else { return Vec::new() };
        let meta_ptr = view.metadata_pointer();
        let labels = view.metadata.and_then(|m| m.entry("labels"));
        let (pos, pointer) = match (labels, view.metadata) {
            (Some(e), _) => (e.key_pos, format!("{meta_ptr}/labels")),
            (None, Some(m)) => (m.pos, meta_ptr.to_string()),
            (None, None) => (view.key_pos, meta_ptr.to_string()),
        };
        ctx.params
            .required_labels
            .iter()
            .filter(|l| labels.and_then(|e| e.value.get(l)).is_none_or(Node::is_null))
            .map(|l| {
                Violation::new(
                    format!("pod labels ({pointer}) lack the required label \"{l}\""),
                    pos,
                    pointer.clone(),
                )
            })
            .collect()
    }
}
