//! Helpers shared by the workload hygiene rules.

use palisade_core::{
    CheckContext, ContainerKind, ContainerView, K8sObject, Node, PodSpecView, ScanIndex, Violation, Workload,
};

/// Whether the object is in one of the `system_namespaces` (an unset namespace is `default`). Per-object hygiene
/// rules skip those, as Azure Policy's initiatives exclude them by default: their workloads are managed by AKS.
pub(crate) fn in_system_namespace(ctx: &CheckContext, obj: &K8sObject) -> bool {
    ctx.params
        .is_system_namespace(obj.id.namespace.as_deref().unwrap_or("default"))
}

/// Whether the object's pods run to completion rather than serve: Jobs, CronJobs, and Pods that a Job owns or whose
/// `restartPolicy` is `Never` or `OnFailure`.
pub(crate) fn runs_to_completion(obj: &K8sObject, pod: &PodSpecView<'_>) -> bool {
    match obj.id.kind.as_str() {
        "Job" | "CronJob" => true,
        "Pod" => {
            matches!(pod.spec.get_str("restartPolicy"), Some("Never" | "OnFailure"))
                || palisade_core::index::owner_refs(&obj.root)
                    .iter()
                    .any(|o| o.kind == "Job")
        }
        _ => false,
    }
}

/// The containers that may set resources: regular and init containers (the API server forbids `resources`,
/// probes and lifecycle hooks on ephemeral containers).
pub(crate) fn resource_containers<'a>(pod: &'a PodSpecView<'a>) -> impl Iterator<Item = ContainerView<'a>> + 'a {
    pod.containers().filter(|c| c.kind != ContainerKind::Ephemeral)
}

/// Whether `resources.<section>.<resource>` is set (present and not null) on a container.
pub(crate) fn resource_set(c: &ContainerView<'_>, section: &str, resource: &str) -> bool {
    c.field(&["resources", section, resource])
        .node
        .is_some_and(|n| !n.is_null())
}

/// K8S-100 ... K8S-103: a violation for every regular and init container without
/// `resources.<section>.<resource>`. A missing request is not reported when the limit is set: the API server
/// defaults the request to the limit.
pub(crate) fn missing_resource(ctx: &CheckContext, obj: &K8sObject, section: &str, resource: &str) -> Vec<Violation> {
    let Some(pod) = obj.pod_spec() else {
        return Vec::new();
    };
    if in_system_namespace(ctx, obj) {
        return Vec::new();
    }
    resource_containers(&pod)
        .filter(|c| {
            let defaulted = section == "requests" && resource_set(c, "limits", resource);
            !resource_set(c, section, resource) && !defaulted
        })
        .map(|c| {
            let field = c.field(&["resources", section, resource]);
            Violation::new(
                format!("{} does not set resources.{section}.{resource}", c.label()),
                field.pos,
                field.pointer,
            )
        })
        .collect()
}

/// Whether a workload's controller (an owner reference with `controller: true`) is also in the scan: findings then
/// go to the controller only.
pub(crate) fn controlled_by_scanned(index: &ScanIndex, w: &Workload) -> bool {
    let ns = w.object.id.namespace.as_deref();
    w.owners.iter().any(|o| {
        o.controller
            && index.workloads.iter().any(|other| {
                other.object.id.kind == o.kind
                    && other.object.id.name.as_deref() == Some(o.name.as_str())
                    && other.object.id.namespace.as_deref() == ns
            })
    })
}

/// The largest `minReplicas` (default 1) of the HorizontalPodAutoscalers in `ns` whose `scaleTargetRef` names the
/// object `kind`/`name`; `None` when no HPA targets it.
pub(crate) fn hpa_min_replicas(index: &ScanIndex, ns: &str, kind: &str, name: &str) -> Option<i64> {
    index
        .in_namespace("HorizontalPodAutoscaler", ns)
        .filter(|hpa| {
            let target = hpa.root.path(&["spec", "scaleTargetRef"]);
            target.and_then(|t| t.get_str("kind")) == Some(kind) && target.and_then(|t| t.get_str("name")) == Some(name)
        })
        .map(|hpa| {
            hpa.root
                .path(&["spec", "minReplicas"])
                .and_then(Node::as_i64)
                .unwrap_or(1)
        })
        .max()
}

/// How many pods a workload keeps running, when that is known from the scan: `spec.replicas` (default 1) of a
/// Deployment, StatefulSet, ReplicaSet or ReplicationController, raised to the `minReplicas` of an HPA targeting
/// it; 1 for a Pod; `None` for DaemonSets (one per node), Jobs and CronJobs.
pub(crate) fn effective_replicas(index: &ScanIndex, w: &Workload) -> Option<i64> {
    let kind = w.object.id.kind.as_str();
    match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
            let replicas = w.replicas.unwrap_or(1);
            let name = w.object.id.name.as_deref().unwrap_or("");
            Some(match hpa_min_replicas(index, w.namespace(), kind, name) {
                Some(min) => replicas.max(min),
                None => replicas,
            })
        }
        "Pod" => Some(1),
        _ => None,
    }
}

/// The repository part of an image reference, lower-cased: registry and path without tag or digest
/// (`docker.io/kubernetesui/dashboard:v2.7.0` → `docker.io/kubernetesui/dashboard`).
pub(crate) fn image_repository(image: &str) -> String {
    let without_digest = image.split_once('@').map_or(image, |(r, _)| r);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repo = match without_digest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(colon) => without_digest.get(..last_slash + colon).unwrap_or(without_digest),
        None => without_digest,
    };
    repo.to_ascii_lowercase()
}

/// Whether a cross-object rule that needs objects of `kind` can judge namespace `ns`: its Namespace object was
/// scanned, or the scan holds objects of `kind` in it. Otherwise the rule reports the namespace as not evaluated.
pub(crate) fn can_judge(index: &ScanIndex, ns: &str, kind: &str) -> bool {
    crate::namespaces::util::is_defined(index, ns) || index.in_namespace(kind, ns).next().is_some()
}

/// Reports the namespaces a rule could not judge: `pending` maps each namespace to how many objects were left
/// undecided, described by `what` (`"Deployments with 2 or more replicas"`).
pub(crate) fn report_not_evaluated(
    out: &mut palisade_core::IndexOutput,
    pending: std::collections::BTreeMap<String, usize>,
    kind: &str,
    what: &str,
) {
    for (ns, count) in pending {
        out.not_evaluated(
            format!("namespace {ns}"),
            format!(
                "no {kind} objects and no Namespace object were scanned for namespace {ns}; {count} {what} not \
                 judged"
            ),
        );
    }
}

/// How messages name a workload of the index: `Deployment shop/web`.
pub(crate) fn describe(w: &Workload) -> String {
    crate::namespaces::util::describe(&w.object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        assert_eq!(
            image_repository("docker.io/kubernetesui/dashboard:v2.7.0"),
            "docker.io/kubernetesui/dashboard"
        );
        assert_eq!(
            image_repository("localhost:5000/helm/tiller@sha256:abc"),
            "localhost:5000/helm/tiller"
        );
        assert_eq!(image_repository("localhost:5000/tiller"), "localhost:5000/tiller");
        assert_eq!(image_repository("Tiller"), "tiller");
    }
}
