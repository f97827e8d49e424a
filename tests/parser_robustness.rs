//! The policy parser on hostile input, on the stable toolchain (the
//! cargo-fuzz target in `fuzz/` needs nightly): deep nesting, huge strings,
//! many keys, random bytes and mutated policies never panic, never overflow
//! the stack, and every span they report lies inside the text.

// SplitMix64, as the estate generator uses: failures reproduce.
#[path = "../benches/common/rng.rs"]
mod rng;

use rng::Rng;
use rolecall::policy::parse_policy;
use rolecall::source::Span;

/// Parses `text` and checks every reported span; returns whether it was
/// syntactically valid JSON.
fn parse_and_check(text: &str) -> bool {
    let in_bounds = |span: Span| span.start <= span.end && span.end <= text.len();
    match parse_policy(text) {
        Ok(parsed) => {
            assert!(in_bounds(parsed.policy.span));
            for problem in &parsed.problems {
                assert!(
                    in_bounds(problem.span),
                    "{problem:?} in {} bytes",
                    text.len()
                );
                assert!(!problem.message.is_empty());
            }
            true
        }
        Err(error) => {
            assert!(in_bounds(error.span), "{error:?} in {} bytes", text.len());
            assert!(!error.message.is_empty());
            false
        }
    }
}

const SEEDS: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","222233334444"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"},"Bool":{"aws:MultiFactorAuthPresent":true}}}]}"#,
    r#"{"Version":"2008-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}}"#,
    r#"{"Statement":[{"Effect":"allow","Action":[],"NotAction":5,"Resource":{"x":1},"Principal":"me","NotPrincipal":{"Foo":[]},"Condition":[],"Sid":null},[],"s"],"Statment":1}"#,
];

/// Bytes that matter to JSON and to the policy grammar.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    "null",
    "true",
    "-0.5e+3",
    "\"Statement\"",
    "\"Effect\"",
    "\"Allow\"",
    "\"Action\"",
    "\"Principal\"",
    "\"Condition\"",
    "\"*\"",
    "é",
    "😀",
    "\u{0}",
    "\u{feff}",
    "/*",
    "//",
    "\n",
];

/// One random edit: delete, duplicate or replace a range, or insert a token.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes());
            continue;
        }
        let at = rng.below(out.len());
        let len = rng.below(out.len() - at).min(16);
        match rng.below(4) {
            0 => {
                out.drain(at..at + len);
            }
            1 => {
                let copy = out[at..at + len].to_vec();
                out.splice(at..at, copy);
            }
            2 => out[at] = rng.next() as u8,
            _ => {
                out.splice(at..at, TOKENS[rng.below(TOKENS.len())].bytes());
            }
        }
    }
    // As callers do: decode, replacing invalid UTF-8.
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn mutated_policies() {
    let mut rng = Rng(7);
    let mut valid = 0;
    for i in 0..20_000 {
        let seed = SEEDS[i % SEEDS.len()];
        let mut text = mutate(&mut rng, seed);
        for _ in 0..rng.below(3) {
            text = mutate(&mut rng, &text);
        }
        if parse_and_check(&text) {
            valid += 1;
        }
    }
    assert!(
        valid > 500,
        "mutations should keep some inputs valid, got {valid}"
    );
}

#[test]
fn random_bytes() {
    let mut rng = Rng(11);
    for _ in 0..5_000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        parse_and_check(&String::from_utf8_lossy(&bytes));
        let tokens: String = (0..len / 4)
            .map(|_| TOKENS[rng.below(TOKENS.len())])
            .collect();
        parse_and_check(&tokens);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("{\"Statement\":", "}")] {
        for depth in [511, 513, 10_000, 100_000] {
            let text = open.repeat(depth) + "1" + &close.repeat(depth);
            parse_and_check(&text);
        }
        // Unclosed, too.
        parse_and_check(&open.repeat(100_000));
    }
    let statement = r#"{"Effect":"Allow","Action":"a:b","Condition":{"StringEquals":{"k":"#;
    let deep_value = "[".repeat(600) + &"]".repeat(600);
    parse_and_check(&format!(r#"{{"Statement":{statement}{deep_value}}}}}}}}}"#));
}

#[test]
fn huge_strings_and_many_elements() {
    let huge = "x".repeat(8 << 20);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{huge}","Effect":"Allow","Action":"{huge}","Resource":"*"}}}}"#
    );
    assert!(parse_and_check(&policy));
    let escapes = "\\u00e9".repeat(1 << 18);
    assert!(parse_and_check(&format!(r#"{{"Statement":"{escapes}"}}"#)));
    let actions = vec!["\"s3:GetObject\""; 100_000].join(",");
    assert!(parse_and_check(&format!(
        r#"{{"Statement":{{"Effect":"Allow","Action":[{actions}],"Resource":"*"}}}}"#
    )));
}

/// Objects with very many keys parse and lint without failing. (Speed is
/// measured in `benches/`, not asserted here; a quadratic duplicate-key check
/// would still make this test crawl.)
#[test]
fn many_keys_in_one_object() {
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\":1")).collect();
    let text = format!(r#"{{"Statement":{{"Effect":"Allow",{}}}}}"#, keys.join(","));
    assert!(parse_and_check(&text));
    let conditions: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\":\"v\"")).collect();
    let text = format!(
        r#"{{"Statement":{{"Effect":"Allow","Action":"a:b","Condition":{{"StringEquals":{{{}}}}}}}}}"#,
        conditions.join(",")
    );
    assert!(parse_and_check(&text));
}

#[test]
fn degenerate_documents() {
    for text in [
        "",
        " ",
        "\u{feff}",
        "\u{feff}{}",
        "null",
        "0",
        "\"\"",
        "[]",
        "{}",
        "{\"Statement\":null}",
        "{\"Statement\":[null]}",
        "{\"Statement\":{}}",
        "{\"Statement\":[{}]}",
        "\u{0}",
        "{\"\u{0}\":1}",
        "{\"a\":1}{\"b\":2}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[[]]}}}",
    ] {
        parse_and_check(text);
    }
}
