//! K8S-111: replicated workloads that may put every replica on one node or zone.

use super::util::in_system_namespace;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-111.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-111",
    name: "no-anti-affinity-or-topology-spread",
    family: "hygiene",
    severity: Severity::Info,
    profiles: &["seed", "azure-policy"],
    summary: "A replicated workload sets neither pod anti-affinity nor topology spread constraints.",
    remediation: "Add topologySpreadConstraints over topology.kubernetes.io/zone and kubernetes.io/hostname (or a \
                  preferred podAntiAffinity) to the pod template.",
    docs: r#"## What it does
Flags Deployments, StatefulSets, ReplicaSets and ReplicationControllers with `spec.replicas` of 2 or more whose pod
template sets neither `affinity.podAntiAffinity` (required or preferred terms) nor `topologySpreadConstraints`.
Objects in the `system_namespaces` are skipped.

## Why is this bad?
The scheduler may place every replica on the same node or in the same availability zone. One node reboot (AKS
node-image upgrades drain nodes routinely) or one zone outage then takes the whole service down, defeating the
point of running several replicas.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: myacr.azurecr.io/web:2.1.0
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: web
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: web
      containers:
        - name: web
          image: myacr.azurecr.io/web:2.1.0
```

## References
- seed:002 (zones 1/2/3)
- Azure Policy 34c88cd4 (must have anti-affinity rules or topology spread constraints; deployment safeguards)
- https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
"#,
    references: &[
        "seed:002",
        "Azure Policy 34c88cd4",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]),
    pss: None,
};

/// Flags replicated workloads without anti-affinity or topology spread.
pub struct NoAntiAffinityOrTopologySpread;

fn non_empty(node: Option<&Node>) -> bool {
    match node {
        Some(n) => n
            .as_seq()
            .map_or_else(|| n.as_map().is_some_and(|m| !m.is_empty()), |s| !s.is_empty()),
        None => false,
    }
}

impl Rule for NoAntiAffinityOrTopologySpread {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let replicas = obj.root.path(&["spec", "replicas"]).and_then(Node::as_i64);
        if in_system_namespace(ctx, obj) || replicas.is_none_or(|r| r < 2) {
            return Vec::new();
        }
        let anti = pod.spec.path(&["affinity", "podAntiAffinity"]);
        let spreads = anti.is_some_and(|a| {
            non_empty(a.get("requiredDuringSchedulingIgnoredDuringExecution"))
                || non_empty(a.get("preferredDuringSchedulingIgnoredDuringExecution"))
        }) || non_empty(pod.spec.get("topologySpreadConstraints"));
        if spreads {
            return Vec::new();
        }
        let field = pod.field(&["affinity", "podAntiAffinity"]);
        vec![Violation::new(
            format!(
                "{} \"{}\" runs {} replicas but its pod template sets neither affinity.podAntiAffinity nor \
                 topologySpreadConstraints",
                obj.id.kind,
                obj.id.name.as_deref().unwrap_or(""),
                replicas.unwrap_or(0)
            ),
            field.pos,
            field.pointer,
        )]
    }
}
