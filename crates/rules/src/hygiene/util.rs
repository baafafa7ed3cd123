//! Helpers shared by the workload hygiene rules.

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};
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

/// Identity of a namespaced object: (kind, namespace, name), the namespace `default` when unset.
type Key<'a> = (&'a str, &'a str, &'a str);

/// Lookups cross-object hygiene rules make for every workload, built once per scan so a rule stays linear in the
/// size of the scan.
pub(crate) struct Lookup<'a> {
    /// Workloads by namespace, in scan order; gathered on first use (one rule of those building the lookups
    /// asks for them).
    workloads_by_ns: std::cell::OnceCell<HashMap<&'a str, Vec<&'a Workload>>>,
    /// Names of the scanned `v1` Namespace objects.
    defined: HashSet<&'a str>,
    /// The index (retained objects by kind and namespace are its lookups).
    index: &'a ScanIndex,
    /// Largest HPA `minReplicas` (default 1) by target (kind, namespace, name).
    hpa_min: HashMap<Key<'a>, i64>,
}

impl<'a> Lookup<'a> {
    /// Builds the lookups over a scan index.
    pub(crate) fn new(index: &'a ScanIndex) -> Self {
        let mut lookup = Lookup {
            workloads_by_ns: std::cell::OnceCell::new(),
            defined: HashSet::new(),
            index,
            hpa_min: HashMap::new(),
        };
        // Only the kinds asked about are visited (the index keeps them by kind): a pass over every retained object
        // per rule was a cache miss per object in a large scan.
        for obj in index.of_kind("Namespace") {
            if let (true, Some(name)) = (crate::namespaces::util::is_namespace(obj), obj.id.name.as_deref()) {
                lookup.defined.insert(name);
            }
        }
        for obj in index.of_kind("HorizontalPodAutoscaler") {
            let ns = obj.id.namespace.as_deref().unwrap_or("default");
            let target = obj.root.path(&["spec", "scaleTargetRef"]);
            if let (Some(kind), Some(name)) = (
                target.and_then(|t| t.get_str("kind")),
                target.and_then(|t| t.get_str("name")),
            ) {
                let min = obj
                    .root
                    .path(&["spec", "minReplicas"])
                    .and_then(Node::as_i64)
                    .unwrap_or(1);
                let entry = lookup.hpa_min.entry((kind, ns, name)).or_insert(min);
                *entry = (*entry).max(min);
            }
        }
        lookup
    }

    /// Retained objects of `kind` in namespace `ns`, in scan order.
    pub(crate) fn in_namespace(&self, kind: &'a str, ns: &'a str) -> impl Iterator<Item = &'a K8sObject> + 'a {
        self.index.in_namespace(kind, ns)
    }

    /// Workloads in namespace `ns`, in scan order.
    pub(crate) fn workloads_in(&self, ns: &str) -> &[&'a Workload] {
        self.workloads_by_ns
            .get_or_init(|| {
                let mut by_ns: HashMap<&'a str, Vec<&'a Workload>> = HashMap::new();
                for w in self.index.workloads_read_ahead() {
                    by_ns.entry(w.namespace()).or_default().push(w);
                }
                by_ns
            })
            .get(ns)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether a rule that needs objects of `kind` can judge namespace `ns`: its Namespace object was scanned, or
    /// the scan holds objects of `kind` in it. Otherwise the rule reports the namespace as not evaluated.
    pub(crate) fn can_judge(&self, ns: &'a str, kind: &'a str) -> bool {
        self.defined.contains(ns) || self.in_namespace(kind, ns).next().is_some()
    }

    /// The largest `minReplicas` (default 1) of the HorizontalPodAutoscalers in `ns` whose `scaleTargetRef` names
    /// `kind`/`name`; `None` when no HPA targets it.
    pub(crate) fn hpa_min_replicas(&self, ns: &'a str, kind: &'a str, name: &'a str) -> Option<i64> {
        self.hpa_min.get(&(kind, ns, name)).copied()
    }

    /// How many pods a workload keeps running, when the scan tells: `spec.replicas` (default 1) of a Deployment,
    /// StatefulSet, ReplicaSet or ReplicationController, raised to the `minReplicas` of an HPA targeting it; 1 for
    /// a Pod; `None` for DaemonSets (one per node), Jobs and CronJobs.
    pub(crate) fn effective_replicas(&self, w: &'a Workload) -> Option<i64> {
        let kind = w.object.id.kind.as_str();
        match kind {
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
                let replicas = w.replicas.unwrap_or(1);
                let name = w.object.id.name.as_deref().unwrap_or("");
                Some(match self.hpa_min_replicas(w.namespace(), kind, name) {
                    Some(min) => replicas.max(min),
                    None => replicas,
                })
            }
            "Pod" => Some(1),
            _ => None,
        }
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
    use crate::namespaces::util::test_index;
    use serde_json::json;

    fn deployment(name: &str, replicas: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "shop"},
               "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"app": name}},
                        "spec": {"containers": [{"name": "c"}]}}}})
    }

    #[test]
    fn lookup_controllers_hpas_and_replicas() {
        let index = test_index(vec![
            deployment("web", json!(null)),
            deployment("api", json!(3)),
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                   "metadata": {"name": "web-1", "namespace": "shop",
                                "ownerReferences": [{"kind": "Deployment", "name": "web", "controller": true}]},
                   "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}),
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "orphan", "namespace": "shop",
                                "ownerReferences": [{"kind": "ReplicaSet", "name": "gone", "controller": true}]},
                   "spec": {"containers": [{"name": "c"}]}}),
            json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "shop"},
                   "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}),
            json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                   "metadata": {"name": "web", "namespace": "shop"},
                   "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 4}}),
            json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                   "metadata": {"name": "api", "namespace": "shop"},
                   "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "api"}}}),
        ]);
        let lookup = Lookup::new(&index);
        let w = |name: &str| {
            index
                .workloads
                .iter()
                .find(|w| w.object.id.name.as_deref() == Some(name))
                .unwrap()
        };
        assert!(index.controlled_by_scanned(w("web-1")));
        assert!(!index.controlled_by_scanned(w("orphan")));
        assert!(!index.controlled_by_scanned(w("web")));
        assert_eq!(lookup.effective_replicas(w("web")), Some(4));
        assert_eq!(lookup.effective_replicas(w("api")), Some(3));
        assert_eq!(lookup.hpa_min_replicas("shop", "Deployment", "api"), Some(1));
        assert_eq!(lookup.effective_replicas(w("orphan")), Some(1));
        assert_eq!(lookup.effective_replicas(w("agent")), None);
        assert!(lookup.can_judge("shop", "HorizontalPodAutoscaler"));
        assert!(!lookup.can_judge("shop", "Service"));
        assert_eq!(lookup.workloads_in("shop").len(), 5);
    }

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
