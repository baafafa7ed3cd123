//! SEC-006: an Azure SecretProviderClass that authenticates with a weak identity mode or lacks required parameters.

use palisade_core::object::locate;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-006.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-006",
    name: "secret-provider-class-weak-identity",
    family: "secrets",
    severity: Severity::Medium,
    profiles: &["cis-aks", "nsa", "seed"],
    summary: "An Azure SecretProviderClass reaches Key Vault with pod identity, the node's identity or a service \
              principal instead of workload identity.",
    remediation: "Set parameters.clientID to the workload identity's client ID (with useVMManagedIdentity and \
                  usePodIdentity unset or \"false\"), and set keyvaultName, tenantID and objects.",
    docs: r#"## What it does
For `SecretProviderClass` objects with `spec.provider: azure`, reads `spec.parameters` the way the Azure Key Vault
provider does (values are strings; booleans parsed like Go's `strconv.ParseBool`, so `"true"`, `"True"`, `"1"`
and `"t"` are true) and follows the provider's choice of identity:

1. `usePodIdentity` true: AAD Pod Identity, deprecated and replaced by workload identity (medium);
2. else `useVMManagedIdentity` true: the node pool's (kubelet or add-on) managed identity, shared by every pod on
   the node; a `clientID` next to it is ignored (seed:002's example makes this mistake) (medium);
3. else `clientID` set: workload identity, the recommended mode (no finding);
4. else: no identity, so the provider falls back to service principal credentials from the volume's
   `nodePublishSecretRef` Secret (medium).

It also reports, at severity low, a missing or empty `keyvaultName`, `tenantID` (or the older `tenantId`) and
`objects` without any `objectName`: the mount fails or targets the wrong tenant. Other providers (Vault, AWS, GCP)
are not checked.

## Why is this bad?
Node-level identities let any pod scheduled on the node read the vault, so a compromise of one workload exposes the
secrets of all of them. AAD Pod Identity is deprecated and intercepted IMDS traffic through a privileged DaemonSet;
service principal secrets stored in Kubernetes Secrets must be rotated by hand. Workload identity binds the vault
access to one Kubernetes service account.

## Example
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-kv
spec:
  provider: azure
  parameters:
    useVMManagedIdentity: "true"
    userAssignedIdentityID: 00000000-0000-0000-0000-000000000000
    keyvaultName: shop-kv
    tenantID: 11111111-1111-1111-1111-111111111111
    objects: |
      array:
        - |
          objectName: api-key
          objectType: secret
```

## Use instead
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-kv
spec:
  provider: azure
  parameters:
    clientID: 00000000-0000-0000-0000-000000000000
    keyvaultName: shop-kv
    tenantID: 11111111-1111-1111-1111-111111111111
    objects: |
      array:
        - |
          objectName: api-key
          objectType: secret
```

## References
- seed:000 (Key Vault via Secrets Store CSI), seed:002 (SecretProviderClass example with useVMManagedIdentity)
- CIS Azure Kubernetes Service Benchmark 4.5.2 (consider external secret storage)
- https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access
"#,
    references: &[
        "seed:000",
        "seed:002",
        "CIS AKS Benchmark 4.5.2",
        "https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access",
    ],
    status: Status::Preview,
    target: Target::Kinds(&["SecretProviderClass"]),
    pss: None,
};

/// Flags weak identity modes and missing parameters of Azure SecretProviderClasses.
pub struct SecretProviderClassWeakIdentity;

/// Go's `strconv.ParseBool` after trimming, as the provider reads boolean parameters; `None` when unset or invalid.
pub(crate) fn parse_bool(value: Option<&str>) -> Option<bool> {
    match value?.trim() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A string parameter, trimmed; `None` when unset, empty or not a string.
pub(crate) fn param<'a>(params: Option<&'a Node>, key: &str) -> Option<&'a str> {
    params?.get_str(key).map(str::trim).filter(|v| !v.is_empty())
}

impl Rule for SecretProviderClassWeakIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if obj.root.path(&["spec", "provider"]).and_then(Node::as_str) != Some("azure") {
            return Vec::new();
        }
        let params_loc = locate(&obj.root, "", obj.root.pos, &["spec", "parameters"]);
        let params = params_loc.node;
        let at = |key: &str| locate(&obj.root, "", obj.root.pos, &["spec", "parameters", key]);
        let mut out = Vec::new();
        if parse_bool(params.and_then(|p| p.get_str("usePodIdentity"))) == Some(true) {
            let loc = at("usePodIdentity");
            out.push(Violation::new(
                "SecretProviderClass uses AAD Pod Identity (usePodIdentity: \"true\"), which is deprecated; use \
                 workload identity (clientID)",
                loc.pos,
                loc.pointer,
            ));
        } else if parse_bool(params.and_then(|p| p.get_str("useVMManagedIdentity"))) == Some(true) {
            let loc = at("useVMManagedIdentity");
            let which = match param(params, "userAssignedIdentityID") {
                Some(id) => format!("the node pool's user-assigned identity {id}"),
                None => "the node's system-assigned identity".to_string(),
            };
            let ignored = if param(params, "clientID").is_some() {
                "; its clientID is ignored"
            } else {
                ""
            };
            out.push(Violation::new(
                format!(
                    "SecretProviderClass uses {which} (useVMManagedIdentity: \"true\"), which every pod on the node \
                     can use{ignored}"
                ),
                loc.pos,
                loc.pointer,
            ));
        } else if param(params, "clientID").is_none() {
            out.push(Violation::new(
                "SecretProviderClass sets no clientID, useVMManagedIdentity or usePodIdentity: the provider falls \
                 back to service principal credentials from nodePublishSecretRef",
                params_loc.pos,
                params_loc.pointer.clone(),
            ));
        }
        let missing = |what: &str| {
            Violation::new(
                format!("SecretProviderClass sets no {what}"),
                params_loc.pos,
                params_loc.pointer.clone(),
            )
            .with_severity(Severity::Low)
        };
        if param(params, "keyvaultName").is_none() {
            out.push(missing("keyvaultName"));
        }
        if param(params, "tenantID").is_none() && param(params, "tenantId").is_none() {
            out.push(missing("tenantID"));
        }
        if !param(params, "objects").is_some_and(|o| o.contains("objectName")) {
            out.push(missing("objects with an objectName"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::util::tests::object;
    use serde_json::json;

    fn run(params: serde_json::Value) -> Vec<String> {
        let obj = object(
            json!({"apiVersion": "secrets-store.csi.x-k8s.io/v1", "kind": "SecretProviderClass",
                                "metadata": {"name": "s"}, "spec": {"provider": "azure", "parameters": params}}),
        );
        let ctx = CheckContext::with_pss(palisade_core::PssPolicy::default());
        SecretProviderClassWeakIdentity
            .check(&ctx, &obj)
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    #[test]
    fn identity_modes_in_provider_order() {
        let base = json!({"keyvaultName": "kv", "tenantID": "t", "objects": "array:\n  - |\n    objectName: a\n"});
        let with = |extra: serde_json::Value| {
            let mut p = base.clone();
            p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            run(p)
        };
        assert!(with(json!({"clientID": "c"})).is_empty());
        assert!(with(json!({"clientID": "c", "useVMManagedIdentity": "false"})).is_empty());
        let vm = with(json!({"clientID": "c", "useVMManagedIdentity": "True"}));
        assert_eq!(vm.len(), 1);
        assert!(vm[0].contains("clientID is ignored"), "{vm:?}");
        assert_eq!(
            with(json!({"usePodIdentity": "1", "useVMManagedIdentity": "true"})).len(),
            1
        );
        assert!(with(json!({}))[0].contains("service principal"));
        assert_eq!(run(json!({"clientID": "c", "tenantId": "t"})).len(), 2);
        assert_eq!(parse_bool(Some(" yes ")), None);
        assert_eq!(parse_bool(Some(" t ")), Some(true));
    }
}
