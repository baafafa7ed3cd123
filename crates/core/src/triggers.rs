//! Which of the rules' trigger keys ([`Rule::trigger_keys`]) an object holds, found in one walk over its tree, so
//! that the engine can skip the rules that cannot report on it (most objects set no `hostPath`, `privileged` or
//! `procMount` anywhere, and a rule looking for them would otherwise visit every container to find nothing).

use crate::node::{Node, Value};
use crate::rule::Rule;

/// At most this many distinct trigger keys are tracked, one bit each; a rule naming another one always runs.
const MAX_KEYS: usize = 64;

/// Trees nested deeper than this are not walked to the end: every key counts as present, so every rule runs.
const MAX_DEPTH: usize = 64;

/// The trigger keys of a set of rules, ready to look for in objects.
#[derive(Debug)]
pub(crate) struct Triggers {
    /// Bit `i` stands for `keys[i]`.
    keys: Vec<&'static str>,
    /// For each value of [`slot`], the keys (bits) that hash to it: a tree key is compared only with these.
    slots: Box<[u64; 256]>,
}

/// A cheap hash of a non-empty key (its length and end bytes); collisions only cost a comparison.
#[inline]
fn slot(key: &[u8]) -> usize {
    let (first, last) = match (key.first(), key.last()) {
        (Some(f), Some(l)) => (usize::from(*f), usize::from(*l)),
        _ => (0, 0),
    };
    (first.wrapping_mul(7) ^ last.wrapping_mul(31) ^ key.len().wrapping_mul(13)) & 255
}

impl Triggers {
    /// The keys of `rules` and, for each rule in order, its gate: the bits of its keys, or 0 when it always
    /// runs (no keys, or a key beyond [`MAX_KEYS`]).
    pub(crate) fn new<'r>(rules: impl IntoIterator<Item = &'r dyn Rule>) -> (Self, Vec<u64>) {
        let mut keys: Vec<&'static str> = Vec::new();
        let mut gates = Vec::new();
        for rule in rules {
            let mut gate = 0u64;
            for key in rule.trigger_keys() {
                let bit = match keys.iter().position(|k| k == key) {
                    Some(bit) => Some(bit),
                    None if keys.len() < MAX_KEYS && !key.is_empty() => {
                        keys.push(key);
                        Some(keys.len() - 1)
                    }
                    None => None,
                };
                match bit {
                    Some(bit) => gate |= 1 << bit,
                    None => {
                        gate = 0;
                        break;
                    }
                }
            }
            gates.push(gate);
        }
        let mut slots = Box::new([0u64; 256]);
        for (bit, key) in keys.iter().enumerate() {
            if let Some(s) = slots.get_mut(slot(key.as_bytes())) {
                *s |= 1 << bit;
            }
        }
        (Self { keys, slots }, gates)
    }

    /// The bits of the trigger keys that occur as a map key anywhere in `root` (all bits when it is nested too
    /// deep to walk).
    pub(crate) fn present(&self, root: &Node) -> u64 {
        let mut found = 0;
        if self.keys.is_empty() {
            return found;
        }
        if self.walk(root, 0, &mut found) {
            found
        } else {
            u64::MAX
        }
    }

    /// Adds what `node` holds to `found`; `false` when the tree is deeper than [`MAX_DEPTH`].
    fn walk(&self, node: &Node, depth: usize, found: &mut u64) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match &node.value {
            Value::Map(map) => {
                for e in map.entries() {
                    let candidates = self.slots.get(slot(e.key.as_bytes())).copied().unwrap_or(0) & !*found;
                    if candidates != 0 {
                        self.match_key(&e.key, candidates, found);
                    }
                    if matches!(e.value.value, Value::Map(_) | Value::Seq(_)) && !self.walk(&e.value, depth + 1, found)
                    {
                        return false;
                    }
                }
            }
            Value::Seq(items) => {
                for item in items {
                    if matches!(item.value, Value::Map(_) | Value::Seq(_)) && !self.walk(item, depth + 1, found) {
                        return false;
                    }
                }
            }
            _ => {}
        }
        true
    }

    #[cold]
    fn match_key(&self, key: &str, mut candidates: u64, found: &mut u64) {
        while candidates != 0 {
            let bit = candidates.trailing_zeros();
            candidates &= candidates - 1;
            if self.keys.get(bit as usize).is_some_and(|k| *k == key) {
                *found |= 1 << bit;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Pos;
    use crate::rule::{CheckContext, RuleMeta, Violation};
    use crate::K8sObject;

    struct Keyed(&'static [&'static str]);

    impl Rule for Keyed {
        fn meta(&self) -> &'static RuleMeta {
            unimplemented!("not needed by these tests")
        }
        fn check(&self, _ctx: &CheckContext, _obj: &K8sObject) -> Vec<Violation> {
            Vec::new()
        }
        fn trigger_keys(&self) -> &'static [&'static str] {
            self.0
        }
    }

    fn tree(json: &str) -> Node {
        Node::from_json_str(json, Pos::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn finds_keys_at_any_depth_and_only_whole_keys() {
        let rules = [
            Keyed(&["hostPath"]),
            Keyed(&[]),
            Keyed(&["privileged", "add"]),
            Keyed(&["hostPID"]),
        ];
        let (t, gates) = Triggers::new(rules.iter().map(|r| r as &dyn Rule));
        assert_eq!(gates, vec![0b1, 0, 0b110, 0b1000]);
        let obj = tree(
            r#"{"spec": {"volumes": [{"name": "v", "hostPath": {"path": "/"}}],
                "containers": [{"name": "c", "securityContext": {"privilegedX": true, "capabilities": {"add": []}}}]},
                "metadata": {"annotations": {"hostpid": "x", "hostPIDs": "y"}}}"#,
        );
        assert_eq!(t.present(&obj), 0b101);
        assert_eq!(t.present(&tree(r#"{"a": [[{"b": {"privileged": null}}]]}"#)), 0b10);
        assert_eq!(
            t.present(&tree(r#"{"hostPath": 1, "add": 2, "privileged": 3, "hostPID": 4}"#)),
            0b1111
        );
        assert_eq!(t.present(&tree(r#"["hostPath", {"x": "privileged"}]"#)), 0);
    }

    #[test]
    fn too_deep_counts_as_everything_and_too_many_keys_run_always() {
        let rules = [Keyed(&["k"])];
        let (t, _) = Triggers::new(rules.iter().map(|r| r as &dyn Rule));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        // serde_json refuses more than 128 levels; this is within that and beyond MAX_DEPTH.
        assert_eq!(t.present(&tree(&deep)), u64::MAX);
        let many: Vec<&'static str> = (0..MAX_KEYS + 1)
            .map(|i| &*Box::leak(format!("key{i}").into_boxed_str()))
            .collect();
        let many: &'static [&'static str] = Box::leak(many.into_boxed_slice());
        let rules = [Keyed(&many[..MAX_KEYS]), Keyed(many), Keyed(&["key3"])];
        let (_, gates) = Triggers::new(rules.iter().map(|r| r as &dyn Rule));
        assert_eq!(gates, vec![u64::MAX, 0, 0b1000]);
    }
}
