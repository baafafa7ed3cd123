//! NET-004: a NetworkPolicy rule that allows all traffic.

use super::util::{has_policy_type, is_open_cidr, selects_all, seq, Direction};
use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of NET-004.
pub static META: RuleMeta = RuleMeta {
    id: "NET-004",
    name: "network-policy-allows-all-traffic",
    family: "network",
    severity: Severity::Medium,
    profiles: &["nsa"],
    summary: "A NetworkPolicy rule allows traffic from or to anywhere.",
    remediation: "Name the peers the rule needs (podSelector, namespaceSelector with labels, or a narrow ipBlock) \
                  instead of an empty rule, 0.0.0.0/0, ::/0 or namespaceSelector: {}.",
    docs: r#"## What it does
Checks every `ingress` and `egress` rule of a NetworkPolicy, for each direction the policy applies to (see
`policyTypes`; rules of a direction the policy does not apply to are ignored by Kubernetes and here):

- a rule with neither peers (`from` / `to`) nor `ports`: it allows all traffic (`- {}`);
- a peer `ipBlock` whose `cidr` is `0.0.0.0/0` or `::/0` (any prefix-0 network) without `except` entries;
- a peer with `namespaceSelector: {}` and no (or an empty) `podSelector`: every pod of every namespace.

A rule without peers but with `ports` (for example egress to port 53 for DNS) is not reported: it is limited to
those ports.

## Why is this bad?
A policy that allows everything defeats the default-deny policy it sits next to: since NetworkPolicies are additive,
one allow-all rule opens the selected pods to the whole cluster (or the internet) for that direction.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  ingress:
    - {}
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
      ports:
        - port: 8080
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: ["10.0.0.0/8", "169.254.169.254/32"]
      ports:
        - port: 443
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Network policies
- https://kubernetes.io/docs/concepts/services-networking/network-policies/
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance, Network policies",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["NetworkPolicy"]),
    pss: None,
};

/// Flags NetworkPolicy rules that allow all traffic.
pub struct NetworkPolicyAllowsAllTraffic;

impl Rule for NetworkPolicyAllowsAllTraffic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let mut out = Vec::new();
        for dir in [Direction::Ingress, Direction::Egress] {
            if !has_policy_type(obj, dir) {
                continue;
            }
            let rules = seq(obj.root.path(&["spec", dir.field()]));
            for (i, rule) in rules.iter().enumerate() {
                if rule.as_map().is_none() {
                    continue;
                }
                let base = format!("/spec/{}/{i}", dir.field());
                check_rule(dir, i, rule, &base, &mut out);
            }
        }
        out
    }
}

fn check_rule(dir: Direction, i: usize, rule: &Node, base: &str, out: &mut Vec<Violation>) {
    let field = dir.field();
    let peers = seq(rule.get(dir.peers()));
    if peers.is_empty() && seq(rule.get("ports")).is_empty() {
        let whence = match dir {
            Direction::Ingress => "from any source",
            Direction::Egress => "to any destination",
        };
        out.push(Violation::new(
            format!(
                "{field} rule {i} has no {} and no ports: it allows all traffic {whence}",
                dir.peers()
            ),
            rule.pos,
            base,
        ));
        return;
    }
    for (j, peer) in peers.iter().enumerate() {
        let peer_base = format!("{base}/{}/{j}", dir.peers());
        let cidr = locate(peer, &peer_base, peer.pos, &["ipBlock", "cidr"]);
        if let Some(text) = cidr.node.and_then(Node::as_str) {
            let no_except = seq(peer.path(&["ipBlock", "except"])).is_empty();
            if is_open_cidr(text) && no_except {
                out.push(Violation::new(
                    format!(
                        "{field} rule {i} allows ipBlock {} without except: every address",
                        text.trim()
                    ),
                    cidr.pos,
                    cidr.pointer,
                ));
            }
        }
        let ns_sel = locate(peer, &peer_base, peer.pos, &["namespaceSelector"]);
        if let Some(sel) = ns_sel.node {
            if selects_all(Some(sel)) && selects_all(peer.get("podSelector")) {
                out.push(Violation::new(
                    format!(
                        "{field} rule {i} has a peer with namespaceSelector: {{}} and no podSelector: every pod \
                         of every namespace"
                    ),
                    ns_sel.pos,
                    ns_sel.pointer,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn run(spec: serde_json::Value) -> Vec<String> {
        let obj = object(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                                "metadata": {"name": "p"}, "spec": spec}));
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        NetworkPolicyAllowsAllTraffic
            .check(&ctx, &obj)
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    #[test]
    fn patterns() {
        assert_eq!(run(json!({"podSelector": {}, "ingress": [{}]})).len(), 1);
        // DNS egress with ports only is fine.
        assert!(run(json!({"podSelector": {}, "policyTypes": ["Egress"],
                           "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}))
        .is_empty());
        assert_eq!(
            run(json!({"podSelector": {}, "policyTypes": ["Egress"],
                              "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]}))
            .len(),
            1
        );
        assert!(run(json!({"podSelector": {}, "policyTypes": ["Egress"],
                           "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}]}))
        .is_empty());
        assert_eq!(
            run(json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]})).len(),
            1
        );
        assert_eq!(
            run(json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}, "podSelector": {}}]}]}))
                .len(),
            1
        );
        assert!(run(json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "x"}}}]}]}))
        .is_empty());
        // Egress rules of an ingress-only policy are ignored.
        assert!(run(json!({"podSelector": {}, "policyTypes": ["Ingress"], "egress": [{}]})).is_empty());
    }
}
