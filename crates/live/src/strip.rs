//! Server-managed noise taken out of every object before anything else sees it, and the Secret reduction.

use serde_json::{Map, Value};

/// The annotation `kubectl apply` keeps: a full copy of the applied manifest. For a Secret it holds the values,
/// for everything else it duplicates fields that are checked where they are.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Removes what the API server adds to an object and no manifest has: `metadata.managedFields`, the
/// `last-applied-configuration` annotation, `metadata.selfLink` and `status`. Secrets lose `data` and
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
