//! NET-008: a Service with `spec.externalIPs` (CVE-2020-8554).

use super::util::{field, seq};
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-008.
pub static META: RuleMeta = RuleMeta {
    id: "NET-008",
    name: "service-external-ips",
    family: "network",
    severity: Severity::High,
    profiles: &["azure-policy"],
    summary: "A Service sets spec.externalIPs, which can intercept traffic to those addresses (CVE-2020-8554).",
    remediation:
        "Remove spec.externalIPs and expose the Service through a LoadBalancer or an ingress; block the field \
                  cluster-wide with an admission policy.",
    docs: r#"## What it does
Flags every Service whose `spec.externalIPs` list is non-empty, naming the addresses.

## Why is this bad?
kube-proxy routes traffic for every address in `externalIPs` to the Service, on every node, without checking that
the creator owns the address. Anyone who can create a Service can therefore intercept cluster traffic to any IP
(a man-in-the-middle known as CVE-2020-8554, which Kubernetes never fixed in code: the mitigation is to block the
field with admission control, as Azure Policy d46c275d does).

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
    - port: 80
  externalIPs:
    - 203.0.113.10
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 80
```

## References
- Azure Policy d46c275d (Kubernetes cluster services should only use allowed external IPs)
- CVE-2020-8554: https://github.com/kubernetes/kubernetes/issues/97076
"#,
    references: &["Azure Policy d46c275d", "CVE-2020-8554"],
    status: Status::Preview,
    target: Target::Kinds(&["Service"]),
    pss: None,
};

/// Flags Services with external IPs.
pub struct ServiceExternalIps;

impl Rule for ServiceExternalIps {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let loc = field(obj, &["spec", "externalIPs"]);
        let ips: Vec<&str> = seq(loc.node).iter().filter_map(Node::as_str).collect();
        if ips.is_empty() {
            return Vec::new();
        }
        vec![Violation::new(
            format!(
                "Service sets spec.externalIPs ({}): kube-proxy captures traffic to these addresses",
                ips.join(", ")
            ),
            loc.pos,
            loc.pointer,
        )]
    }
}
