//! K8S-009: custom SELinux type, user or role (PSA baseline check `seLinuxOptions`).

use super::util::{minor, security_context_fields, set, str_field, PSS_DOCS};
use palisade_core::{
    CheckContext, K8sObject, Located, PssControl, PssLevel, Rule, RuleMeta, Severity, Status, Target, Violation,
};

/// SELinux types allowed at policy v1.0 ... v1.30.
const TYPES_V1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
/// SELinux types allowed from policy v1.31 (adds `container_engine_t`).
const TYPES_V1_31: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// The SELinux types allowed at policy minor version `minor`.
pub fn allowed_types(minor: u32) -> &'static [&'static str] {
    if minor >= 31 {
        TYPES_V1_31
    } else {
        TYPES_V1_0
    }
}

/// Metadata of K8S-009.
pub static META: RuleMeta = RuleMeta {
    id: "K8S-009",
    name: "custom-selinux-options",
    family: "pss",
    severity: Severity::Medium,
    profiles: &["pss-baseline", "pss-restricted"],
    summary: "The pod or a container sets a custom SELinux type, user or role.",
    remediation: "Remove seLinuxOptions.user and seLinuxOptions.role, and set seLinuxOptions.type only to \
                  container_t, container_init_t, container_kvm_t or container_engine_t.",
    docs: r#"## What it does
Flags `securityContext.seLinuxOptions` on the pod, containers, init containers and ephemeral containers whose
`type` is not empty, `container_t`, `container_init_t` or `container_kvm_t` (plus `container_engine_t` from policy
v1.31), or whose `user` or `role` is set (Pod Security Standards baseline control "SELinux", PSA check
`seLinuxOptions`). `level` is not restricted.

## Why is this bad?
The SELinux type decides what the container's processes may touch on the node. Types such as `spc_t`
("super privileged container") or `unconfined_t` switch SELinux confinement off, and a custom user or role can
grant more than any container type.

## Example
```yaml
spec:
  securityContext:
    seLinuxOptions:
      type: spc_t
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## Use instead
```yaml
spec:
  securityContext:
    seLinuxOptions:
      level: "s0:c123,c456"
  containers:
    - name: app
      image: registry.example.com/app:1.0
```

## References
- Pod Security Standards, baseline "SELinux": https://kubernetes.io/docs/concepts/security/pod-security-standards/
- Azure Policy e1e6c427 (SELinux options)
"#,
    references: &[PSS_DOCS, "Azure Policy e1e6c427"],
    status: Status::Stable,
    target: Target::PodSpec,
    pss: Some(PssControl {
        check: "seLinuxOptions",
        level: PssLevel::Baseline,
        since: 0,
        overrides: &[],
    }),
};

/// Flags SELinux options outside the allowed values.
pub struct CustomSelinuxOptions;

impl Rule for CustomSelinuxOptions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to report without a `seLinuxOptions` key (only a set `seLinuxOptions` is reported).
    fn trigger_keys(&self) -> &'static [&'static str] {
        &["seLinuxOptions"]
    }

    fn check(&self, ctx: &CheckContext, obj: &K8sObject) -> Vec<Violation> {
        let Some(pod) = obj.pod_spec() else {
            return Vec::new();
        };
        let types = allowed_types(minor(ctx));
        let mut out = Vec::new();
        for (who, options) in security_context_fields(&pod, &["seLinuxOptions"]) {
            let Some(opts) = set(&options) else { continue };
            let t = str_field(opts, "type");
            if !types.contains(&t) {
                out.push(offending(&who, &options, "type", t));
            }
            for key in ["user", "role"] {
                let v = str_field(opts, key);
                if !v.is_empty() {
                    out.push(offending(&who, &options, key, v));
                }
            }
        }
        out
    }
}

/// A violation at `seLinuxOptions.<key>` of the setter whose `seLinuxOptions` is `options`.
fn offending(who: &super::util::Setter<'_>, options: &Located<'_>, key: &str, value: &str) -> Violation {
    let pos = options
        .node
        .and_then(|n| n.entry(key))
        .map_or(options.pos, |e| e.key_pos);
    Violation::new(
        format!("{who}.seLinuxOptions.{key}: \"{value}\""),
        pos,
        format!("{}/{key}", options.pointer),
    )
}
