//! K8S-085: namespaces where no admission policy verifies image signatures.

use palisade_core::object::locate;
use palisade_core::params::glob_match;
use palisade_core::{IndexOutput, K8sObject, Node, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeSet;

/// Metadata of K8S-085.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-085",
    name: "image-signature-not-verified",
    family: "images",
    severity: Severity::Info,
    profiles: &["azure-policy", "seed"],
    summary: "No admission policy in the scan verifies image signatures for the namespace.",
    remediation: "Enable AKS Image Integrity (Ratify with Azure Policy) or a Kyverno verifyImages policy that covers \
                  the namespace, and sign images in your pipeline with Notation or Cosign.",
    docs: r#"## What it does
Looks for image signature verification among the admission policies of the scan: a Kyverno `ClusterPolicy` with
a rule that has `verifyImages` and matches pods (or pod controllers) in the namespace, or a Gatekeeper
`ConstraintTemplate` for Ratify (AKS Image Integrity; a template whose name, kind or Rego mentions `ratify` or
`imageintegrity`). Then, for every non-system namespace:
- a namespace whose Namespace object was scanned and that no such policy covers gets a finding on the Namespace
  object;
- a namespace that only workloads refer to is reported as not evaluated when nothing in the scan covers it.

Kyverno coverage reads `match`/`exclude` `resources.namespaces` (with `*` and `?` wildcards) under
`resources`, `any` and `all`; namespace selectors are not evaluated and count as matching. Gatekeeper constraints
are not kept by the scan, so a Ratify template is taken to cover every namespace. Kyverno namespaced `Policy`
objects, Sigstore policy-controller and Connaisseur are not recognised. This is meant for live scans, where
every policy of the cluster is present; in a manifest scan the policies usually live elsewhere, which is why the
rule is advisory (info).

## Why is this bad?
Without signature verification the cluster runs any image it can pull, including images pushed with stolen registry
credentials or swapped in a compromised registry. Verifying signatures at admission ties what runs to what your
pipeline built and signed.

## Example
A namespace, with no ClusterPolicy using `verifyImages` and no Ratify ConstraintTemplate in the cluster:
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
```

## Use instead
```yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify-image-signatures
spec:
  validationFailureAction: Enforce
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds: ["Pod"]
      verifyImages:
        - imageReferences: ["myacr.azurecr.io/*"]
          attestors:
            - entries:
                - keys:
                    publicKeys: |-
                      -----BEGIN PUBLIC KEY-----
                      ...
                      -----END PUBLIC KEY-----
```

## References
- Azure Policy cf426bb8 (Image Integrity: only signed images) and initiative af28bf8b
- seed:003 (sign container images)
"#,
    references: &["Azure Policy cf426bb8", "Azure Policy af28bf8b", "seed:003"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Kinds a Kyverno rule may match for image verification to apply to pods (Kyverno auto-generates rules for pod
/// controllers from Pod rules).
const POD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
    "*",
];

/// The string items of a sequence node.
fn strings(node: Option<&Node>) -> Vec<&str> {
    node.and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// The `resources` filters of a Kyverno `match` or `exclude` block (`resources`, `any[].resources`,
/// `all[].resources`).
fn resource_filters(block: Option<&Node>) -> Vec<&Node> {
    let Some(block) = block else {
        return Vec::new();
    };
    let mut out: Vec<&Node> = block.get("resources").into_iter().collect();
    for list in ["any", "all"] {
        for item in block.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            out.extend(item.get("resources"));
        }
    }
    out
}

/// Whether a Kyverno resource filter's `namespaces` (when present) names `ns`.
fn filter_names_namespace(filter: &Node, ns: &str) -> Option<bool> {
    let list = strings(filter.get("namespaces"));
    (!list.is_empty()).then(|| list.iter().any(|p| glob_match(p, ns)))
}

/// Whether a Kyverno resource filter can select pods or pod controllers (no `kinds` list selects nothing, but
/// Kyverno rejects such rules, so treat it as matching).
fn filter_selects_pods(filter: &Node) -> bool {
    let kinds = strings(filter.get("kinds"));
    kinds.is_empty()
        || kinds.iter().any(|k| {
            let kind = k.rsplit('/').next().unwrap_or(k);
            POD_KINDS.contains(&kind)
        })
}

/// Whether one Kyverno rule with `verifyImages` applies to pods in `ns`.
fn kyverno_rule_covers(rule: &Node, ns: &str) -> bool {
    if rule
        .get("verifyImages")
        .and_then(Node::as_seq)
        .is_none_or(<[Node]>::is_empty)
    {
        return false;
    }
    let matches = resource_filters(rule.get("match"));
    let matched = matches.is_empty()
        || matches
            .iter()
            .any(|f| filter_selects_pods(f) && filter_names_namespace(f, ns).unwrap_or(true));
    let excluded = resource_filters(rule.get("exclude"))
        .iter()
        .any(|f| filter_names_namespace(f, ns) == Some(true));
    matched && !excluded
}

/// Whether a Kyverno ClusterPolicy verifies images of pods in `ns`.
fn cluster_policy_covers(policy: &K8sObject, ns: &str) -> bool {
    policy.id.api_version.starts_with("kyverno.io/")
        && policy
            .root
            .path(&["spec", "rules"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .any(|rule| kyverno_rule_covers(rule, ns))
}

/// Whether a Gatekeeper ConstraintTemplate is Ratify's (AKS Image Integrity).
fn is_ratify_template(template: &K8sObject) -> bool {
    let mentions = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("ratify") || s.contains("imageintegrity")
    };
    let name = template.id.name.as_deref().unwrap_or("");
    let kind = template
        .root
        .path(&["spec", "crd", "spec", "names", "kind"])
        .and_then(Node::as_str)
        .unwrap_or("");
    let rego = template
        .root
        .path(&["spec", "targets"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .any(|t| t.get_str("rego").is_some_and(|r| r.contains("\"ratify\"")));
    template.id.api_version.starts_with("templates.gatekeeper.sh/") && (mentions(name) || mentions(kind) || rego)
}

/// Flags namespaces no image-verification policy covers.
pub struct ImageSignatureNotVerified;

impl Rule for ImageSignatureNotVerified {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        if index.of_kind("ConstraintTemplate").any(is_ratify_template) {
            return;
        }
        let policies: Vec<&K8sObject> = index.of_kind("ClusterPolicy").collect();
        let covered = |ns: &str| policies.iter().any(|p| cluster_policy_covers(p, ns));
        let mut defined = BTreeSet::new();
        for ns_obj in index.of_kind("Namespace").filter(|o| o.id.api_version == "v1") {
            let Some(ns) = ns_obj.id.name.as_deref() else {
                continue;
            };
            if !defined.insert(ns) || params.is_system_namespace(ns) || covered(ns) {
                continue;
            }
            let loc = locate(&ns_obj.root, "", ns_obj.root.pos, &["metadata", "name"]);
            out.violation(
                ns_obj,
                loc.pos,
                &loc.pointer,
                format!(
                    "namespace {ns}: no admission policy in the scan verifies image signatures (no Kyverno \
                     ClusterPolicy with verifyImages covering it, no Ratify/Image Integrity ConstraintTemplate)"
                ),
            );
        }
        let referenced: BTreeSet<&str> = index
            .workloads
            .iter()
            .map(|w| w.namespace())
            .filter(|ns| !defined.contains(ns) && !params.is_system_namespace(ns))
            .collect();
        for ns in referenced {
            if !covered(ns) {
                out.not_evaluated(
                    format!("namespace {ns}"),
                    format!(
                        "no image signature verification policy in the scan covers namespace {ns}, and neither its \
                         Namespace object nor the cluster's admission policies were scanned"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::object::Source;
    use palisade_core::Pos;
    use std::sync::Arc;

    fn obj(json: serde_json::Value) -> K8sObject {
        let source = Source {
            file: Arc::from("t.yaml"),
            document: 1,
            base_pointer: String::new(),
        };
        K8sObject::from_node(Node::from_json(&json, Pos::new(1, 1)), source).unwrap()
    }

    fn policy(rule: serde_json::Value) -> K8sObject {
        obj(serde_json::json!({
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "verify"},
            "spec": {"rules": [rule]}
        }))
    }

    #[test]
    fn kyverno_match_and_exclude() {
        let all = policy(serde_json::json!({
            "name": "r", "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "verifyImages": [{"imageReferences": ["*"]}]
        }));
        assert!(cluster_policy_covers(&all, "shop"));
        let only_prod = policy(serde_json::json!({
            "name": "r", "match": {"resources": {"kinds": ["Pod"], "namespaces": ["prod-*"]}},
            "verifyImages": [{"imageReferences": ["*"]}]
        }));
        assert!(cluster_policy_covers(&only_prod, "prod-eu"));
        assert!(!cluster_policy_covers(&only_prod, "shop"));
        let excluded = policy(serde_json::json!({
            "name": "r", "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "exclude": {"any": [{"resources": {"namespaces": ["shop"]}}]},
            "verifyImages": [{"imageReferences": ["*"]}]
        }));
        assert!(!cluster_policy_covers(&excluded, "shop"));
        assert!(cluster_policy_covers(&excluded, "web"));
        let no_verify = policy(serde_json::json!({
            "name": "r", "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "validate": {"pattern": {}}
        }));
        assert!(!cluster_policy_covers(&no_verify, "shop"));
        let services = policy(serde_json::json!({
            "name": "r", "match": {"any": [{"resources": {"kinds": ["Service"]}}]},
            "verifyImages": [{"imageReferences": ["*"]}]
        }));
        assert!(!cluster_policy_covers(&services, "shop"));
    }

    #[test]
    fn ratify_templates() {
        let t = obj(serde_json::json!({
            "apiVersion": "templates.gatekeeper.sh/v1",
            "kind": "ConstraintTemplate",
            "metadata": {"name": "ratifyverification"},
            "spec": {"crd": {"spec": {"names": {"kind": "RatifyVerification"}}}}
        }));
        assert!(is_ratify_template(&t));
        let other = obj(serde_json::json!({
            "apiVersion": "templates.gatekeeper.sh/v1",
            "kind": "ConstraintTemplate",
            "metadata": {"name": "k8srequiredlabels"},
            "spec": {"crd": {"spec": {"names": {"kind": "K8sRequiredLabels"}}}}
        }));
        assert!(!is_ratify_template(&other));
    }
}
