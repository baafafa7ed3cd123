//! K8S-116: Helm v2's Tiller is deployed.

use super::util::image_repository;
use crate::namespaces::util::field_location;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-116.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-116",
    name: "helm-tiller-deployed",
    family: "hygiene",
    severity: Severity::Low,
    profiles: &[],
    summary: "A workload runs Tiller, the server side of Helm v2.",
    remediation: "Migrate the releases to Helm 3 (helm-2to3) and delete the Tiller deployment, service and service \
                  account.",
    docs: r#"## What it does
Flags objects that embed a pod with a container, init container or ephemeral container whose image repository
ends in `/tiller` or is `tiller` (one finding per container, at its `image`), or, when no image matches, whose name
starts with `tiller-deploy` or whose pod template carries the labels `app: helm` and `name: tiller`.

## Why is this bad?
Helm v2 reached end of life in November 2020. Tiller usually runs with cluster-admin rights and, by default,
serves an unauthenticated gRPC API inside the cluster: any pod that can reach it can install arbitrary charts
with cluster-admin rights.

## Example
```yaml
spec:
  containers:
    - name: tiller
      image: gcr.io/kubernetes-helm/tiller:v2.16.12
```

## Use instead
Delete Tiller. Helm 3 has no in-cluster component: it talks to the API server with the credentials of whoever runs
it, so a deployment pipeline gets only the rights of its own service account:
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: deployer
  namespace: shop
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: shop
roleRef:
  kind: ClusterRole
  name: edit
  apiGroup: rbac.authorization.k8s.io
```

## References
- Trivy KSV-0102; Checkov CKV_K8S_34, CKV_K8S_44, CKV_K8S_45
- https://helm.sh/blog/helm-v2-deprecation-timeline/
"#,
    references: &[
        "Trivy KSV-0102",
        "Checkov CKV_K8S_34",
        "https://helm.sh/blog/helm-v2-deprecation-timeline/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags workloads running Tiller.
pub struct HelmTillerDeployed;

/// Whether an image is Tiller.
fn is_tiller_image(image: &str) -> bool {
    let repo = image_repository(image);
    repo == "tiller" || repo.ends_with("/tiller")
}

impl Rule for HelmTillerDeployed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out: Vec<Violation> = pod
            .containers()
            .filter_map(|c| {
                let field = c.field(&["image"]);
                let image = field.node.and_then(Node::as_str)?;
                is_tiller_image(image).then(|| {
                    Violation::new(
                        format!("{} runs the Helm v2 Tiller image \"{image}\"", c.label()),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect();
        let name = obj.id.name.as_deref().unwrap_or("");
        let labels = pod.metadata.and_then(|m| m.get("labels"));
        let label = |k: &str| labels.and_then(|l| l.get_str(k));
        let tiller_labels = label("app") == Some("helm") && label("name") == Some("tiller");
        if out.is_empty() && (name.starts_with("tiller-deploy") || tiller_labels) {
            let (pos, pointer) = field_location(obj, &["metadata", "name"]);
            out.push(Violation::new(
                format!("{} \"{name}\" looks like Helm v2's Tiller", obj.id.kind),
                pos,
                pointer,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiller_images() {
        assert!(is_tiller_image("gcr.io/kubernetes-helm/tiller:v2.16.12"));
        assert!(is_tiller_image("ghcr.io/helm/tiller@sha256:0123"));
        assert!(is_tiller_image("tiller"));
        assert!(!is_tiller_image("myacr.azurecr.io/tiller-exporter:1.0"));
        assert!(!is_tiller_image("myacr.azurecr.io/distiller:1.0"));
    }
}
