//! Line and column of keys and values.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::{Node, Pos};
use palisade_input::{load_file, parse_documents, LoadOptions, LoadedDoc};

fn docs(text: &str) -> Vec<LoadedDoc> {
    let (docs, err) = parse_documents(text.as_bytes(), &LoadOptions::default());
    assert!(err.is_none(), "{err:?}");
    docs
}

fn one(text: &str) -> Node {
    let mut d = docs(text);
    assert_eq!(d.len(), 1);
    d.remove(0).root
}

/// (key position, value position) of `path` (the last element is the key).
fn at(root: &Node, path: &[&str]) -> (Pos, Pos) {
    let (last, parents) = path.split_last().unwrap();
    let parent = root.path(parents).unwrap();
    let e = parent.entry(last).unwrap();
    (e.key_pos, e.value.pos)
}

fn p(line: u32, col: u32) -> Pos {
    Pos::new(line, col)
}

#[test]
fn block_mapping() {
    let root = one("apiVersion: v1\nkind:   Pod\nmetadata:\n  name: web\n  labels:\n    app: x\n");
    assert_eq!(root.pos, p(1, 1));
    assert_eq!(at(&root, &["apiVersion"]), (p(1, 1), p(1, 13)));
    assert_eq!(at(&root, &["kind"]), (p(2, 1), p(2, 9)));
    assert_eq!(at(&root, &["metadata"]), (p(3, 1), p(4, 3)));
    assert_eq!(at(&root, &["metadata", "name"]), (p(4, 3), p(4, 9)));
    assert_eq!(at(&root, &["metadata", "labels", "app"]), (p(6, 5), p(6, 10)));
}

#[test]
fn flow_mapping_and_sequence() {
    let root = one("spec: {containers: [{name: c, image: \"nginx\"}], hostPID: true}\n");
    assert_eq!(at(&root, &["spec"]), (p(1, 1), p(1, 7)));
    assert_eq!(at(&root, &["spec", "containers"]), (p(1, 8), p(1, 20)));
    let c = &root.path(&["spec", "containers"]).unwrap().as_seq().unwrap()[0];
    assert_eq!(c.pos, p(1, 21));
    assert_eq!(
        c.entry("name").map(|e| (e.key_pos, e.value.pos)),
        Some((p(1, 22), p(1, 28)))
    );
    assert_eq!(
        c.entry("image").map(|e| (e.key_pos, e.value.pos)),
        Some((p(1, 31), p(1, 38)))
    );
    assert_eq!(at(&root, &["spec", "hostPID"]), (p(1, 49), p(1, 58)));
}

#[test]
fn block_sequences() {
    let root = one("items:\n- a\n-   b\n- - c\n  - d\n- x: 1\n  z: 2\n");
    let items = root.get("items").unwrap();
    assert_eq!(items.pos, p(2, 1));
    let s = items.as_seq().unwrap();
    assert_eq!(s[0].pos, p(2, 3));
    assert_eq!(s[1].pos, p(3, 5));
    assert_eq!(s[2].pos, p(4, 3));
    assert_eq!(s[2].as_seq().unwrap()[1].pos, p(5, 5));
    assert_eq!(s[3].pos, p(6, 3));
    assert_eq!(
        s[3].entry("z").map(|e| (e.key_pos, e.value.pos)),
        Some((p(7, 3), p(7, 6)))
    );
}

#[test]
fn block_scalars_point_at_their_indicator() {
    let root = one("data:\n  script: |\n    echo hi\n  other: >-\n    folded\n");
    assert_eq!(at(&root, &["data", "script"]), (p(2, 3), p(2, 11)));
    assert_eq!(at(&root, &["data", "other"]), (p(4, 3), p(4, 10)));
}

#[test]
fn multi_document_lines_are_absolute() {
    let d = docs("a: 1\n---\nb: 2\n---\n# comment\n\nc:\n  d: 3\n");
    assert_eq!(d.len(), 3);
    assert_eq!(d.iter().map(|d| d.index).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(at(&d[1].root, &["b"]), (p(3, 1), p(3, 4)));
    assert_eq!(at(&d[2].root, &["c", "d"]), (p(8, 3), p(8, 6)));
}

#[test]
fn crlf_lines() {
    let root = one("a: 1\r\nb:\r\n  c: x\r\n");
    assert_eq!(at(&root, &["b", "c"]), (p(3, 3), p(3, 6)));
    assert_eq!(root.path(&["b", "c"]).unwrap().as_str(), Some("x"));
}

#[test]
fn bom_is_not_a_column() {
    let root = one("\u{feff}apiVersion: v1\r\nkind: Pod\r\n");
    assert_eq!(at(&root, &["apiVersion"]), (p(1, 1), p(1, 13)));
    assert_eq!(at(&root, &["kind"]), (p(2, 1), p(2, 7)));
}

#[test]
fn columns_count_characters() {
    let root = one("é: ü\nx: {ä: b}\n");
    assert_eq!(at(&root, &["é"]), (p(1, 1), p(1, 4)));
    assert_eq!(at(&root, &["x", "ä"]), (p(2, 5), p(2, 8)));
}

#[test]
fn aliases_keep_the_anchored_position() {
    let root = one("a: &x\n  k: v\nb: *x\n");
    let (kp, vp) = at(&root, &["b"]);
    assert_eq!(kp, p(3, 1));
    assert_eq!(vp, p(2, 3));
    assert_eq!(at(&root, &["b", "k"]), (p(2, 3), p(2, 6)));
}

#[test]
fn merged_keys_keep_their_source_position() {
    let root = one("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\n");
    assert_eq!(at(&root, &["m", "x"]), (p(1, 11), p(1, 14)));
    assert_eq!(at(&root, &["m", "z"]), (p(4, 3), p(4, 6)));
}

#[test]
fn json_positions() {
    let root = one("{\n  \"apiVersion\": \"v1\",\n  \"spec\": {\"a\": [1, {\"b\": null}]}\n}\n");
    assert_eq!(root.pos, p(1, 1));
    assert_eq!(at(&root, &["apiVersion"]), (p(2, 3), p(2, 17)));
    assert_eq!(at(&root, &["spec"]), (p(3, 3), p(3, 11)));
    assert_eq!(at(&root, &["spec", "a"]), (p(3, 12), p(3, 17)));
    let a = root.path(&["spec", "a"]).unwrap().as_seq().unwrap();
    assert_eq!(a[0].pos, p(3, 18));
    assert_eq!(a[1].pos, p(3, 21));
    let d = docs("{\"a\": 1}\n  {\"é\": \"ü\", \"b\": 2}");
    assert_eq!(d.len(), 2);
    assert_eq!(at(&d[1].root, &["b"]), (p(2, 14), p(2, 19)));
}

#[test]
fn duplicate_keys_are_recorded() {
    let d = docs("spec:\n  hostNetwork: false\n  containers:\n  - a: 1\n    a: 2\n  hostNetwork: true\n");
    let dups: Vec<_> = d[0]
        .duplicate_keys
        .iter()
        .map(|d| (d.pointer.as_str(), d.first, d.last))
        .collect();
    assert_eq!(
        dups,
        [
            ("/spec/containers/0/a", p(4, 5), p(5, 5)),
            ("/spec/hostNetwork", p(2, 3), p(6, 3))
        ]
    );
    assert_eq!(d[0].root.path(&["spec", "hostNetwork"]).unwrap().as_bool(), Some(true));
    // Keys overridden through a merge are not duplicates.
    let d = docs("b: &b {x: 1}\nm:\n  x: 0\n  <<: *b\n");
    assert!(d[0].duplicate_keys.is_empty());
    let d = docs("{\"a\": {\"b/c\": 1, \"b/c\": 2}}");
    assert_eq!(d[0].duplicate_keys[0].pointer, "/a/b~1c");
    assert_eq!(
        (d[0].duplicate_keys[0].first, d[0].duplicate_keys[0].last),
        (p(1, 8), p(1, 18))
    );
}

#[test]
fn list_items_become_objects_with_their_pointer() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n\
                - apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\n- just: data\n";
    let load = load_file("list.yaml", text.as_bytes(), &LoadOptions::default());
    assert!(load.errors.is_empty());
    assert_eq!(load.documents, 1);
    assert_eq!(load.skipped_non_k8s, 1);
    assert_eq!(load.objects.len(), 2);
    let o = &load.objects[1];
    assert_eq!(o.id.kind, "Service");
    assert_eq!(o.id.name.as_deref(), Some("b"));
    assert_eq!(o.source.base_pointer, "/items/1");
    assert_eq!(o.source.document, 1);
    assert_eq!(&*o.source.file, "list.yaml");
    assert_eq!(o.root.pos, p(7, 3));
    assert_eq!(o.root.entry("metadata").unwrap().key_pos, p(9, 3));
    let loc = o.location(o.root.path(&["metadata", "name"]).unwrap().pos, "/metadata/name");
    assert_eq!(
        (loc.line, loc.column, loc.pointer.as_str()),
        (10, 11, "/items/1/metadata/name")
    );
}

#[test]
fn load_file_counts_documents() {
    let text = "---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\nfoo: bar\n---\n- 1\n---\n";
    let load = load_file("f.yaml", text.as_bytes(), &LoadOptions::default());
    assert_eq!(load.documents, 5);
    assert_eq!(load.objects.len(), 1);
    assert_eq!(load.objects[0].source.document, 2);
    assert_eq!(load.objects[0].source.base_pointer, "");
    assert_eq!(load.skipped_non_k8s, 2);
}
