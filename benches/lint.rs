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
//!   no service data — the target is 50 MB/s or more;
//! - `parse_and_all_rules`: the same with every rule, the catalog-backed
//!   ones (actions, resource types, condition keys) included.
//!
//! `cargo bench --bench lint`; the median is in
//! `target/criterion/lint/<bench>/new/estimates.json`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

use rolecall::inventory::{self, InputSpec, LoadOptions};
use rolecall::lint::{Config, Linter, Sink};

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

/// Real actions (checked against the embedded catalog, so the catalog rules
/// judge a realistic corpus rather than a pile of typos), by service, with
/// the resource ARNs they take.
const SERVICES: &[(&str, &[&str])] = &[
    (
        "s3",
        &[
            "GetObject",
            "PutObject",
            "DeleteObject",
            "ListBucket",
            "GetObjectVersion",
            "GetBucketPolicy",
        ],
    ),
    (
        "iam",
        &[
            "GetRole",
            "PassRole",
            "CreateRole",
            "AttachRolePolicy",
            "GetUser",
        ],
    ),
    (
        "kms",
        &[
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "DescribeKey",
            "CreateGrant",
        ],
    ),
    (
        "lambda",
        &[
            "InvokeFunction",
            "CreateFunction",
            "UpdateFunctionCode",
            "GetFunction",
        ],
    ),
    (
        "dynamodb",
        &[
            "GetItem",
            "PutItem",
            "Query",
            "Scan",
            "UpdateItem",
            "DeleteItem",
            "BatchGetItem",
        ],
    ),
    (
        "sqs",
        &[
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "GetQueueAttributes",
        ],
    ),
    ("sns", &["Publish", "Subscribe"]),
    ("logs", &["CreateLogStream", "PutLogEvents"]),
    (
        "secretsmanager",
        &["GetSecretValue", "DescribeSecret", "PutSecretValue"],
    ),
    (
        "ssm",
        &[
            "GetParameter",
            "GetParameters",
            "PutParameter",
            "GetParametersByPath",
        ],
    ),
    // Actions without resource-level permissions take "*".
    (
        "ec2",
        &[
            "DescribeInstances",
            "DescribeSecurityGroups",
            "DescribeVpcs",
        ],
    ),
];
const ACCOUNTS: &[&str] = &[
    "111122223333",
    "444455556666",
    "777788889999",
    "123456789012",
];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-southeast-2", "*"];

/// Actions of one service: named ones, sometimes a `Verb*` or `service:*`.
fn actions(rng: &mut Rng, service: &str, names: &[&str]) -> Value {
    let n = 1 + rng.below(names.len());
    let mut list: Vec<Value> = (0..n)
        .map(|_| json!(format!("{service}:{}", rng.pick(names))))
        .collect();
    match rng.below(8) {
        0 => list.push(json!(format!("{service}:Get*"))),
        1 => list = vec![json!(format!("{service}:*"))],
        _ => {}
    }
    if list.len() == 1 && rng.below(2) == 0 {
        list.remove(0)
    } else {
        Value::Array(list)
    }
}

/// Resources for a service's actions.
fn resources(rng: &mut Rng, service: &str, i: usize) -> Value {
    let account = rng.pick(ACCOUNTS);
    let region = rng.pick(REGIONS);
    match service {
        "s3" => json!([
            format!("arn:aws:s3:::team-bucket-{i}"),
            format!("arn:aws:s3:::team-bucket-{i}/${{aws:username}}/*"),
        ]),
        "iam" => json!(format!("arn:aws:iam::{account}:role/service-role/app-{i}")),
        "kms" => json!(format!(
            "arn:aws:kms:{region}:{account}:key/0f3c{i:04x}-1a2b-4c5d-8e9f-00112233{i:04x}"
        )),
        "lambda" => json!(format!(
            "arn:aws:lambda:{region}:{account}:function:app-{i}"
        )),
        "dynamodb" => json!([
            format!("arn:aws:dynamodb:{region}:{account}:table/orders-{i}"),
            format!("arn:aws:dynamodb:{region}:{account}:table/orders-{i}/index/*"),
        ]),
        "sqs" => json!(format!("arn:aws:sqs:{region}:{account}:queue-{i}")),
        "sns" => json!(format!("arn:aws:sns:{region}:{account}:alerts-{i}")),
        "logs" => json!(format!(
            "arn:aws:logs:{region}:{account}:log-group:/app/{i}:*"
        )),
        "secretsmanager" => json!(format!(
            "arn:aws:secretsmanager:{region}:{account}:secret:db-{i}-AbCdEf"
        )),
        "ssm" => json!(format!(
            "arn:aws:ssm:{region}:{account}:parameter/app/{i}/*"
        )),
        _ => json!("*"),
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
                "aws:PrincipalArn",
                json!(["arn:aws:iam::*:role/app-*", "arn:aws:iam::*:role/ci-*"]),
            ),
            4 => (
                "NumericLessThanEquals",
                "aws:MultiFactorAuthAge",
                json!("3600"),
            ),
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
            let (service, names) = SERVICES[rng.below(SERVICES.len())];
            let mut statement = json!({
                "Sid": format!("Statement{s}"),
                "Effect": if rng.below(6) == 0 { "Deny" } else { "Allow" },
                "Action": actions(rng, service, names),
                "Resource": resources(rng, service, i),
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
                "Action": actions(rng, "s3", SERVICES[0].1),
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
    // The document-validity rules that need no service data (issue 2's):
    // every rule but those that look actions, resources and keys up in the
    // embedded AWS catalog.
    let validity_config = Config::parse(
        "[rules]\ninvalid-action = \"off\"\naction-resource-mismatch = \"off\"\n\
         unknown-condition-key = \"off\"\ncondition-type-mismatch = \"off\"\n",
        std::path::Path::new("bench.toml"),
    )
    .unwrap();
    let validity_linter = Linter::new(&validity_config);
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
    group.bench_function("parse_and_all_rules", |b| {
        b.iter(|| black_box(lint(&linter)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
