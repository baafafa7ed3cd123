//! RBAC-018: workloads whose pods get a ServiceAccount token mounted (pod spec ?? ServiceAccount ?? true).

use super::resolve::{workload_scope, Automount, Lookup};
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target, Workload};

/// Annotation (on the workload or its pod template) declaring that the pods call the Kubernetes API and need the
/// token: the rule's allowlist.
pub const API_ACCESS_ANNOTATION: &str = "palisade.io/kubernetes-api-access";

/// Metadata of RBAC-018.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-018",
    name: "service-account-token-automounted",
    family: "rbac",
    severity: Severity::Medium,
    profiles: &["cis-aks", "azure-policy", "nsa"],
    summary: "Pods get a ServiceAccount API token mounted automatically.",
    remediation: "Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount); pods that call \
                  the Kubernetes API can opt in with the palisade.io/kubernetes-api-access: \"true\" annotation.",
    docs: r#"## What it does
Works out the effective `automountServiceAccountToken` of each workload's pods the way the kubelet does: the pod
spec's setting, else the ServiceAccount's, else `true`. It reports the workload when the result is `true`:

- the pod spec sets `true`: reported at that key;
- the pod spec leaves it unset and the ServiceAccount (namespace + `serviceAccountName`, `default` when unset) is
  in the scan: its setting decides;
- the ServiceAccount is `default` and not in the scan: Kubernetes creates it without the field, so the token is
  mounted (unless `default` was changed outside the scanned manifests, which the message says);
- any other ServiceAccount that is not in the scan: the workload is listed as not evaluated.

Workloads in system namespaces (parameter `system_namespaces`, as Azure Policy exempts them) and pods managed by
a scanned controller (reported at the controller) are skipped. Workloads that do call the API can opt out with
the annotation `palisade.io/kubernetes-api-access: "true"` on the workload or its pod template.

## Why is this bad?
The token lets any process in the pod call the Kubernetes API as the ServiceAccount. Most applications never do;
for them the mounted token only helps an attacker who gets code execution, who can then use whatever the account
is granted (and, with `default`, whatever anyone granted to `default`).

## Example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-sa
  namespace: production
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: production
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      serviceAccountName: app-sa
      containers:
        - name: app
          image: myacr.azurecr.io/myapp:1.0.0
```

## Use instead
```yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-sa
  namespace: production
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: production
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      serviceAccountName: app-sa
      automountServiceAccountToken: false
      containers:
        - name: app
          image: myacr.azurecr.io/myapp:1.0.0
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.6 (service account tokens are only mounted where necessary)
- Azure Policy 423dd1ba (disable automounting API credentials), mutation 57f274ef
- NSA/CISA Kubernetes Hardening Guidance, protecting Pod service account tokens
- seed:002 (example Deployment with serviceAccountName and no automount setting)
"#,
    references: &[
        "CIS AKS Benchmark 4.1.6",
        "Azure Policy 423dd1ba",
        "Azure Policy 57f274ef",
        "NSA/CISA Kubernetes Hardening Guidance",
        "seed:002",
    ],
    status: Status::Stable,
    target: Target::Index,
    pss: None,
};

/// Flags workloads whose pods automount a ServiceAccount token.
pub struct ServiceAccountTokenAutomounted;

/// Whether the workload or its pod template carries the allowlist annotation.
fn allowlisted(w: &Workload) -> bool {
    let on_workload = w
        .object
        .root
        .path(&["metadata", "annotations", API_ACCESS_ANNOTATION])
        .and_then(|n| n.as_str())
        == Some("true");
    on_workload
        || w.pod_annotations
            .iter()
            .any(|(k, v)| k == API_ACCESS_ANNOTATION && v == "true")
}

impl Rule for ServiceAccountTokenAutomounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        for w in index.workloads_read_ahead() {
            let ns = w.namespace();
            if params.is_system_namespace(ns) || index.controlled_by_scanned(w) || allowlisted(w) {
                continue;
            }
            let sa = w.service_account_name();
            let spec = (w.spec_pos, std::borrow::Cow::Borrowed(w.spec_pointer.as_str()));
            let (pos, pointer, message) = match lookup.automount(w) {
                Automount::PodSpec(false, _)
                | Automount::ServiceAccount(Some(false)) => continue,
                Automount::PodSpec(true, pos) => (
                    pos,
                    std::borrow::Cow::Owned(format!("{}/automountServiceAccountToken", w.spec_pointer)),
                    format!("pod spec sets automountServiceAccountToken: true, mounting the token of ServiceAccount {ns}/{sa}"),
                ),
                Automount::ServiceAccount(Some(true)) => (
                    spec.0,
                    spec.1,
                    format!(
                        "pod spec does not set automountServiceAccountToken and ServiceAccount {ns}/{sa} sets it to \
                         true, so pods get its API token"
                    ),
                ),
                Automount::ServiceAccount(None) => (
                    spec.0,
                    spec.1,
                    format!(
                        "pod spec does not set automountServiceAccountToken and ServiceAccount {ns}/{sa} does not \
                         disable it, so pods get its API token"
                    ),
                ),
                Automount::UnscannedDefault => (
                    spec.0,
                    spec.1,
                    format!(
                        "pod spec does not set automountServiceAccountToken and runs as ServiceAccount {ns}/default, \
                         which automounts its API token unless it was changed outside the scanned manifests"
                    ),
                ),
                Automount::Unknown => {
                    out.not_evaluated(
                        workload_scope(w),
                        format!("ServiceAccount {ns}/{sa} was not scanned"),
                    );
                    continue;
                }
            };
            out.violation(&w.object, pos, &pointer, message);
        }
    }
}
