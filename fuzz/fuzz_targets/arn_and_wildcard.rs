//! ARN parsing and validation never panic, and the two wildcard matchers
//! agree on every pattern/text pair: the input is split at its first NUL
//! into a pattern and a text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::policy::arn::{Arn, ArnContext, PrincipalArn, validate};
use rolecall::policy::wildcard::{Case, PatternSet, matches_with};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ =
        Arn::parse(text).map(|arn| (arn.resource_type().map(str::len), arn.resource_id().len()));
    let _ = PrincipalArn::parse(text);
    for context in [
        ArnContext::Resource,
        ArnContext::AwsPrincipal,
        ArnContext::FederatedPrincipal,
    ] {
        for problem in validate(text, context) {
            let _ = problem.to_string();
        }
    }
    let (pattern, subject) = text.split_once('\0').unwrap_or((text, ""));
    for case in [Case::Sensitive, Case::Insensitive] {
        let expected = matches_with(pattern, subject, case);
        if let Ok(set) = PatternSet::new([pattern], case) {
            assert_eq!(
                set.is_match(subject),
                expected,
                "{case:?} {pattern:?} {subject:?}"
            );
        }
    }
});
