//! Helpers shared by the network rules: NetworkPolicy semantics (defaulted policy types, selectors, default-deny),
//! CIDR arithmetic, annotations, and the namespace bookkeeping of the cross-object rules.
//!
//! NetworkPolicy fields are read the way the API server defaults them (`pkg/apis/networking/v1/defaults.go`): when
//! `policyTypes` is absent or empty, the policy is an Ingress policy, and also an Egress policy only when it has a
//! non-empty `egress` list. A `podSelector` that is absent or `null` decodes to the empty selector, which selects
//! every pod of the namespace.

pub(crate) use crate::namespaces::util::{is_namespace, namespaces_in_scope};
use palisade_core::object::locate;
use palisade_core::{IndexOutput, K8sObject, Located, Node, Params, Pos, ScanIndex, Workload};

/// A traffic direction of a NetworkPolicy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `Ingress`: rules in `spec.ingress`, peers in `from`.
    Ingress,
    /// `Egress`: rules in `spec.egress`, peers in `to`.
    Egress,
}

impl Direction {
    /// The `policyTypes` value (`Ingress`).
    pub(crate) fn policy_type(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    /// The rules field of the spec (`ingress`).
    pub(crate) fn field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The peers field of a rule (`from`).
    pub(crate) fn peers(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// The items of a sequence field, empty when absent, `null` or not a sequence.
pub(crate) fn seq(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).unwrap_or(&[])
}

/// Whether a NetworkPolicy applies to `dir`, with the API server's defaulting of `policyTypes`.
pub(crate) fn has_policy_type(np: &K8sObject, dir: Direction) -> bool {
    let spec = np.root.get("spec");
    let types = seq(spec.and_then(|s| s.get("policyTypes")));
    if types.is_empty() {
        return match dir {
            Direction::Ingress => true,
            Direction::Egress => !seq(spec.and_then(|s| s.get("egress"))).is_empty(),
        };
    }
    types.iter().any(|t| t.as_str() == Some(dir.policy_type()))
}

/// Whether a label selector selects everything: absent, `null`, or a map without `matchLabels` entries and without
/// `matchExpressions` items. (A selector that is present but not a map is invalid and selects nothing here.)
pub(crate) fn selects_all(selector: Option<&Node>) -> bool {
    let Some(sel) = selector else { return true };
    if sel.is_null() {
        return true;
    }
    if sel.as_map().is_none() {
        return false;
    }
    let labels_empty = sel
        .get("matchLabels")
        .is_none_or(|m| m.is_null() || m.as_map().is_some_and(|m| m.is_empty()));
    labels_empty && seq(sel.get("matchExpressions")).is_empty()
}

/// Whether a NetworkPolicy's `spec.podSelector` selects pods with these labels.
pub(crate) fn policy_selects(np: &K8sObject, labels: &[(String, String)]) -> bool {
    let selector = np.root.path(&["spec", "podSelector"]);
    if selects_all(selector) {
        return true;
    }
    selector.is_some_and(|s| s.as_map().is_some()) && palisade_core::index::selector_matches(selector, labels)
}

/// Whether a NetworkPolicy is a default-deny policy for `dir`: it selects every pod of its namespace, applies to
/// `dir`, and has no rules for `dir` (the list is absent, `null` or empty).
pub(crate) fn is_default_deny(np: &K8sObject, dir: Direction) -> bool {
    let spec = np.root.get("spec");
    selects_all(spec.and_then(|s| s.get("podSelector")))
        && has_policy_type(np, dir)
        && seq(spec.and_then(|s| s.get(dir.field()))).is_empty()
}

/// The namespace an object lives in (`default` when unset).
pub(crate) fn namespace_of(obj: &K8sObject) -> &str {
    obj.id.namespace.as_deref().unwrap_or("default")
}

/// The object's name, or `<unnamed>`.
pub(crate) fn name_of(obj: &K8sObject) -> &str {
    obj.id.name.as_deref().unwrap_or("<unnamed>")
}

/// Where a finding about a whole object goes: its `metadata.name` key (or the nearest existing parent).
pub(crate) fn name_location(obj: &K8sObject) -> Located<'_> {
    locate(&obj.root, "", obj.root.pos, &["metadata", "name"])
}

/// Looks up a field of an object by path.
pub(crate) fn field<'a>(obj: &'a K8sObject, path: &[&str]) -> Located<'a> {
    locate(&obj.root, "", obj.root.pos, path)
}

/// The string value of annotation `key` of an object, when present and a string.
pub(crate) fn annotation<'a>(obj: &'a K8sObject, key: &str) -> Option<&'a str> {
    obj.root.path(&["metadata", "annotations", key]).and_then(Node::as_str)
}

/// The kind and name of an object as messages show it: `Deployment "web"`.
pub(crate) fn describe(obj: &K8sObject) -> String {
    format!("{} \"{}\"", obj.id.kind, name_of(obj))
}

/// Labels as messages show them: `app=web, tier=front`, or `no labels`.
pub(crate) fn show_labels(labels: &[(String, String)]) -> String {
    if labels.is_empty() {
        return "no labels".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a workload runs pods (a PodTemplate object only describes them).
pub(crate) fn runs_pods(w: &Workload) -> bool {
    w.object.id.kind != "PodTemplate"
}

/// Position and pointer where findings about a workload's pods go: the pod spec key.
pub(crate) fn workload_location(w: &Workload) -> (Pos, &str) {
    (w.spec_pos, w.spec_pointer.as_str())
}

/// The scanned Namespace object named `ns`, if any.
pub(crate) fn namespace_object<'a>(index: &'a ScanIndex, ns: &str) -> Option<&'a K8sObject> {
    index.namespace_object(ns).filter(|o| is_namespace(o))
}

/// NET-001 / NET-002: every non-system namespace needs a default-deny NetworkPolicy for `dir`. A namespace defined
/// in the scan without one gets a finding on its Namespace object; a namespace that scanned objects only refer to
/// is judged when the scan holds NetworkPolicies in it (the finding goes on the first of them) and is otherwise
/// reported as not evaluated.
pub(crate) fn check_default_deny(index: &ScanIndex, params: &Params, out: &mut IndexOutput, dir: Direction) {
    let word = dir.field();
    let shape = format!(
        "podSelector: {{}}, policyTypes: [{}], no {word} rules",
        dir.policy_type()
    );
    for ns in namespaces_in_scope(index, params) {
        let policies: Vec<&K8sObject> = index.in_namespace("NetworkPolicy", ns.name).collect();
        if policies.iter().any(|np| is_default_deny(np, dir)) {
            continue;
        }
        match (ns.object, policies.first()) {
            (Some(ns_obj), _) => {
                let loc = name_location(ns_obj);
                out.violation(
                    ns_obj,
                    loc.pos,
                    &loc.pointer,
                    format!(
                        "namespace \"{}\" has no default-deny {word} NetworkPolicy ({shape})",
                        ns.name
                    ),
                );
            }
            (None, Some(first)) => {
                let loc = name_location(first);
                out.violation(
                    first,
                    loc.pos,
                    &loc.pointer,
                    format!(
                        "no NetworkPolicy scanned in namespace \"{}\" denies all {word} by default ({shape}); the \
                         Namespace object was not scanned",
                        ns.name
                    ),
                );
            }
            (None, None) => out.not_evaluated(
                format!("namespace {}", ns.name),
                format!(
                    "no NetworkPolicy objects and no Namespace object were scanned for namespace {}",
                    ns.name
                ),
            ),
        }
    }
}

/// The Azure annotation that makes a LoadBalancer Service internal.
pub(crate) const INTERNAL_LB_ANNOTATION: &str = "service.beta.kubernetes.io/azure-load-balancer-internal";

/// A Service's `spec.type` (`ClusterIP` when unset or not a string) and where it is (or where it would go).
pub(crate) fn service_type(svc: &K8sObject) -> (&str, Located<'_>) {
    let loc = field(svc, &["spec", "type"]);
    (loc.node.and_then(Node::as_str).unwrap_or("ClusterIP"), loc)
}

/// Whether a Service gets a public Azure load balancer: `type: LoadBalancer` without the internal annotation set to
/// `"true"` (the cloud provider reads the annotation as a string).
pub(crate) fn is_public_load_balancer(svc: &K8sObject) -> bool {
    service_type(svc).0 == "LoadBalancer" && annotation(svc, INTERNAL_LB_ANNOTATION) != Some("true")
}

/// What `spec.tls` of an Ingress covers.
pub(crate) struct IngressTls {
    /// At least one `spec.tls` entry exists.
    pub(crate) present: bool,
    /// An entry without `hosts` exists: it applies to every host the controller serves.
    pub(crate) covers_all: bool,
    /// The hosts listed by the entries.
    pub(crate) hosts: Vec<String>,
}

impl IngressTls {
    /// Reads `spec.tls` of an Ingress (networking.k8s.io/v1 and extensions/v1beta1 have the same shape).
    pub(crate) fn of(ingress: &K8sObject) -> IngressTls {
        let entries = seq(ingress.root.path(&["spec", "tls"]));
        let mut tls = IngressTls {
            present: !entries.is_empty(),
            covers_all: false,
            hosts: Vec::new(),
        };
        for e in entries {
            let hosts: Vec<&str> = seq(e.get("hosts")).iter().filter_map(Node::as_str).collect();
            if hosts.is_empty() {
                tls.covers_all = true;
            }
            tls.hosts.extend(hosts.into_iter().map(str::to_ascii_lowercase));
        }
        tls
    }

    /// Whether a rule host is served with TLS: listed exactly, or matched by a `*.domain` entry (one label).
    pub(crate) fn covers(&self, host: &str) -> bool {
        if self.covers_all {
            return true;
        }
        let host = host.to_ascii_lowercase();
        self.hosts.iter().any(|t| {
            *t == host
                || t.strip_prefix("*.").is_some_and(|domain| {
                    host.strip_suffix(domain)
                        .and_then(|rest| rest.strip_suffix('.'))
                        .is_some_and(|label| !label.is_empty() && !label.contains('.'))
                })
        })
    }
}

/// The rules of an Ingress (`spec.rules`), each with its index.
pub(crate) fn ingress_rules(ingress: &K8sObject) -> impl Iterator<Item = (usize, &Node)> {
    seq(ingress.root.path(&["spec", "rules"]))
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_map().is_some())
}

/// An IP network from CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cidr {
    /// IPv4 network address and prefix length.
    V4(u32, u8),
    /// IPv6 network address and prefix length.
    V6(u128, u8),
}

impl Cidr {
    /// Parses `a.b.c.d/n` or an IPv6 `addr/n` (surrounding whitespace ignored); `None` when invalid.
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = text.trim().split_once('/')?;
        let prefix: u8 = prefix.parse().ok()?;
        if let Ok(v4) = addr.parse::<std::net::Ipv4Addr>() {
            return (prefix <= 32).then_some(Cidr::V4(u32::from(v4), prefix));
        }
        let v6 = addr.parse::<std::net::Ipv6Addr>().ok()?;
        (prefix <= 128).then_some(Cidr::V6(u128::from(v6), prefix))
    }

    /// True for a network of prefix length 0 (`0.0.0.0/0`, `::/0`): every address of its family.
    pub(crate) fn is_everything(self) -> bool {
        matches!(self, Cidr::V4(_, 0) | Cidr::V6(_, 0))
    }

    /// Whether the network contains an IPv4 address.
    pub(crate) fn contains_v4(self, addr: std::net::Ipv4Addr) -> bool {
        match self {
            Cidr::V4(net, prefix) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                (net & mask) == (u32::from(addr) & mask)
            }
            Cidr::V6(..) => false,
        }
    }
}

/// Whether a textual CIDR is `0.0.0.0/0` or `::/0` (any prefix-0 network).
pub(crate) fn is_open_cidr(text: &str) -> bool {
    Cidr::parse(text).is_some_and(Cidr::is_everything)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use palisade_core::object::Source;
    use palisade_core::Pos;
    use serde_json::json;
    use std::sync::Arc;

    /// An object from JSON, for unit tests.
    pub(crate) fn object(json: serde_json::Value) -> K8sObject {
        let root = Node::from_json(&json, Pos::new(1, 1));
        K8sObject::from_node(
            root,
            Source {
                file: Arc::from("test.yaml"),
                document: 1,
                base_pointer: String::new(),
            },
        )
        .unwrap()
    }

    fn np(spec: serde_json::Value) -> K8sObject {
        object(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": {"name": "p", "namespace": "shop"}, "spec": spec}))
    }

    #[test]
    fn policy_types_default_like_the_api_server() {
        let ingress_only = np(json!({"podSelector": {}}));
        assert!(has_policy_type(&ingress_only, Direction::Ingress));
        assert!(!has_policy_type(&ingress_only, Direction::Egress));
        // An empty egress list does not make it an Egress policy.
        let empty_egress = np(json!({"podSelector": {}, "egress": []}));
        assert!(!has_policy_type(&empty_egress, Direction::Egress));
        let egress_rules = np(json!({"podSelector": {}, "egress": [{}]}));
        assert!(has_policy_type(&egress_rules, Direction::Egress));
        assert!(has_policy_type(&egress_rules, Direction::Ingress));
        let explicit = np(json!({"podSelector": {}, "policyTypes": ["Egress"]}));
        assert!(!has_policy_type(&explicit, Direction::Ingress));
        assert!(has_policy_type(&explicit, Direction::Egress));
    }

    #[test]
    fn default_deny() {
        let deny_in = np(json!({"podSelector": {}, "policyTypes": ["Ingress"]}));
        assert!(is_default_deny(&deny_in, Direction::Ingress));
        assert!(!is_default_deny(&deny_in, Direction::Egress));
        let implicit = np(json!({"podSelector": {}}));
        assert!(is_default_deny(&implicit, Direction::Ingress));
        let null_selector = np(json!({"podSelector": null, "ingress": []}));
        assert!(is_default_deny(&null_selector, Direction::Ingress));
        let both = np(
            json!({"podSelector": {"matchLabels": {}}, "policyTypes": ["Ingress", "Egress"],
                             "ingress": [], "egress": null}),
        );
        assert!(is_default_deny(&both, Direction::Ingress));
        assert!(is_default_deny(&both, Direction::Egress));
        // Allow-all rule, selective podSelector, or egress implied by nothing: not default-deny.
        assert!(!is_default_deny(
            &np(json!({"podSelector": {}, "ingress": [{}]})),
            Direction::Ingress
        ));
        assert!(!is_default_deny(
            &np(json!({"podSelector": {"matchLabels": {"app": "web"}}})),
            Direction::Ingress
        ));
        assert!(!is_default_deny(
            &np(json!({"podSelector": {}, "egress": []})),
            Direction::Egress
        ));
    }

    #[test]
    fn selectors() {
        let labels = vec![("app".to_string(), "web".to_string())];
        assert!(policy_selects(&np(json!({"podSelector": {}})), &labels));
        assert!(policy_selects(&np(json!({})), &labels));
        assert!(policy_selects(
            &np(json!({"podSelector": {"matchLabels": {"app": "web"}}})),
            &labels
        ));
        assert!(!policy_selects(
            &np(json!({"podSelector": {"matchLabels": {"app": "db"}}})),
            &labels
        ));
        assert!(policy_selects(
            &np(json!({"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}})),
            &labels
        ));
        assert!(!policy_selects(&np(json!({"podSelector": "bad"})), &labels));
    }

    #[test]
    fn tls_coverage() {
        let ing = object(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
                                "spec": {"tls": [{"hosts": ["shop.example.com", "*.Example.org"]}]}}),
        );
        let tls = IngressTls::of(&ing);
        assert!(tls.present && !tls.covers_all);
        assert!(tls.covers("SHOP.example.com"));
        assert!(tls.covers("api.example.org"));
        assert!(!tls.covers("example.org"));
        assert!(!tls.covers("a.b.example.org"));
        assert!(!tls.covers("xexample.org"));
        assert!(!tls.covers("blog.example.com"));
        let all = object(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
                                "spec": {"tls": [{"secretName": "x"}]}}),
        );
        assert!(IngressTls::of(&all).covers("anything.example"));
    }

    #[test]
    fn cidrs() {
        let imds = std::net::Ipv4Addr::new(169, 254, 169, 254);
        assert!(is_open_cidr("0.0.0.0/0"));
        assert!(is_open_cidr("::/0"));
        assert!(is_open_cidr(" 10.0.0.0/0 "));
        assert!(!is_open_cidr("0.0.0.0/1"));
        assert!(!is_open_cidr("0.0.0.0"));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains_v4(imds));
        assert!(Cidr::parse("169.254.0.0/16").unwrap().contains_v4(imds));
        assert!(Cidr::parse("169.254.169.254/32").unwrap().contains_v4(imds));
        assert!(!Cidr::parse("169.254.169.253/32").unwrap().contains_v4(imds));
        assert!(!Cidr::parse("10.0.0.0/8").unwrap().contains_v4(imds));
        assert!(!Cidr::parse("::/0").unwrap().contains_v4(imds));
        assert_eq!(Cidr::parse("1.2.3.4/33"), None);
        assert_eq!(Cidr::parse("fd00::/129"), None);
    }
}
