#![allow(clippy::unwrap_used, clippy::panic, reason = "bench code fails loudly")]
//! Decisions per second over the conformance corpus: every case's request
//! and policies are compiled once, then decided again and again (the fast
//! path, no trace). Also measures the traced path.

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rolecall::eval::simulate::{parse_request, prepare};
use rolecall::eval::{PolicySet, Request, decide, evaluate};
use rolecall::source::SourceFile;

/// Every corpus case that compiles (cases expecting errors are skipped).
fn prepared() -> Vec<(Request, PolicySet)> {
    let mut out = Vec::new();
    for path in corpus::files() {
        let file = corpus::CaseFile::read(&path);
        for case in file.cases() {
            let text = file.request_text(case).unwrap();
            let source = SourceFile::new("case", text);
            if let Ok(pair) = parse_request(&source).and_then(|input| prepare(&input)) {
                out.push(pair);
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let cases = prepared();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            for (request, set) in &cases {
                black_box(decide(black_box(set), black_box(request)));
            }
        })
    });
    group.bench_function("evaluate_with_trace", |b| {
        b.iter(|| {
            for (request, set) in &cases {
                black_box(evaluate(black_box(set), black_box(request)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
