//! Conversions between Palisade's positioned tree, JSON and regorus values.

use palisade_core::node::{Node, Value as NodeValue};
use regorus::Value;
use std::collections::BTreeMap;

/// The regorus value of a document node (positions dropped), built directly without a JSON round trip.
pub fn node_to_value(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::from(*b),
        NodeValue::Int(i) => Value::from(*i),
        NodeValue::Uint(u) => Value::from(*u),
        NodeValue::Float(f) => Value::from(*f),
        NodeValue::Str(s) => Value::from(s.as_str()),
        NodeValue::Seq(items) => Value::from(items.iter().map(node_to_value).collect::<Vec<_>>()),
        NodeValue::Map(m) => Value::from(
            m.entries()
                .iter()
                .map(|e| (Value::from(e.key.as_str()), node_to_value(&e.value)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// The regorus value of a JSON value.
pub fn json_to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::from(a.iter().map(json_to_value).collect::<Vec<_>>()),
        serde_json::Value::Object(o) => Value::from(
            o.iter()
                .map(|(k, v)| (Value::from(k.as_str()), json_to_value(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// The JSON form of a regorus value (sets become arrays, non-string object keys their JSON text); `None` for
/// undefined.
pub fn value_to_json(v: &Value) -> Option<serde_json::Value> {
    if matches!(v, Value::Undefined) {
        return None;
    }
    serde_json::to_value(v).ok()
}

/// A string field of an object value.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object().ok()?.get(&Value::from(key))
}

/// Builds an object value from string keys.
pub fn object(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::from(
        entries
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<BTreeMap<_, _>>(),
    )
}
