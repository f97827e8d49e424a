//! The who-can-assume graph on a generated estate (10 accounts, 10,000
//! principals): building it, answering who-can-assume for every role, and
//! one `why`. The full 100-account, 100,000-principal target is measured
//! with `scripts/gen-estate` and the `graph_estate` example.

#[path = "common/bench_estate.rs"]
mod bench_estate;
#[path = "common/estate.rs"]
mod estate;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::graph::{BuildOptions, WhyRequest, build, who_can_assume_all, why};
use rolecall::inventory::{LoadOptions, load};

fn bench_graph(c: &mut Criterion) {
    let (_dir, input) = bench_estate::write();
    let inventory = load(&[input], &LoadOptions::default()).inventory;
    let mut group = c.benchmark_group("graph");
    group.sample_size(10);
    group.bench_function("build 10 accounts, 10k principals", |b| {
        b.iter(|| {
            build(&inventory, &BuildOptions::default())
                .petgraph()
                .edge_count()
        })
    });
    let graph = build(&inventory, &BuildOptions::default());
    group.bench_function("who-can-assume for every role", |b| {
        b.iter(|| who_can_assume_all(&graph, 0).len())
    });
    let engine = "arn:aws:iam::100000000000:role/xsoar-engine";
    let target = graph
        .nodes()
        .find(|n| n.id.ends_with(":role/xsoar-target"))
        .map(|n| n.id.clone())
        .unwrap_or_default();
    let request = WhyRequest {
        principal: engine.into(),
        role: target,
        ..WhyRequest::default()
    };
    group.bench_function("why for one pair", |b| {
        b.iter(|| {
            why(&inventory, &request)
                .map(|d| d.allowed)
                .unwrap_or(false)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_graph);
criterion_main!(benches);
