//! NET-012: the same Ingress host and path in different namespaces.

use super::util::{ingress_rules, name_of, namespace_of, seq};
use palisade_core::object::locate;
use palisade_core::{IndexOutput, K8sObject, Node, Params, Pos, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeMap;

/// Metadata of NET-012.
pub static META: RuleMeta = RuleMeta {
    id: "NET-012",
    name: "ingress-host-path-in-multiple-namespaces",
    family: "network",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary: "Ingresses in different namespaces claim the same host and path.",
    remediation: "Give each namespace its own host names (or paths), and reserve shared hosts for one owning \
                  namespace.",
    docs: r#"## What it does
Collects the (host, path) pairs of every Ingress of the scan (`spec.rules[*].host` with each
`http.paths[*].path`, `/` when a path is absent; a rule without paths counts as `/`) and reports each pair that
Ingresses of two or more namespaces claim, on every Ingress involved, naming the other namespaces. Host names
compare case-insensitively; rules without host are left to NET-011.

## Why is this bad?
When two namespaces claim the same host and path, the ingress controller picks one of them (by creation time, or
by merging configuration), so a team that can create Ingresses in its own namespace can hijack another team's
traffic, including its login pages and API calls.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: promo
  namespace: marketing
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: promo
                port:
                  number: 80
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: promo
  namespace: marketing
spec:
  rules:
    - host: promo.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: promo
                port:
                  number: 80
```

## References
- Azure Policy b2fd3e59 (deprecated: enforce unique ingress hostnames across namespaces)
- Gatekeeper library uniqueingresshost; Kyverno unique-ingress-host-and-path
"#,
    references: &["Azure Policy b2fd3e59", "Gatekeeper library uniqueingresshost"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags host/path pairs claimed by Ingresses of several namespaces.
pub struct IngressHostPathInMultipleNamespaces;

/// One (host, path) claim: the Ingress, and where the path (or host) is.
struct Claim<'a> {
    ingress: &'a K8sObject,
    pos: Pos,
    pointer: String,
}

/// The (host, path) pairs an Ingress claims.
fn claims(ing: &K8sObject) -> Vec<((String, String), Claim<'_>)> {
    let mut out = Vec::new();
    for (i, rule) in ingress_rules(ing) {
        let base = format!("/spec/rules/{i}");
        let host_loc = locate(rule, &base, rule.pos, &["host"]);
        let Some(host) = host_loc.node.and_then(Node::as_str).filter(|h| !h.is_empty()) else {
            continue;
        };
        let host = host.to_ascii_lowercase();
        let paths = seq(rule.path(&["http", "paths"]));
        if paths.is_empty() {
            let claim = Claim {
                ingress: ing,
                pos: host_loc.pos,
                pointer: host_loc.pointer.to_string(),
            };
            out.push(((host.clone(), "/".to_string()), claim));
        }
        for (j, p) in paths.iter().enumerate() {
            let loc = locate(p, &format!("{base}/http/paths/{j}"), p.pos, &["path"]);
            let path = loc.node.and_then(Node::as_str).filter(|s| !s.is_empty()).unwrap_or("/");
            let claim = Claim {
                ingress: ing,
                pos: loc.pos,
                pointer: loc.pointer.into(),
            };
            out.push(((host.clone(), path.to_string()), claim));
        }
    }
    out
}

impl Rule for IngressHostPathInMultipleNamespaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let mut by_pair: BTreeMap<(String, String), Vec<Claim<'_>>> = BTreeMap::new();
        for ing in index.of_kind("Ingress") {
            for (pair, claim) in claims(ing) {
                by_pair.entry(pair).or_default().push(claim);
            }
        }
        for ((host, path), list) in &by_pair {
            for claim in list {
                let ns = namespace_of(claim.ingress);
                let mut others: Vec<String> = list
                    .iter()
                    .filter(|c| namespace_of(c.ingress) != ns)
                    .map(|c| format!("{}/{}", namespace_of(c.ingress), name_of(c.ingress)))
                    .collect();
                others.sort();
                others.dedup();
                if others.is_empty() {
                    continue;
                }
                out.violation(
                    claim.ingress,
                    claim.pos,
                    &claim.pointer,
                    format!(
                        "host \"{host}\" path \"{path}\" is also claimed by Ingress {} in another namespace",
                        others.join(", ")
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn ingress(ns: &str, name: &str, host: &str, path: &str) -> serde_json::Value {
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": name, "namespace": ns},
               "spec": {"rules": [{"host": host, "http": {"paths": [{"path": path}]}}]}})
    }

    #[test]
    fn duplicates_across_namespaces_only() {
        let mut index = ScanIndex::default();
        for o in [
            ingress("shop", "a", "shop.example.com", "/"),
            ingress("shop", "b", "shop.example.com", "/"),
            ingress("blog", "c", "Shop.Example.com", "/"),
            ingress("blog", "d", "shop.example.com", "/blog"),
        ] {
            index.add(&object(o));
        }
        let mut out = IndexOutput::default();
        IngressHostPathInMultipleNamespaces.check_index(Params::default_ref(), &index, &mut out);
        let msgs: Vec<_> = out.violations.iter().map(|v| v.message.clone()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("blog/c")));
        assert!(msgs.iter().any(|m| m.contains("shop/a, shop/b")));
    }
}
