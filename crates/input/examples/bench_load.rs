//! Throughput of `parse_documents` over a directory of manifests: `cargo run --example bench_load -- DIR [ROUNDS]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_input::{parse_documents, LoadOptions};
use std::time::Instant;

fn walk(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(std::fs::read(&p).unwrap());
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("DIR");
    let rounds: usize = std::env::args().nth(2).map_or(3, |r| r.parse().unwrap());
    let mut files = Vec::new();
    walk(std::path::Path::new(&dir), &mut files);
    let bytes: usize = files.iter().map(Vec::len).sum();
    let opts = LoadOptions::default();
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut docs = 0;
        for f in &files {
            docs += parse_documents(f, &opts).0.len();
        }
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        eprintln!(
            "{} files, {docs} docs, {:.1} MB in {s:.3}s",
            files.len(),
            bytes as f64 / 1e6,
        );
    }
    println!("best: {:.1} MB/s", bytes as f64 / 1e6 / best);
}
