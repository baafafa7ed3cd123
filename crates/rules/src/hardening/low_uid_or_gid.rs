//! K8S-046: containers running with a UID or GID of 10000 or below (or an unset one).

use super::util::{effective_fields, join_labels, Effective};
use crate::pss::util::{in_user_namespace, int_at};
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// IDs at or below this may collide with users and groups that exist on the node.
pub const MAX_LOW_ID: i64 = 10000;

/// Metadata of K8S-046.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-046",
    name: "low-uid-or-gid",
    family: "hardening",
    severity: Severity::Low,
    profiles: &["seed"],
    summary: "A container runs with a runAsUser or runAsGroup of 10000 or below, or without one set.",
    remediation: "Set securityContext.runAsUser and runAsGroup (on the pod or each container) to IDs above 10000, or \
                  run the pod in a user namespace with spec.hostUsers: false.",
    docs: r#"## What it does
Works out each container's effective `runAsUser` and `runAsGroup` (the container's `securityContext` overrides
the pod's `spec.securityContext`) and reports each one that is 10000 or below, or set nowhere (the image's user
and group then apply; a numeric image user without a group runs with GID 0). A low value set on the pod is
reported once, on the pod field, naming the containers that use it. Pods with `spec.hostUsers: false` are skipped
(IDs are remapped to an unprivileged range on the node), and so are Windows pods (`spec.os.name: windows`), which
use `windowsOptions.runAsUserName` instead.

## Why is this bad?
Container processes share the node's kernel and UID space. A process that escapes its container with a UID that
also exists on the node (system accounts, the first human users, service users of node agents) gets that
user's access to the node's files and processes. IDs above 10000 are unlikely to be in use on the node.

## Example
```yaml
spec:
  securityContext:
    runAsUser: 1000
  containers:
    - name: api
      image: myacr.azurecr.io/api:4.0.0
```

## Use instead
```yaml
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 10001
  containers:
    - name: api
      image: myacr.azurecr.io/api:4.0.0
```

## References
- Best practice also checked by kube-score (container-security-context-user-group-id) and Trivy (KSV-0020,
  KSV-0021); no seed, CIS or Azure Policy item requires it
- Kubernetes user namespaces (`spec.hostUsers: false`): https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/
"#,
    references: &[
        "kube-score container-security-context-user-group-id",
        "Trivy KSV-0020, KSV-0021",
        "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
    ],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// What follows the container in the message for an ID set nowhere (the most common finding of a scan, so it is
/// not formatted each time; `unset_tails_name_the_limit` holds it to [`MAX_LOW_ID`]).
fn unset_tail(field: &str) -> &'static str {
    if field == "runAsUser" {
        " sets neither securityContext.runAsUser nor spec.securityContext.runAsUser, so the image's default applies \
         (set an ID above 10000)"
    } else {
        " sets neither securityContext.runAsGroup nor spec.securityContext.runAsGroup, so the image's default \
         applies (set an ID above 10000)"
    }
}

/// Flags effective UIDs and GIDs of 10000 or below, and unset ones.
pub struct LowUidOrGid;

impl Rule for LowUidOrGid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        if in_user_namespace(&pod) || pod.is_windows() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for field in ["runAsUser", "runAsGroup"] {
            let (pod_field, containers) = effective_fields(&pod, &[field]);
            let mut inheritors = Vec::new();
            for (c, effective) in &containers {
                match effective {
                    Effective::Own(loc) => {
                        if let Some(id) = int_at(loc).filter(|id| *id <= MAX_LOW_ID) {
                            out.push(Violation::new(
                                format!(
                                    "{} sets securityContext.{field}: {id} (not above {MAX_LOW_ID})",
                                    c.label()
                                ),
                                loc.pos,
                                loc.pointer.clone(),
                            ));
                        }
                    }
                    Effective::Inherited => inheritors.push(c),
                    Effective::Unset(loc) => out.push(Violation::new(
                        c.label().with(unset_tail(field)),
                        loc.pos,
                        loc.pointer.clone(),
                    )),
                }
            }
            if let Some(id) = int_at(&pod_field).filter(|id| *id <= MAX_LOW_ID) {
                if !inheritors.is_empty() {
                    out.push(Violation::new(
                        format!(
                            "pod sets spec.securityContext.{field}: {id} (not above {MAX_LOW_ID}), used by {}",
                            join_labels(inheritors)
                        ),
                        pod_field.pos,
                        pod_field.pointer,
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_tails_name_the_limit() {
        for field in ["runAsUser", "runAsGroup"] {
            assert_eq!(
                unset_tail(field),
                format!(
                    " sets neither securityContext.{field} nor spec.securityContext.{field}, so the image's default \
                     applies (set an ID above {MAX_LOW_ID})"
                )
            );
        }
    }
}
