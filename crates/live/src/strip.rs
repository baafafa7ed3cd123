//! Server-managed noise taken out of every object before anything else sees it, and the Secret reduction.

use serde_json::{Map, Value};

/// The annotation `kubectl apply` keeps: a full copy of the applied manifest. For a Secret it holds the values,
/// for everything else it duplicates fields that are checked where they are.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Removes what the API server adds to an object and no manifest has: `metadata.managedFields`, the
/// `last-applied-configuration` annotation, `metadata.selfLink`, `status` and a Pod's injected service account
/// token volume ([`strip_injected_token_volume`]). Secrets lose `data` and
/// `stringData` too (they are read without them; this is a second guard).
pub fn strip_object(obj: &mut Map<String, Value>) {
    obj.remove("status");
    if obj.get("kind").and_then(Value::as_str) == Some("Secret") {
        obj.remove("data");
        obj.remove("stringData");
    }
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        strip_metadata(meta);
    }
    if obj.get("kind").and_then(Value::as_str) == Some("Pod") {
        if let Some(Value::Object(spec)) = obj.get_mut("spec") {
            strip_injected_token_volume(spec);
        }
    }
}

/// Where the ServiceAccount admission plugin mounts the service account token.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Removes the service account token volume the ServiceAccount admission plugin adds to every Pod that does not
/// opt out (`kube-api-access-*`, a projected volume, from 1.21; `<sa>-token-*`, a Secret volume, before), and its
/// mounts at [`TOKEN_MOUNT_PATH`]. No manifest has it; left in, it would look like a Secret volume the user wrote.
/// Whether the token is mounted is judged from `automountServiceAccountToken`, as for manifests.
pub fn strip_injected_token_volume(spec: &mut Map<String, Value>) {
    let lists = ["containers", "initContainers", "ephemeralContainers"];
    // Volumes mounted at the token path by some container.
    let mut at_token_path: Vec<String> = Vec::new();
    for list in lists {
        let Some(Value::Array(cs)) = spec.get(list) else {
            continue;
        };
        for c in cs {
            let Some(Value::Array(mounts)) = c.get("volumeMounts") else {
                continue;
            };
            for m in mounts {
                if m.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH) {
                    if let Some(n) = m.get("name").and_then(Value::as_str) {
                        at_token_path.push(n.to_string());
                    }
                }
            }
        }
    }
    let injected = |v: &Value| {
        let Some(name) = v.get("name").and_then(Value::as_str) else {
            return false;
        };
        if !at_token_path.iter().any(|n| n == name) {
            return false;
        }
        let projected_token = name.starts_with("kube-api-access-") && v.get("projected").is_some();
        let secret_token = name.contains("-token-")
            && v.get("secret")
                .and_then(|s| s.get("secretName"))
                .and_then(Value::as_str)
                == Some(name);
        projected_token || secret_token
    };
    let removed: Vec<String> = match spec.get("volumes") {
        Some(Value::Array(vols)) => vols
            .iter()
            .filter(|v| injected(v))
            .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    if removed.is_empty() {
        return;
    }
    let is_removed = |v: &Value| {
        v.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| removed.iter().any(|r| r == n))
    };
    if let Some(Value::Array(vols)) = spec.get_mut("volumes") {
        vols.retain(|v| !is_removed(v));
        if vols.is_empty() {
            spec.remove("volumes");
        }
    }
    for list in lists {
        let Some(Value::Array(cs)) = spec.get_mut(list) else {
            continue;
        };
        for c in cs {
            let Some(c) = c.as_object_mut() else { continue };
            let empty = match c.get_mut("volumeMounts") {
                Some(Value::Array(mounts)) => {
                    mounts.retain(|m| {
                        !(is_removed(m) && m.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH))
                    });
                    mounts.is_empty()
                }
                _ => false,
            };
            if empty {
                c.remove("volumeMounts");
            }
        }
    }
}

/// [`strip_object`] for `metadata` alone.
pub fn strip_metadata(meta: &mut Map<String, Value>) {
    meta.remove("managedFields");
    meta.remove("selfLink");
    let empty = match meta.get_mut("annotations") {
        Some(Value::Object(ann)) => {
            ann.remove(LAST_APPLIED);
            ann.is_empty()
        }
        Some(Value::Null) => true,
        _ => false,
    };
    if empty {
        meta.remove("annotations");
    }
}

/// A Secret built from a row of the server's Table rendering: `metadata` (PartialObjectMetadata) and the `Type`
/// column. The row never held values.
pub fn secret_from_table_row(api_version: &str, metadata: Map<String, Value>, secret_type: Option<&str>) -> Value {
    let mut meta = metadata;
    strip_metadata(&mut meta);
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), Value::String(api_version.to_string()));
    obj.insert("kind".into(), Value::String("Secret".into()));
    obj.insert("metadata".into(), Value::Object(meta));
    if let Some(t) = secret_type {
        obj.insert("type".into(), Value::String(t.to_string()));
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use serde_json::json;

    #[test]
    fn strips_noise() {
        let mut v = json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "a", "selfLink": "/x", "managedFields": [{"manager": "kubectl"}],
                         "annotations": {LAST_APPLIED: "{}"}},
            "data": {"k": "v"}, "status": {}
        });
        strip_object(v.as_object_mut().unwrap());
        assert_eq!(
            v,
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}})
        );
    }

    #[test]
    fn injected_token_volumes_are_removed() {
        for (vol, name) in [
            (
                json!({"name": "kube-api-access-x7z2q", "projected": {"sources": [{"serviceAccountToken": {}}]}}),
                "kube-api-access-x7z2q",
            ),
            (
                json!({"name": "default-token-abcde", "secret": {"secretName": "default-token-abcde"}}),
                "default-token-abcde",
            ),
        ] {
            let mut pod = json!({
                "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {
                    "containers": [{"name": "c", "volumeMounts": [
                        {"name": name, "mountPath": TOKEN_MOUNT_PATH, "readOnly": true},
                        {"name": "data", "mountPath": "/data"}]}],
                    "volumes": [vol, {"name": "data", "secret": {"secretName": "app"}}]
                }
            });
            strip_object(pod.as_object_mut().unwrap());
            assert_eq!(
                pod["spec"],
                json!({"containers": [{"name": "c", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                       "volumes": [{"name": "data", "secret": {"secretName": "app"}}]})
            );
        }
        // A volume the user wrote, even at the token path, stays.
        let mut pod = json!({"kind": "Pod", "spec": {
            "containers": [{"name": "c", "volumeMounts": [{"name": "mine", "mountPath": TOKEN_MOUNT_PATH}]}],
            "volumes": [{"name": "mine", "secret": {"secretName": "other"}}]}});
        let before = pod.clone();
        strip_object(pod.as_object_mut().unwrap());
        assert_eq!(pod, before);
    }

    #[test]
    fn secrets_lose_values_and_applied_copy() {
        let mut v = json!({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": "s", "annotations": {LAST_APPLIED: "{\"data\":{\"p\":\"c2VjcmV0\"}}", "a": "b"}},
            "data": {"p": "c2VjcmV0"}, "stringData": {"q": "secret"}
        });
        strip_object(v.as_object_mut().unwrap());
        let text = v.to_string();
        assert!(!text.contains("c2VjcmV0") && !text.contains("secret\""), "{text}");
        assert_eq!(v["metadata"]["annotations"], json!({"a": "b"}));

        let meta = json!({"name": "t", "managedFields": [], "annotations": {LAST_APPLIED: "{\"data\":1}"}});
        let s = secret_from_table_row("v1", meta.as_object().unwrap().clone(), Some("Opaque"));
        assert_eq!(
            s,
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "type": "Opaque"})
        );
    }
}
