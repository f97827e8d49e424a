#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    reason = "bench code fails loudly and reports its corpus"
)]

//! Throughput of reading policy JSON: parse only, parse + policy model, and
//! parse + every lint rule, over a generated corpus that looks like what
//! teams deploy (identity, trust and resource policies, pretty and minified,
//! with conditions of every size). Reported in MB/s (decimal); the target is
//! parse + all rules at 50 MB/s or more on one core.
//!
//! `cargo bench --bench lint`; the median is in
//! `target/criterion/<group>/<bench>/new/estimates.json`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

use rolecall::lint::{Config, Linter, Sink};
use rolecall::policy::PolicyDocument;
use rolecall::source::SourceFile;

/// A small deterministic generator (xorshift64), so every run benches the
/// same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SERVICES: &[&str] = &[
    "s3",
    "ec2",
    "iam",
    "sts",
    "kms",
    "lambda",
    "dynamodb",
    "sqs",
    "sns",
    "logs",
    "cloudwatch",
    "secretsmanager",
    "ssm",
    "ecr",
    "ecs",
];
const VERBS: &[&str] = &[
    "Get", "Put", "List", "Describe", "Create", "Delete", "Update", "Tag", "Untag",
];
const NOUNS: &[&str] = &[
    "Object",
    "Bucket",
    "Instances",
    "Role",
    "Policy",
    "Key",
    "Function",
    "Item",
    "Queue",
    "Topic",
    "LogEvents",
    "Parameter",
    "SecretValue",
    "Image",
    "Service",
];
const ACCOUNTS: &[&str] = &[
    "111122223333",
    "444455556666",
    "777788889999",
    "123456789012",
];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-southeast-2", "*"];

fn action(rng: &mut Rng) -> String {
    let service = rng.pick(SERVICES);
    match rng.below(8) {
        0 => format!("{service}:*"),
        1 => format!("{service}:{}*", rng.pick(VERBS)),
        _ => format!("{service}:{}{}", rng.pick(VERBS), rng.pick(NOUNS)),
    }
}

fn resource(rng: &mut Rng, i: usize) -> String {
    let account = rng.pick(ACCOUNTS);
    let region = rng.pick(REGIONS);
    match rng.below(6) {
        0 => "*".into(),
        1 => format!("arn:aws:s3:::team-bucket-{i}/${{aws:username}}/*"),
        2 => format!("arn:aws:iam::{account}:role/service-role/app-{i}"),
        3 => format!("arn:aws:dynamodb:{region}:{account}:table/orders-{i}/index/*"),
        4 => {
            format!("arn:aws:kms:{region}:{account}:key/0f3c{i:04x}-1a2b-4c5d-8e9f-00112233{i:04x}")
        }
        _ => format!("arn:aws:sqs:{region}:{account}:queue-{i}"),
    }
}

fn strings(rng: &mut Rng, max: usize, mut make: impl FnMut(&mut Rng) -> String) -> Value {
    let n = 1 + rng.below(max);
    if n == 1 && rng.below(2) == 0 {
        json!(make(rng))
    } else {
        Value::Array((0..n).map(|_| json!(make(rng))).collect())
    }
}

fn condition(rng: &mut Rng) -> Value {
    let mut block = serde_json::Map::new();
    for _ in 0..1 + rng.below(3) {
        let (operator, key, value) = match rng.below(8) {
            0 => ("StringEquals", "aws:PrincipalOrgID", json!("o-a1b2c3d4e5")),
            1 => ("Bool", "aws:MultiFactorAuthPresent", json!("true")),
            2 => (
                "IpAddress",
                "aws:SourceIp",
                json!(["203.0.113.0/24", "198.51.100.0/24", "192.0.2.17/32"]),
            ),
            3 => (
                "StringLike",
                "s3:prefix",
                json!(["home/${aws:username}/*", "shared/*"]),
            ),
            4 => ("NumericLessThanEquals", "s3:max-keys", json!("100")),
            5 => (
                "DateGreaterThan",
                "aws:CurrentTime",
                json!("2024-01-01T00:00:00Z"),
            ),
            6 => (
                "ForAnyValue:StringEquals",
                "aws:TagKeys",
                json!(["team", "cost-center", "environment"]),
            ),
            _ => (
                "ArnLike",
                "aws:SourceArn",
                json!("arn:aws:sns:*:111122223333:alerts-*"),
            ),
        };
        let entry = block.entry(operator).or_insert_with(|| json!({}));
        entry[key] = value;
    }
    Value::Object(block)
}

fn identity_policy(rng: &mut Rng, i: usize) -> Value {
    let statements: Vec<Value> = (0..1 + rng.below(12))
        .map(|s| {
            let mut statement = json!({
                "Sid": format!("Statement{s}"),
                "Effect": if rng.below(6) == 0 { "Deny" } else { "Allow" },
                "Action": strings(rng, 15, action),
                "Resource": strings(rng, 6, |rng| resource(rng, i)),
            });
            if rng.below(3) == 0 {
                statement["Condition"] = condition(rng);
            }
            statement
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn trust_policy(rng: &mut Rng, i: usize) -> Value {
    let statements: Vec<Value> = (0..1 + rng.below(3))
        .map(|_| match rng.below(4) {
            0 => json!({
                "Effect": "Allow",
                "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            }),
            1 => json!({
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{}:role/engine-{i}", rng.pick(ACCOUNTS))},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {"sts:ExternalId": format!("ext-{i:08}")}},
            }),
            2 => json!({
                "Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com", rng.pick(ACCOUNTS))},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                    "StringLike": {"token.actions.githubusercontent.com:sub": format!("repo:example/app-{i}:ref:refs/heads/main")},
                },
            }),
            _ => json!({
                "Effect": "Allow",
                "Principal": {"AWS": ACCOUNTS.iter().map(|a| format!("arn:aws:iam::{a}:root")).collect::<Vec<_>>()},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }),
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn resource_policy(rng: &mut Rng, i: usize) -> Value {
    let bucket = format!("arn:aws:s3:::shared-data-{i}");
    let statements: Vec<Value> = (0..1 + rng.below(6))
        .map(|s| {
            let principal = match rng.below(3) {
                0 => json!("*"),
                1 => json!({"AWS": format!("arn:aws:iam::{}:root", rng.pick(ACCOUNTS))}),
                _ => json!({"Service": "cloudtrail.amazonaws.com"}),
            };
            let mut statement = json!({
                "Sid": format!("Bucket{s}"),
                "Effect": if rng.below(3) == 0 { "Deny" } else { "Allow" },
                "Principal": principal,
                "Action": strings(rng, 5, |rng| format!("s3:{}{}", rng.pick(VERBS), rng.pick(NOUNS))),
                "Resource": [bucket.clone(), format!("{bucket}/*")],
            });
            if rng.below(2) == 0 {
                statement["Condition"] = condition(rng);
            }
            statement
        })
        .collect();
    json!({"Version": "2012-10-17", "Id": format!("bucket-policy-{i}"), "Statement": statements})
}

/// The corpus: `count` documents, about half identity policies, a quarter
/// each trust and resource policies; three in four pretty-printed.
fn corpus(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|i| {
            let doc = match rng.below(4) {
                0 | 1 => identity_policy(&mut rng, i),
                2 => trust_policy(&mut rng, i),
                _ => resource_policy(&mut rng, i),
            };
            if rng.below(4) == 0 {
                serde_json::to_string(&doc).unwrap()
            } else {
                serde_json::to_string_pretty(&doc).unwrap()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus(2_000);
    let bytes: usize = docs.iter().map(String::len).sum();
    eprintln!(
        "corpus: {} documents, {bytes} bytes ({:.0} bytes on average)",
        docs.len(),
        bytes as f64 / docs.len() as f64
    );
    let config = Config::default();
    let linter = Linter::new(&config);
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
    // As `rolecall lint` does per document: parse → model → every rule →
    // findings.
    group.bench_function("parse_and_all_rules", |b| {
        b.iter(|| {
            let mut sink = Sink::default();
            for (i, doc) in docs.iter().enumerate() {
                let file = SourceFile::new(format!("policy-{i}.json"), doc.as_str());
                if let Ok(doc) = PolicyDocument::from_file(file, None) {
                    linter.document(&doc, doc.effective_kind(), &mut sink);
                }
            }
            black_box(linter.finish(sink))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
