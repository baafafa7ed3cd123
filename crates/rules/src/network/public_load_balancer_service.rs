//! NET-005: a LoadBalancer Service that gets a public IP.

use super::util::{annotation, is_public_load_balancer, service_type, INTERNAL_LB_ANNOTATION};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-005.
pub static META: RuleMeta = RuleMeta {
    id: "NET-005",
    name: "public-load-balancer-service",
    family: "network",
    severity: Severity::High,
    profiles: &["azure-policy", "seed"],
    summary: "A Service of type LoadBalancer is not marked internal, so Azure gives it a public IP.",
    remediation: "Add the annotation service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" and publish \
                  the service through an ingress controller or Application Gateway with a WAF if it must be public.",
    docs: r#"## What it does
Flags every Service with `spec.type: LoadBalancer` whose annotation
`service.beta.kubernetes.io/azure-load-balancer-internal` is not the string `"true"` (absent, `"false"` or any other
value), as Azure Policy 3fc4dc25 does. Services in system namespaces are checked too: a public load balancer is as
exposed there as anywhere.

## Why is this bad?
The Azure cloud provider creates a public frontend IP on the cluster's load balancer for such a Service, so the
workload is reachable from the internet on every port of the Service, bypassing ingress controllers, WAFs and
firewalls in front of the cluster.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 443
      targetPort: 8443
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 443
      targetPort: 8443
```

## References
- seed:001 (ingress controllers on internal IPs)
- Azure Policy 3fc4dc25 (Kubernetes clusters should use internal load balancers)
- https://learn.microsoft.com/azure/aks/internal-lb
"#,
    references: &[
        "seed:001",
        "Azure Policy 3fc4dc25",
        "https://learn.microsoft.com/azure/aks/internal-lb",
    ],
    status: Status::Stable,
    target: Target::Kinds(&["Service"]),
    pss: None,
};

/// Flags LoadBalancer Services without the internal annotation.
pub struct PublicLoadBalancerService;

impl Rule for PublicLoadBalancerService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if !is_public_load_balancer(obj) {
            return Vec::new();
        }
        let (_, loc) = service_type(obj);
        let setting = match annotation(obj, INTERNAL_LB_ANNOTATION) {
            Some(v) => format!("sets annotation {INTERNAL_LB_ANNOTATION}: \"{v}\""),
            None => format!("has no annotation {INTERNAL_LB_ANNOTATION}: \"true\""),
        };
        vec![Violation::new(
            format!("Service is type LoadBalancer and {setting}: Azure gives it a public IP"),
            loc.pos,
            loc.pointer,
        )]
    }
}
