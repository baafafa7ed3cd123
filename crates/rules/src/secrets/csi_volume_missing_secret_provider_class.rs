//! SEC-009: a Secrets Store CSI volume that references a SecretProviderClass missing from its namespace.

use crate::network::util::runs_pods;
use palisade_core::{IndexOutput, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};
use std::collections::BTreeSet;

/// Metadata of SEC-009.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-009",
    name: "csi-volume-missing-secret-provider-class",
    family: "secrets",
    severity: Severity::Low,
    profiles: &["nsa", "seed"],
    summary: "A secrets-store.csi.k8s.io volume names a SecretProviderClass that does not exist in its namespace.",
    remediation: "Create the SecretProviderClass in the workload's namespace, or fix the volume's \
                  volumeAttributes.secretProviderClass.",
    docs: r#"## What it does
For every `csi` volume with `driver: secrets-store.csi.k8s.io`, looks up
`volumeAttributes.secretProviderClass` among the SecretProviderClasses of the workload's namespace (they are
namespaced: a class in another namespace does not count).

- When the scan holds SecretProviderClasses in that namespace but not the named one, the volume is reported.
- When the scan holds no SecretProviderClass in that namespace, the namespace is reported as not evaluated: the
  classes may be deployed from another repository.

Pods whose controller is in the same scan are reported once, on the controller.

## Why is this bad?
The pod cannot start (the volume mount fails and the pod stays in `ContainerCreating`), and the usual quick fix
under pressure is to put the secret back into an environment variable or a Kubernetes Secret.

## Example
```yaml
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: api-kv
  namespace: shop
spec:
  provider: azure
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
  volumes:
    - name: secrets
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: api-keyvault
```

## Use instead
```yaml
  volumes:
    - name: secrets
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: api-kv
```

## References
- seed:000, seed:002 (Key Vault via the Secrets Store CSI driver)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
- https://secrets-store-csi-driver.sigs.k8s.io/getting-started/usage
"#,
    references: &[
        "seed:000",
        "seed:002",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
        "https://secrets-store-csi-driver.sigs.k8s.io/getting-started/usage",
    ],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags CSI volumes naming a SecretProviderClass missing from their namespace.
pub struct CsiVolumeMissingSecretProviderClass;

impl Rule for CsiVolumeMissingSecretProviderClass {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let mut not_evaluated = BTreeSet::new();
        for w in index.workloads_read_ahead() {
            if w.secret_provider_classes.is_empty() || !runs_pods(w) || index.controlled_by_scanned(w) {
                continue;
            }
            let ns = w.namespace();
            let classes: BTreeSet<&str> = index
                .in_namespace("SecretProviderClass", ns)
                .filter_map(|s| s.id.name.as_deref())
                .collect();
            if classes.is_empty() {
                not_evaluated.insert(ns);
                continue;
            }
            for (name, pos, pointer) in &w.secret_provider_classes {
                if !classes.contains(name.as_str()) {
                    out.violation(
                        &w.object,
                        *pos,
                        pointer,
                        format!("Secrets Store CSI volume names SecretProviderClass \"{name}\", which namespace \"{ns}\" does not have"),
                    );
                }
            }
        }
        for ns in not_evaluated {
            out.not_evaluated(
                format!("namespace {ns}"),
                format!("no SecretProviderClass objects were scanned for namespace {ns}"),
            );
        }
    }
}
