//! K8S-115: the Kubernetes Dashboard is deployed.

use super::util::image_repository;
use crate::namespaces::util::field_location;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-115.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-115",
    name: "kubernetes-dashboard-deployed",
    family: "hygiene",
    severity: Severity::Medium,
    profiles: &[],
    summary: "A workload runs the Kubernetes Dashboard.",
    remediation: "Remove the Kubernetes Dashboard and use the Azure portal's Kubernetes resource view or kubectl \
                  with Entra ID authentication instead.",
    docs: r#"## What it does
Flags objects that embed a pod (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job,
CronJob) with a container, init container or ephemeral container whose image repository contains
`kubernetes-dashboard` or `kubernetesui/dashboard` (one finding per container, at its `image`), or, when no image
matches, whose own name contains `kubernetes-dashboard`.

## Why is this bad?
The Dashboard is a web UI with the permissions of its service account; many installations grant it broad or
cluster-admin rights or enable skip-login, and exposed dashboards are a well-known route to cluster takeover
(Tesla's cryptojacking incident). AKS removed its dashboard add-on (AKS-029); the Azure portal offers the same view
with Entra ID authentication and auditing.

## Example
```yaml
spec:
  containers:
    - name: kubernetes-dashboard
      image: docker.io/kubernetesui/dashboard:v2.7.0
```

## Use instead
Delete the dashboard workload. People who need to browse the cluster use the Azure portal's Kubernetes resources
view or kubectl, signed in with Entra ID and granted read-only access:
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: shop-viewers
  namespace: shop
subjects:
  - kind: Group
    name: 6f1c2d3e-0000-4000-8000-000000000000  # Entra ID group object ID
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: view
  apiGroup: rbac.authorization.k8s.io
```

## References
- AKS-029 (legacy kubeDashboard add-on); Checkov CKV_K8S_33; Kubescape C-0014
- https://learn.microsoft.com/azure/aks/kubernetes-portal
"#,
    references: &[
        "Checkov CKV_K8S_33",
        "Kubescape C-0014",
        "https://learn.microsoft.com/azure/aks/kubernetes-portal",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags workloads running the Kubernetes Dashboard.
pub struct KubernetesDashboardDeployed;

/// Whether an image is the Kubernetes Dashboard.
fn is_dashboard_image(image: &str) -> bool {
    let repo = image_repository(image);
    repo.contains("kubernetes-dashboard") || repo.contains("kubernetesui/dashboard")
}

impl Rule for KubernetesDashboardDeployed {
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
                let image = field.node.and_then(|n| n.as_str())?;
                is_dashboard_image(image).then(|| {
                    Violation::new(
                        format!("{} runs the Kubernetes Dashboard image \"{image}\"", c.label()),
                        field.pos,
                        field.pointer,
                    )
                })
            })
            .collect();
        let name = obj.id.name.as_deref().unwrap_or("");
        if out.is_empty() && name.to_ascii_lowercase().contains("kubernetes-dashboard") {
            let (pos, pointer) = field_location(obj, &["metadata", "name"]);
            out.push(Violation::new(
                format!("{} \"{name}\" looks like the Kubernetes Dashboard", obj.id.kind),
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
    fn dashboard_images() {
        assert!(is_dashboard_image("kubernetesui/dashboard:v2.7.0"));
        assert!(is_dashboard_image("docker.io/kubernetesui/dashboard-api:1.0.0"));
        assert!(is_dashboard_image("k8s.gcr.io/kubernetes-dashboard-amd64:v1.10.1"));
        assert!(!is_dashboard_image("grafana/grafana:10.0.0"));
        assert!(!is_dashboard_image("myacr.azurecr.io/dashboard:1.0"));
    }
}
