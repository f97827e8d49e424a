//! `rolecall verify` on a generated estate (10 accounts, 10,000 principals)
//! with 1,000 assertions of every kind: the graph built once, then every
//! assertion checked. The full 100-account, 100,000-principal estate with
//! 10,000 assertions is measured with `scripts/gen-estate`, the
//! `gen_expectations` example and `/usr/bin/time -v rolecall verify`.

#[path = "common/bench_estate.rs"]
mod bench_estate;
#[path = "common/estate.rs"]
mod estate;
#[path = "common/expectations.rs"]
mod expectations;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::graph::{BuildOptions, build};
use rolecall::inventory::{LoadOptions, load};
use rolecall::source::SourceFile;
use rolecall::verify::{Options, parse, verify};

fn bench_verify(c: &mut Criterion) {
    let (_dir, input) = bench_estate::write();
    let inventory = load(&[input], &LoadOptions::default()).inventory;
    let graph = build(&inventory, &BuildOptions::default());
    let text = expectations::expectations(&inventory, &graph, 1_000);
    let file = parse(SourceFile::new("expectations.toml", text))
        .unwrap_or_else(|e| unreachable!("expectations: {e}"));
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.bench_function("1k assertions, 10 accounts, 10k principals", |b| {
        b.iter(|| {
            let report = verify(&inventory, &file, &Options::default());
            assert!(report.outcomes.len() >= 1_000);
            report.outcomes.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
