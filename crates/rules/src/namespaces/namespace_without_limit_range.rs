//! K8S-066: a namespace without a LimitRange giving containers default requests/limits.

use super::util::{check_namespace_presence, PresenceMessages};
use palisade_core::{IndexOutput, K8sObject, Node, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Metadata of K8S-066.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-066",
    name: "namespace-without-limit-range",
    family: "namespaces",
    severity: Severity::Low,
    profiles: &["seed", "nsa"],
    summary: "A namespace has no LimitRange that gives containers default resource requests or limits.",
    remediation: "Add a LimitRange with a type: Container entry setting default and defaultRequest for cpu and \
                  memory to the namespace.",
    docs: r#"## What it does
Looks at every non-system namespace of the scan and checks that it holds a `LimitRange` with a
`spec.limits[]` entry of `type: Container` that sets `default` or `defaultRequest`.

- A namespace whose Namespace object was scanned and has no such LimitRange gets a finding on the Namespace.
- A namespace that scanned objects only refer to (its Namespace object was not scanned) is judged only if the scan
  holds LimitRanges in it; the finding then goes on the first of them. If the scan holds no LimitRange in it, the
  namespace is reported as not evaluated: the LimitRange may live in another repository.
- Namespaces listed in the `system_namespaces` parameter are skipped.

## Why is this bad?
Without defaults, a container that forgets `resources` runs with no memory limit (it can exhaust the node and
trigger evictions of its neighbours) and no requests (the scheduler packs it anywhere, and it is the first to be
OOM-killed). A LimitRange makes the namespace safe by default.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
```

## Use instead
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: shop
spec:
  limits:
    - type: Container
      default:
        cpu: 500m
        memory: 512Mi
      defaultRequest:
        cpu: 100m
        memory: 128Mi
```

## References
- seed:000 (LimitRange with default/defaultRequest per namespace)
- NSA/CISA Kubernetes Hardening Guidance, Resource policies (Appendix G, LimitRange)
- https://kubernetes.io/docs/concepts/policy/limit-range/
"#,
    references: &[
        "seed:000",
        "NSA/CISA Kubernetes Hardening Guidance, Appendix G",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags namespaces without a container-defaults LimitRange.
pub struct NamespaceWithoutLimitRange;

/// Whether a LimitRange sets container defaults (`type: Container` with `default` or `defaultRequest`).
fn sets_container_defaults(limit_range: &K8sObject) -> bool {
    let non_empty = |n: Option<&Node>| n.and_then(Node::as_map).is_some_and(|m| !m.is_empty());
    limit_range
        .root
        .path(&["spec", "limits"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .any(|l| {
            l.get_str("type") == Some("Container")
                && (non_empty(l.get("default")) || non_empty(l.get("defaultRequest")))
        })
}

impl Rule for NamespaceWithoutLimitRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        check_namespace_presence(
            index,
            params,
            out,
            &sets_container_defaults,
            &PresenceMessages {
                kind: "LimitRange",
                missing: &|ns| {
                    format!("namespace \"{ns}\" has no LimitRange with a type: Container default or defaultRequest")
                },
                unqualified: &|ns, first| {
                    format!(
                        "no LimitRange in namespace \"{ns}\" sets a type: Container default or defaultRequest \
                         (LimitRange \"{}\" does not)",
                        first.id.name.as_deref().unwrap_or("")
                    )
                },
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_object;
    use serde_json::json;

    #[test]
    fn container_defaults() {
        let lr = |limits: serde_json::Value| {
            test_object(
                json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
                               "spec": {"limits": limits}}),
            )
        };
        assert!(sets_container_defaults(&lr(
            json!([{"type": "Container", "default": {"memory": "1Gi"}}])
        )));
        assert!(sets_container_defaults(&lr(
            json!([{"type": "Container", "defaultRequest": {"cpu": "1"}}])
        )));
        assert!(!sets_container_defaults(&lr(
            json!([{"type": "Container", "max": {"cpu": "1"}}])
        )));
        assert!(!sets_container_defaults(&lr(
            json!([{"type": "Pod", "default": {"cpu": "1"}}])
        )));
        assert!(!sets_container_defaults(&lr(
            json!([{"type": "Container", "default": {}}])
        )));
    }
}
