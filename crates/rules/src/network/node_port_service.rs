//! NET-007: a Service that opens ports on every node.

use super::util::{field, service_type};
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-007.
pub static META: RuleMeta = RuleMeta {
    id: "NET-007",
    name: "node-port-service",
    family: "network",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "A Service of type NodePort (or a LoadBalancer that allocates node ports) opens a port on every node.",
    remediation: "Use a ClusterIP Service behind an ingress controller or an internal LoadBalancer instead of \
                  NodePort.",
    docs: r#"## What it does
- Flags every Service with `spec.type: NodePort` (medium).
- Reports Services with `spec.type: LoadBalancer` whose `spec.allocateLoadBalancerNodePorts` is not `false` at
  severity info: Kubernetes then allocates node ports for them too. On AKS the Azure load balancer sends traffic to
  those node ports unless the backend pool is IP-based, so this is advice to check, not a defect.

## Why is this bad?
A node port is opened by kube-proxy on every node of the cluster, on the node's own addresses. Anything that can
reach a node (peered networks, a VM in the same VNet, the internet if nodes have public IPs) reaches the workload,
bypassing ingress controllers, WAFs and the load balancer's source restrictions.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: NodePort
  selector:
    app: api
  ports:
    - port: 80
      nodePort: 30080
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: ClusterIP
  selector:
    app: api
  ports:
    - port: 80
```

## References
- seed:001 (isolate nodes from public networks)
- https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
"#,
    references: &[
        "seed:001",
        "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Service"]),
    pss: None,
};

/// Flags NodePort Services, and LoadBalancer Services that allocate node ports (info).
pub struct NodePortService;

impl Rule for NodePortService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let (kind, loc) = service_type(obj);
        match kind {
            "NodePort" => vec![Violation::new(
                "Service is type NodePort: its ports are opened on every node",
                loc.pos,
                loc.pointer,
            )],
            "LoadBalancer" => {
                let allocate = field(obj, &["spec", "allocateLoadBalancerNodePorts"]);
                if allocate.node.and_then(Node::as_bool) == Some(false) {
                    return Vec::new();
                }
                vec![Violation::new(
                    "Service is type LoadBalancer without spec.allocateLoadBalancerNodePorts: false: node ports are \
                     allocated on every node as well",
                    loc.pos,
                    loc.pointer,
                )
                .with_severity(Severity::Info)]
            }
            _ => Vec::new(),
        }
    }
}
