//! NET-016: pods that can reach the Azure Instance Metadata Service although their namespace restricts egress.

use super::util::{describe, has_policy_type, policy_selects, runs_pods, seq, workload_location, Cidr, Direction};
use palisade_core::object::locate;
use palisade_core::{
    IndexOutput, K8sObject, Node, Params, Pos, Rule, RuleMeta, ScanIndex, Severity, Status, Target, Workload,
};
use std::net::Ipv4Addr;

/// The Azure Instance Metadata Service (and the IMDS-compatible endpoint every cloud uses).
const IMDS: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);

/// Metadata of NET-016.
pub static META: RuleMeta = RuleMeta {
    id: "NET-016",
    name: "imds-egress-not-blocked",
    family: "network",
    severity: Severity::Low,
    profiles: &["nsa"],
    summary:
        "Egress NetworkPolicies of a namespace leave the Azure Instance Metadata Service (169.254.169.254) reachable.",
    remediation: "Add 169.254.169.254/32 to the except list of broad egress ipBlocks (or avoid rules without \"to\"), \
                  and cover every workload of the namespace with an egress policy.",
    docs: r#"## What it does
Looks at namespaces whose scanned NetworkPolicies restrict egress (at least one policy applies to `Egress`;
namespaces without any are reported by NET-002) and reports what lets pods reach the Azure Instance Metadata
Service at `169.254.169.254:80`:

- on a NetworkPolicy: each egress rule that allows it, because the rule has no `to` peers (every destination) or
  an `ipBlock` whose `cidr` contains 169.254.169.254 and whose `except` does not, and its `ports` are empty or
  include TCP port 80 (a numeric `port`, or a range up to `endPort`);
- on a workload: pods that no egress policy of the namespace selects, so their egress is not restricted at all.

Peers that are pod or namespace selectors never match the metadata service (it is not a pod), and neither do
IPv6 blocks. Pods that really need node identity (for example through `useVMManagedIdentity`) should use
workload identity instead, or the finding can be suppressed for them.

## Why is this bad?
The metadata service hands out tokens of the node's managed identities (kubelet identity, add-on identities) to
any process that can reach it. A compromised pod can use them to pull images from every registry the node can,
read Key Vaults or change Azure resources, well beyond what the pod itself was meant to do.

## Example
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-internet
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Egress"]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: ["10.0.0.0/8"]
```

## Use instead
```yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-internet
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Egress"]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: ["10.0.0.0/8", "169.254.169.254/32"]
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Protecting sensitive cloud infrastructure
- https://learn.microsoft.com/azure/aks/workload-identity-overview
- https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service
"#,
    references: &[
        "NSA/CISA Kubernetes Hardening Guidance, Protecting sensitive cloud infrastructure",
        "https://learn.microsoft.com/azure/aks/workload-identity-overview",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags egress rules and unselected workloads that leave IMDS reachable.
pub struct ImdsEgressNotBlocked;

/// Whether the rule's `ports` let TCP port 80 through.
fn ports_allow_http(rule: &Node) -> bool {
    let ports = seq(rule.get("ports"));
    ports.is_empty()
        || ports.iter().any(|p| {
            let tcp = p.get_str("protocol").is_none_or(|proto| proto == "TCP");
            let port_ok = match p.get("port") {
                None => true,
                Some(n) if n.is_null() => true,
                Some(n) => match (n.as_i64(), p.get("endPort").and_then(Node::as_i64)) {
                    (Some(start), Some(end)) => start <= 80 && 80 <= end,
                    (Some(port), None) => port == 80,
                    // A named port resolves against destination pods; the metadata service is not one.
                    (None, _) => false,
                },
            };
            tcp && port_ok
        })
}

/// Why an egress rule lets traffic reach IMDS, with the position and pointer to report.
fn rule_reaches_imds(rule: &Node, base: &str) -> Option<(String, Pos, String)> {
    if !ports_allow_http(rule) {
        return None;
    }
    let peers = seq(rule.get("to"));
    if peers.is_empty() {
        return Some((
            "it has no \"to\" peers (every destination)".to_string(),
            rule.pos,
            base.to_string(),
        ));
    }
    peers.iter().enumerate().find_map(|(j, peer)| {
        let loc = locate(peer, &format!("{base}/to/{j}"), peer.pos, &["ipBlock", "cidr"]);
        let text = loc.node.and_then(Node::as_str)?;
        if !Cidr::parse(text)?.contains_v4(IMDS) {
            return None;
        }
        let excepted = seq(peer.path(&["ipBlock", "except"]))
            .iter()
            .filter_map(Node::as_str)
            .filter_map(Cidr::parse)
            .any(|c| c.contains_v4(IMDS));
        (!excepted).then(|| {
            (
                format!("ipBlock {} does not except 169.254.169.254/32", text.trim()),
                loc.pos,
                loc.pointer.into(),
            )
        })
    })
}

impl Rule for ImdsEgressNotBlocked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let mut namespaces: Vec<&str> = index
            .of_kind("NetworkPolicy")
            .filter(|np| has_policy_type(np, Direction::Egress))
            .map(super::util::namespace_of)
            .filter(|ns| !params.is_system_namespace(ns))
            .collect();
        namespaces.sort_unstable();
        namespaces.dedup();
        // The workloads of those namespaces, gathered in one pass (scan order kept within each).
        let mut workloads: std::collections::HashMap<&str, Vec<&Workload>> =
            namespaces.iter().map(|ns| (*ns, Vec::new())).collect();
        for w in index.workloads_read_ahead() {
            if let Some(list) = workloads.get_mut(w.namespace()) {
                list.push(w);
            }
        }
        for ns in namespaces {
            let egress: Vec<&K8sObject> = index
                .in_namespace("NetworkPolicy", ns)
                .filter(|np| has_policy_type(np, Direction::Egress))
                .collect();
            for np in &egress {
                for (i, rule) in seq(np.root.path(&["spec", "egress"])).iter().enumerate() {
                    if rule.as_map().is_none() {
                        continue;
                    }
                    if let Some((why, pos, pointer)) = rule_reaches_imds(rule, &format!("/spec/egress/{i}")) {
                        out.violation(
                            np,
                            pos,
                            &pointer,
                            format!("egress rule {i} allows traffic to 169.254.169.254 (Azure IMDS): {why}"),
                        );
                    }
                }
            }
            for w in workloads.get(ns).map_or(&[][..], Vec::as_slice) {
                if !runs_pods(w)
                    || index.controlled_by_scanned(w)
                    || egress.iter().any(|np| policy_selects(np, &w.pod_labels))
                {
                    continue;
                }
                let (pos, pointer) = workload_location(w);
                out.violation(
                    &w.object,
                    pos,
                    pointer,
                    format!(
                        "pods of {} are selected by no egress NetworkPolicy of namespace \"{ns}\": they can reach \
                         169.254.169.254 (Azure IMDS)",
                        describe(&w.object)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn reaches(rule: serde_json::Value) -> bool {
        let node = Node::from_json(&rule, Pos::new(1, 1));
        rule_reaches_imds(&node, "/spec/egress/0").is_some()
    }

    #[test]
    fn rules() {
        assert!(reaches(json!({})));
        assert!(!reaches(json!({"ports": [{"port": 53, "protocol": "UDP"}]})));
        assert!(reaches(json!({"ports": [{"port": 80}]})));
        assert!(reaches(json!({"ports": [{"port": 1, "endPort": 1024}]})));
        assert!(!reaches(json!({"ports": [{"port": 443}]})));
        assert!(!reaches(json!({"ports": [{"port": "http"}]})));
        assert!(reaches(json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]})));
        assert!(reaches(
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]})
        ));
        assert!(!reaches(
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.0.0/16"]}}]})
        ));
        assert!(!reaches(json!({"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]})));
        assert!(!reaches(json!({"to": [{"ipBlock": {"cidr": "::/0"}}]})));
        assert!(!reaches(json!({"to": [{"namespaceSelector": {}}]})));
    }

    #[test]
    fn namespaces_with_egress_policies_only() {
        let mut index = ScanIndex::default();
        for o in [
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "deny", "namespace": "shop"},
                   "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop",
                   "labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db", "namespace": "shop",
                   "labels": {"app": "db"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "blog"},
                   "spec": {"containers": [{"name": "c", "image": "i"}]}}),
        ] {
            index.add(&object(o));
        }
        let mut out = IndexOutput::default();
        ImdsEgressNotBlocked.check_index(Params::default_ref(), &index, &mut out);
        assert_eq!(out.violations.len(), 1);
        assert!(out.violations[0].message.contains("Pod \"db\""));
    }
}
