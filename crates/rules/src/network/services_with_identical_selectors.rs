//! NET-015: Services of one namespace with identical selectors.

use super::util::{field, name_of, namespace_of};
use palisade_core::{IndexOutput, K8sObject, Node, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeMap;

/// Metadata of NET-015.
pub static META: RuleMeta = RuleMeta {
    id: "NET-015",
    name: "services-with-identical-selectors",
    family: "network",
    severity: Severity::Info,
    profiles: &["azure-policy"],
    summary: "Two Services in one namespace select pods with exactly the same selector.",
    remediation: "Merge the Services into one with several ports, or give each a selector that matches only the pods \
                  it should serve.",
    docs: r#"## What it does
Groups the Services of each namespace by `spec.selector` (the same label keys and values, in any order; Services
without a selector are skipped) and reports every Service whose selector equals that of an earlier Service of the
same namespace, naming it. Namespaces listed in the `system_namespaces` parameter are skipped, as in Azure Policy
b0fdedee's default exclusions.

## Why is this bad?
Duplicate selectors usually mean a copy-pasted Service: traffic meant for one component lands on another, and a
Service created to expose a debug or admin port of the same pods slips past review because it looks like a
duplicate of an approved one.

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
---
apiVersion: v1
kind: Service
metadata:
  name: web-debug
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 9000
```

## Use instead
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
    - name: http
      port: 80
    - name: metrics
      port: 9000
```

## References
- Azure Policy b0fdedee (Kubernetes cluster services should use unique selectors)
- Gatekeeper library uniqueserviceselector
"#,
    references: &["Azure Policy b0fdedee", "Gatekeeper library uniqueserviceselector"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags Services whose selector duplicates another Service's in the same namespace.
pub struct ServicesWithIdenticalSelectors;

/// A Service selector as sorted (key, value) pairs.
type Selector = Vec<(String, String)>;

/// A Service's selector as sorted (key, value) pairs; `None` when it has none.
fn selector_key(svc: &K8sObject) -> Option<Selector> {
    let map = svc.root.path(&["spec", "selector"]).and_then(Node::as_map)?;
    let mut pairs: Vec<(String, String)> = map
        .entries()
        .iter()
        .map(|e| (e.key.clone(), e.value.as_str().unwrap_or_default().to_string()))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    pairs.sort();
    Some(pairs)
}

impl Rule for ServicesWithIdenticalSelectors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let mut first: BTreeMap<(String, Selector), &K8sObject> = BTreeMap::new();
        for svc in index.of_kind("Service") {
            let ns = namespace_of(svc);
            if params.is_system_namespace(ns) {
                continue;
            }
            let Some(sel) = selector_key(svc) else { continue };
            let key = (ns.to_string(), sel);
            match first.get(&key) {
                None => {
                    first.insert(key, svc);
                }
                Some(earlier) if name_of(earlier) == name_of(svc) => {}
                Some(earlier) => {
                    let loc = field(svc, &["spec", "selector"]);
                    let shown: Vec<String> = key.1.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    out.violation(
                        svc,
                        loc.pos,
                        &loc.pointer,
                        format!(
                            "Service selector ({}) is identical to that of Service \"{}\" in namespace \"{ns}\"",
                            shown.join(", "),
                            name_of(earlier)
                        ),
                    );
                }
            }
        }
    }
}
