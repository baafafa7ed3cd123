//! Times the judge alone (no HTTP, no TLS) on one AdmissionReview body: `cargo run --release -p palisade-webhook
//! --example judge_loop -- BODY.json [ITERATIONS] [EVICT_MB]`. Used to see where admission time goes
//! (scripts/bench_webhook.py measures the whole server). With `EVICT_MB`, each review is timed after writing that
//! many megabytes of other memory, as the server's TLS and HTTP work and a load generator on the same cores do
//! between two reviews: the difference from the warm time is what cold caches cost the judge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use palisade_core::Severity;
use palisade_webhook::{Endpoint, Judge, NoNamespaces, WebhookConfig};
use std::time::Instant;

/// The palisade binary's allocator, so that the timings are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let body = std::fs::read(&args[1]).unwrap();
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let rules = palisade_rules::all()
        .iter()
        .copied()
        .filter(|r| r.meta().severity != Severity::Info)
        .collect();
    let judge = Judge::new(
        rules,
        Vec::new(),
        Default::default(),
        Vec::new(),
        WebhookConfig::default(),
    );
    let t = Instant::now();
    let mut sink = 0usize;
    for _ in 0..n {
        let v = judge.review(Endpoint::Validate, &body, &NoNamespaces).unwrap();
        sink += v.record.findings.len();
    }
    let per = t.elapsed().as_secs_f64() / n as f64;
    println!("validate: {:.1} us per review ({sink} findings total)", per * 1e6);
    if let Some(mb) = args.get(3).and_then(|s| s.parse::<usize>().ok()) {
        let mut other = vec![1u8; mb << 20];
        let mut spent = 0.0;
        for i in 0..n {
            // One write per cache line evicts the judge's code and data from the caches this memory goes through.
            for b in other.iter_mut().step_by(64) {
                *b = b.wrapping_add(i as u8);
            }
            let t = Instant::now();
            let v = judge.review(Endpoint::Validate, &body, &NoNamespaces).unwrap();
            spent += t.elapsed().as_secs_f64();
            sink += v.record.findings.len();
        }
        println!(
            "validate after writing {mb} MB elsewhere: {:.1} us per review",
            spent / n as f64 * 1e6
        );
    }
    let t = Instant::now();
    for _ in 0..n {
        let v = judge.review(Endpoint::Mutate, &body, &NoNamespaces).unwrap();
        sink += v.record.mutations.len();
    }
    println!(
        "mutate: {:.1} us per review",
        t.elapsed().as_secs_f64() / n as f64 * 1e6
    );
    let t = Instant::now();
    for _ in 0..n {
        let r = palisade_webhook::review::parse(&body).unwrap();
        sink += r.operation.len();
    }
    println!(
        "review envelope alone: {:.1} us",
        t.elapsed().as_secs_f64() / n as f64 * 1e6
    );
    let req = palisade_webhook::review::parse(&body).unwrap();
    let raw = palisade_webhook::review::raw_object(req.object).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let node = palisade_core::node::Node::from_json_str(raw, palisade_core::node::Pos::new(1, 1)).unwrap();
        sink += node.as_map().map_or(0, |m| m.len());
    }
    println!(
        "object tree alone: {:.1} us",
        t.elapsed().as_secs_f64() / n as f64 * 1e6
    );
    let review: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let object = serde_json::to_vec(&review["request"]["object"]).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let l = palisade_input::load_file("request.object", &object, &Default::default());
        sink += l.objects.len();
    }
    println!("loader alone: {:.1} us", t.elapsed().as_secs_f64() / n as f64 * 1e6);
    let objects = palisade_input::load_file("request.object", &object, &Default::default()).objects;
    let engine = palisade_core::Engine::new(
        palisade_rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().severity != Severity::Info)
            .collect(),
    );
    let ctx = palisade_core::CheckContext::with_pss(Default::default());
    let t = Instant::now();
    for _ in 0..n {
        let mut out = Vec::new();
        engine.check_object(&ctx, &objects[0], &mut out);
        sink += out.len();
    }
    println!("engine alone: {:.1} us", t.elapsed().as_secs_f64() / n as f64 * 1e6);
    let t = Instant::now();
    for _ in 0..n {
        let v = serde_json::from_slice::<serde_json::Value>(&body).unwrap();
        sink += v.as_object().map_or(0, |o| o.len());
    }
    println!(
        "serde_json::Value parse alone: {:.1} us ({sink})",
        t.elapsed().as_secs_f64() / n as f64 * 1e6
    );
}
