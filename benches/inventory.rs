//! Loading a generated snapshot (10 accounts, 10,000 principals) into an
//! inventory. The full 100-account, 100,000-principal target is measured
//! with `scripts/gen-estate` and the `load_inventory` example.

#[path = "common/bench_estate.rs"]
mod bench_estate;
#[path = "common/estate.rs"]
mod estate;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::inventory::{LoadOptions, load};

fn bench_load(c: &mut Criterion) {
    let (_dir, input) = bench_estate::write();
    let inputs = [input];
    let mut group = c.benchmark_group("inventory");
    group.sample_size(10);
    group.bench_function("load 10 accounts, 10k principals", |b| {
        b.iter(|| {
            let outcome = load(&inputs, &LoadOptions::default());
            assert!(outcome.problems.is_empty());
            outcome.inventory.roles().len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
