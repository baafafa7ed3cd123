//! NET-011: an Ingress rule without a host, or with a wildcard host.

use super::util::{field, ingress_rules};
use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-011.
pub static META: RuleMeta = RuleMeta {
    id: "NET-011",
    name: "ingress-host-missing-or-wildcard",
    family: "network",
    severity: Severity::Low,
    profiles: &["azure-policy"],
    summary:
        "An Ingress routes requests for any host name: a rule without host, a wildcard host, or a default backend.",
    remediation: "Give every Ingress rule an explicit host (no * or *.domain) and remove the default backend, or \
                  point it at a service that returns 404.",
    docs: r#"## What it does
For every Ingress (`networking.k8s.io/v1`, `extensions/v1beta1`) reports:

- each `spec.rules[*]` entry without `host` (absent or empty): it matches every host name;
- each rule whose host is `*` or a wildcard `*.domain`;
- `spec.defaultBackend` (`spec.backend` in extensions/v1beta1): it answers requests for any host no rule matches.

## Why is this bad?
An Ingress that answers for any host name captures traffic meant for other applications on the same controller
(and conflicts with their Ingresses), is reachable through any DNS name that points at the load balancer, and
makes host-based access control and TLS certificate matching ineffective.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
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
```

## References
- Azure Policy d8c942c6 (Kubernetes clusters should specify host in ingress resource rules)
- https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
"#,
    references: &[
        "Azure Policy d8c942c6",
        "https://kubernetes.io/docs/concepts/services-networking/ingress/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Ingress"]),
    pss: None,
};

/// Flags Ingress rules without a host or with a wildcard host, and default backends.
pub struct IngressHostMissingOrWildcard;

impl Rule for IngressHostMissingOrWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let mut out = Vec::new();
        for key in ["defaultBackend", "backend"] {
            let loc = field(obj, &["spec", key]);
            if loc.node.is_some_and(|n| !n.is_null()) {
                out.push(Violation::new(
                    format!("spec.{key} answers requests for any host name"),
                    loc.pos,
                    loc.pointer,
                ));
            }
        }
        for (i, rule) in ingress_rules(obj) {
            let loc = locate(rule, &format!("/spec/rules/{i}"), rule.pos, &["host"]);
            match loc.node.and_then(Node::as_str).filter(|h| !h.is_empty()) {
                None => out.push(Violation::new(
                    format!("rule {i} has no host: it matches every host name"),
                    rule.pos,
                    format!("/spec/rules/{i}"),
                )),
                Some(host) if host == "*" || host.starts_with("*.") => out.push(Violation::new(
                    format!("rule {i} uses wildcard host \"{host}\""),
                    loc.pos,
                    loc.pointer,
                )),
                Some(_) => {}
            }
        }
        out
    }
}
