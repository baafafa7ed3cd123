//! SEC-008: workload identity wiring that does not match between pod, service account and SecretProviderClass.

use super::secret_provider_class_weak_identity::param;
use crate::network::util::{describe, runs_pods};
use palisade_core::{
    IndexOutput, K8sObject, Node, Params, Pos, Rule, RuleMeta, ScanIndex, Severity, Status, Target, Workload,
};

/// The pod label that asks the workload identity webhook to inject a federated token.
pub(crate) const USE_LABEL: &str = "azure.workload.identity/use";
/// The service account annotation naming the Entra ID application or managed identity.
pub(crate) const CLIENT_ID_ANNOTATION: &str = "azure.workload.identity/client-id";

/// Metadata of SEC-008.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-008",
    name: "workload-identity-wiring-inconsistent",
    family: "secrets",
    severity: Severity::Low,
    profiles: &["nsa", "seed"],
    summary: "Pod label, service account annotation and SecretProviderClass clientID of Azure workload identity do \
              not match.",
    remediation: "Label the pods azure.workload.identity/use: \"true\", annotate their service account with \
                  azure.workload.identity/client-id, and use the same client ID in the SecretProviderClass.",
    docs: r#"## What it does
For every workload of the scan, compares the three places Azure workload identity is configured:

- pods labelled `azure.workload.identity/use: "true"` whose service account (`default` when unset) has no
  `azure.workload.identity/client-id` annotation: the webhook injects a token, but no client ID to use it with;
- pods without that label whose service account has the annotation: the webhook injects nothing, so the SDK falls
  back to other credentials (often the node's identity);
- a Secrets Store CSI volume whose SecretProviderClass sets `parameters.clientID` different from the service
  account's client ID: the federated credential of the service account does not belong to that identity.

When the service account was not scanned, a workload that uses the label or a CSI volume is reported as not
evaluated. Pods whose controller is in the same scan are reported once, on the controller; workloads in system
namespaces are skipped.

## Why is this bad?
Mis-wired workload identity fails at runtime in ways that invite insecure fixes: teams fall back to node managed
identity (shared by every pod on the node) or to client secrets in Kubernetes Secrets.

## Example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: myacr.azurecr.io/api:2.3.1
```

## Use instead
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000000
```

## References
- seed:002 (service account annotation and pod label for workload identity)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
- https://learn.microsoft.com/azure/aks/workload-identity-overview
"#,
    references: &[
        "seed:002",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
        "https://learn.microsoft.com/azure/aks/workload-identity-overview",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags inconsistent workload identity wiring.
pub struct WorkloadIdentityWiringInconsistent;

/// The service account client ID annotation, trimmed, when set.
fn client_id(sa: &K8sObject) -> Option<&str> {
    sa.root
        .path(&["metadata", "annotations", CLIENT_ID_ANNOTATION])
        .and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Where findings about a workload's identity go: its service account key, else its pod spec.
fn identity_location(w: &Workload) -> (Pos, String) {
    match &w.service_account {
        Some((_, pos)) => (*pos, format!("{}/serviceAccountName", w.spec_pointer)),
        None => (w.spec_pos, w.spec_pointer.clone()),
    }
}

impl Rule for WorkloadIdentityWiringInconsistent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if params.is_system_namespace(ns) || !runs_pods(w) || index.controlled_by_scanned(w) {
                continue;
            }
            let sa_name = w.service_account_name();
            let uses = w.pod_labels.iter().any(|(k, v)| k == USE_LABEL && v == "true");
            let Some(sa) = index.named("ServiceAccount", ns, sa_name) else {
                if uses || !w.secret_provider_classes.is_empty() {
                    out.not_evaluated(
                        format!(
                            "{} {ns}/{}",
                            w.object.id.kind,
                            w.object.id.name.as_deref().unwrap_or("<unnamed>")
                        ),
                        format!("ServiceAccount {ns}/{sa_name} was not scanned"),
                    );
                }
                continue;
            };
            let sa_client_id = client_id(sa);
            // Located only when reported (most workloads are wired consistently).
            let message = match (uses, sa_client_id) {
                (true, None) => Some(format!(
                    "pods of {} carry label {USE_LABEL}: \"true\" but ServiceAccount \"{sa_name}\" has no \
                     annotation {CLIENT_ID_ANNOTATION}",
                    describe(&w.object)
                )),
                (false, Some(_)) => Some(format!(
                    "{} runs as ServiceAccount \"{sa_name}\" (annotated {CLIENT_ID_ANNOTATION}) but its pods lack \
                     label {USE_LABEL}: \"true\", so no federated token is injected",
                    describe(&w.object)
                )),
                _ => None,
            };
            if let Some(message) = message {
                let (pos, pointer) = identity_location(w);
                out.violation(&w.object, pos, &pointer, message);
            }
            let Some(sa_id) = sa_client_id else { continue };
            for (spc_name, pos, pointer) in &w.secret_provider_classes {
                let Some(spc) = index.named("SecretProviderClass", ns, spc_name) else {
                    continue;
                };
                let spc_id = param(spc.root.path(&["spec", "parameters"]), "clientID");
                if let Some(spc_id) = spc_id.filter(|id| !id.eq_ignore_ascii_case(sa_id)) {
                    out.violation(
                        &w.object,
                        *pos,
                        pointer,
                        format!(
                            "SecretProviderClass \"{spc_name}\" uses clientID {spc_id} but ServiceAccount \
                             \"{sa_name}\" is annotated with client ID {sa_id}"
                        ),
                    );
                }
            }
        }
    }
}
