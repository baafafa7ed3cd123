//! NET-006: a public LoadBalancer Service that accepts traffic from any address.

use super::util::{annotation, field, is_open_cidr, is_public_load_balancer, seq, service_type};
use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The annotation listing allowed source IP ranges (comma-separated).
const ALLOWED_IP_RANGES: &str = "service.beta.kubernetes.io/azure-allowed-ip-ranges";
/// The annotation listing allowed Azure service tags (comma-separated).
const ALLOWED_SERVICE_TAGS: &str = "service.beta.kubernetes.io/azure-allowed-service-tags";
/// The generic (deprecated) annotation form of `spec.loadBalancerSourceRanges` (comma-separated).
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

/// Metadata of NET-006.
pub static META: RuleMeta = RuleMeta {
    id: "NET-006",
    name: "load-balancer-open-to-any-source",
    family: "network",
    severity: Severity::Medium,
    profiles: &["seed"],
    summary: "A public LoadBalancer Service accepts traffic from any source address.",
    remediation: "Set spec.loadBalancerSourceRanges (or the azure-allowed-ip-ranges / azure-allowed-service-tags \
                  annotation) to the client networks that need access.",
    docs: r#"## What it does
For Services of `type: LoadBalancer` that are public (no `service.beta.kubernetes.io/azure-load-balancer-internal:
"true"`, see NET-005), checks the source restrictions the Azure cloud provider turns into NSG rules:
`spec.loadBalancerSourceRanges` (or its older annotation form `service.beta.kubernetes.io/load-balancer-source-ranges`),
and the annotations `service.beta.kubernetes.io/azure-allowed-ip-ranges` and
`service.beta.kubernetes.io/azure-allowed-service-tags` (comma-separated lists). It reports

- a public load balancer with none of the three set: open to `0.0.0.0/0`;
- an entry that allows everything: a range `0.0.0.0/0` or `::/0` (any prefix-0 network), or the service tag
  `Internet`.

## Why is this bad?
Without source ranges the NSG rule the cloud provider creates allows the whole internet to the service ports, so
scanners and credential-stuffing bots reach the application directly.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 443
```

## Use instead
```yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 203.0.113.0/24
  selector:
    app: api
  ports:
    - port: 443
```

## References
- seed:001 (filter traffic by IP)
- https://learn.microsoft.com/azure/aks/load-balancer-standard#restrict-inbound-traffic-to-specific-ip-ranges
"#,
    references: &[
        "seed:001",
        "https://learn.microsoft.com/azure/aks/load-balancer-standard",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["Service"]),
    pss: None,
};

/// Flags public LoadBalancer Services without source restrictions.
pub struct LoadBalancerOpenToAnySource;

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

impl Rule for LoadBalancerOpenToAnySource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if !is_public_load_balancer(obj) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let ranges_loc = field(obj, &["spec", "loadBalancerSourceRanges"]);
        let ranges = seq(ranges_loc.node);
        for (i, r) in ranges.iter().enumerate() {
            if let Some(text) = r.as_str().filter(|t| is_open_cidr(t)) {
                let loc = locate_at(r, ranges_loc.pointer.index(i), r.pos, &[]);
                out.push(Violation::new(
                    format!("spec.loadBalancerSourceRanges includes {}: every address", text.trim()),
                    loc.pos,
                    loc.pointer,
                ));
            }
        }
        let mut restricted = ranges.iter().any(|r| r.as_str().is_some_and(|t| !t.trim().is_empty()));
        for (key, open) in [
            (ALLOWED_IP_RANGES, &is_open_cidr as &dyn Fn(&str) -> bool),
            (SOURCE_RANGES_ANNOTATION, &is_open_cidr),
            (ALLOWED_SERVICE_TAGS, &|t: &str| t.eq_ignore_ascii_case("Internet")),
        ] {
            let Some(value) = annotation(obj, key) else { continue };
            restricted |= split_list(value).next().is_some();
            if let Some(entry) = split_list(value).find(|e| open(e)) {
                let loc = field(obj, &["metadata", "annotations", key]);
                out.push(Violation::new(
                    format!("annotation {key} allows {entry}: every address"),
                    loc.pos,
                    loc.pointer,
                ));
            }
        }
        if !restricted {
            let (_, loc) = service_type(obj);
            out.push(Violation::new(
                "public LoadBalancer Service sets no spec.loadBalancerSourceRanges and no azure-allowed-ip-ranges \
                 or azure-allowed-service-tags annotation: it accepts traffic from 0.0.0.0/0",
                loc.pos,
                loc.pointer,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn run(annotations: serde_json::Value, spec_extra: serde_json::Value) -> Vec<String> {
        let mut spec = json!({"type": "LoadBalancer", "ports": [{"port": 443}]});
        if let (Some(s), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
            s.extend(extra.clone());
        }
        let obj = object(json!({"apiVersion": "v1", "kind": "Service",
                                "metadata": {"name": "s", "annotations": annotations}, "spec": spec}));
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        LoadBalancerOpenToAnySource
            .check(&ctx, &obj)
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    #[test]
    fn sources() {
        assert_eq!(run(json!({}), json!({})).len(), 1);
        assert!(run(json!({}), json!({"loadBalancerSourceRanges": ["203.0.113.0/24"]})).is_empty());
        assert_eq!(
            run(json!({}), json!({"loadBalancerSourceRanges": ["0.0.0.0/0"]})).len(),
            1
        );
        assert!(run(json!({ALLOWED_IP_RANGES: "203.0.113.0/24, 198.51.100.0/24"}), json!({})).is_empty());
        assert_eq!(
            run(json!({ALLOWED_IP_RANGES: "203.0.113.0/24,0.0.0.0/0"}), json!({})).len(),
            1
        );
        assert!(run(json!({ALLOWED_SERVICE_TAGS: "AzureFrontDoor.Backend"}), json!({})).is_empty());
        assert!(run(json!({SOURCE_RANGES_ANNOTATION: "203.0.113.0/24"}), json!({})).is_empty());
        assert_eq!(run(json!({SOURCE_RANGES_ANNOTATION: "0.0.0.0/0"}), json!({})).len(), 1);
        assert_eq!(run(json!({ALLOWED_SERVICE_TAGS: "internet"}), json!({})).len(), 1);
        assert_eq!(run(json!({ALLOWED_IP_RANGES: " "}), json!({})).len(), 1);
        // Internal load balancers are out of scope.
        assert!(run(
            json!({"service.beta.kubernetes.io/azure-load-balancer-internal": "true"}),
            json!({})
        )
        .is_empty());
    }
}
