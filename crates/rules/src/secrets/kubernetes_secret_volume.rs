//! SEC-005: a pod mounting native Kubernetes Secrets instead of an external secret store.

use palisade_core::object::locate_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of SEC-005.
pub static META: RuleMeta = RuleMeta {
    id: "SEC-005",
    name: "kubernetes-secret-volume",
    family: "secrets",
    severity: Severity::Info,
    profiles: &["cis-aks", "nsa", "seed"],
    summary:
        "A pod mounts a native Kubernetes Secret; an external store (Key Vault via Secrets Store CSI) is preferred.",
    remediation: "Keep the secret in Azure Key Vault and mount it with a secrets-store.csi.k8s.io volume and a \
                  SecretProviderClass.",
    docs: r#"## What it does
Reports, as advice, each `spec.volumes[*].secret` and each `secret` source of a `projected` volume, naming the
volume and the Secret. The rule cannot see whether the cluster has the Key Vault provider (AKS-043/AKS-044 check
the cluster configuration), so it is informational: suppress it for Secrets that only Kubernetes can hold (for
example image pull or webhook certificates managed by cert-manager).

## Why is this bad?
A Kubernetes Secret lives in etcd, readable by anyone with `get secrets` in the namespace (and by every pod that
mounts it), and its lifecycle (rotation, audit, expiry) is manual. Azure Key Vault keeps the secret outside the
cluster, with access logs, rotation and per-identity access policies; the CSI driver mounts it without creating a
Secret object.

## Example
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      volumeMounts:
        - name: creds
          mountPath: /mnt/creds
  volumes:
    - name: creds
      secret:
        secretName: api-creds
```

## Use instead
```yaml
spec:
  containers:
    - name: api
      image: myacr.azurecr.io/api:2.3.1
      volumeMounts:
        - name: creds
          mountPath: /mnt/creds
          readOnly: true
  volumes:
    - name: creds
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: api-creds
```

## References
- seed:000, seed:002, seed:004 (Key Vault via the Secrets Store CSI driver)
- CIS Azure Kubernetes Service Benchmark 4.5.2 (consider external secret storage)
- NSA/CISA Kubernetes Hardening Guidance, Secrets
"#,
    references: &[
        "seed:000",
        "CIS AKS Benchmark 4.5.2",
        "NSA/CISA Kubernetes Hardening Guidance, Secrets",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Reports Secret volumes and projected Secret sources.
pub struct KubernetesSecretVolume;

impl Rule for KubernetesSecretVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let volumes = pod.field(&["volumes"]);
        for (i, vol) in volumes.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
            let base = volumes.pointer.index(i);
            let name = vol.get_str("name").unwrap_or("");
            let secret = locate_at(vol, base.clone(), vol.pos, &["secret"]);
            if let Some(s) = secret.node.filter(|n| n.as_map().is_some()) {
                out.push(Violation::new(
                    format!(
                        "volume \"{name}\" mounts Kubernetes Secret \"{}\"; consider Key Vault through the Secrets \
                         Store CSI driver",
                        s.get_str("secretName").unwrap_or("")
                    ),
                    secret.pos,
                    secret.pointer,
                ));
            }
            let sources = locate_at(vol, base, vol.pos, &["projected", "sources"]);
            for (j, src) in sources.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let loc = locate_at(src, sources.pointer.index(j), src.pos, &["secret"]);
                if let Some(s) = loc.node.filter(|n| n.as_map().is_some()) {
                    out.push(Violation::new(
                        format!(
                            "projected volume \"{name}\" includes Kubernetes Secret \"{}\"; consider Key Vault through \
                             the Secrets Store CSI driver",
                            s.get_str("name").unwrap_or("")
                        ),
                        loc.pos,
                        loc.pointer,
                    ));
                }
            }
        }
        out
    }
}
