//! Safe mutations: fields the webhook adds when they are absent, never changing a value the user wrote.
//!
//! The SARIF "safe fixes" of palisade-report flip a value the author wrote insecurely (`privileged: true` to
//! `false`); at admission that would override the user, so the webhook has its own, narrower list: only
//! additions of absent fields that do not change what a correctly written workload can do, and that the API
//! server accepts in every combination (allowPrivilegeEscalation is not added to privileged containers or ones
//! adding SYS_ADMIN, which the API server rejects).

use serde_json::{json, Map, Value};

/// One safe mutation.
#[derive(Clone, Copy, Debug)]
pub struct Mutation {
    /// The rule whose finding it prevents.
    pub rule: &'static str,
    /// What it does (docs, logs).
    pub description: &'static str,
}

/// Every safe mutation.
pub const MUTATIONS: &[Mutation] = &[
    Mutation {
        rule: "K8S-021",
        description: "set securityContext.allowPrivilegeEscalation: false on containers and initContainers that do not set it (not on privileged containers or ones adding SYS_ADMIN)",
    },
    Mutation {
        rule: "K8S-024",
        description: "set the pod's securityContext.seccompProfile to RuntimeDefault when neither the pod nor any container sets a seccomp profile (and no legacy seccomp annotation is present)",
    },
    Mutation {
        rule: "K8S-041",
        description: "add NET_RAW to securityContext.capabilities.drop of containers and initContainers that neither drop it (or ALL) nor add it",
    },
];

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn strings_upper(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim_start_matches("CAP_").to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Appends an `add` of `value` at `path` below `base`, creating the missing parents `base` lacks (`parents` are
/// the keys from `base` down; the last is the field itself).
fn add_nested(ops: &mut Vec<Value>, root: &Value, base: &str, keys: &[&str], value: Value) {
    let mut path = base.to_string();
    let mut node = root.pointer(base);
    for (i, key) in keys.iter().enumerate() {
        let child = node.and_then(|n| n.get(*key));
        path.push('/');
        path.push_str(&escape(key));
        if child.is_none() || i + 1 == keys.len() {
            // Build the rest as one nested value.
            let mut v = value;
            for k in keys.iter().skip(i + 1).rev() {
                let mut m = Map::new();
                m.insert((*k).to_string(), v);
                v = Value::Object(m);
            }
            ops.push(json!({"op": "add", "path": path, "value": v}));
            return;
        }
        node = child;
    }
}

/// The JSON Patch operations for the pod spec at `spec_ptr` of `object`, with `on(rule)` saying which mutations
/// are enabled. Empty when nothing is missing.
pub fn operations(object: &Value, spec_ptr: &str, meta_ptr: &str, on: &dyn Fn(&str) -> bool) -> Vec<Value> {
    let mut ops = Vec::new();
    let Some(spec) = object.pointer(spec_ptr).and_then(Value::as_object) else {
        return ops;
    };
    if spec.get("os").and_then(|o| o.get("name")).and_then(Value::as_str) == Some("windows") {
        return ops;
    }
    for list in ["initContainers", "containers"] {
        let Some(containers) = spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in containers.iter().enumerate() {
            let base = format!("{spec_ptr}/{list}/{i}");
            let sc = c.get("securityContext");
            let caps = sc.and_then(|s| s.get("capabilities"));
            let add = strings_upper(caps.and_then(|c| c.get("add")));
            let drop = strings_upper(caps.and_then(|c| c.get("drop")));
            let privileged = sc.and_then(|s| s.get("privileged")).and_then(Value::as_bool) == Some(true);
            if on("K8S-021")
                && sc.and_then(|s| s.get("allowPrivilegeEscalation")).is_none()
                && !privileged
                && !add.iter().any(|a| a == "SYS_ADMIN")
            {
                add_nested(
                    &mut ops,
                    object,
                    &base,
                    &["securityContext", "allowPrivilegeEscalation"],
                    Value::Bool(false),
                );
            }
            if on("K8S-041")
                && !privileged
                && !drop.iter().any(|d| d == "NET_RAW" || d == "ALL")
                && !add.iter().any(|a| a == "NET_RAW" || a == "ALL")
            {
                // Patches are applied in order: re-read what the previous operation created.
                let mut staged = object.clone();
                if !ops.is_empty() {
                    if let Ok(p) = serde_json::from_value::<json_patch::Patch>(Value::Array(ops.clone())) {
                        let _ = json_patch::patch(&mut staged, &p);
                    }
                }
                let drop_ptr = format!("{base}/securityContext/capabilities/drop");
                if staged.pointer(&drop_ptr).and_then(Value::as_array).is_some() {
                    ops.push(json!({"op": "add", "path": format!("{drop_ptr}/-"), "value": "NET_RAW"}));
                } else {
                    add_nested(
                        &mut ops,
                        &staged,
                        &base,
                        &["securityContext", "capabilities", "drop"],
                        json!(["NET_RAW"]),
                    );
                }
            }
        }
    }
    if on("K8S-024") {
        let pod_set = spec
            .get("securityContext")
            .and_then(|s| s.get("seccompProfile"))
            .is_some();
        let container_set = ["initContainers", "containers", "ephemeralContainers"].iter().any(|l| {
            spec.get(*l).and_then(Value::as_array).is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.pointer("/securityContext/seccompProfile").is_some())
            })
        });
        let annotated = object
            .pointer(&format!("{meta_ptr}/annotations"))
            .and_then(Value::as_object)
            .is_some_and(|a| {
                a.keys().any(|k| {
                    k.starts_with("seccomp.security.alpha.kubernetes.io/")
                        || k.starts_with("container.seccomp.security.alpha.kubernetes.io/")
                })
            });
        if !pod_set && !container_set && !annotated {
            add_nested(
                &mut ops,
                object,
                spec_ptr,
                &["securityContext", "seccompProfile"],
                json!({"type": "RuntimeDefault"}),
            );
        }
    }
    ops
}

/// Validates the operations as a JSON Patch and checks that it applies to `object`; returns the patch's JSON
/// text, or `None` when there is nothing to patch or it would not apply (then nothing is mutated).
pub fn checked_patch(object: &Value, ops: Vec<Value>) -> Option<String> {
    if ops.is_empty() {
        return None;
    }
    let ops = Value::Array(ops);
    let patch: json_patch::Patch = serde_json::from_value(ops.clone()).ok()?;
    let mut probe = object.clone();
    json_patch::patch(&mut probe, &patch).ok()?;
    serde_json::to_string(&ops).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
    }

    #[test]
    fn adds_only_what_is_missing() {
        let pod = json!({"spec": {"containers": [
            {"name": "a"},
            {"name": "b", "securityContext": {"allowPrivilegeEscalation": true, "capabilities": {"drop": ["CHOWN"]}}},
            {"name": "c", "securityContext": {"privileged": true}},
            {"name": "d", "securityContext": {"capabilities": {"add": ["NET_RAW"]}}}
        ]}});
        let ops = operations(&pod, "/spec", "/metadata", &all);
        let text = checked_patch(&pod, ops.clone()).unwrap();
        let mut patched = pod.clone();
        json_patch::patch(&mut patched, &serde_json::from_str::<json_patch::Patch>(&text).unwrap()).unwrap();
        assert_eq!(
            patched.pointer("/spec/containers/0/securityContext"),
            Some(&json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["NET_RAW"]}}))
        );
        assert_eq!(
            patched.pointer("/spec/containers/1/securityContext/allowPrivilegeEscalation"),
            Some(&json!(true))
        );
        assert_eq!(
            patched.pointer("/spec/containers/1/securityContext/capabilities/drop"),
            Some(&json!(["CHOWN", "NET_RAW"]))
        );
        assert_eq!(
            patched.pointer("/spec/containers/2/securityContext"),
            Some(&json!({"privileged": true}))
        );
        assert_eq!(
            patched.pointer("/spec/containers/3/securityContext/allowPrivilegeEscalation"),
            Some(&json!(false))
        );
        assert_eq!(
            patched.pointer("/spec/containers/3/securityContext/capabilities/drop"),
            None
        );
        assert_eq!(
            patched.pointer("/spec/securityContext/seccompProfile/type"),
            Some(&json!("RuntimeDefault"))
        );
        // Idempotent: nothing left to add.
        assert!(operations(&patched, "/spec", "/metadata", &all).is_empty());
    }
}
