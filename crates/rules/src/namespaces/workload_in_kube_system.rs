//! K8S-065: user workloads running in `kube-system`.

use super::util::field_location;
use palisade_core::params::glob_match;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Names (globs) of the workloads AKS, its add-ons and the Kubernetes control plane run in kube-system.
const SYSTEM_WORKLOADS: &[&str] = &[
    "coredns*",
    "kube-dns*",
    "konnectivity-agent*",
    "tunnelfront*",
    "aks-*",
    "azure-*",
    "csi-*",
    "blobfuse*",
    "ama-*",
    "omsagent*",
    "calico-*",
    "cilium*",
    "hubble-*",
    "retina-agent*",
    "kube-proxy*",
    "metrics-server*",
    "cloud-node-manager*",
    "cloud-controller-manager*",
    "ip-masq-agent*",
    "node-local-dns*",
    "keda-*",
    "vpa-*",
    "eraser-*",
    "microsoft-defender-*",
    "aci-connector-linux*",
    "ingress-appgw-deployment*",
    "osm-*",
    "extension-agent*",
    "extension-operator*",
    "kube-apiserver*",
    "kube-controller-manager*",
    "kube-scheduler*",
    "etcd*",
];

/// Labels that mark an object as managed by AKS or the Kubernetes add-on manager: (key, value; `None` = any).
const SYSTEM_LABELS: &[(&str, Option<&str>)] = &[
    ("kubernetes.azure.com/managedby", Some("aks")),
    ("addonmanager.kubernetes.io/mode", None),
    ("tier", Some("control-plane")),
];

/// Metadata of K8S-065.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-065",
    name: "workload-in-kube-system",
    family: "namespaces",
    severity: Severity::Medium,
    profiles: &["nsa"],
    summary: "A workload that is not part of AKS or Kubernetes itself runs in the kube-system namespace.",
    remediation: "Move the workload to its own namespace with its own service account, RBAC and Pod Security \
                  level.",
    docs: r#"## What it does
Flags objects that embed a pod (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
CronJob) in `kube-system`, unless they are AKS or Kubernetes system components. System components are recognised
by name (coredns, kube-dns, konnectivity-agent, tunnelfront, aks-*, azure-*, csi-*, blobfuse*, ama-*, omsagent,
calico-*, cilium, hubble-*, retina-agent, kube-proxy, metrics-server, cloud-node-manager,
cloud-controller-manager, ip-masq-agent, node-local-dns, keda-*, vpa-*, eraser-*, microsoft-defender-*,
aci-connector-linux, ingress-appgw-deployment, osm-*, extension-agent, extension-operator and the kubeadm
control-plane pods) or by the labels `kubernetes.azure.com/managedby: aks`, `addonmanager.kubernetes.io/mode` or
`tier: control-plane` on the object or its pod template.

## Why is this bad?
kube-system holds the cluster's most privileged components and service accounts, is exempt from most admission
policies (Pod Security labels, Azure Policy's default exclusions) and is trusted by many RBAC rules. A user
workload there inherits that trust and escapes the controls applied to application namespaces.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing-api
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: billing-api
  template:
    metadata:
      labels:
        app: billing-api
    spec:
      containers:
        - name: api
          image: myacr.azurecr.io/billing-api:1.4.2
```

## Use instead
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing-api
  namespace: billing
spec:
  selector:
    matchLabels:
      app: billing-api
  template:
    metadata:
      labels:
        app: billing-api
    spec:
      containers:
        - name: api
          image: myacr.azurecr.io/billing-api:1.4.2
```

## References
- NSA/CISA Kubernetes Hardening Guidance, Namespaces
- Trivy KSV-0037 (user pods in kube-system)
"#,
    references: &["NSA/CISA Kubernetes Hardening Guidance", "Trivy KSV-0037"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags non-system workloads in kube-system.
pub struct WorkloadInKubeSystem;

fn has_system_label(labels: Option<&Node>) -> bool {
    let Some(map) = labels.and_then(Node::as_map) else {
        return false;
    };
    SYSTEM_LABELS
        .iter()
        .any(|(key, value)| map.get(key).is_some_and(|v| value.is_none() || v.as_str() == *value))
}

/// Whether a workload name and labels identify an AKS or Kubernetes system component.
fn is_system_component(obj: &K8sObject) -> bool {
    let name = obj.id.name.as_deref().unwrap_or("");
    if SYSTEM_WORKLOADS.iter().any(|p| glob_match(p, name)) {
        return true;
    }
    let pod_labels = obj.pod_spec().and_then(|p| p.metadata).and_then(|m| m.get("labels"));
    has_system_label(obj.labels()) || has_system_label(pod_labels)
}

impl Rule for WorkloadInKubeSystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        if obj.id.namespace.as_deref() != Some("kube-system") || is_system_component(obj) {
            return Vec::new();
        }
        let (pos, pointer) = field_location(obj, &["metadata", "namespace"]);
        vec![Violation::new(
            format!(
                "{} \"{}\" runs in kube-system but is not a known AKS or Kubernetes system component",
                obj.id.kind,
                obj.id.name.as_deref().unwrap_or("")
            ),
            pos,
            pointer,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::util::test_object;
    use serde_json::json;

    fn deployment(name: &str, labels: serde_json::Value) -> K8sObject {
        test_object(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "kube-system"},
            "spec": {"template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c"}]}}}
        }))
    }

    #[test]
    fn aks_add_ons_are_system_components() {
        for name in [
            "coredns",
            "coredns-autoscaler",
            "azure-cns",
            "csi-azuredisk-node",
            "ama-logs",
            "kube-proxy",
        ] {
            assert!(is_system_component(&deployment(name, json!({}))), "{name}");
        }
        assert!(!is_system_component(&deployment("billing", json!({}))));
        assert!(is_system_component(&deployment(
            "custom",
            json!({"addonmanager.kubernetes.io/mode": "Reconcile"})
        )));
        assert!(!is_system_component(&deployment(
            "custom",
            json!({"kubernetes.azure.com/managedby": "me"})
        )));
    }
}
