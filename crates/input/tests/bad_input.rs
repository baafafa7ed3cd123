//! Bad and hostile input: each gives the right error kind, document and line, and returns quickly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_input::{load_file, parse_documents, LoadOptions, LoadedDoc, ParseError, ParseErrorKind};

fn parse(bytes: &[u8]) -> (Vec<LoadedDoc>, ParseError) {
    let (docs, err) = parse_documents(bytes, &LoadOptions::default());
    let err = err.unwrap_or_else(|| panic!("expected an error, got {} documents", docs.len()));
    (docs, err)
}

fn fails(bytes: &[u8], kind: ParseErrorKind, document: usize, line: u32) -> ParseError {
    let (_, e) = parse(bytes);
    assert_eq!((e.kind, e.document, e.line), (kind, document, line), "{e}");
    e
}

#[test]
fn invalid_yaml() {
    let e = fails(b"a: b: c\n", ParseErrorKind::Syntax, 1, 1);
    assert!(e.to_string().starts_with("document 1, line 1, column "), "{e}");
    fails(b"a:\n  - x\n  y: 1\n", ParseErrorKind::Syntax, 1, 3);
    fails(b"key: [a, b\n", ParseErrorKind::Syntax, 1, 1);
    fails(b"a: 'unterminated\n", ParseErrorKind::Syntax, 1, 1);
}

#[test]
fn error_in_a_later_document_keeps_the_earlier_ones() {
    let (docs, e) = parse(b"a: 1\n---\nb: 2\n---\nc: [\n  d\n");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].root.get("b").and_then(|n| n.as_i64()), Some(2));
    assert_eq!((e.kind, e.document), (ParseErrorKind::Syntax, 3));
    let (docs, e) = parse(b"{\"a\": 1}\n{\"b\": }\n");
    assert_eq!(docs.len(), 1);
    assert_eq!((e.kind, e.document, e.line, e.column), (ParseErrorKind::Json, 2, 2, 7));
}

#[test]
fn tabs_in_indentation() {
    let e = fails(
        b"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
        ParseErrorKind::Syntax,
        1,
        4,
    );
    assert!(e.message.contains("found character that cannot start any token"), "{e}");
}

#[test]
fn yaml_1_2_directive_is_rejected() {
    let e = fails(b"%YAML 1.2\n---\na: yes\n", ParseErrorKind::Syntax, 1, 1);
    assert!(e.message.contains("found incompatible YAML document"), "{e}");
    let (docs, err) = parse_documents(b"%YAML 1.1\n---\na: yes\n", &LoadOptions::default());
    assert!(err.is_none());
    assert_eq!(docs[0].root.get("a").and_then(|n| n.as_bool()), Some(true));
}

#[test]
fn invalid_utf8() {
    let (docs, e) = parse(b"a: 1\n---\nb: 2\n---\nc: \xff\xfe\n");
    assert_eq!(
        (e.kind, e.document, e.line, e.column),
        (ParseErrorKind::InvalidUtf8, 3, 5, 4)
    );
    assert_eq!(docs.len(), 2);
    fails(b"\xc3\x28", ParseErrorKind::InvalidUtf8, 1, 1);
}

#[test]
fn binary_file() {
    let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
    bytes.extend([0u8; 64]);
    fails(&bytes, ParseErrorKind::Binary, 1, 1);
    fails(b"a: 1\nb: x\x00y\n", ParseErrorKind::Binary, 1, 2);
}

#[test]
fn utf16_with_bom_is_read() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("kind: Pod\nx: yes\n".encode_utf16().flat_map(u16::to_le_bytes));
    let (docs, err) = parse_documents(&bytes, &LoadOptions::default());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(docs[0].root.get("x").and_then(|n| n.as_bool()), Some(true));
}

#[test]
fn billion_laughs_fails_fast() {
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    assert_eq!(bomb.len(), 342);
    let e = fails(bomb.as_bytes(), ParseErrorKind::AliasBudget, 1, 4);
    assert!(e.message.contains("excessive aliasing"), "{e}");
}

#[test]
fn alias_budget_is_configurable() {
    let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n";
    let opts = LoadOptions {
        max_alias_nodes: 10,
        ..LoadOptions::default()
    };
    let (_, err) = parse_documents(text.as_bytes(), &opts);
    let e = err.unwrap();
    assert_eq!((e.kind, e.line), (ParseErrorKind::AliasBudget, 2));
    let (docs, err) = parse_documents(text.as_bytes(), &LoadOptions::default());
    assert!(err.is_none());
    assert_eq!(
        docs[0].root.get("b").unwrap().to_json(),
        serde_json::json!([[1, 2, 3], [1, 2, 3], [1, 2, 3]])
    );
}

#[test]
fn deep_alias_chains_are_bounded() {
    // Each anchor nests the previous one 400 levels deeper.
    let mut text = String::new();
    for i in 0..8 {
        text.push_str(&format!("a{i}: &a{i} "));
        text.push_str(&"[".repeat(400));
        if i > 0 {
            text.push_str(&format!("*a{}", i - 1));
        }
        text.push_str(&"]".repeat(400));
        text.push('\n');
    }
    fails(text.as_bytes(), ParseErrorKind::TooDeep, 1, 3);
}

#[test]
fn unknown_and_recursive_aliases() {
    fails(b"a: 1\nb: *nope\n", ParseErrorKind::Alias, 1, 2);
    fails(b"a: &x [1, *x]\n", ParseErrorKind::Alias, 1, 1);
}

#[test]
fn deep_flow_nesting() {
    let deep = "[".repeat(100_000);
    fails(deep.as_bytes(), ParseErrorKind::TooDeep, 1, 1);
    let deep = "a: {".repeat(100_000);
    fails(deep.as_bytes(), ParseErrorKind::TooDeep, 1, 1);
    let json = format!("{{\"a\": {}{}", "[".repeat(100_000), "]".repeat(100_000));
    fails(json.as_bytes(), ParseErrorKind::TooDeep, 1, 1);
}

#[test]
fn deep_block_nesting() {
    let deep = "- ".repeat(100_000);
    fails(deep.as_bytes(), ParseErrorKind::TooDeep, 1, 1);
    let mut text = String::new();
    for i in 0..1_500 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    let (_, e) = parse(text.as_bytes());
    assert_eq!(e.kind, ParseErrorKind::TooDeep, "{e}");
    // The configured depth is the limit.
    let opts = LoadOptions {
        max_depth: 3,
        ..LoadOptions::default()
    };
    assert!(parse_documents(b"a: {b: {c: 1}}", &opts).1.is_none());
    assert_eq!(
        parse_documents(b"a: {b: {c: [1]}}", &opts).1.unwrap().kind,
        ParseErrorKind::TooDeep
    );
}

#[test]
fn file_over_the_size_limit() {
    let opts = LoadOptions {
        max_file_bytes: 16,
        ..LoadOptions::default()
    };
    let (docs, err) = parse_documents(b"apiVersion: v1\nkind: Pod\n", &opts);
    assert!(docs.is_empty());
    assert_eq!(err.unwrap().kind, ParseErrorKind::TooLarge);
}

#[test]
fn unrendered_templates() {
    let helm = b"{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n";
    let e = fails(helm, ParseErrorKind::Template, 1, 1);
    assert!(
        e.message.contains("unrendered Helm/Go template ({{ ... }} at line 1)"),
        "{e}"
    );
    assert!(e.message.contains("helm template"), "{e}");
    let e = fails(
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n",
        ParseErrorKind::Template,
        1,
        4,
    );
    assert!(e.message.contains("at line 4"), "{e}");
    // A quoted template is valid YAML: it is just a string.
    let (docs, err) = parse_documents(b"name: \"{{ .Release.Name }}\"\n", &LoadOptions::default());
    assert!(err.is_none());
    assert_eq!(docs[0].root.get_str("name"), Some("{{ .Release.Name }}"));
}

#[test]
fn keys_kubernetes_rejects() {
    fails(b"? [a]\n: 1\n", ParseErrorKind::UnsupportedKey, 1, 1);
    fails(b"a: 1\n~: 2\n", ParseErrorKind::UnsupportedKey, 1, 2);
    fails(b"18446744073709551615: x\n", ParseErrorKind::UnsupportedKey, 1, 1);
    // Float, bool and int keys become strings.
    let (docs, err) = parse_documents(b"1.5: a\n0x10: b\nyes: c\n.inf: d\n", &LoadOptions::default());
    assert!(err.is_none());
    let keys: Vec<_> = docs[0]
        .root
        .as_map()
        .unwrap()
        .entries()
        .iter()
        .map(|e| e.key.clone())
        .collect();
    assert_eq!(keys, ["1.5", "16", "true", ".inf"]);
}

#[test]
fn values_json_cannot_hold() {
    fails(b"a: 1\nb: .nan\n", ParseErrorKind::UnsupportedValue, 1, 2);
    fails(b"a: [-.inf]\n", ParseErrorKind::UnsupportedValue, 1, 1);
    // Overwritten by a later duplicate: never reaches JSON.
    assert!(parse_documents(b"a: .nan\na: 1\n", &LoadOptions::default()).1.is_none());
}

#[test]
fn tag_and_merge_errors() {
    let e = fails(b"a: !!int abc\n", ParseErrorKind::Tag, 1, 1);
    assert!(e.message.contains("cannot decode !!str `abc` as a !!int"), "{e}");
    fails(b"a: !!binary '%%%'\n", ParseErrorKind::Tag, 1, 1);
    fails(b"a:\n  <<: 1\n", ParseErrorKind::Merge, 1, 2);
    fails(b"s: &s [1]\na:\n  <<: *s\n", ParseErrorKind::Merge, 1, 3);
    fails(b"a:\n  <<: [{x: 1}, 2]\n", ParseErrorKind::Merge, 1, 2);
}

#[test]
fn invalid_json() {
    for bad in [
        &b"{\"a\": 1,}"[..],
        b"{a: 1}",
        b"{\"a\": NaN}",
        b"{\"a\": 01}",
        b"{\"a\": \"x\ty\"}",
        b"{\"a\": 1e400}",
        b"{\"a\": tru}",
        b"{\"a\": \"\\x\"}",
        b"{\"a\": 1} x",
    ] {
        let (_, e) = parse(bad);
        assert_eq!(e.kind, ParseErrorKind::Json, "{}: {e}", String::from_utf8_lossy(bad));
    }
    let (docs, err) = parse_documents(
        b"{\"s\": \"\\ud83d\\ude00 \\ud800 \\u00e9\", \"n\": -0.5e1}",
        &LoadOptions::default(),
    );
    assert!(err.is_none());
    assert_eq!(docs[0].root.get_str("s"), Some("😀 \u{fffd} é"));
}

#[test]
fn load_file_reports_errors_with_the_file() {
    let load = load_file(
        "bad.yaml",
        b"apiVersion: v1\nkind: Pod\n---\na: [\n",
        &LoadOptions::default(),
    );
    assert_eq!(load.objects.len(), 1);
    assert_eq!(load.errors.len(), 1);
    let e = &load.errors[0];
    assert_eq!(
        (e.file.as_str(), e.document, e.kind),
        ("bad.yaml", 2, ParseErrorKind::Syntax)
    );
    assert!(e.to_string().starts_with("bad.yaml: document 2, line "), "{e}");
}

#[test]
fn tabs_at_line_starts_like_libyaml() {
    // A blank or comment line that starts with a tab is an error in block context...
    fails(b"a: 1\n\t\nb: 2\n", ParseErrorKind::Syntax, 1, 2);
    fails(b"a: \"x\"\n\t# comment\nb: 2\n", ParseErrorKind::Syntax, 1, 2);
    fails(b"a: |\n  x\n\t\n  y\n", ParseErrorKind::Syntax, 1, 3);
    fails(b"a: 1\n---\n\t\nb: 2\n", ParseErrorKind::Syntax, 2, 3);
    // ...but not inside quoted scalars or flow collections, nor after the line start.
    for ok in [
        &b"a: \"x\n\ty\"\n"[..],
        b"a: [1,\n\t2]\n",
        b"a:\tb\nc: d\t\n",
        b"a: |\n  x\n  \ty\n",
    ] {
        let (_, err) = parse_documents(ok, &LoadOptions::default());
        assert!(err.is_none(), "{}: {err:?}", String::from_utf8_lossy(ok));
    }
}

#[test]
fn directives_and_boms_like_libyaml() {
    fails(b"%FOO bar\n---\na: 1\n", ParseErrorKind::Syntax, 1, 1);
    let (docs, err) = parse_documents(
        b"%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
        &LoadOptions::default(),
    );
    assert!(err.is_none(), "{err:?}");
    assert_eq!(docs[0].root.get_str("a"), Some("1"));
    // A byte-order mark at the start of a later line (concatenated files) is skipped.
    let (docs, err) = parse_documents("a: 1\n---\n\u{feff}b: 2\n".as_bytes(), &LoadOptions::default());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(docs[1].root.get("b").and_then(|n| n.as_i64()), Some(2));
}

#[test]
fn more_libyaml_strictness() {
    // Tabs after a block sequence's dash.
    fails(b"a:\n-\tb\n", ParseErrorKind::Syntax, 1, 2);
    fails(b"- x\n- \ty\n", ParseErrorKind::Syntax, 1, 2);
    // libyaml rejects \u escapes of UTF-16 surrogates (JSON-style pairs) in YAML strings.
    fails(b"a: 1\nb: \"\\ud83d\\ude00\"\n", ParseErrorKind::Syntax, 1, 2);
    let (docs, err) = parse_documents(b"a: \"\\U0001F600 \\\\ud83d \\t\"\n", &LoadOptions::default());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(docs[0].root.get_str("a"), Some("\u{1F600} \\ud83d \t"));
    // A byte-order mark inside a line is content.
    let (docs, err) = parse_documents("a: \u{feff}b\n".as_bytes(), &LoadOptions::default());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(docs[0].root.get_str("a"), Some("\u{feff}b"));
}

#[test]
fn syntax_errors_come_before_decoding_errors_in_a_document() {
    // go-yaml parses a whole document before decoding it.
    fails(b"a: !!int x\nb: [\n", ParseErrorKind::Syntax, 1, 2);
    fails(b"a: !!int x\nb: 1\n---\nc: [\n", ParseErrorKind::Tag, 1, 1);
    let (docs, e) = parse(b"ok: 1\n---\n? [k]\n: v\nb: 2\n");
    assert_eq!(docs.len(), 1);
    assert_eq!((e.kind, e.document, e.line), (ParseErrorKind::UnsupportedKey, 2, 3));
}
