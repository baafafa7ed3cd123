//! K8S-047: pods and containers that run with the root group (GID 0).

use super::util::{effective_fields, join_labels, Effective};
use crate::pss::util::int_at;
use palisade_core::{CheckContext, K8sObject, Node, Rule, RuleMeta, Severity, Status, Target, Violation};

/// Metadata of K8S-047.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-047",
    name: "root-group-id",
    family: "hardening",
    severity: Severity::Low,
    profiles: &["nsa", "azure-policy"],
    summary: "A pod or container sets runAsGroup, fsGroup or supplementalGroups to the root group (GID 0).",
    remediation: "Use a non-zero group ID (1-65535) for runAsGroup, fsGroup and supplementalGroups.",
    docs: r#"## What it does
Reports `runAsGroup: 0` where it takes effect (on a container, or on the pod when at least one container does not
override it), `spec.securityContext.fsGroup: 0`, and every `0` in `spec.securityContext.supplementalGroups`.

## Why is this bad?
GID 0 is the root group. Many files in images and on the node are group-owned by root and group-writable
(`/etc`, runtime sockets on some distributions, files created by root with a permissive umask). A process in the
root group can read or change them even when it runs as a non-root user, and an escape keeps that access on the
node. `fsGroup: 0` also makes every mounted volume owned by the root group.

## Example
```yaml
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 0
    fsGroup: 0
  containers:
    - name: worker
      image: myacr.azurecr.io/worker:2.3.1
```

## Use instead
```yaml
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
  containers:
    - name: worker
      image: myacr.azurecr.io/worker:2.3.1
```

## References
- Azure Policy f06ddb64 (restricted initiative: runAsGroup, supplementalGroups and fsGroup MustRunAs 1-65535)
- NSA/CISA Kubernetes Hardening Guidance, "Non-root containers"
"#,
    references: &["Azure Policy f06ddb64", "NSA/CISA Kubernetes Hardening Guidance"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags GID 0 in runAsGroup, fsGroup and supplementalGroups.
pub struct RootGroupId;

impl Rule for RootGroupId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `runAsGroup` or `fsGroup` or `supplementalGroups` key (only group IDs that are set are reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["runAsGroup", "fsGroup", "supplementalGroups"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let (pod_group, containers) = effective_fields(&pod, &["runAsGroup"]);
        let mut inheritors = Vec::new();
        for (c, effective) in &containers {
            match effective {
                Effective::Own(loc) if int_at(loc) == Some(0) => out.push(Violation::new(
                    c.label().with(" sets securityContext.runAsGroup: 0"),
                    loc.pos,
                    loc.pointer.clone(),
                )),
                Effective::Inherited => inheritors.push(c),
                _ => {}
            }
        }
        if int_at(&pod_group) == Some(0) && !inheritors.is_empty() {
            out.push(Violation::new(
                format!(
                    "pod sets spec.securityContext.runAsGroup: 0, used by {}",
                    join_labels(inheritors)
                ),
                pod_group.pos,
                pod_group.pointer,
            ));
        }
        let fs_group = pod.field(&["securityContext", "fsGroup"]);
        if int_at(&fs_group) == Some(0) {
            out.push(Violation::new(
                "pod sets spec.securityContext.fsGroup: 0",
                fs_group.pos,
                fs_group.pointer,
            ));
        }
        let groups = pod.field(&["securityContext", "supplementalGroups"]);
        for (i, item) in groups.node.and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
            if item.as_i64() == Some(0) {
                out.push(Violation::new(
                    "pod lists group 0 in spec.securityContext.supplementalGroups",
                    item.pos,
                    format!("{}/{i}", groups.pointer),
                ));
            }
        }
        out
    }
}
