//! Positioned document tree: what every input format is normalised into.
//!
//! Values are already resolved the way Kubernetes resolves them (YAML 1.1 scalars, merge keys applied, the last
//! duplicate key kept), so rules never see YAML syntax. Every node keeps the position of its first character; a
//! map entry also keeps the position of its key, which is where findings about that field point.

use serde_json::Value as Json;

/// A 1-based line and column (column counted in characters) in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, in characters.
    pub col: u32,
}

impl Pos {
    /// A position from 1-based line and column.
    pub const fn new(line: u32, col: u32) -> Self {
        Self { line, col }
    }
}

/// A value in the tree together with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value starts (for aliases: where the anchored value starts).
    pub pos: Pos,
    /// The resolved value.
    pub value: Value,
}

/// A resolved value, shaped like JSON (map keys are strings after Kubernetes' YAML-to-JSON conversion).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// A boolean (YAML 1.1: also `yes`, `on`, `y`, ...).
    Bool(bool),
    /// An integer that fits in i64.
    Int(i64),
    /// A positive integer above i64::MAX.
    Uint(u64),
    /// A floating point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with unique keys in first-seen order.
    Map(Map),
}

/// One key of a mapping with its position and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as Kubernetes sees it (non-string YAML keys converted to their JSON string form).
    pub key: String,
    /// Where the key starts: findings about this field point here.
    pub key_pos: Pos,
    /// The value.
    pub value: Node,
}

/// A mapping. Keys are unique; inserting an existing key replaces its value (last duplicate wins, as in go-yaml v2).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    entries: Vec<Entry>,
}

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            entries: Vec::with_capacity(n),
        }
    }

    /// A map from entries whose keys are already unique, kept in the given order. For loaders that
    /// deduplicate keys themselves: `insert` searches linearly, which is quadratic for very large maps.
    pub fn from_unique_entries(entries: Vec<Entry>) -> Self {
        Self { entries }
    }

    /// The entries, taking the map apart.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// Inserts or replaces `key`. Returns the replaced entry, if any (a duplicate key).
    pub fn insert(&mut self, key: String, key_pos: Pos, value: Node) -> Option<Entry> {
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            let old = std::mem::replace(e, Entry { key, key_pos, value });
            return Some(old);
        }
        self.entries.push(Entry { key, key_pos, value });
        None
    }

    /// The entry for `key`.
    #[inline]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        // Rules look fields up all the time: compare length and last byte inline before calling memcmp.
        let (len, last) = (key.len(), key.as_bytes().last());
        self.entries
            .iter()
            .find(|e| e.key.len() == len && e.key.as_bytes().last() == last && e.key == key)
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Entries in first-seen order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the map has no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    /// A node at `pos`.
    pub fn new(pos: Pos, value: Value) -> Self {
        Self { pos, value }
    }

    /// The map, when this node is one.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The sequence items, when this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The string, when this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this node is a boolean (strings such as `"true"` are not booleans: the API server
    /// rejects them).
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The integer, when this node is an integer (or a float with an integral value, as JSON decoding allows).
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Uint(u) => i64::try_from(u).ok(),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value of `key` when this node is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// The entry of `key` when this node is a map.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map().and_then(|m| m.entry(key))
    }

    /// Follows `path` through nested maps.
    pub fn path(&self, path: &[&str]) -> Option<&Node> {
        let mut cur = self;
        for key in path {
            cur = cur.get(key)?;
        }
        Some(cur)
    }

    /// The string value of `key`, when present and a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The JSON form of this node (what the API server would receive).
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Uint(u) => Json::from(*u),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(m) => Json::Object(m.entries().iter().map(|e| (e.key.clone(), e.value.to_json())).collect()),
        }
    }

    /// Builds a tree from JSON, every node at `pos` (for inputs without source positions, such as API objects).
    pub fn from_json(json: &Json, pos: Pos) -> Self {
        let value = match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::Uint(u)
                } else {
                    Value::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Json::String(s) => Value::Str(s.clone()),
            Json::Array(a) => Value::Seq(a.iter().map(|j| Node::from_json(j, pos)).collect()),
            Json::Object(o) => {
                let mut m = Map::with_capacity(o.len());
                for (k, v) in o {
                    m.insert(k.clone(), pos, Node::from_json(v, pos));
                }
                Value::Map(m)
            }
        };
        Node { pos, value }
    }
}

impl Node {
    /// Parses JSON text straight into a tree, every node at `pos`: for JSON that another program wrote on one
    /// line, such as the objects in the API server's AdmissionReviews, where positions say nothing. One pass, no
    /// intermediate `serde_json::Value`. Duplicate keys keep the last value (as Go's encoding/json does); nesting
    /// is bounded by serde_json's recursion limit (128 levels).
    pub fn from_json_str(text: &str, pos: Pos) -> Result<Self, serde_json::Error> {
        use serde::de::DeserializeSeed;
        let mut de = serde_json::Deserializer::from_str(text);
        let node = NodeSeed(pos).deserialize(&mut de)?;
        de.end()?;
        Ok(node)
    }
}

impl Node {
    /// Reads one JSON value from a serde deserializer into a tree, every node at `pos`: for a value inside a
    /// larger JSON document read in the same pass (the object inside an AdmissionReview). The same reading as
    /// [`Node::from_json_str`].
    pub fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D, pos: Pos) -> Result<Node, D::Error> {
        use serde::de::DeserializeSeed;
        NodeSeed(pos).deserialize(deserializer)
    }
}

/// Deserialises a [`Node`] with every position set to the seed's.
#[derive(Clone, Copy)]
struct NodeSeed(Pos);

impl<'de> serde::de::DeserializeSeed<'de> for NodeSeed {
    type Value = Node;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

/// Maps with more keys than this find duplicates through a hash index instead of a linear search.
const DEDUP_INDEX_FROM: usize = 16;

impl<'de> serde::de::Visitor<'de> for NodeSeed {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Bool(b)))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Int(i)))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Node, E> {
        Ok(Node::new(self.0, i64::try_from(u).map_or(Value::Uint(u), Value::Int)))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Float(f)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Str(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Str(s)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::new(self.0, Value::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Node::new(self.0, Value::Seq(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: Option<std::collections::HashMap<String, usize>> = None;
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            let existing = match &index {
                Some(ix) => ix.get(&key).copied(),
                None => entries.iter().position(|e| e.key.len() == key.len() && e.key == key),
            };
            if let Some(e) = existing.and_then(|i| entries.get_mut(i)) {
                e.value = value;
                continue;
            }
            if let Some(ix) = &mut index {
                ix.insert(key.clone(), entries.len());
            }
            entries.push(Entry {
                key,
                key_pos: self.0,
                value,
            });
            if index.is_none() && entries.len() > DEDUP_INDEX_FROM {
                index = Some(entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect());
            }
        }
        Ok(Node::new(self.0, Value::Map(Map::from_unique_entries(entries))))
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_duplicate_wins_and_keeps_its_position() {
        let mut m = Map::new();
        m.insert(
            "a".into(),
            Pos::new(1, 1),
            Node::new(Pos::new(1, 4), Value::Bool(false)),
        );
        let old = m.insert("a".into(), Pos::new(2, 1), Node::new(Pos::new(2, 4), Value::Bool(true)));
        assert!(old.is_some());
        assert_eq!(m.len(), 1);
        let e = m.entry("a").map(|e| (e.key_pos, e.value.as_bool()));
        assert_eq!(e, Some((Pos::new(2, 1), Some(true))));
    }

    #[test]
    fn json_round_trip() {
        let j = serde_json::json!({"a": [1, -2, 1.5, "x", null, true], "b": {"c": 18446744073709551615u64}});
        assert_eq!(Node::from_json(&j, Pos::default()).to_json(), j);
    }

    #[test]
    fn json_text_parses_like_json_values() {
        let text = r#"{"a": [1, -2, 1.5, "x\u00e9", null, true, {}], "b": {"c": 18446744073709551615}}"#;
        let value: Json = serde_json::from_str(text).unwrap();
        assert_eq!(
            Node::from_json_str(text, Pos::new(1, 1)).unwrap(),
            Node::from_json(&value, Pos::new(1, 1))
        );
    }

    #[test]
    fn json_text_keeps_the_last_duplicate_in_small_and_large_maps() {
        let node = Node::from_json_str(r#"{"a": 1, "b": 2, "a": 3}"#, Pos::default()).unwrap();
        assert_eq!(node.get("a").and_then(Node::as_i64), Some(3));
        assert_eq!(node.as_map().map(Map::len), Some(2));
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k5\": \"last\"}}", keys.join(", "));
        let node = Node::from_json_str(&text, Pos::default()).unwrap();
        assert_eq!(node.get_str("k5"), Some("last"));
        assert_eq!(node.as_map().map(Map::len), Some(40));
    }

    #[test]
    fn json_text_errors_are_errors() {
        assert!(Node::from_json_str("{\"a\": ", Pos::default()).is_err());
        assert!(Node::from_json_str("{} x", Pos::default()).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Node::from_json_str(&deep, Pos::default()).is_err());
    }

    #[test]
    fn pointer_escaping() {
        assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
    }
}
