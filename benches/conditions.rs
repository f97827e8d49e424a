//! How long `CompiledCondition::evaluate` takes on conditions typical of
//! identity, resource and trust policies, against a request context of
//! realistic size.

#![expect(
    clippy::panic,
    reason = "a bench whose fixture does not compile must stop at once"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rolecall::eval::condition::CompiledCondition;
use rolecall::eval::context::{ContextValue, RequestContext};
use rolecall::policy::parse_policy;

/// (name, `Condition` JSON) pairs.
const CONDITIONS: &[(&str, &str)] = &[
    (
        "string_equals_tag",
        r#"{"StringEquals":{"aws:PrincipalTag/team":"platform"}}"#,
    ),
    (
        "external_id",
        r#"{"StringEquals":{"sts:ExternalId":"8f1b5c2e-example"}}"#,
    ),
    (
        "source_ip_two_ranges",
        r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}"#,
    ),
    (
        "mfa_bool_and_age",
        r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#,
    ),
    (
        "s3_prefix_variable",
        r#"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
    ),
    (
        "tag_keys_for_any_value",
        r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#,
    ),
    (
        "principal_arn_like",
        r#"{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/Admin*","arn:aws:iam::*:role/Ops*"]}}"#,
    ),
    (
        "current_time_window",
        r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}"#,
    ),
    (
        "org_and_not_vpce",
        r#"{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"StringNotEqualsIfExists":{"aws:SourceVpce":["vpce-1a2b3c4d","vpce-5e6f7a8b"]}}"#,
    ),
    (
        "deny_miss_not_ip",
        r#"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}"#,
    ),
];

fn context() -> RequestContext {
    let single = [
        (
            "aws:PrincipalArn",
            "arn:aws:iam::123456789012:role/AdminRole",
        ),
        ("aws:PrincipalAccount", "123456789012"),
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("aws:PrincipalTag/team", "platform"),
        ("aws:PrincipalTag/cost-center", "1234"),
        ("aws:PrincipalType", "AssumedRole"),
        ("aws:userid", "AROAEXAMPLE:alice"),
        ("aws:username", "alice"),
        ("aws:SourceIp", "203.0.113.42"),
        ("aws:SecureTransport", "true"),
        ("aws:ViaAWSService", "false"),
        ("aws:MultiFactorAuthPresent", "true"),
        ("aws:MultiFactorAuthAge", "120"),
        ("aws:CurrentTime", "2025-06-01T12:00:00Z"),
        ("aws:EpochTime", "1748779200"),
        ("aws:RequestedRegion", "us-east-1"),
        ("sts:ExternalId", "8f1b5c2e-example"),
        ("s3:prefix", "home/alice/reports/"),
    ];
    let mut ctx: RequestContext = single.into_iter().collect();
    ctx.insert(
        "aws:TagKeys",
        ContextValue::from(vec!["environment", "owner"]),
    );
    ctx
}

fn compile(condition: &str) -> CompiledCondition {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}}}"#
    );
    let parsed = parse_policy(&text).unwrap_or_else(|e| panic!("{condition}: {e}"));
    let statement = &parsed.policy.statements[0];
    let condition_element = statement
        .condition
        .as_ref()
        .unwrap_or_else(|| panic!("{condition}: no Condition"));
    CompiledCondition::compile(condition_element, parsed.policy.supports_variables())
        .unwrap_or_else(|e| panic!("{condition}: {e:?}"))
}

fn evaluate(c: &mut Criterion) {
    let ctx = context();
    let mut group = c.benchmark_group("evaluate");
    for (name, json) in CONDITIONS {
        let compiled = compile(json);
        group.bench_function(*name, |b| {
            b.iter(|| black_box(&compiled).evaluate(black_box(&ctx)).satisfied)
        });
    }
    let all: Vec<CompiledCondition> = CONDITIONS.iter().map(|(_, json)| compile(json)).collect();
    group.bench_function("all_ten", |b| {
        b.iter(|| {
            all.iter()
                .filter(|c| black_box(c).evaluate(black_box(&ctx)).satisfied)
                .count()
        })
    });
    group.finish();
}

fn miss_reason(c: &mut Criterion) {
    let ctx = context();
    let compiled = compile(r#"{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}"#);
    c.bench_function("miss_reason", |b| {
        b.iter(|| {
            black_box(&compiled)
                .evaluate(black_box(&ctx))
                .miss
                .map(|m| m.reason())
        })
    });
}

fn compile_all(c: &mut Criterion) {
    c.bench_function("compile_ten", |b| {
        b.iter(|| {
            CONDITIONS
                .iter()
                .map(|(_, json)| compile(black_box(json)))
                .collect::<Vec<_>>()
        })
    });
}

criterion_group!(benches, evaluate, miss_reason, compile_all);
criterion_main!(benches);
