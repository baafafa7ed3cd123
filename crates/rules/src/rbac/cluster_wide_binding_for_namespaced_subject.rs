//! RBAC-021: ClusterRoleBindings that grant a namespaced-only role to a namespaced subject, where a RoleBinding
//! would do.

use super::resolve::{Lookup, Resolution};
use super::util::{binding_label, is_bootstrap_default, role_ref, subjects, Grant, Subject};
use palisade_core::{IndexOutput, K8sObject, Params, Rule, RuleMeta, ScanIndex, Severity, Status, Target};

/// Namespaced resources (by base resource name) of the built-in API groups. `namespaces` is included: read access
/// to one's own namespace works through a RoleBinding.
const NAMESPACED: &[&str] = &[
    "pods",
    "services",
    "endpoints",
    "configmaps",
    "secrets",
    "serviceaccounts",
    "persistentvolumeclaims",
    "replicationcontrollers",
    "events",
    "limitranges",
    "resourcequotas",
    "podtemplates",
    "bindings",
    "namespaces",
    "deployments",
    "statefulsets",
    "daemonsets",
    "replicasets",
    "controllerrevisions",
    "jobs",
    "cronjobs",
    "horizontalpodautoscalers",
    "poddisruptionbudgets",
    "ingresses",
    "networkpolicies",
    "endpointslices",
    "leases",
    "roles",
    "rolebindings",
    "localsubjectaccessreviews",
];

/// Whether every resource a grant covers is a known namespaced resource (no wildcards, no non-resource URLs).
fn namespaced_only(g: &Grant<'_>) -> bool {
    g.non_resource_urls.is_empty()
        && !g.resources.is_empty()
        && g.resources.iter().all(|r| {
            let base = r.split_once('/').map_or(*r, |(b, _)| b);
            NAMESPACED.contains(&base)
        })
}

/// The namespace a subject belongs to: a ServiceAccount's, or `<ns>` of group `system:serviceaccounts:<ns>`.
fn subject_namespace<'a>(s: &'a Subject<'_>, binding: &'a K8sObject) -> Option<&'a str> {
    match s.kind {
        "ServiceAccount" => Some(s.sa_namespace(binding)),
        "Group" => s.name.strip_prefix("system:serviceaccounts:"),
        _ => None,
    }
}

/// Metadata of RBAC-021.
pub static META: RuleMeta = RuleMeta {
    id: "RBAC-021",
    name: "cluster-wide-binding-for-namespaced-subject",
    family: "rbac",
    severity: Severity::Info,
    profiles: &["seed"],
    summary: "A ClusterRoleBinding grants a namespaced-only role to a namespaced ServiceAccount or group.",
    remediation: "Replace the ClusterRoleBinding with a RoleBinding in each namespace the subject must act in.",
    docs: r#"## What it does
Reports each ServiceAccount subject (and group `system:serviceaccounts:<namespace>`) of a ClusterRoleBinding
whose ClusterRole, resolved across the scan or from the built-ins (`view`, `edit`, `admin`), covers only known
namespaced resources. Roles that grant cluster-scoped resources, wildcards or non-resource URLs need a
ClusterRoleBinding and are not reported; neither are `cluster-admin`, other `system:` ClusterRoles and the API
server's own bindings. When the ClusterRole was not scanned the binding is listed as not evaluated.

## Why is this bad?
A ClusterRoleBinding grants the role in every namespace, including ones created later and kube-system. A
workload usually needs its permissions in its own namespace only; a RoleBinding there gives the same access
with a much smaller blast radius. (Controllers that watch all namespaces legitimately need the cluster-wide
binding: this is advisory.)

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: web-config-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: web
    namespace: shop
```

## Use instead
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web-config-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: web
    namespace: shop
```

## References
- seed:001 (#4 pick namespace-specific permissions over cluster-wide permissions)
- CIS Azure Kubernetes Service Benchmark 4.6.1 (administrative boundaries between resources using namespaces), partial
"#,
    references: &["seed:001", "CIS AKS Benchmark 4.6.1"],
    status: Status::Preview,
    target: Target::Index,
    pss: None,
};

/// Flags cluster-wide bindings of namespaced-only roles to namespaced subjects.
pub struct ClusterWideBindingForNamespacedSubject;

impl Rule for ClusterWideBindingForNamespacedSubject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_index(&self, _params: &Params, index: &ScanIndex, out: &mut IndexOutput) {
        let lookup = Lookup::new(index);
        for &b in lookup.bindings().iter().filter(|b| b.id.kind == "ClusterRoleBinding") {
            if is_bootstrap_default(b) {
                continue;
            }
            let Some(rr) = role_ref(b) else { continue };
            if rr.kind != "ClusterRole" || rr.name == "cluster-admin" || rr.name.starts_with("system:") {
                continue;
            }
            let subs = subjects(b);
            if !subs.iter().any(|s| subject_namespace(s, b).is_some()) {
                continue;
            }
            match lookup.resolve(b, &rr) {
                Resolution::Found(grants) => {
                    if grants.is_empty() || !grants.iter().all(namespaced_only) {
                        continue;
                    }
                }
                Resolution::Missing(reason) => {
                    out.not_evaluated(binding_label(b), reason);
                    continue;
                }
            }
            for s in &subs {
                let Some(ns) = subject_namespace(s, b) else { continue };
                let (pos, pointer) = s.name_field();
                out.violation(
                    b,
                    pos,
                    &pointer,
                    format!(
                        "grants {} to {} in every namespace, but the role covers only namespaced resources; a \
                         RoleBinding in namespace {ns} would limit it to that namespace",
                        rr.describe(b),
                        s.describe(b)
                    ),
                );
            }
        }
    }
}
