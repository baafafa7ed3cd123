//! NET-009: an Ingress without TLS, or with hosts its TLS section does not cover.

use super::util::{field, ingress_rules, IngressTls};
use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-009.
pub static META: RuleMeta = RuleMeta {
    id: "NET-009",
    name: "ingress-without-tls",
    family: "network",
    severity: Severity::Medium,
    profiles: &["azure-policy", "cis-aks", "seed"],
    summary: "An Ingress has no TLS section, or serves a host that its TLS section does not cover.",
    remediation: "Add a spec.tls entry whose hosts cover every rule host, with a certificate Secret (for example \
                  from cert-manager or the Key Vault CSI driver).",
    docs: r#"## What it does
For every Ingress (`networking.k8s.io/v1`, `networking.k8s.io/v1beta1`, `extensions/v1beta1`):

- an empty or absent `spec.tls` is a finding;
- otherwise every `spec.rules[*].host` must be covered by a `spec.tls[*].hosts` entry, exactly (case-insensitive)
  or by a wildcard entry `*.example.com` (one label deep). A `spec.tls` entry without `hosts` applies to every
  host the controller serves and covers all rules. Rules without a host are left to NET-011.

## Why is this bad?
Traffic to an Ingress without TLS (usernames, passwords, session cookies, API tokens) crosses the network in clear
text and can be read or modified by anyone on the path. A host missing from the TLS section is served over plain
HTTP, or with the controller's default (often self-signed) certificate.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: webapprouting.kubernetes.azure.com
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

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: webapprouting.kubernetes.azure.com
  tls:
    - hosts: ["shop.example.com"]
      secretName: shop-tls
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
- seed:003 (TLS for service communication)
- CIS Azure Kubernetes Service Benchmark 5.4.5 (encrypt traffic to HTTPS load balancers with TLS)
- Azure Policy 1a5b4dca (Kubernetes clusters should be accessible only over HTTPS)
- Microsoft cloud security benchmark DP-3 (encrypt sensitive data in transit)
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
"#,
    references: &[
        "seed:003",
        "CIS AKS Benchmark 5.4.5",
        "Azure Policy 1a5b4dca",
        "MCSB DP-3",
        "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Ingress"]),
    pss: None,
};

/// Flags Ingresses without TLS and rule hosts that TLS does not cover.
pub struct IngressWithoutTls;

impl Rule for IngressWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let tls = IngressTls::of(obj);
        if !tls.present {
            let loc = field(obj, &["spec", "tls"]);
            return vec![Violation::new(
                "Ingress has no spec.tls: it serves its hosts over plain HTTP",
                loc.pos,
                loc.pointer,
            )];
        }
        ingress_rules(obj)
            .filter_map(|(i, rule)| {
                let loc = locate(rule, &format!("/spec/rules/{i}"), rule.pos, &["host"]);
                let host = loc.node.and_then(Node::as_str).filter(|h| !h.is_empty())?;
                (!tls.covers(host)).then(|| {
                    Violation::new(
                        format!("rule host \"{host}\" is not covered by any spec.tls[*].hosts entry"),
                        loc.pos,
                        loc.pointer,
                    )
                })
            })
            .collect()
    }
}
