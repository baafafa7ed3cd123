//! NET-010: an Ingress with TLS that still serves plain HTTP.

use super::util::{annotation, field, name_location, IngressTls};
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The annotation Azure Policy 1a5b4dca requires to be `"false"`.
const ALLOW_HTTP: &str = "kubernetes.io/ingress.allow-http";
/// ingress-nginx: redirect HTTP to HTTPS when TLS is configured (default `"true"`).
const NGINX_SSL_REDIRECT: &str = "nginx.ingress.kubernetes.io/ssl-redirect";
/// ingress-nginx: redirect HTTP to HTTPS even without TLS on the Ingress.
const NGINX_FORCE_SSL_REDIRECT: &str = "nginx.ingress.kubernetes.io/force-ssl-redirect";
/// Application Gateway Ingress Controller: redirect HTTP to HTTPS (default off).
const APPGW_SSL_REDIRECT: &str = "appgw.ingress.kubernetes.io/ssl-redirect";

/// Metadata of NET-010.
pub static META: RuleMeta = RuleMeta {
    id: "NET-010",
    name: "ingress-allows-plain-http",
    family: "network",
    severity: Severity::Low,
    profiles: &["azure-policy", "cis-aks"],
    summary: "An Ingress with TLS still accepts plain HTTP instead of refusing or redirecting it.",
    remediation: "Set kubernetes.io/ingress.allow-http: \"false\" or the controller's HTTPS redirect annotation \
                  (nginx.ingress.kubernetes.io/ssl-redirect or appgw.ingress.kubernetes.io/ssl-redirect: \"true\").",
    docs: r#"## What it does
Looks at Ingresses that have a `spec.tls` section (an Ingress without TLS is reported by NET-009) and reports:

- `kubernetes.io/ingress.allow-http` set to anything but `"false"`;
- `nginx.ingress.kubernetes.io/ssl-redirect: "false"` (unless `force-ssl-redirect: "true"` is set);
- neither `kubernetes.io/ingress.allow-http: "false"` (what Azure Policy 1a5b4dca requires) nor an annotation that
  redirects HTTP to HTTPS (`nginx.ingress.kubernetes.io/ssl-redirect: "true"`,
  `nginx.ingress.kubernetes.io/force-ssl-redirect: "true"`, `appgw.ingress.kubernetes.io/ssl-redirect: "true"`).
  Ingresses of an ingress-nginx class (`spec.ingressClassName` or the `kubernetes.io/ingress.class` annotation
  containing `nginx`, or the AKS application routing class `webapprouting.kubernetes.azure.com`) are exempt from
  this last case: ingress-nginx redirects to HTTPS by default when TLS is configured.

## Why is this bad?
When the plain HTTP listener stays open, clients that type the address, follow an old link or get downgraded by an
attacker send cookies and credentials in clear text before (or instead of) reaching HTTPS.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: azure/application-gateway
spec:
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

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: azure/application-gateway
    appgw.ingress.kubernetes.io/ssl-redirect: "true"
spec:
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
- Azure Policy 1a5b4dca (Kubernetes clusters should be accessible only over HTTPS; requires allow-http=false)
- CIS Azure Kubernetes Service Benchmark 5.4.5
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect
"#,
    references: &[
        "Azure Policy 1a5b4dca",
        "CIS AKS Benchmark 5.4.5",
        "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Ingress"]),
    pss: None,
};

/// Flags Ingresses with TLS that keep plain HTTP open.
pub struct IngressAllowsPlainHttp;

/// Whether the Ingress belongs to an ingress-nginx class (which redirects to HTTPS by default when TLS is set).
fn is_nginx_class(obj: &K8sObject) -> bool {
    let class = obj
        .root
        .path(&["spec", "ingressClassName"])
        .and_then(Node::as_str)
        .or_else(|| annotation(obj, "kubernetes.io/ingress.class"))
        .unwrap_or("");
    class.contains("nginx") || class == "webapprouting.kubernetes.azure.com"
}

impl Rule for IngressAllowsPlainHttp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if !IngressTls::of(obj).present {
            return Vec::new();
        }
        let at = |key: &str, message: String| {
            let loc = field(obj, &["metadata", "annotations", key]);
            vec![Violation::new(message, loc.pos, loc.pointer)]
        };
        let force = annotation(obj, NGINX_FORCE_SSL_REDIRECT) == Some("true");
        match annotation(obj, ALLOW_HTTP) {
            Some("false") => return Vec::new(),
            Some(v) => {
                return at(
                    ALLOW_HTTP,
                    format!("annotation {ALLOW_HTTP}: \"{v}\" keeps the plain HTTP listener open"),
                )
            }
            None => {}
        }
        if annotation(obj, NGINX_SSL_REDIRECT) == Some("false") && !force {
            return at(
                NGINX_SSL_REDIRECT,
                format!("annotation {NGINX_SSL_REDIRECT}: \"false\" serves plain HTTP instead of redirecting to HTTPS"),
            );
        }
        let redirects = force
            || annotation(obj, NGINX_SSL_REDIRECT) == Some("true")
            || annotation(obj, APPGW_SSL_REDIRECT) == Some("true")
            || is_nginx_class(obj);
        if redirects {
            return Vec::new();
        }
        let loc = match obj.root.path(&["metadata", "annotations"]) {
            Some(_) => field(obj, &["metadata", "annotations"]),
            None => name_location(obj),
        };
        vec![Violation::new(
            format!(
                "Ingress has TLS but neither {ALLOW_HTTP}: \"false\" nor an HTTPS redirect annotation: plain HTTP \
                 stays open"
            ),
            loc.pos,
            loc.pointer,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn run(annotations: serde_json::Value, class: Option<&str>, tls: bool) -> usize {
        let mut spec = json!({"rules": [{"host": "a.example.com"}]});
        if tls {
            spec["tls"] = json!([{"hosts": ["a.example.com"]}]);
        }
        if let Some(c) = class {
            spec["ingressClassName"] = json!(c);
        }
        let obj = object(json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                "metadata": {"name": "i", "annotations": annotations}, "spec": spec}));
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        IngressAllowsPlainHttp.check(&ctx, &obj).len()
    }

    #[test]
    fn cases() {
        assert_eq!(run(json!({}), None, false), 0);
        assert_eq!(run(json!({}), None, true), 1);
        assert_eq!(run(json!({ALLOW_HTTP: "false"}), None, true), 0);
        assert_eq!(run(json!({ALLOW_HTTP: "true"}), Some("nginx"), true), 1);
        assert_eq!(run(json!({}), Some("nginx"), true), 0);
        assert_eq!(run(json!({}), Some("webapprouting.kubernetes.azure.com"), true), 0);
        assert_eq!(run(json!({NGINX_SSL_REDIRECT: "false"}), Some("nginx"), true), 1);
        assert_eq!(
            run(
                json!({NGINX_SSL_REDIRECT: "false", NGINX_FORCE_SSL_REDIRECT: "true"}),
                None,
                true
            ),
            0
        );
        assert_eq!(run(json!({APPGW_SSL_REDIRECT: "true"}), None, true), 0);
        assert_eq!(
            run(json!({"kubernetes.io/ingress.class": "nginx-internal"}), None, true),
            0
        );
    }
}
