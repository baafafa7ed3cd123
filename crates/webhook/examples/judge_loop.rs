//! Times the judge alone (no HTTP, no TLS) on one AdmissionReview body: `cargo run --release -p palisade-webhook
//! --example judge_loop -- BODY.json [ITERATIONS]`. Used to see where admission time goes (scripts/bench_webhook.py
//! measures the whole server).
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
