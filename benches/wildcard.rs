//! The two IAM wildcard matchers where each is meant to win: one pattern
//! against one text (two-pointer) and one text against many patterns
//! (globset `GlobSet`).

use criterion::{Criterion, criterion_group, criterion_main};
use globset::GlobBuilder;
use rolecall::policy::wildcard::{self, Case, PatternSet};
use std::hint::black_box;

fn single_pattern(c: &mut Criterion) {
    let mut group = c.benchmark_group("single pattern s3:Get* vs s3:GetObject");
    group.bench_function("two-pointer", |b| {
        b.iter(|| wildcard::matches_ignore_case(black_box("s3:Get*"), black_box("s3:GetObject")))
    });
    let glob = GlobBuilder::new(&wildcard::to_glob("s3:Get*"))
        .literal_separator(false)
        .backslash_escape(false)
        .case_insensitive(true)
        .build()
        .map(|g| g.compile_matcher());
    if let Ok(matcher) = glob {
        group.bench_function("globset GlobMatcher", |b| {
            b.iter(|| matcher.is_match(black_box("s3:GetObject")))
        });
    }
    if let Ok(set) = PatternSet::new(["s3:Get*"], Case::Insensitive) {
        group.bench_function("PatternSet of 1", |b| {
            b.iter(|| set.is_match(black_box("s3:GetObject")))
        });
    }
    group.finish();
}

/// 50 action patterns of the kind a broad identity policy lists; the action
/// asked about matches none but the last, so every single match runs.
fn fifty_patterns() -> Vec<String> {
    let services = [
        "s3", "ec2", "iam", "sts", "kms", "lambda", "dynamodb", "sqs", "sns", "logs",
    ];
    let verbs = ["Get*", "List*", "Describe*", "Put*", "Delete*"];
    let mut patterns: Vec<String> = services
        .iter()
        .flat_map(|s| verbs.iter().map(move |v| format!("{s}:{v}")))
        .collect();
    patterns.truncate(49);
    patterns.push("cloudwatch:*Metric?ata".into());
    patterns
}

fn many_patterns(c: &mut Criterion) {
    let patterns = fifty_patterns();
    let action = "cloudwatch:PutMetricData";
    let mut group = c.benchmark_group("one action against 50 patterns");
    group.bench_function("50 two-pointer matches", |b| {
        b.iter(|| {
            black_box(&patterns)
                .iter()
                .any(|p| wildcard::matches_ignore_case(p, black_box(action)))
        })
    });
    if let Ok(set) = PatternSet::new(patterns.iter().cloned(), Case::Insensitive) {
        group.bench_function("PatternSet is_match", |b| {
            b.iter(|| set.is_match(black_box(action)))
        });
        let mut found = Vec::new();
        group.bench_function("PatternSet matches_into", |b| {
            b.iter(|| {
                set.matches_into(black_box(action), &mut found);
                found.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, single_pattern, many_patterns);
criterion_main!(benches);
