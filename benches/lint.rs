#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    reason = "bench code fails loudly and reports its corpus"
)]

//! Throughput of reading policy JSON on one core, over a generated corpus
//! that looks like what teams deploy (identity, trust and resource policies
//! with real actions and fitting resources, pretty and minified, conditions
//! of every size), in MB/s (decimal):
//!
//! - `parse_json`: strict JSON into the spanned tree;
//! - `parse_policy`: and the policy model;
//! - `parse_and_validity_rules`: what `rolecall lint` does to a file (format
//!   detection, inventory, model) and the document-validity rules that need
//!   no service data (issue 2's) — the target is 50 MB/s or more;
//! - `parse_and_catalog_rules`: the same and the catalog-backed rules
//!   (actions, resource types, condition keys; issue 4's) — also 50 MB/s;
//! - `parse_and_all_rules`: the same with every rule, the security, trust
//!   and setup rules included — the target is 20 MB/s or more.
//!
//! `cargo bench --bench lint`; the median is in
//! `target/criterion/lint/<bench>/new/estimates.json`.

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use rolecall::inventory::{self, InputSpec, LoadOptions};
use rolecall::lint::{Config, Linter, Sink};

/// The document-validity rules that need no service data (issue 2's).
const ISSUE_2_RULES: &[&str] = &[
    "json-syntax",
    "policy-grammar",
    "missing-version",
    "variable-without-version",
    "duplicate-sid",
    "invalid-arn",
    "invalid-condition-operator",
    "principal-misplaced",
];

/// The rules that look actions, resource types and condition keys up in
/// the embedded AWS catalog (issue 4's).
const CATALOG_RULES: &[&str] = &[
    "invalid-action",
    "action-resource-mismatch",
    "unknown-condition-key",
    "condition-type-mismatch",
];

/// A configuration with only these rules on.
fn only(keep: &[&str]) -> Config {
    let off: String = rolecall::lint::registry::all()
        .iter()
        .map(|rule| rule.meta().id)
        .filter(|id| !keep.contains(id))
        .map(|id| format!("{id} = \"off\"\n"))
        .collect();
    Config::parse(
        &format!("[rules]\n{off}"),
        std::path::Path::new("bench.toml"),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let docs = corpus::corpus(2_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    eprintln!(
        "corpus: {} documents, {bytes} bytes ({:.0} bytes on average)",
        docs.len(),
        bytes as f64 / docs.len() as f64
    );
    let config = Config::default();
    let linter = Linter::new(&config);
    let validity_config = only(ISSUE_2_RULES);
    let validity_linter = Linter::new(&validity_config);
    let catalog_config = only(&[ISSUE_2_RULES, CATALOG_RULES].concat());
    let catalog_linter = Linter::new(&catalog_config);
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.sample_size(20);

    group.bench_function("parse_json", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(rolecall::value::parse_json(black_box(doc)).unwrap());
            }
        })
    });
    group.bench_function("parse_policy", |b| {
        b.iter(|| {
            for doc in &docs {
                black_box(rolecall::policy::parse_policy(black_box(doc)).unwrap());
            }
        })
    });
    // Reads as `rolecall lint` does, on one thread: bytes -> UTF-8 check ->
    // format detection -> parse -> model -> every document rule -> findings.
    let inputs: Vec<InputSpec> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| InputSpec::Text {
            name: format!("policy-{i}.json"),
            text: doc.clone(),
        })
        .collect();
    let options = LoadOptions {
        threads: 1,
        ..LoadOptions::default()
    };
    let lint = |linter: &Linter<'_>| {
        let outcome = inventory::load(black_box(&inputs), &options);
        let mut sink = Sink::default();
        for entry in outcome.inventory.policies() {
            linter.document(entry.document, entry.kind, &mut sink);
        }
        linter.finish(sink)
    };
    let mut by_rule = std::collections::BTreeMap::new();
    for finding in lint(&linter) {
        *by_rule.entry(finding.rule).or_insert(0) += 1;
    }
    eprintln!("findings in the corpus: {by_rule:?}");
    group.bench_function("parse_and_validity_rules", |b| {
        b.iter(|| black_box(lint(&validity_linter)))
    });
    group.bench_function("parse_and_catalog_rules", |b| {
        b.iter(|| black_box(lint(&catalog_linter)))
    });
    group.bench_function("parse_and_all_rules", |b| {
        b.iter(|| black_box(lint(&linter)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
