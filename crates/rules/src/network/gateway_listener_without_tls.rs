//! NET-017: Gateway API or Istio gateways that expose workloads without TLS.

use super::util::seq;
use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-017.
pub static META: RuleMeta = RuleMeta {
    id: "NET-017",
    name: "gateway-listener-without-tls",
    family: "network",
    severity: Severity::Info,
    profiles: &[],
    summary: "A Gateway API or Istio gateway exposes workloads over a plaintext listener.",
    remediation:
        "Serve the listener over HTTPS or TLS, and redirect plain HTTP to HTTPS (an HTTPRoute RequestRedirect \
                  filter, or tls.httpsRedirect on an Istio server).",
    docs: r#"## What it does
The Gateway API and Istio counterpart of NET-009 (Ingress without TLS), reported as advice:

- Gateway API `Gateway` (`gateway.networking.k8s.io`): each `spec.listeners[*]` with `protocol: HTTP` or `TCP`.
  A plain HTTP listener that only redirects to HTTPS is fine; its redirect lives in an HTTPRoute, so suppress the
  finding for such listeners.
- Gateway API `HTTPRoute`: each `spec.parentRefs[*]` that attaches explicitly to `port: 80`. Whether other routes
  are served with TLS depends on the Gateway listener they attach to, which is checked on the Gateway.
- Istio `Gateway` (`networking.istio.io`): each `spec.servers[*]` whose `port.protocol` is not `HTTPS` or `TLS`
  (case-insensitive) and that does not set `tls.httpsRedirect: true`.

## Why is this bad?
Traffic to a plaintext listener (credentials, cookies, API tokens) crosses the network in clear text, exactly like an
Ingress without TLS; gateways are simply a newer way to publish the same workloads.

## Example
```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shop
spec:
  gatewayClassName: approuting-istio
  listeners:
    - name: http
      protocol: HTTP
      port: 80
```

## Use instead
```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shop
spec:
  gatewayClassName: approuting-istio
  listeners:
    - name: https
      protocol: HTTPS
      port: 443
      hostname: shop.example.com
      tls:
        mode: Terminate
        certificateRefs:
          - name: shop-tls
```

## References
- Kubescape C-0266 (exposure to internet via Gateway API or Istio ingress)
- https://gateway-api.sigs.k8s.io/guides/tls/
- https://istio.io/latest/docs/reference/config/networking/gateway/
"#,
    references: &[
        "Kubescape C-0266",
        "https://gateway-api.sigs.k8s.io/guides/tls/",
        "https://istio.io/latest/docs/reference/config/networking/gateway/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Gateway", "HTTPRoute"]),
    pss: None,
};

/// Flags plaintext gateway listeners and HTTPRoutes attached to port 80.
pub struct GatewayListenerWithoutTls;

fn group(obj: &K8sObject) -> &str {
    obj.id.api_version.split_once('/').map_or("", |(g, _)| g)
}

fn gateway_api_listeners(obj: &K8sObject) -> Vec<Violation> {
    let listeners = seq(obj.root.path(&["spec", "listeners"]));
    listeners
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let loc = locate(l, &format!("/spec/listeners/{i}"), l.pos, &["protocol"]);
            let proto = loc.node.and_then(Node::as_str)?;
            matches!(proto, "HTTP" | "TCP").then(|| {
                let name = l.get_str("name").unwrap_or("");
                Violation::new(
                    format!("listener \"{name}\" uses protocol {proto}: traffic is not encrypted"),
                    loc.pos,
                    loc.pointer,
                )
            })
        })
        .collect()
}

fn http_route_parents(obj: &K8sObject) -> Vec<Violation> {
    seq(obj.root.path(&["spec", "parentRefs"]))
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let loc = locate(p, &format!("/spec/parentRefs/{i}"), p.pos, &["port"]);
            (loc.node.and_then(Node::as_i64) == Some(80)).then(|| {
                let name = p.get_str("name").unwrap_or("");
                Violation::new(
                    format!("HTTPRoute attaches to port 80 of gateway \"{name}\": plain HTTP"),
                    loc.pos,
                    loc.pointer,
                )
            })
        })
        .collect()
}

fn istio_servers(obj: &K8sObject) -> Vec<Violation> {
    seq(obj.root.path(&["spec", "servers"]))
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let loc = locate(s, &format!("/spec/servers/{i}"), s.pos, &["port", "protocol"]);
            let proto = loc.node.and_then(Node::as_str)?;
            let encrypted = proto.eq_ignore_ascii_case("HTTPS") || proto.eq_ignore_ascii_case("TLS");
            let redirects = s.path(&["tls", "httpsRedirect"]).and_then(Node::as_bool) == Some(true);
            (!encrypted && !redirects).then(|| {
                let port = s
                    .path(&["port", "number"])
                    .and_then(Node::as_i64)
                    .map(|n| format!(" port {n}"))
                    .unwrap_or_default();
                Violation::new(
                    format!(
                        "server {i}{port} uses protocol {proto} without tls.httpsRedirect: traffic is not encrypted"
                    ),
                    loc.pos,
                    loc.pointer,
                )
            })
        })
        .collect()
}

impl Rule for GatewayListenerWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        match (group(obj), obj.id.kind.as_str()) {
            ("gateway.networking.k8s.io", "Gateway") => gateway_api_listeners(obj),
            ("gateway.networking.k8s.io", "HTTPRoute") => http_route_parents(obj),
            ("networking.istio.io", "Gateway") => istio_servers(obj),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn run(json: serde_json::Value) -> usize {
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        GatewayListenerWithoutTls.check(&ctx, &object(json)).len()
    }

    #[test]
    fn kinds() {
        assert_eq!(
            run(
                json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "g"},
            "spec": {"listeners": [{"name": "a", "protocol": "HTTP", "port": 80},
                                   {"name": "b", "protocol": "HTTPS", "port": 443}]}})
            ),
            1
        );
        assert_eq!(
            run(
                json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r"},
            "spec": {"parentRefs": [{"name": "g", "port": 80}, {"name": "g", "sectionName": "https"}]}})
            ),
            1
        );
        assert_eq!(
            run(
                json!({"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": "g"},
            "spec": {"servers": [{"port": {"number": 80, "protocol": "HTTP"}, "tls": {"httpsRedirect": true}},
                                 {"port": {"number": 443, "protocol": "https"}},
                                 {"port": {"number": 8080, "protocol": "http"}}]}})
            ),
            1
        );
        assert_eq!(
            run(
                json!({"apiVersion": "example.com/v1", "kind": "Gateway", "metadata": {"name": "g"},
            "spec": {"listeners": [{"protocol": "HTTP"}]}})
            ),
            0
        );
    }
}
