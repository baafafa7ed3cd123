//! NET-014: a Service port outside the configured allowlist.

use super::util::{field, seq};
use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-014.
pub static META: RuleMeta = RuleMeta {
    id: "NET-014",
    name: "service-port-not-allowlisted",
    family: "network",
    severity: Severity::Info,
    profiles: &["azure-policy"],
    summary: "A Service listens on a port that is not in the allowed_service_ports parameter.",
    remediation: "Use one of the allowed ports for the Service, or add the port to allowed_service_ports if it is \
                  intended.",
    docs: r#"## What it does
Compares every `spec.ports[*].port` of a Service with the `allowed_service_ports` parameter and reports each port
that is not listed. The parameter is empty by default, and then the rule reports nothing: set it in
`.palisade.yaml` to enable the check (as Azure Policy 233a2a17 takes an allowed-ports list).

```yaml
parameters:
  allowed_service_ports: [80, 443]
```

## Why is this bad?
An allowlist of service ports keeps unexpected listeners (debug endpoints, databases, admin consoles) from being
published inside or outside the cluster without review.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 8081
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 443
      targetPort: 8081
```

## References
- Azure Policy 233a2a17 (Kubernetes cluster services should listen only on allowed ports)
"#,
    references: &["Azure Policy 233a2a17"],
    status: Status::Preview,
    target: Target::Kinds(&["Service"]),
    pss: None,
};

/// Flags Service ports that are not in `allowed_service_ports` (when that list is set).
pub struct ServicePortNotAllowlisted;

impl Rule for ServicePortNotAllowlisted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let allowed = &ctx.params.allowed_service_ports;
        if allowed.is_empty() {
            return Vec::new();
        }
        let ports = field(obj, &["spec", "ports"]);
        seq(ports.node)
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let loc = locate_at(p, ports.pointer.index(i), p.pos, &["port"]);
                let port = loc.node.and_then(Node::as_i64)?;
                if allowed.contains(&port) {
                    return None;
                }
                let name = p.get_str("name").map(|n| format!(" (\"{n}\")")).unwrap_or_default();
                Some(Violation::new(
                    format!("Service port {port}{name} is not in allowed_service_ports"),
                    loc.pos,
                    loc.pointer,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    #[test]
    fn only_with_an_allowlist() {
        let obj = object(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                                "spec": {"ports": [{"port": 443}, {"port": 8081, "name": "debug"}]}}));
        let default = CheckContext::with_pss(palisade_core::PssPolicy::default());
        assert!(ServicePortNotAllowlisted.check(&default, &obj).is_empty());
        let params = palisade_core::Params {
            allowed_service_ports: vec![80, 443],
            ..palisade_core::Params::default()
        };
        let ctx = CheckContext {
            pss: palisade_core::PssPolicy::default(),
            params: &params,
        };
        let found = ServicePortNotAllowlisted.check(&ctx, &obj);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Service port 8081 (\"debug\") is not in allowed_service_ports"
        );
        assert_eq!(found[0].pointer, "/spec/ports/1/port");
    }
}
