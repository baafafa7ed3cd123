//! A small deterministic stand-in for the fuzz target (`fuzz/`): mutated manifests never panic, every
//! position is 1-based, and reading is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::{Node, Value};
use palisade_input::{load_file, parse_documents, LoadOptions};

const SEEDS: &[&str] = &[
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  hostNetwork: yes\n  containers:\n  - name: c\n    image: nginx\n",
    "a: &a {x: 1, y: [1, 2]}\nb:\n  <<: [*a, {z: 3}]\n  c: |\n    text\n  d: >-\n    more\n",
    "---\n# c\n---\nk: \"q\\u00e9\\n\"\n...\n---\n- 0x1F\n- 0755\n- .inf\n- !!str 1\n- !!binary aGk=\n",
    "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}]}\n{\"a\": [1.5e3, null]}",
    "? [complex]\n: key\n%YAML 1.1\n---\n'single ''quoted''': ~\n",
];

const INSERTS: &[u8] = b"{}[]:-,&*!|>'\"\t\n\r#%?@`~0 \\\x00\xff";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(4) {
            0 if !v.is_empty() => {
                v.remove(at.min(v.len() - 1));
            }
            1 => v.insert(at, INSERTS[rng.below(INSERTS.len())]),
            2 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] = INSERTS[rng.below(INSERTS.len())];
            }
            _ => {
                let from = rng.below(v.len());
                let len = rng.below(16).min(v.len() - from);
                let chunk: Vec<u8> = v[from..from + len].to_vec();
                let at = at.min(v.len());
                v.splice(at..at, chunk);
            }
        }
    }
    v
}

fn check_positions(root: &Node) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        assert!(n.pos.line >= 1 && n.pos.col >= 1);
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(m) => {
                for e in m.entries() {
                    assert!(e.key_pos.line >= 1 && e.key_pos.col >= 1);
                    stack.push(&e.value);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn mutated_manifests_never_panic() {
    let opts = LoadOptions {
        max_file_bytes: 1 << 20,
        max_depth: 64,
        max_alias_nodes: 10_000,
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..6_000 {
        let seed = SEEDS[round % SEEDS.len()].as_bytes();
        let input = mutate(&mut rng, seed);
        let load = load_file("m.yaml", &input, &opts);
        for o in &load.objects {
            check_positions(&o.root);
        }
        for e in &load.errors {
            assert!(e.document >= 1 && e.line >= 1 && e.column >= 1, "{e}");
        }
        let (a, ea) = parse_documents(&input, &opts);
        let (b, eb) = parse_documents(&input, &opts);
        assert_eq!(ea, eb);
        assert_eq!(a.len(), b.len());
        for d in &a {
            check_positions(&d.root);
        }
    }
}
