//! Every file of the `_k8syaml.jsonl` oracles (recorded from kubectl's own decoder) must read the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_input::{parse_documents, testdata, LoadOptions};
use serde_json::Value as Json;
use std::path::Path;

/// The first JSON pointer where `got` and `want` differ (numbers compare numerically).
fn first_difference(got: &Json, want: &Json, at: &str) -> Option<String> {
    match (got, want) {
        (Json::Number(a), Json::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => match (a.as_u64(), b.as_u64()) {
                    (Some(x), Some(y)) => x == y,
                    _ => a.as_f64() == b.as_f64(),
                },
            };
            (!same).then(|| format!("{at}: got {a}, want {b}"))
        }
        (Json::Array(a), Json::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{at}: got {} items, want {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(x, y, &format!("{at}/{i}")))
        }
        (Json::Object(a), Json::Object(b)) => {
            for k in b.keys() {
                if !a.contains_key(k) {
                    return Some(format!("{at}/{k}: missing"));
                }
            }
            for (k, x) in a {
                let Some(y) = b.get(k) else {
                    return Some(format!("{at}/{k}: unexpected key"));
                };
                if let Some(d) = first_difference(x, y, &format!("{at}/{k}")) {
                    return Some(d);
                }
            }
            None
        }
        _ => (got != want).then(|| format!("{at}: got {got}, want {want}")),
    }
}

/// Checks every line of one oracle file; returns (compared, disagreements).
fn check_oracle(jsonl: &Path) -> (usize, Vec<String>) {
    let dir = jsonl.parent().unwrap();
    let text = std::fs::read_to_string(jsonl).unwrap_or_else(|e| panic!("{}: {e}", jsonl.display()));
    let opts = LoadOptions::default();
    let mut compared = 0;
    let mut bad = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Json = serde_json::from_str(line).unwrap();
        let file = rec["file"].as_str().unwrap();
        let rel = file.strip_prefix("./").unwrap_or(file);
        let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let (docs, err) = parse_documents(&bytes, &opts);
        compared += 1;
        if let Some(want_err) = rec.get("error").and_then(Json::as_str) {
            if err.is_none() {
                bad.push(format!(
                    "{rel}: expected an error like {want_err:?}, got {} documents",
                    docs.len()
                ));
            }
            continue;
        }
        if let Some(e) = err {
            bad.push(format!("{rel}: unexpected error: {e}"));
            continue;
        }
        let want = rec["docs"].as_array().unwrap();
        let got: Vec<Json> = docs.iter().map(|d| d.root.to_json()).collect();
        if got.len() != want.len() {
            bad.push(format!("{rel}: got {} documents, want {}", got.len(), want.len()));
            continue;
        }
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            if let Some(d) = first_difference(g, w, "") {
                bad.push(format!("{rel}: document {}: {d}", i + 1));
                break;
            }
        }
    }
    (compared, bad)
}

#[test]
fn oracle_agreement() {
    let Some(shared) = testdata::shared_dir_or_skip() else {
        return;
    };
    let mut total = 0;
    let mut all_bad = Vec::new();
    for rel in ["conformance/yaml/_k8syaml.jsonl", "corpus/k8s-manifests/_k8syaml.jsonl"] {
        let (n, bad) = check_oracle(&shared.join(rel));
        eprintln!("{rel}: {} of {n} files agree", n - bad.len());
        total += n;
        all_bad.extend(bad);
    }
    for b in &all_bad {
        eprintln!("DISAGREE {b}");
    }
    assert!(total > 1000, "only {total} oracle files found");
    assert!(
        all_bad.is_empty(),
        "{} of {total} files disagree with the oracle",
        all_bad.len()
    );
}
