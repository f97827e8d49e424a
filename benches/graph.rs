//! The who-can-assume graph on a generated estate (10 accounts, 10,000
//! principals): building it, answering who-can-assume for every role, and
//! one `why`. The full 100-account, 100,000-principal target is measured
//! with `scripts/gen-estate` and the `graph_estate` example.

#[path = "common/estate.rs"]
mod estate;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::graph::{BuildOptions, WhyRequest, build, who_can_assume_all, why};
use rolecall::inventory::{InputSpec, LoadOptions, load};

fn bench_graph(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("tempdir: {e}"));
    let params = estate::EstateParams {
        accounts: 10,
        principals: 10_000,
        seed: 7,
    };
    estate::write_estate(dir.path(), &params).unwrap_or_else(|e| unreachable!("generate: {e}"));
    let outcome = load(
        &[InputSpec::Path(dir.path().to_path_buf())],
        &LoadOptions::default(),
    );
    let inventory = outcome.inventory;
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
