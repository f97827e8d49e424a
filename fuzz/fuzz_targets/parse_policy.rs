//! Arbitrary bytes into the JSON reader and the policy builder: no panic, no
//! stack overflow, and every reported span inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::policy::parse_policy;
use rolecall::source::{SourceFile, Span};
use rolecall::value::parse_json;

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end, "{span:?}");
    assert!(span.end <= text.len(), "{span:?} past {}", text.len());
}

fuzz_target!(|data: &[u8]| {
    // Callers decode files first; invalid UTF-8 never reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz", text);
    match parse_policy(text) {
        Ok(parsed) => {
            check_span(text, parsed.policy.span);
            for problem in &parsed.problems {
                check_span(text, problem.span);
                file.line_col(problem.span.start);
            }
            for statement in &parsed.policy.statements {
                check_span(text, statement.span);
                let _ = statement.label();
            }
        }
        Err(error) => {
            check_span(text, error.span);
            file.line_col(error.span.start);
            assert!(!error.message.is_empty());
        }
    }
    if let Ok(value) = parse_json(text) {
        let _ = value.to_json();
    }
});
