//! Pieces shared by the YAML and JSON tree builders: maps with last-wins keys and duplicate tracking.

use palisade_core::node::escape_pointer_token;
use palisade_core::{Entry, Map, Node, Pos, Value};
use std::collections::HashMap;

/// Maps with more keys than this get a hash index (lookups are linear below).
const INDEX_FROM: usize = 16;

/// A map being built: keys unique, first-seen order, the last value of a key wins (go-yaml v2, encoding/json).
#[derive(Default)]
pub(crate) struct MapBuilder {
    entries: Vec<Entry>,
    /// Whether each entry's key was written in the map itself (not only merged in with `<<`).
    explicit: Vec<bool>,
    index: Option<HashMap<String, usize>>,
}

impl MapBuilder {
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(key).copied(),
            None => self.entries.iter().position(|e| e.key == key),
        }
    }

    /// Inserts or replaces `key`. When an explicitly written key is written again, returns the position of
    /// the earlier one and the key (a duplicate key).
    pub(crate) fn insert(&mut self, key: String, key_pos: Pos, value: Node, explicit: bool) -> Option<(Pos, String)> {
        if let Some(i) = self.find(&key) {
            let was_explicit = self.explicit.get(i).copied().unwrap_or(false);
            if let Some(e) = self.entries.get_mut(i) {
                let dup = (explicit && was_explicit).then(|| (e.key_pos, key.clone()));
                *e = Entry { key, key_pos, value };
                if explicit {
                    if let Some(x) = self.explicit.get_mut(i) {
                        *x = true;
                    }
                }
                return dup;
            }
            return None;
        }
        if let Some(ix) = &mut self.index {
            ix.insert(key.clone(), self.entries.len());
        }
        self.entries.push(Entry { key, key_pos, value });
        self.explicit.push(explicit);
        if self.index.is_none() && self.entries.len() > INDEX_FROM {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), i))
                    .collect(),
            );
        }
        None
    }

    /// The finished map.
    pub(crate) fn finish(self) -> Map {
        Map::from_unique_entries(self.entries)
    }
}

/// A duplicate key: Kubernetes uses the last value, a reviewer reading the file may see the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// JSON pointer of the key in its document (`/spec/hostNetwork`).
    pub pointer: String,
    /// The key.
    pub key: String,
    /// Where the key is first written.
    pub first: Pos,
    /// Where it is written last (the value Kubernetes uses).
    pub last: Pos,
}

/// Appends a pointer segment for a map key.
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&escape_pointer_token(key));
}

/// Appends a pointer segment for a sequence index.
pub(crate) fn push_index(pointer: &mut String, index: usize) {
    pointer.push('/');
    pointer.push_str(&index.to_string());
}

/// The position of a float JSON cannot encode (NaN, infinity), searching without recursion.
pub(crate) fn find_nonfinite(root: &Node) -> Option<(Pos, f64)> {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Float(f) if !f.is_finite() => return Some((n.pos, *f)),
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(m) => stack.extend(m.entries().iter().map(|e| &e.value)),
            _ => {}
        }
    }
    None
}

/// Go's name for a float json.Marshal rejects.
pub(crate) fn go_float_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: i64) -> Node {
        Node::new(Pos::new(1, 1), Value::Int(v))
    }

    #[test]
    fn last_wins_and_duplicates_are_reported_once_per_rewrite() {
        let mut m = MapBuilder::default();
        assert_eq!(m.insert("a".into(), Pos::new(1, 1), n(1), true), None);
        assert_eq!(m.insert("b".into(), Pos::new(2, 1), n(2), false), None);
        assert_eq!(m.insert("b".into(), Pos::new(3, 1), n(3), true), None);
        assert_eq!(
            m.insert("a".into(), Pos::new(4, 1), n(4), true),
            Some((Pos::new(1, 1), "a".into()))
        );
        let map = m.finish();
        assert_eq!(
            map.entries().iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(map.get("a").and_then(Node::as_i64), Some(4));
    }

    #[test]
    fn large_maps_use_the_index() {
        let mut m = MapBuilder::default();
        for i in 0..100 {
            m.insert(format!("k{i}"), Pos::new(i + 1, 1), n(i64::from(i)), true);
        }
        assert_eq!(
            m.insert("k7".into(), Pos::new(200, 1), n(-1), true),
            Some((Pos::new(8, 1), "k7".into()))
        );
        assert_eq!(m.insert("k100".into(), Pos::new(201, 1), n(-1), true), None);
        let map = m.finish();
        assert_eq!(map.len(), 101);
        assert_eq!(map.get("k7").and_then(Node::as_i64), Some(-1));
    }
}
