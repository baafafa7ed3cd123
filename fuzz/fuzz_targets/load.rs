//! Loads arbitrary bytes as a manifest file: must never panic, hang or overflow the stack, and every
//! position must be 1-based.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade_core::{Node, Value};
use palisade_input::{load_file, LoadOptions};

fn check_positions(root: &Node) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        assert!(n.pos.line >= 1 && n.pos.col >= 1, "position {:?}", n.pos);
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(m) => {
                for e in m.entries() {
                    assert!(e.key_pos.line >= 1 && e.key_pos.col >= 1, "key position {:?}", e.key_pos);
                    stack.push(&e.value);
                }
            }
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions { max_file_bytes: 1 << 20, max_depth: 256, max_alias_nodes: 200_000 };
    let load = load_file("fuzz.yaml", data, &opts);
    assert!(load.errors.len() <= 1);
    for o in &load.objects {
        check_positions(&o.root);
        assert!(o.source.document >= 1 && o.source.document <= load.documents);
    }
    for e in &load.errors {
        assert!(e.document >= 1 && e.line >= 1 && e.column >= 1, "{e}");
    }
});
