//! K8S-107: workloads updated all at once (Recreate / OnDelete / maxUnavailable 100%).

use super::util::in_system_namespace;
use crate::namespaces::util::field_location;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-107.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-107",
    name: "no-rolling-update-strategy",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "A Deployment, StatefulSet or DaemonSet does not roll updates out gradually.",
    remediation: "Use the RollingUpdate strategy (the default) with a maxUnavailable below 100%.",
    docs: r#"## What it does
Flags
- a Deployment with `spec.strategy.type: Recreate`;
- a StatefulSet or DaemonSet with `spec.updateStrategy.type: OnDelete`;
- a rolling update whose `rollingUpdate.maxUnavailable` is a percentage of 100% or more, or (Deployment,
  StatefulSet) an integer at least `spec.replicas` when two or more replicas are set.

An unset strategy is RollingUpdate and passes. Objects in the `system_namespaces` are skipped.

## Why is this bad?
Recreate takes every pod down before starting the new version, so each release (including security patches) is
an outage, and a bad image leaves nothing running. OnDelete never rolls out a change until pods are deleted by
hand, so patched images silently do not reach the cluster.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  strategy:
    type: Recreate
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 1
```

## References
- seed:001 (#10 rolling update strategy)
- https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
"#,
    references: &[
        "seed:001",
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Deployment", "StatefulSet", "DaemonSet"]),
    pss: None,
};

/// Flags workloads that do not roll updates out gradually.
pub struct NoRollingUpdateStrategy;

/// Whether `maxUnavailable` takes every pod down at once: a percentage of 100% or more, or an integer at least
/// `replicas` (when known and at least 2).
fn unavailable_all(max_unavailable: &Node, replicas: Option<i64>) -> bool {
    if let Some(s) = max_unavailable.as_str() {
        return s
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<i64>().ok())
            .is_some_and(|p| p >= 100);
    }
    match (max_unavailable.as_i64(), replicas) {
        (Some(n), Some(r)) => r >= 2 && n >= r,
        _ => false,
    }
}

impl Rule for NoRollingUpdateStrategy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if in_system_namespace(ctx, obj) {
            return Vec::new();
        }
        let kind = obj.id.kind.as_str();
        let (strategy_key, bad_type) = match kind {
            "Deployment" => ("strategy", "Recreate"),
            "StatefulSet" | "DaemonSet" => ("updateStrategy", "OnDelete"),
            _ => return Vec::new(),
        };
        let name = obj.id.name.as_deref().unwrap_or("");
        let Some(strategy) = obj.root.path(&["spec", strategy_key]) else {
            return Vec::new();
        };
        if strategy.get_str("type") == Some(bad_type) {
            let (pos, pointer) = field_location(obj, &["spec", strategy_key, "type"]);
            return vec![Violation::new(
                format!("{kind} \"{name}\" sets spec.{strategy_key}.type: {bad_type}"),
                pos,
                pointer,
            )];
        }
        let replicas = match kind {
            "DaemonSet" => None,
            _ => obj.root.path(&["spec", "replicas"]).and_then(Node::as_i64),
        };
        match strategy.path(&["rollingUpdate", "maxUnavailable"]) {
            Some(max) if unavailable_all(max, replicas) => {
                let (pos, pointer) = field_location(obj, &["spec", strategy_key, "rollingUpdate", "maxUnavailable"]);
                let shown = max
                    .as_str()
                    .map_or_else(|| max.as_i64().unwrap_or(0).to_string(), str::to_string);
                vec![Violation::new(
                    format!(
                        "{kind} \"{name}\" sets spec.{strategy_key}.rollingUpdate.maxUnavailable: {shown}, \
                         taking every pod down at once"
                    ),
                    pos,
                    pointer,
                )]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::{Pos, Value};

    fn str_node(s: &str) -> Node {
        Node::new(Pos::default(), Value::Str(s.to_string()))
    }

    #[test]
    fn max_unavailable() {
        assert!(unavailable_all(&str_node("100%"), None));
        assert!(!unavailable_all(&str_node("25%"), Some(4)));
        let int = |i| Node::new(Pos::default(), Value::Int(i));
        assert!(unavailable_all(&int(3), Some(3)));
        assert!(!unavailable_all(&int(1), Some(1)));
        assert!(!unavailable_all(&int(1), Some(3)));
        assert!(!unavailable_all(&int(5), None));
    }
}
