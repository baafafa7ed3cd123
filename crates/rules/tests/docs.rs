//! docs/rules/<ID>.md and docs/rules/README.md are generated from rule metadata and fixtures; this test fails when
//! they are stale. Regenerate with `PALISADE_UPDATE_DOCS=1 cargo test -p palisade-rules --test docs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_rules::docs::{index, page, Example};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first fail and first pass fixture of a rule, as examples.
fn examples(id: &str) -> Vec<Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(id);
    let mut out = Vec::new();
    for verdict in ["fail", "pass"] {
        let Ok(entries) = std::fs::read_dir(dir.join(verdict)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        files.sort();
        if let Some(f) = files.first() {
            out.push(Example {
                verdict: verdict.to_string(),
                name: f.file_name().unwrap().to_string_lossy().into_owned(),
                content: std::fs::read_to_string(f).unwrap(),
            });
        }
    }
    out
}

#[test]
fn rule_docs_are_current() {
    let dir = root().join("docs/rules");
    let update = std::env::var("PALISADE_UPDATE_DOCS").as_deref() == Ok("1");
    let rules = palisade_rules::all();
    let mut expected: Vec<(PathBuf, String)> = rules
        .iter()
        .map(|r| {
            (
                dir.join(format!("{}.md", r.meta().id)),
                page(*r, &examples(r.meta().id)),
            )
        })
        .collect();
    expected.push((dir.join("README.md"), index(rules)));
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries {
                let p = e.unwrap().path();
                if !expected.iter().any(|(x, _)| *x == p) {
                    std::fs::remove_file(p).unwrap();
                }
            }
        }
        for (p, text) in &expected {
            std::fs::write(p, text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (p, text) in &expected {
        if std::fs::read_to_string(p).ok().as_deref() != Some(text.as_str()) {
            stale.push(p.strip_prefix(root()).unwrap_or(p).display().to_string());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().path())
                .filter(|p| !expected.iter().any(|(x, _)| x == p))
                .map(|p| p.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is stale (run PALISADE_UPDATE_DOCS=1 cargo test -p palisade-rules --test docs):\n  stale: {stale:?}\n  extra: {extra:?}"
    );
}
