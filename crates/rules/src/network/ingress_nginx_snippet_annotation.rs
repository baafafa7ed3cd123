//! NET-013: ingress-nginx snippet annotations (CVE-2021-25742).

use super::util::field;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-013.
pub static META: RuleMeta = RuleMeta {
    id: "NET-013",
    name: "ingress-nginx-snippet-annotation",
    family: "network",
    severity: Severity::High,
    profiles: &[],
    summary: "An Ingress injects raw NGINX configuration through a snippet annotation (CVE-2021-25742).",
    remediation: "Remove the snippet annotation and use the dedicated ingress-nginx annotations or a ConfigMap \
                  managed by the platform team; keep allow-snippet-annotations disabled on the controller.",
    docs: r#"## What it does
Flags every Ingress annotation whose key starts with `nginx.ingress.kubernetes.io/` and ends with `snippet`
(`configuration-snippet`, `server-snippet`, `auth-snippet`, `stream-snippet`, `modsecurity-snippet`, ...), and the
NGINX Inc. controller's `nginx.org/server-snippets` / `nginx.org/location-snippets`, which allow the same raw
configuration. The message says when the snippet uses `lua` or `alias` directives (the exploit primitives of
CVE-2021-25742). Annotation values are not printed.

## Why is this bad?
A snippet is pasted verbatim into the controller's `nginx.conf`. Anyone who can create an Ingress can then read
files from the controller pod (`alias`), run Lua code in it, and read the controller's service account token,
which can list every Secret of the cluster (CVE-2021-25742).

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/x-forwarded-prefix: /shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
```

## References
- CVE-2021-25742: https://github.com/kubernetes/ingress-nginx/issues/7837
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations
"#,
    references: &[
        "CVE-2021-25742",
        "https://github.com/kubernetes/ingress-nginx/issues/7837",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Ingress"]),
    pss: None,
};

/// Flags snippet annotations on Ingresses.
pub struct IngressNginxSnippetAnnotation;

/// Whether an annotation key injects raw NGINX configuration.
fn is_snippet(key: &str) -> bool {
    key.strip_prefix("nginx.ingress.kubernetes.io/")
        .is_some_and(|k| k.ends_with("snippet"))
        || matches!(key, "nginx.org/server-snippets" | "nginx.org/location-snippets")
}

/// Whether a snippet uses the directives CVE-2021-25742 exploits.
fn uses_exploit_directives(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains("lua") || v.split(|c: char| c.is_whitespace() || c == ';').any(|w| w == "alias")
}

impl Rule for IngressNginxSnippetAnnotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(map) = obj.root.path(&["metadata", "annotations"]).and_then(Node::as_map) else {
            return Vec::new();
        };
        map.entries()
            .iter()
            .filter(|e| is_snippet(&e.key))
            .map(|e| {
                let loc = field(obj, &["metadata", "annotations", &e.key]);
                let extra = if e.value.as_str().is_some_and(uses_exploit_directives) {
                    " using lua/alias directives"
                } else {
                    ""
                };
                Violation::new(
                    format!(
                        "annotation {} injects raw NGINX configuration{extra} (CVE-2021-25742)",
                        e.key
                    ),
                    loc.pos,
                    loc.pointer,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keys_and_directives() {
        assert!(is_snippet("nginx.ingress.kubernetes.io/configuration-snippet"));
        assert!(is_snippet("nginx.ingress.kubernetes.io/server-snippet"));
        assert!(is_snippet("nginx.org/location-snippets"));
        assert!(!is_snippet("nginx.ingress.kubernetes.io/ssl-redirect"));
        assert!(!is_snippet("example.com/configuration-snippet"));
        assert!(uses_exploit_directives("location /x { alias /var/run/secrets/; }"));
        assert!(uses_exploit_directives("content_by_lua_block { }"));
        assert!(!uses_exploit_directives("more_set_headers \"X-Aliased: 1\";"));
    }
}
