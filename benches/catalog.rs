//! Catalog load time (target: under 10 ms) and the cost of the lookups lint
//! rules make per statement.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rolecall::catalog::{self, Catalog};
use rolecall::lint::{Config, Linter, Sink};
use rolecall::policy::PolicyDocument;
use rolecall::source::SourceFile;

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

/// The example policies of `policies/` and the rules' pass fixtures, read
/// once.
fn example_policies() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["policies", "rules"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            for sub in ["", "pass"] {
                let Ok(inner) = std::fs::read_dir(entry.path().join(sub)) else {
                    continue;
                };
                for file in inner.flatten() {
                    let path = file.path();
                    if path.extension().is_some_and(|e| e == "json")
                        && let Ok(text) = std::fs::read_to_string(&path)
                    {
                        files.push((path.display().to_string(), text));
                    }
                }
            }
        }
    }
    files
}

/// Linting in memory with every rule, and with the catalog rules off: the
/// difference is their cost.
fn lint(c: &mut Criterion) {
    let files = example_policies();
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let off = "[rules]\ninvalid-action = \"off\"\naction-resource-mismatch = \"off\"\nunknown-condition-key = \"off\"\n";
    let only = |keep: &str| {
        let text: String = [
            "invalid-action",
            "action-resource-mismatch",
            "unknown-condition-key",
        ]
        .iter()
        .filter(|r| **r != keep)
        .map(|r| format!("{r} = \"off\"\n"))
        .collect();
        Config::parse(
            &format!("[rules]\n{text}"),
            std::path::Path::new("rolecall.toml"),
        )
        .unwrap_or_default()
    };
    let configs = [
        ("only invalid-action", only("invalid-action")),
        (
            "only action-resource-mismatch",
            only("action-resource-mismatch"),
        ),
        ("only unknown-condition-key", only("unknown-condition-key")),
        ("all rules", Config::default()),
        (
            "catalog rules off",
            Config::parse(off, std::path::Path::new("rolecall.toml")).unwrap_or_default(),
        ),
    ];
    let mut group = c.benchmark_group("lint example policies");
    group.throughput(Throughput::Bytes(bytes as u64));
    for (name, config) in &configs {
        let linter = Linter::new(config);
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut sink = Sink::default();
                for (name, text) in &files {
                    let file = SourceFile::new(name.as_str(), text.as_str());
                    if let Ok(doc) = PolicyDocument::from_file(file, None) {
                        linter.document(&doc, doc.effective_kind(), &mut sink);
                    }
                }
                sink.into_findings().len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load, lookups, lint);
criterion_main!(benches);
