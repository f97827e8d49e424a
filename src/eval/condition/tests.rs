//! Condition evaluation, one test per documented rule. The tables quoted
//! are AWS's "Policy condition / Request context / Result" tables.

use super::*;
use crate::policy::parse_policy;

/// Compiles the `Condition` object `condition` (JSON) of a 2012-10-17 policy.
fn compile(condition: &str) -> CompiledCondition {
    compile_versioned(condition, Some("2012-10-17"))
        .unwrap_or_else(|e| panic!("{condition}: {e:?}"))
}

/// As [`compile`] under `version` (`None`: no `Version` element).
fn compile_versioned(
    condition: &str,
    version: Option<&str>,
) -> Result<CompiledCondition, Vec<ConditionError>> {
    let version = version.map_or(String::new(), |v| format!(r#""Version":"{v}","#));
    let text = format!(
        r#"{{{version}"Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}}}"#
    );
    let parsed = parse_policy(&text).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let policy = parsed.policy;
    CompiledCondition::compile(
        policy.statements[0].condition.as_ref().unwrap(),
        policy.supports_variables(),
    )
}

fn errors(condition: &str) -> Vec<ConditionError> {
    compile_versioned(condition, Some("2012-10-17")).unwrap_err()
}

/// A context from `key=value` pairs; a value `[a,b]` is multivalued, `[]`
/// an empty set.
fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
    pairs
        .iter()
        .map(|(k, v)| {
            let value = match v.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                Some("") => ContextValue::Multi(Vec::new()),
                Some(list) => ContextValue::Multi(list.split(',').map(str::to_owned).collect()),
                None => ContextValue::Single((*v).to_owned()),
            };
            (*k, value)
        })
        .collect()
}

fn holds(condition: &CompiledCondition, pairs: &[(&str, &str)]) -> bool {
    let context = ctx(pairs);
    let outcome = condition.evaluate(&context);
    assert_eq!(outcome.satisfied, outcome.miss.is_none());
    outcome.satisfied
}

fn reason(condition: &CompiledCondition, pairs: &[(&str, &str)]) -> String {
    let context = ctx(pairs);
    condition
        .evaluate(&context)
        .miss
        .expect("the condition should fail")
        .reason()
}

// "Exact matching, case sensitive" — the aws:PrincipalTag/job-category table.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
#[test]
fn string_equals_is_case_sensitive_and_fails_on_absent_keys() {
    let c = compile(r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#);
    assert!(holds(
        &c,
        &[("aws:PrincipalTag/job-category", "iamuser-admin")]
    ));
    assert!(!holds(&c, &[("aws:PrincipalTag/job-category", "dev-ops")]));
    assert!(!holds(
        &c,
        &[("aws:PrincipalTag/job-category", "IAMUSER-ADMIN")]
    ));
    assert!(!holds(&c, &[]));
    // Key names ignore case, the tag-key part included.
    assert!(holds(
        &c,
        &[("AWS:principaltag/JOB-CATEGORY", "iamuser-admin")]
    ));
    // `*` is not a wildcard for StringEquals.
    let star = compile(r#"{"StringEquals":{"k":"a*"}}"#);
    assert!(holds(&star, &[("k", "a*")]));
    assert!(!holds(&star, &[("k", "ab")]));
}

// StringEqualsIgnoreCase with ForAnyValue:StringEquals on aws:TagKeys — the
// seven-row table of the "Example using ForAnyValue with a string condition
// operator". https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
#[test]
fn string_equals_ignore_case_with_for_any_value_tag_keys() {
    let c = compile(
        r#"{"StringEqualsIgnoreCase":{"aws:RequestTag/environment":["preprod","storage"]},
            "ForAnyValue:StringEquals":{"aws:TagKeys":"environment"}}"#,
    );
    let rows: &[(&[(&str, &str)], bool)] = &[
        (
            &[
                ("aws:TagKeys", "[environment]"),
                ("aws:RequestTag/environment", "preprod"),
            ],
            true,
        ),
        (
            &[
                ("aws:TagKeys", "[environment,costcenter]"),
                ("aws:RequestTag/environment", "PreProd"),
            ],
            true,
        ),
        (
            &[
                ("aws:TagKeys", "[Environment]"),
                ("aws:RequestTag/Environment", "preprod"),
            ],
            false,
        ),
        (
            &[
                ("aws:TagKeys", "[costcenter]"),
                ("aws:RequestTag/environment", "preprod"),
            ],
            false,
        ),
        (&[("aws:RequestTag/environment", "storage")], false),
        (&[("aws:TagKeys", "[environment]")], false),
        (&[], false),
    ];
    for (pairs, expected) in rows {
        assert_eq!(holds(&c, pairs), *expected, "{pairs:?}");
    }
    let unicode = compile(r#"{"StringEqualsIgnoreCase":{"k":"ÉQUIPE"}}"#);
    assert!(holds(&unicode, &[("k", "équipe")]));
}

// StringLike with a policy variable — the s3:prefix home-directory table;
// an absent aws:username gives "No match".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
#[test]
fn string_like_with_a_variable() {
    let c = compile(r#"{"StringLike":{"s3:prefix":["home/","home/${aws:username}/"]}}"#);
    assert!(holds(
        &c,
        &[
            ("aws:username", "martha_rivera"),
            ("s3:prefix", "home/martha_rivera/")
        ]
    ));
    assert!(!holds(
        &c,
        &[
            ("aws:username", "nikki_wolf"),
            ("s3:prefix", "home/martha_rivera/")
        ]
    ));
    assert!(holds(&c, &[("s3:prefix", "home/")]));
    assert!(!holds(&c, &[("s3:prefix", "home/martha_rivera/")]));
    let wild = compile(r#"{"StringLike":{"ec2:InstanceType":["t1.*","t2.*","m?.large"]}}"#);
    assert!(holds(&wild, &[("ec2:InstanceType", "t2.micro")]));
    assert!(holds(&wild, &[("ec2:InstanceType", "m5.large")]));
    assert!(
        !holds(&wild, &[("ec2:InstanceType", "T2.micro")]),
        "case-sensitive"
    );
    assert!(!holds(&wild, &[("ec2:InstanceType", "m10.large")]));
}

// Multiple operators AND, multiple keys AND, multiple values OR — the S3
// bucket policy table (StringEquals on two principal tags, ArnLike on
// aws:PrincipalArn).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
#[test]
fn keys_and_operators_are_anded_values_ored() {
    let c = compile(
        r#"{"StringEquals":{"aws:PrincipalTag/department":["finance","hr","legal"],
                             "aws:PrincipalTag/role":["audit","security"]},
            "ArnLike":{"aws:PrincipalArn":["arn:aws:iam::222222222222:user/Ana","arn:aws:iam::222222222222:user/Mary"]}}"#,
    );
    let mary = "arn:aws:iam::222222222222:user/Mary";
    let nikki = "arn:aws:iam::222222222222:user/Nikki";
    let rows: &[(&[(&str, &str)], bool)] = &[
        (
            &[
                ("aws:PrincipalTag/department", "legal"),
                ("aws:PrincipalTag/role", "audit"),
                ("aws:PrincipalArn", mary),
            ],
            true,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalTag/role", "audit"),
                ("aws:PrincipalArn", nikki),
            ],
            false,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalTag/role", "payroll"),
                ("aws:PrincipalArn", mary),
            ],
            false,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalArn", mary),
            ],
            false,
        ),
        (&[("aws:PrincipalArn", mary)], false),
    ];
    for (pairs, expected) in rows {
        assert_eq!(holds(&c, pairs), *expected, "{pairs:?}");
    }
}

// "If a single negated matching condition operator includes multiple values
// for a context key, those values are evaluated using a logical NOR" — the
// ArnNotLike table.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
#[test]
fn negated_operators_nor_their_values() {
    let c = compile(
        r#"{"StringEquals":{"aws:PrincipalTag/department":["finance","hr","legal"],
                             "aws:PrincipalTag/role":["audit","security"]},
            "ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::222222222222:user/Ana","arn:aws:iam::222222222222:user/Mary"]}}"#,
    );
    let mary = "arn:aws:iam::222222222222:user/Mary";
    let nikki = "arn:aws:iam::222222222222:user/Nikki";
    let rows: &[(&[(&str, &str)], bool)] = &[
        (
            &[
                ("aws:PrincipalTag/department", "legal"),
                ("aws:PrincipalTag/role", "audit"),
                ("aws:PrincipalArn", nikki),
            ],
            true,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalTag/role", "audit"),
                ("aws:PrincipalArn", mary),
            ],
            false,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalTag/role", "payroll"),
                ("aws:PrincipalArn", nikki),
            ],
            false,
        ),
        (
            &[
                ("aws:PrincipalTag/department", "hr"),
                ("aws:PrincipalArn", nikki),
            ],
            false,
        ),
        (&[("aws:PrincipalArn", nikki)], false),
    ];
    for (pairs, expected) in rows {
        assert_eq!(holds(&c, pairs), *expected, "{pairs:?}");
    }
    let not_equals =
        compile(r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#);
    assert!(!holds(&not_equals, &[("aws:PrincipalTag/role", "audit")]));
    assert!(!holds(
        &not_equals,
        &[("aws:PrincipalTag/role", "security")]
    ));
    assert!(holds(&not_equals, &[("aws:PrincipalTag/role", "dev")]));
}

// "If the policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#[test]
fn negated_operators_hold_when_the_key_is_absent() {
    for op in [
        r#"{"StringNotEquals":{"k":"v"}}"#,
        r#"{"StringNotEqualsIgnoreCase":{"k":"v"}}"#,
        r#"{"StringNotLike":{"k":"v*"}}"#,
        r#"{"NumericNotEquals":{"k":"1"}}"#,
        r#"{"DateNotEquals":{"k":"2020-01-01"}}"#,
        r#"{"NotIpAddress":{"k":"10.0.0.0/8"}}"#,
        r#"{"ArnNotEquals":{"k":"arn:aws:iam::1:role/r"}}"#,
        r#"{"ArnNotLike":{"k":"arn:aws:iam::1:role/*"}}"#,
    ] {
        assert!(holds(&compile(op), &[]), "{op}");
    }
    for op in [
        r#"{"StringEquals":{"k":"v"}}"#,
        r#"{"NumericLessThan":{"k":"1"}}"#,
        r#"{"DateGreaterThan":{"k":"2020-01-01"}}"#,
        r#"{"Bool":{"k":"true"}}"#,
        r#"{"BinaryEquals":{"k":"QQ=="}}"#,
        r#"{"IpAddress":{"k":"10.0.0.0/8"}}"#,
        r#"{"ArnLike":{"k":"arn:aws:iam::1:role/*"}}"#,
    ] {
        assert!(!holds(&compile(op), &[]), "{op}");
    }
}

// "...IfExists": "If the key is not present, evaluate the condition element
// as true" — the StringLikeIfExists ec2:InstanceType table.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
#[test]
fn if_exists() {
    let c = compile(r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#);
    assert!(holds(&c, &[("ec2:InstanceType", "t1.micro")]));
    assert!(!holds(&c, &[("ec2:InstanceType", "m2.micro")]));
    assert!(holds(&c, &[]));
    // With a Deny and a negated operator the statement still applies when
    // the key is absent.
    let negated = compile(r#"{"StringNotEqualsIfExists":{"k":"v"}}"#);
    assert!(holds(&negated, &[]));
    assert!(!holds(&negated, &[("k", "v")]));
    // Every family takes the suffix.
    for op in [
        r#"{"NumericLessThanIfExists":{"k":"1"}}"#,
        r#"{"DateLessThanIfExists":{"k":"2020-01-01"}}"#,
        r#"{"BoolIfExists":{"k":"true"}}"#,
        r#"{"BinaryEqualsIfExists":{"k":"QQ=="}}"#,
        r#"{"IpAddressIfExists":{"k":"10.0.0.0/8"}}"#,
        r#"{"ArnLikeIfExists":{"k":"arn:*:*:*:*:*"}}"#,
        r#"{"ForAnyValue:StringEqualsIfExists":{"k":"v"}}"#,
    ] {
        assert!(holds(&compile(op), &[]), "{op}");
    }
}

// "Null": `true` — the key doesn't exist; `false` — it exists and is not null.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
#[test]
fn null_tests_presence() {
    let must_exist = compile(r#"{"Null":{"aws:TokenIssueTime":"false"}}"#);
    assert!(holds(
        &must_exist,
        &[("aws:TokenIssueTime", "2020-01-01T00:00:00Z")]
    ));
    assert!(!holds(&must_exist, &[]));
    let must_be_absent = compile(r#"{"Null":{"aws:TokenIssueTime":true}}"#);
    assert!(holds(&must_be_absent, &[]));
    assert!(!holds(
        &must_be_absent,
        &[("aws:TokenIssueTime", "2020-01-01T00:00:00Z")]
    ));
    // "context keys with empty values" count as null.
    assert!(!holds(&must_exist, &[("aws:TokenIssueTime", "[]")]));
    assert!(holds(&must_be_absent, &[("aws:TokenIssueTime", "[]")]));
    let either = compile(r#"{"Null":{"k":["true","false"]}}"#);
    assert!(holds(&either, &[]) && holds(&either, &[("k", "v")]));
    assert!(holds(&compile(r#"{"Null":{"k":"TRUE"}}"#), &[]));
}

// "Suggestion – Null with qualifier": ForAllValues:Null always returns true,
// ForAnyValue:Null always false.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
#[test]
fn null_with_a_set_qualifier() {
    let all = compile(r#"{"ForAllValues:Null":{"k":"false"}}"#);
    assert!(holds(&all, &[]) && holds(&all, &[("k", "[a]")]));
    assert_eq!(all.warnings().len(), 1);
    assert_eq!(all.warnings()[0].kind, ConditionErrorKind::Pitfall);
    let any = compile(r#"{"ForAnyValue:Null":{"k":"true"}}"#);
    assert!(!holds(&any, &[]) && !holds(&any, &[("k", "[a]")]));
    assert_eq!(reason(&any, &[]), "ForAnyValue:Null never holds");
}

// ForAllValues — the aws:TagKeys table with its Null guard, and the
// warning that without it a missing key matches.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#[test]
fn for_all_values() {
    let guarded = compile(
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]},
            "Null":{"aws:TagKeys":"false"}}"#,
    );
    assert!(holds(&guarded, &[("aws:TagKeys", "[environment]")]));
    assert!(holds(&guarded, &[("aws:TagKeys", "[cost-center]")]));
    assert!(holds(
        &guarded,
        &[("aws:TagKeys", "[environment,cost-center]")]
    ));
    assert!(!holds(&guarded, &[("aws:TagKeys", "[environment,dept]")]));
    assert!(!holds(&guarded, &[]));
    let bare =
        compile(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#);
    assert!(
        holds(&bare, &[]),
        "ForAllValues holds when the key is absent"
    );
    assert!(
        holds(&bare, &[("aws:TagKeys", "[]")]),
        "and for an empty set"
    );
    // A single value is a set of one ("can lead to overly permissive
    // policies" with single-valued keys, but it evaluates).
    assert!(holds(&bare, &[("aws:TagKeys", "environment")]));
    assert!(!holds(&bare, &[("aws:TagKeys", "dept")]));
}

// ForAllValues:ArnLike — the logs:LogGeneratingResourceArns table (an
// absent key is "Match").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
#[test]
fn for_all_values_arn_like() {
    let c = compile(
        r#"{"ForAllValues:ArnLike":{"logs:LogGeneratingResourceArns":[
            "arn:aws:cloudfront::123456789012:distribution/*",
            "arn:aws:cloudfront::123456789012:distribution/support*"]}}"#,
    );
    let key = "logs:LogGeneratingResourceArns";
    assert!(holds(
        &c,
        &[(
            key,
            "[arn:aws:cloudfront::123456789012:distribution/costcenter]"
        )]
    ));
    assert!(holds(
        &c,
        &[(
            key,
            "[arn:aws:cloudfront::123456789012:distribution/costcenter,arn:aws:cloudfront::123456789012:distribution/support2025]"
        )]
    ));
    assert!(!holds(
        &c,
        &[(
            key,
            "[arn:aws:cloudfront::777788889999:distribution/costcenter]"
        )]
    ));
    assert!(holds(&c, &[]));
}

// ForAnyValue — the aws:TagKeys table: "For no matching context key or if
// the key does not exist, the condition returns false."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#[test]
fn for_any_value() {
    let c =
        compile(r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#);
    assert!(holds(&c, &[("aws:TagKeys", "[environment]")]));
    assert!(holds(&c, &[("aws:TagKeys", "[cost-center]")]));
    assert!(holds(&c, &[("aws:TagKeys", "[environment,cost-center]")]));
    assert!(holds(&c, &[("aws:TagKeys", "[environment,dept]")]));
    assert!(!holds(&c, &[("aws:TagKeys", "[dept]")]));
    assert!(!holds(&c, &[]));
    assert!(!holds(&c, &[("aws:TagKeys", "[]")]));
    assert!(
        holds(&c, &[("aws:TagKeys", "environment")]),
        "a single value is a set of one"
    );
}

// Set qualifiers with negated operators: ForAllValues:StringNotEquals —
// "None of the values of the context key in the request can match any of
// the context key values in your policy"; ForAnyValue:StringNotEquals — "At
// least one context key value in the request must NOT match any of values".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
#[test]
fn set_qualifiers_with_negated_operators() {
    let all = compile(r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}"#);
    assert!(holds(&all, &[("aws:TagKeys", "[c,d]")]));
    assert!(!holds(&all, &[("aws:TagKeys", "[c,a]")]));
    assert!(holds(&all, &[]), "ForAllValues: absent key holds");
    let any = compile(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}"#);
    assert!(holds(&any, &[("aws:TagKeys", "[a,c]")]));
    assert!(!holds(&any, &[("aws:TagKeys", "[a,b]")]));
    assert!(
        !holds(&any, &[]),
        "ForAnyValue: absent key fails, negated or not"
    );
    let not_like = compile(
        r#"{"ForAllValues:StringNotLike":{"aws:ResourceOrgPaths":["o-acorg/r-acroot/ou-acroot-mediaou/","o-acorg/r-acroot/ou-acroot-sportsou/*"]}}"#,
    );
    assert!(!holds(
        &not_like,
        &[(
            "aws:ResourceOrgPaths",
            "[o-acorg/r-acroot/ou-acroot-sportsou/costcenter/]"
        )]
    ));
    assert!(holds(
        &not_like,
        &[(
            "aws:ResourceOrgPaths",
            "[o-acorg/r-acroot/ou-acroot-mediaou/costcenter/]"
        )]
    ));
}

// "Multivalued context keys require a condition set operator": a plain
// operator never matches a multivalued request key, negated or not.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#[test]
fn plain_operators_do_not_match_multivalued_keys() {
    let c = compile(r#"{"StringEquals":{"aws:TagKeys":"environment"}}"#);
    assert!(!holds(&c, &[("aws:TagKeys", "[environment]")]));
    let negated = compile(r#"{"StringNotEquals":{"aws:TagKeys":"environment"}}"#);
    assert!(!holds(&negated, &[("aws:TagKeys", "[dept]")]));
    assert_eq!(
        reason(&c, &[("aws:TagKeys", "[environment,dept]")]),
        "aws:TagKeys is multivalued [environment, dept], and StringEquals without ForAnyValue: or ForAllValues: never matches a multivalued key"
    );
    // An empty set is an absent key.
    assert!(holds(&negated, &[("aws:TagKeys", "[]")]));
    assert!(!holds(&c, &[("aws:TagKeys", "[]")]));
}

// "Suggestion – Empty array condition ForAllValues / ForAnyValue / IfExists":
// with no policy values ForAllValues and IfExists match only a missing key,
// ForAnyValue never matches.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
#[test]
fn empty_value_lists() {
    let all = compile(r#"{"ForAllValues:StringEquals":{"k":[]}}"#);
    assert!(holds(&all, &[]) && !holds(&all, &[("k", "[a]")]));
    let any = compile(r#"{"ForAnyValue:StringEquals":{"k":[]}}"#);
    assert!(!holds(&any, &[]) && !holds(&any, &[("k", "[a]")]));
    let if_exists = compile(r#"{"StringEqualsIfExists":{"k":[]}}"#);
    assert!(holds(&if_exists, &[]) && !holds(&if_exists, &[("k", "a")]));
    assert!(all.warnings()[0].message.contains("lists no values"));
}

// Numeric: "integer or decimal value"; the s3:max-keys example ("up to 10").
// Values written as JSON numbers compare as written.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
#[test]
fn numeric_operators() {
    let le = compile(r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#);
    assert!(holds(&le, &[("s3:max-keys", "10")]));
    assert!(holds(&le, &[("s3:max-keys", "9.5")]));
    assert!(!holds(&le, &[("s3:max-keys", "11")]));
    assert!(!holds(&le, &[("s3:max-keys", "ten")]));
    let cases = [
        ("NumericEquals", [false, true, false]),
        ("NumericNotEquals", [true, false, true]),
        ("NumericLessThan", [true, false, false]),
        ("NumericLessThanEquals", [true, true, false]),
        ("NumericGreaterThan", [false, false, true]),
        ("NumericGreaterThanEquals", [false, true, true]),
    ];
    for (op, expected) in cases {
        let c = compile(&format!(r#"{{"{op}":{{"aws:MultiFactorAuthAge":3600}}}}"#));
        for (value, want) in ["3599", "3600.0", "3601"].into_iter().zip(expected) {
            assert_eq!(
                holds(&c, &[("aws:MultiFactorAuthAge", value)]),
                want,
                "{op} {value}"
            );
        }
    }
    assert_eq!(
        reason(&le, &[("s3:max-keys", "11")]),
        "s3:max-keys 11 is not at most 10"
    );
    assert_eq!(
        reason(&le, &[("s3:max-keys", "ten")]),
        "s3:max-keys ten (not a number) is not at most 10"
    );
}

// Date: ISO 8601 or epoch, on both sides — the aws:TokenIssueTime example.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
#[test]
fn date_operators() {
    let c = compile(r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#);
    assert!(holds(&c, &[("aws:TokenIssueTime", "2020-06-01T00:00:00Z")]));
    assert!(!holds(
        &c,
        &[("aws:TokenIssueTime", "2020-01-01T00:00:01Z")]
    ));
    assert!(!holds(&c, &[("aws:TokenIssueTime", "2019-12-31")]));
    assert!(
        holds(&c, &[("aws:TokenIssueTime", "1577836802")]),
        "epoch request, ISO policy"
    );
    assert!(!holds(&c, &[]));
    let epoch_policy = compile(r#"{"DateLessThan":{"aws:EpochTime":1577836800}}"#);
    assert!(holds(
        &epoch_policy,
        &[("aws:EpochTime", "2019-12-31T23:59:59Z")]
    ));
    assert!(!holds(&epoch_policy, &[("aws:EpochTime", "1577836800")]));
    let window = compile(
        r#"{"DateGreaterThan":{"aws:CurrentTime":"2019-07-16T12:00:00Z"},
            "DateLessThan":{"aws:CurrentTime":"2019-07-16T15:00:00Z"}}"#,
    );
    assert!(holds(
        &window,
        &[("aws:CurrentTime", "2019-07-16T13:30:00Z")]
    ));
    assert!(holds(
        &window,
        &[("aws:CurrentTime", "2019-07-16T14:30:00+01:00")]
    ));
    assert!(!holds(
        &window,
        &[("aws:CurrentTime", "2019-07-16T15:00:00Z")]
    ));
    let cases = [
        ("DateEquals", [false, true, false]),
        ("DateNotEquals", [true, false, true]),
        ("DateLessThan", [true, false, false]),
        ("DateLessThanEquals", [true, true, false]),
        ("DateGreaterThan", [false, false, true]),
        ("DateGreaterThanEquals", [false, true, true]),
    ];
    for (op, expected) in cases {
        let c = compile(&format!(r#"{{"{op}":{{"aws:CurrentTime":"2020-01-01"}}}}"#));
        for (value, want) in ["2019-12-31T23:59:59Z", "1577836800", "2020-01-01T00:00:01Z"]
            .into_iter()
            .zip(expected)
        {
            assert_eq!(
                holds(&c, &[("aws:CurrentTime", value)]),
                want,
                "{op} {value}"
            );
        }
    }
    assert_eq!(
        reason(&window, &[("aws:CurrentTime", "2019-07-16T15:00:00Z")]),
        "aws:CurrentTime 2019-07-16T15:00:00Z is not before 2019-07-16T15:00:00Z"
    );
}

// Bool — the aws:SecureTransport table; ForAnyValue:Bool on an array of
// booleans; "Policy variables – Supported".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
#[test]
fn bool_operator() {
    let c = compile(r#"{"Bool":{"aws:SecureTransport":"false"}}"#);
    assert!(holds(&c, &[("aws:SecureTransport", "false")]));
    assert!(!holds(&c, &[("aws:SecureTransport", "true")]));
    assert!(!holds(&c, &[]));
    assert!(
        holds(&c, &[("aws:SecureTransport", "FALSE")]),
        "case-insensitive"
    );
    let json_bool = compile(r#"{"Bool":{"aws:MultiFactorAuthPresent":true}}"#);
    assert!(holds(&json_bool, &[("aws:MultiFactorAuthPresent", "true")]));
    assert!(!holds(&json_bool, &[("aws:MultiFactorAuthPresent", "yes")]));
    let any = compile(r#"{"ForAnyValue:Bool":{"k":"true"}}"#);
    assert!(holds(&any, &[("k", "[false,true]")]));
    let all = compile(r#"{"ForAllValues:Bool":{"k":"true"}}"#);
    assert!(!holds(&all, &[("k", "[false,true]")]));
    let variable = compile(r#"{"Bool":{"aws:SecureTransport":"${aws:PrincipalTag/secure}"}}"#);
    assert!(holds(
        &variable,
        &[
            ("aws:SecureTransport", "true"),
            ("aws:PrincipalTag/secure", "True")
        ]
    ));
    assert!(!holds(&variable, &[("aws:SecureTransport", "true")]));
}

// BinaryEquals — the documented table.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
#[test]
fn binary_equals() {
    let c = compile(r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#);
    assert!(holds(&c, &[("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")]));
    assert!(
        holds(&c, &[("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA")]),
        "padding is not data"
    );
    assert!(!holds(&c, &[("key", "ASIAIOSFODNN7EXAMPLE")]));
    assert!(!holds(&c, &[]));
}

// IpAddress / NotIpAddress — the aws:SourceIp table and the mixed IPv4/IPv6
// example. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
#[test]
fn ip_address_operators() {
    let c = compile(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#);
    assert!(holds(&c, &[("aws:SourceIp", "203.0.113.1")]));
    assert!(!holds(&c, &[("aws:SourceIp", "198.51.100.1")]));
    assert!(
        holds(&c, &[("aws:SourceIp", "::ffff:203.0.113.9")]),
        "IPv4-mapped"
    );
    assert_eq!(
        reason(&c, &[("aws:SourceIp", "198.51.100.7")]),
        "aws:SourceIp 198.51.100.7 is not in 203.0.113.0/24"
    );
    let mixed =
        compile(r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#);
    assert!(holds(
        &mixed,
        &[("aws:SourceIp", "2001:db8:1234:5678:abcd::1")]
    ));
    assert!(!holds(&mixed, &[("aws:SourceIp", "2001:db8:1234:5679::1")]));
    assert_eq!(
        reason(&mixed, &[("aws:SourceIp", "192.0.2.1")]),
        "aws:SourceIp 192.0.2.1 is not in any of 203.0.113.0/24, 2001:DB8:1234:5678::/64"
    );
    let not = compile(r#"{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.5"]}}"#);
    assert!(holds(&not, &[("aws:SourceIp", "192.0.2.6")]));
    assert!(!holds(&not, &[("aws:SourceIp", "192.0.2.5")]));
    assert_eq!(
        reason(&not, &[("aws:SourceIp", "10.1.2.3")]),
        "aws:SourceIp 10.1.2.3 is in 10.0.0.0/8, which NotIpAddress excludes"
    );
}

// ARN operators: case-sensitive, six parts each with wildcards, ArnEquals
// and ArnLike identical — the aws:SourceArn table.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
#[test]
fn arn_operators() {
    for op in ["ArnEquals", "ArnLike"] {
        let c = compile(&format!(
            r#"{{"{op}":{{"aws:SourceArn":"arn:aws:sns:us-west-2:123456789012:TOPIC-ID"}}}}"#
        ));
        assert!(holds(
            &c,
            &[(
                "aws:SourceArn",
                "arn:aws:sns:us-west-2:123456789012:TOPIC-ID"
            )]
        ));
        assert!(!holds(
            &c,
            &[(
                "aws:SourceArn",
                "arn:aws:sns:us-west-2:777788889999:TOPIC-ID"
            )]
        ));
        assert!(!holds(
            &c,
            &[(
                "aws:SourceArn",
                "arn:aws:sns:us-west-2:123456789012:topic-id"
            )]
        ));
        assert!(!holds(&c, &[]));
        let wild = compile(&format!(
            r#"{{"{op}":{{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}}}"#
        ));
        assert!(holds(
            &wild,
            &[("aws:PrincipalArn", "arn:aws:iam::123456789012:role/AdminX")]
        ));
        assert!(!holds(
            &wild,
            &[("aws:PrincipalArn", "arn:aws:iam::123456789012:user/Admin")]
        ));
    }
    for op in ["ArnNotEquals", "ArnNotLike"] {
        let c = compile(&format!(
            r#"{{"{op}":{{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}}}}"#
        ));
        assert!(!holds(
            &c,
            &[("aws:PrincipalArn", "arn:aws:iam::123456789012:role/Admin")]
        ));
        assert!(holds(
            &c,
            &[("aws:PrincipalArn", "arn:aws:iam::123456789012:role/Other")]
        ));
    }
    let variable =
        compile(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}"#);
    assert!(holds(
        &variable,
        &[
            ("aws:PrincipalArn", "arn:aws:iam::1:user/bob"),
            ("aws:username", "bob")
        ]
    ));
    assert!(!holds(
        &variable,
        &[("aws:PrincipalArn", "arn:aws:iam::1:user/bob")]
    ));
    let not_an_arn = compile(r#"{"ArnLike":{"aws:SourceArn":"*"}}"#);
    assert!(!holds(
        &not_an_arn,
        &[("aws:SourceArn", "arn:aws:sns:us-east-1:1:t")]
    ));
    assert!(
        not_an_arn.warnings()[0]
            .message
            .contains("not an ARN pattern")
    );
    let c = compile(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:t"}}"#);
    assert_eq!(
        reason(&c, &[("aws:SourceArn", "topic")]),
        "aws:SourceArn topic (not an ARN) does not match arn:aws:sns:*:*:t"
    );
}

// Policy variables in conditions; "Policy variables with no value": an
// equality with a missing variable does not match, and a negated operator
// "do[es] match against a null value".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
#[test]
fn variables_with_no_value() {
    let c =
        compile(r#"{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}"#);
    assert!(
        holds(&c, &[("s3:ExistingObjectTag/Team", "red")]),
        "deny applies when the principal tag is absent"
    );
    assert!(!holds(
        &c,
        &[
            ("s3:ExistingObjectTag/Team", "red"),
            ("aws:PrincipalTag/Team", "red")
        ]
    ));
    assert!(holds(
        &c,
        &[
            ("s3:ExistingObjectTag/Team", "red"),
            ("aws:PrincipalTag/Team", "blue")
        ]
    ));
    let eq =
        compile(r#"{"StringEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}"#);
    assert!(!holds(&eq, &[("s3:ExistingObjectTag/Team", "red")]));
    assert_eq!(
        reason(&eq, &[("s3:ExistingObjectTag/Team", "red")]),
        "s3:ExistingObjectTag/Team red does not equal ${aws:PrincipalTag/Team} (no value in the request for ${aws:PrincipalTag/Team})"
    );
    let default = compile(r#"{"StringEquals":{"k":"${aws:PrincipalTag/Team, 'none'}"}}"#);
    assert!(holds(&default, &[("k", "none")]));
    let ignore_case =
        compile(r#"{"StringEqualsIgnoreCase":{"k":"team-${aws:PrincipalTag/Team}"}}"#);
    assert!(holds(
        &ignore_case,
        &[("k", "TEAM-Red"), ("aws:PrincipalTag/Team", "red")]
    ));
}

// Variables are literal text unless the Version is 2012-10-17.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
#[test]
fn variables_need_version_2012_10_17() {
    for version in [Some("2008-10-17"), None] {
        let c = compile_versioned(r#"{"StringEquals":{"k":"${aws:username}"}}"#, version).unwrap();
        assert!(holds(&c, &[("k", "${aws:username}")]));
        assert!(!holds(&c, &[("k", "bob"), ("aws:username", "bob")]));
    }
    let c = compile(r#"{"StringEquals":{"k":"${aws:username}"}}"#);
    assert!(holds(&c, &[("k", "bob"), ("aws:username", "bob")]));
}

// Special characters: ${*} is a literal `*`, not a wildcard; values that
// come from variables are literal too.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
#[test]
fn special_characters_and_literal_substitutions() {
    let c = compile(r#"{"StringLike":{"s3:prefix":"docs/${*}/*"}}"#);
    assert!(holds(&c, &[("s3:prefix", "docs/*/readme")]));
    assert!(!holds(&c, &[("s3:prefix", "docs/any/readme")]));
    let substituted = compile(r#"{"StringLike":{"s3:prefix":"${aws:PrincipalTag/prefix}*"}}"#);
    assert!(holds(
        &substituted,
        &[("s3:prefix", "a?c-1"), ("aws:PrincipalTag/prefix", "a?c")]
    ));
    assert!(!holds(
        &substituted,
        &[("s3:prefix", "abc-1"), ("aws:PrincipalTag/prefix", "a?c")]
    ));
}

// Values written as JSON numbers or booleans compare by their text.
#[test]
fn json_scalars_compare_as_text() {
    let c = compile(r#"{"StringEquals":{"aws:PrincipalAccount":123456789012,"flag":true}}"#);
    assert!(holds(
        &c,
        &[("aws:PrincipalAccount", "123456789012"), ("flag", "true")]
    ));
    assert!(!holds(
        &c,
        &[("aws:PrincipalAccount", "123456789012"), ("flag", "True")]
    ));
}

#[test]
fn misses_point_at_the_failing_key() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:PrincipalTag/team":["a","b"]}}}}"#;
    let policy = parse_policy(text).unwrap().policy;
    let c =
        CompiledCondition::compile(policy.statements[0].condition.as_ref().unwrap(), true).unwrap();
    let context = ctx(&[
        ("aws:SecureTransport", "true"),
        ("aws:PrincipalTag/team", "c"),
    ]);
    let miss = c.evaluate(&context).miss.unwrap();
    assert_eq!(miss.operator_name, "StringEquals");
    assert_eq!(
        &text[miss.key_span.start..miss.key_span.end],
        "\"aws:PrincipalTag/team\""
    );
    assert_eq!(
        &text[miss.values_span.start..miss.values_span.end],
        r#"["a","b"]"#
    );
    assert_eq!(
        &text[miss.operator_span.start..miss.operator_span.end],
        "\"StringEquals\""
    );
    assert_eq!(miss.policy_values.len(), 2);
    assert_eq!(miss.request, Some(&ContextValue::Single("c".into())));
    assert_eq!(miss.cause, MissCause::NoMatch { value: "c" });
    assert_eq!(
        miss.reason(),
        "aws:PrincipalTag/team c does not equal any of a, b"
    );
    let absent = RequestContext::new();
    let miss = c.evaluate(&absent).miss.unwrap();
    assert_eq!(miss.operator_name, "Bool");
    assert_eq!(miss.cause, MissCause::Absent);
    assert_eq!(
        miss.reason(),
        "aws:SecureTransport is absent from the request"
    );
}

#[test]
fn reasons_for_every_cause() {
    let null = compile(r#"{"Null":{"k":"true"}}"#);
    assert_eq!(
        reason(&null, &[("k", "v")]),
        "k is present (v), but Null true requires it to be absent"
    );
    let null = compile(r#"{"Null":{"k":"false"}}"#);
    assert_eq!(
        reason(&null, &[]),
        "k is absent, but Null false requires it to be present"
    );
    let any = compile(r#"{"ForAnyValue:StringLike":{"aws:TagKeys":["env*","cost*"]}}"#);
    assert_eq!(
        reason(&any, &[("aws:TagKeys", "[dept,owner]")]),
        "no value of aws:TagKeys [dept, owner] matches any of env*, cost*"
    );
    let any_not = compile(r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"env"}}"#);
    assert_eq!(
        reason(&any_not, &[("aws:TagKeys", "[env]")]),
        "every value of aws:TagKeys [env] equals env"
    );
    let all = compile(r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","cost"]}}"#);
    assert_eq!(
        reason(&all, &[("aws:TagKeys", "[env,dept]")]),
        "aws:TagKeys dept does not equal any of env, cost"
    );
    let not_like = compile(r#"{"StringNotLike":{"s3:prefix":"private/*"}}"#);
    assert_eq!(
        reason(&not_like, &[("s3:prefix", "private/x")]),
        "s3:prefix private/x matches private/*, which StringNotLike excludes"
    );
}

// Errors say what cannot be evaluated and where.
#[test]
fn values_that_cannot_be_evaluated() {
    let cases = [
        (
            r#"{"NumericLessThan":{"k":"ten"}}"#,
            "`ten` is not a number: `NumericLessThan` compares integers or decimals such as `10` or `0.5`",
        ),
        (
            r#"{"DateLessThan":{"k":"tomorrow"}}"#,
            "`tomorrow` is not a date: `DateLessThan` takes ISO 8601 (`2020-01-01` or `2020-01-01T00:00:00Z`) or epoch seconds (`1577836800`)",
        ),
        (
            r#"{"IpAddress":{"k":"203.0.113.0/33"}}"#,
            "`203.0.113.0/33` has an invalid prefix length: use `/0` to `/32`",
        ),
        (
            r#"{"IpAddress":{"k":"example.com"}}"#,
            "`example.com` is not an IP address or CIDR range: `IpAddress` takes values such as `203.0.113.0/24` or `2001:db8::/32`",
        ),
        (
            r#"{"Bool":{"k":"yes"}}"#,
            "`yes` is not a boolean: `Bool` takes `true` or `false`",
        ),
        (
            r#"{"Null":{"k":"maybe"}}"#,
            "`maybe` is not a boolean: `Null` takes `true` (the key must be absent) or `false` (the key must be present)",
        ),
        (
            r#"{"BinaryEquals":{"k":"not base64!"}}"#,
            "`not base64!` is not base64: `BinaryEquals` compares base64-encoded binary values",
        ),
        (
            r#"{"NumericEquals":{"k":"${aws:username}"}}"#,
            "policy variables cannot be used with Numeric operators such as `NumericEquals`: `${aws:username}`",
        ),
        (
            r#"{"IpAddress":{"k":"${aws:SourceIp}"}}"#,
            "policy variables cannot be used with IP address operators such as `IpAddress`: `${aws:SourceIp}`",
        ),
        (
            r#"{"StringLike":{"k":"home/${aws:username"}}"#,
            "the policy variable `${aws:username` is missing its closing `}`",
        ),
        (
            r#"{"NullIfExists":{"k":"true"}}"#,
            "`NullIfExists`: the `Null` operator cannot take the `IfExists` suffix, it already tests whether the key exists",
        ),
        (
            r#"{"StringEqual":{"k":"v"}}"#,
            "unknown condition operator `StringEqual`, did you mean `StringEquals`?",
        ),
    ];
    for (condition, message) in cases {
        let e = errors(condition);
        assert_eq!(e.len(), 1, "{condition}: {e:?}");
        assert_eq!(e[0].message, message, "{condition}");
    }
    // Every problem is reported, with its path.
    let e = errors(
        r#"{"NumericLessThan":{"a":["1","x","y"]},"Bogus":{"b":"1"},"DateEquals":{"c":"z"}}"#,
    );
    let paths: Vec<_> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/Condition/NumericLessThan/a/1",
            "/Condition/NumericLessThan/a/2",
            "/Condition/Bogus",
            "/Condition/DateEquals/c"
        ]
    );
    assert_eq!(e[2].kind, ConditionErrorKind::Operator);
    assert_eq!(e[0].kind, ConditionErrorKind::Value);
    // Under Version 2008-10-17 `${` is literal, so a Numeric value with it is
    // simply not a number.
    let e = compile_versioned(r#"{"NumericEquals":{"k":"${x}"}}"#, Some("2008-10-17")).unwrap_err();
    assert_eq!(e[0].kind, ConditionErrorKind::Value);
}

#[test]
fn spans_of_errors_point_at_values() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","bad"]}}}}"#;
    let policy = parse_policy(text).unwrap().policy;
    let e = CompiledCondition::compile(policy.statements[0].condition.as_ref().unwrap(), true)
        .unwrap_err();
    assert_eq!(&text[e[0].span.start..e[0].span.end], "\"bad\"");
}

#[test]
fn unknown_values_cannot_be_evaluated() {
    use crate::source::Span;
    use crate::value::{Member, Value as Node, ValueKind};
    let s = Span::default();
    let string = |t: &str| Node {
        span: s,
        kind: ValueKind::String(t.into()),
    };
    let member = |k: &str, v: Node| Member {
        key: k.into(),
        key_span: s,
        value: v,
    };
    let condition = Node {
        span: s,
        kind: ValueKind::Object(vec![member(
            "StringEquals",
            Node {
                span: s,
                kind: ValueKind::Object(vec![member(
                    "aws:SourceVpc",
                    Node {
                        span: s,
                        kind: ValueKind::Unknown("Ref: Vpc".into()),
                    },
                )]),
            },
        )]),
    };
    let root = Node {
        span: s,
        kind: ValueKind::Object(vec![
            member("Version", string("2012-10-17")),
            member(
                "Statement",
                Node {
                    span: s,
                    kind: ValueKind::Object(vec![
                        member("Effect", string("Deny")),
                        member("Action", string("*")),
                        member("Condition", condition),
                    ]),
                },
            ),
        ]),
    };
    let policy = crate::policy::build_policy(&root).policy;
    let e = CompiledCondition::compile(policy.statements[0].condition.as_ref().unwrap(), true)
        .unwrap_err();
    assert_eq!(e[0].kind, ConditionErrorKind::UnknownValue);
    assert!(e[0].message.contains("unknown until deployment (Ref: Vpc)"));
}

#[test]
fn warnings_for_surprising_values() {
    let c = compile(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.9/24"}}"#);
    assert_eq!(
        c.warnings()[0].message,
        "`203.0.113.9/24` has bits set below its prefix, which are ignored: it means `203.0.113.0/24`"
    );
    assert!(
        compile(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#)
            .warnings()
            .is_empty()
    );
}

#[test]
fn request_values_of_the_wrong_type() {
    let c = compile(
        r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"NumericLessThan":{"n":"5"},"StringEquals":{"s":"x"}}"#,
    );
    let context = ctx(&[
        ("aws:SourceIp", "localhost"),
        ("n", "[1,two]"),
        ("s", "anything"),
    ]);
    let found = c.check_context(&context);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].to_string(),
        "the request's `aws:SourceIp` is `localhost`, which is not an IP address (the policy compares it with `IpAddress`)"
    );
    assert_eq!(
        (found[1].key, found[1].value, found[1].problem),
        ("n", "two", "not a number")
    );
    assert!(
        c.check_context(&ctx(&[("aws:SourceIp", "10.1.1.1")]))
            .is_empty()
    );
}

#[test]
fn an_empty_condition_holds() {
    let c = compile("{}");
    assert!(holds(&c, &[]));
}

#[test]
fn evaluate_keys_checks_only_the_selected_keys() {
    let c = compile(
        r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"aws:ResourceAccount":["111122223333"]}}"#,
    );
    let resource = |k: &str| k.eq_ignore_ascii_case("aws:resourceaccount");
    let ours = c.evaluate_keys(&ctx(&[("aws:ResourceAccount", "111122223333")]), resource);
    assert_eq!(
        ours,
        KeyedOutcome {
            holds: true,
            other_keys: true
        }
    );
    let theirs = c.evaluate_keys(&ctx(&[("aws:ResourceAccount", "444455556666")]), resource);
    assert!(!theirs.holds);
    let none = c.evaluate_keys(&ctx(&[]), |_| false);
    assert!(none.holds && none.other_keys);
}
