//! Prints each document of a file as Kubernetes reads it (JSON, one per line), or the error:
//! `cargo run --example dump -- FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (docs, err) = palisade_input::parse_documents(&bytes, &palisade_input::LoadOptions::default());
    for d in &docs {
        println!("{}", d.root.to_json());
        for k in &d.duplicate_keys {
            eprintln!(
                "document {}: duplicate key {} (line {} and line {})",
                d.index, k.pointer, k.first.line, k.last.line
            );
        }
    }
    if let Some(e) = err {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    }
}
