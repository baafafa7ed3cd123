//! Per-object cost of the loader and of the engine with the default rule set (every rule except the `info`
//! ones), for profiling the per-object path the scanner and the admission webhook share. Not a test.
//!
//! ```sh
//! cargo run --release -p palisade-rules --example engine_bench -- FILE... [--runs N] [--per-rule]
//! ```
//!
//! Every file is loaded `--runs` times (default 200) and every object it holds checked `--runs` times; the table
//! gives microseconds per object for each step.

use palisade_core::{CheckContext, Engine, PssPolicy, Severity};
use palisade_input::{load_file, LoadOptions};
use std::time::Instant;

fn main() {
    let mut runs = 200usize;
    let mut per_rule = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--per-rule" {
            per_rule = true;
        } else if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else {
            files.push(a);
        }
    }
    if files.is_empty() {
        eprintln!("usage: engine_bench FILE... [--runs N]");
        std::process::exit(2);
    }
    let rules: Vec<_> = palisade_rules::all()
        .iter()
        .copied()
        .filter(|r| r.meta().severity != Severity::Info)
        .collect();
    let engine = Engine::new(rules);
    let opts = LoadOptions::default();
    let ctx = CheckContext::with_pss(PssPolicy::default());
    println!("| file | bytes | objects | findings | load µs/object | engine µs/object |");
    println!("|---|---:|---:|---:|---:|---:|");
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        let start = Instant::now();
        let mut objects = Vec::new();
        for _ in 0..runs {
            objects = load_file(file, &bytes, &opts).objects;
        }
        let load = start.elapsed();
        let n = objects.len().max(1);
        let mut findings = Vec::new();
        let start = Instant::now();
        for _ in 0..runs {
            findings.clear();
            for obj in &objects {
                engine.check_object(&ctx, obj, &mut findings);
            }
        }
        let check = start.elapsed();
        let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / (runs * n) as f64;
        if per_rule {
            let mut costs: Vec<(f64, &str)> = engine
                .rules()
                .iter()
                .map(|r| {
                    let one = Engine::new(vec![*r]);
                    let mut out = Vec::new();
                    let start = Instant::now();
                    for _ in 0..runs {
                        out.clear();
                        for obj in &objects {
                            one.check_object(&ctx, obj, &mut out);
                        }
                    }
                    (per(start.elapsed()), r.meta().id)
                })
                .collect();
            costs.sort_by(|a, b| b.0.total_cmp(&a.0));
            let total: f64 = costs.iter().map(|c| c.0).sum();
            println!("{file}: sum over single-rule engines {total:.2} µs/object; costliest:");
            for (c, id) in costs.iter().take(20) {
                println!("  {id} {c:.2}");
            }
        }
        println!(
            "| {file} | {} | {} | {} | {:.2} | {:.2} |",
            bytes.len(),
            objects.len(),
            findings.len(),
            per(load),
            per(check)
        );
    }
}
