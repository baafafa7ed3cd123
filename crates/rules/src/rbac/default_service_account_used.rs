//! RBAC-016: workloads whose pods run as the namespace's `default` ServiceAccount.

use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of RBAC-016.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-016",
    name: "default-service-account-used",
    family: "rbac",
    severity: Severity::Low,
    profiles: &["seed", "cis-aks"],
    summary: "Pods run as the namespace's default ServiceAccount.",
    remediation: "Create a ServiceAccount for the workload and set spec.serviceAccountName to it (with \
                  automountServiceAccountToken: false unless it calls the Kubernetes API).",
    docs: r#"## What it does
Reports pod specs (Pods and the pod templates of every workload kind) whose `serviceAccountName` is unset or
`default`. The deprecated `serviceAccount` field is read as the API server reads it: it names the account when
`serviceAccountName` is empty.

## Why is this bad?
All pods of a namespace that do not choose an account share `default`. Anything granted to it for one
workload is granted to all of them, their API calls cannot be told apart in audit logs, and per-workload
identities (Azure Workload Identity federates on the ServiceAccount name) become impossible.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: app
          image: myacr.azurecr.io/checkout:1.4.2
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      serviceAccountName: checkout
      automountServiceAccountToken: false
      containers:
        - name: app
          image: myacr.azurecr.io/checkout:1.4.2
```

## References
- CIS Azure Kubernetes Service Benchmark 4.1.5 (default service accounts are not actively used), 5.2.1
- seed:003 (separate service accounts for different applications)
"#,
    references: &["CIS AKS Benchmark 4.1.5", "CIS AKS Benchmark 5.2.1", "seed:003"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags pod specs that run as the `default` ServiceAccount.
pub struct DefaultServiceAccountUsed;

impl Rule for DefaultServiceAccountUsed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        // The API server fills an empty serviceAccountName from the deprecated serviceAccount field.
        let named = ["serviceAccountName", "serviceAccount"].iter().find_map(|key| {
            let loc = pod.field(&[key]);
            let name = loc.node.and_then(|n| n.as_str()).filter(|s| !s.is_empty())?;
            Some((*key, name, loc))
        });
        match named {
            Some((_, name, _)) if name != "default" => Vec::new(),
            Some((key, _, loc)) => vec![Violation::new(
                format!("pod spec sets {key}: default; pods run as the namespace's default ServiceAccount"),
                loc.pos,
                loc.pointer,
            )],
            None => {
                let loc = pod.field(&["serviceAccountName"]);
                let what = if loc.node.is_some() {
                    "pod spec sets an empty serviceAccountName"
                } else {
                    "pod spec does not set serviceAccountName"
                };
                vec![Violation::new(
                    format!("{what}; pods run as the namespace's default ServiceAccount"),
                    loc.pos,
                    loc.pointer,
                )]
            }
        }
    }
}
