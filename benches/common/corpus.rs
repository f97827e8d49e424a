//! The lint bench's corpus: generated policy documents that look like what
//! teams deploy (identity, trust and resource policies with real actions and
//! fitting resources, pretty and minified, conditions of every size).
//! Deterministic; used by `benches/lint.rs` and the `lint_corpus` example
//! (which writes it to a directory for `rolecall lint` and Parliament).

use serde_json::{Value, json};

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
pub fn corpus(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..count)
        .map(|i| {
            let doc = match rng.below(4) {
                0 | 1 => identity_policy(&mut rng, i),
                2 => trust_policy(&mut rng, i),
                _ => resource_policy(&mut rng, i),
            };
            if rng.below(4) == 0 {
                doc.to_string()
            } else {
                format!("{doc:#}")
            }
        })
        .collect()
}
