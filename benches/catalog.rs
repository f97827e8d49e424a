//! Catalog load time (target: under 10 ms) and the cost of the lookups lint
//! rules make per statement.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::catalog::{self, Catalog};

/// The same file the library embeds.
const TEXT: &str = include_str!("../data/catalog.txt");

fn load(c: &mut Criterion) {
    c.bench_function("catalog/parse embedded file", |b| {
        b.iter(|| Catalog::parse(black_box(TEXT)).map(|c| c.actions().len()))
    });
}

fn lookups(c: &mut Criterion) {
    let Ok(catalog) = catalog::embedded() else {
        return;
    };
    c.bench_function("catalog/action lookup", |b| {
        b.iter(|| catalog.action(black_box("s3:GetObject")))
    });
    c.bench_function("catalog/expand s3:Get*", |b| {
        b.iter(|| catalog.expand(black_box("s3:Get*")).len())
    });
    c.bench_function("catalog/expand *:Get*", |b| {
        b.iter(|| catalog.expand(black_box("*:Get*")).len())
    });
    let object = catalog
        .service("s3")
        .and_then(|s| s.resource_type("object"));
    if let Some(object) = object {
        c.bench_function("catalog/match ARN to resource type", |b| {
            b.iter(|| object.matches_arn(black_box("arn:aws:s3:::my-bucket/logs/*")))
        });
    }
    c.bench_function("catalog/resource types for a role ARN", |b| {
        b.iter(|| {
            catalog
                .resource_types_for_arn(black_box("arn:aws:iam::123456789012:role/admin"))
                .len()
        })
    });
    c.bench_function("catalog/suggest s3:GetObjekt", |b| {
        b.iter(|| catalog.suggest_action(black_box("s3:GetObjekt")))
    });
    c.bench_function("catalog/condition key lookup", |b| {
        b.iter(|| catalog.condition_key(black_box("s3:ExistingObjectTag/team")))
    });
}

criterion_group!(benches, load, lookups);
criterion_main!(benches);
