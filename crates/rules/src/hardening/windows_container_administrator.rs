//! K8S-053: Windows containers that run as ContainerAdministrator.

use super::util::{effective_fields, join_labels, Effective};
use crate::pss::util::str_at;
use palisade_core::{CheckContext, K8sObject, Rule, RuleMeta, Severity, Status, Target, Violation};

/// The administrative account of Windows containers.
const ADMIN: &str = "ContainerAdministrator";

/// True for `ContainerAdministrator` in any case (Windows account names are case-insensitive).
fn is_admin(name: Option<&str>) -> bool {
    name.is_some_and(|n| n.trim().eq_ignore_ascii_case(ADMIN))
}

/// Metadata of K8S-053.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-053",
    name: "windows-container-administrator",
    family: "hardening",
    severity: Severity::Medium,
    profiles: &["azure-policy"],
    summary: "A Windows container runs as ContainerAdministrator (windowsOptions.runAsUserName).",
    remediation: "Set securityContext.windowsOptions.runAsUserName to ContainerUser (or another non-administrative \
                  account) on the pod or the container.",
    docs: r#"## What it does
Reports `securityContext.windowsOptions.runAsUserName: ContainerAdministrator` (compared case-insensitively) where
it takes effect: on a container, or on the pod (`spec.securityContext.windowsOptions`) when at least one
container does not set its own user name. A pod-level value is reported once, naming the containers that use it.

## Why is this bad?
ContainerAdministrator is the administrator of the Windows container: it can change anything inside it and is the
starting point of most Windows container escapes. Applications rarely need it; ContainerUser is the unprivileged
account of Windows base images.

## Example
```yaml
spec:
  os:
    name: windows
  securityContext:
    windowsOptions:
      runAsUserName: ContainerAdministrator
  containers:
    - name: iis
      image: myacr.azurecr.io/iis-app:2022.1
```

## Use instead
```yaml
spec:
  os:
    name: windows
  securityContext:
    windowsOptions:
      runAsUserName: ContainerUser
  containers:
    - name: iis
      image: myacr.azurecr.io/iis-app:2022.1
```

## References
- Azure Policy 5485eac0 (Kubernetes cluster Windows containers should not run as ContainerAdministrator)
"#,
    references: &["Azure Policy 5485eac0"],
    status: Status::Preview,
    target: Target::PodSpec,
    pss: None,
};

/// Flags ContainerAdministrator as the effective Windows user.
pub struct WindowsContainerAdministrator;

impl Rule for WindowsContainerAdministrator {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `runAsUserName` key (only a set `runAsUserName` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["runAsUserName"]
    }

    fn check(&self, _ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let (pod_field, containers) = effective_fields(&pod, &["windowsOptions", "runAsUserName"]);
        let mut out = Vec::new();
        let mut inheritors = Vec::new();
        for (c, effective) in &containers {
            match effective {
                Effective::Own(loc) if is_admin(str_at(loc)) => out.push(Violation::new(
                    format!(
                        "{} sets securityContext.windowsOptions.runAsUserName: {}",
                        c.label(),
                        str_at(loc).unwrap_or(ADMIN)
                    ),
                    loc.pos,
                    loc.pointer.clone(),
                )),
                Effective::Inherited => inheritors.push(c),
                _ => {}
            }
        }
        if is_admin(str_at(&pod_field)) && !inheritors.is_empty() {
            out.push(Violation::new(
                format!(
                    "pod sets spec.securityContext.windowsOptions.runAsUserName: {}, used by {}",
                    str_at(&pod_field).unwrap_or(ADMIN),
                    join_labels(inheritors)
                ),
                pod_field.pos,
                pod_field.pointer,
            ));
        }
        out
    }
}
