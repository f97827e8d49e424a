//! `rolecall verify` on a generated estate (10 accounts, 10,000 principals)
//! with 1,000 assertions of every kind: the graph built once, then every
//! assertion checked. The full 100-account, 100,000-principal estate with
//! 10,000 assertions is measured with `scripts/gen-estate`, the
//! `gen_expectations` example and `/usr/bin/time -v rolecall verify`.

#[path = "common/estate.rs"]
mod estate;
#[path = "common/expectations.rs"]
mod expectations;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::graph::{BuildOptions, build};
use rolecall::inventory::{InputSpec, LoadOptions, load};
use rolecall::source::SourceFile;
use rolecall::verify::{Options, parse, verify};

fn bench_verify(c: &mut Criterion) {
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
