#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

//! Runs the evaluation conformance corpus in `tests/conformance/` (format in
//! its README): every case's request through `rolecall::eval::simulate`,
//! comparing the decision, the deciding statements and the lacking types.

#[path = "common/corpus.rs"]
mod corpus;

use std::collections::BTreeSet;

use corpus::CaseFile;
use rolecall::eval::simulate::{Answer, run_request};
use rolecall::source::SourceFile;
use serde_json::Value;

fn source_ok(source: Option<&Value>) -> bool {
    source.is_some_and(|s| {
        s["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.aws.amazon.com/"))
            && s["section"].as_str().is_some_and(|t| !t.is_empty())
    })
}

fn check_case(file: &CaseFile, case: &Value) -> Result<(), String> {
    let text = file.request_text(case)?;
    let answer = run_request(&SourceFile::new("case", text));
    let expect = &case["expect"];
    if expect["error"] == Value::Bool(true) {
        return match answer {
            Answer::Error(_) => Ok(()),
            Answer::Evaluated(e) => Err(format!("expected an error, got `{}`", e.decision.name())),
        };
    }
    let evaluation = match answer {
        Answer::Error(e) => return Err(format!("unexpected error: {e}")),
        Answer::Evaluated(e) => e,
    };
    let want = expect["decision"]
        .as_str()
        .ok_or("`expect.decision` missing")?;
    let mut problems = Vec::new();
    if evaluation.decision.name() != want {
        problems.push(format!(
            "decision: expected `{want}`, got `{}` ({})",
            evaluation.decision.name(),
            evaluation.trace.reason.message
        ));
    }
    if let Some(list) = expect.get("deciding") {
        let want: BTreeSet<String> = list
            .as_array()
            .ok_or("`deciding` must be a list")?
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        let got: BTreeSet<String> = evaluation.trace.deciding.iter().map(|s| s.key()).collect();
        if want != got {
            problems.push(format!("deciding: expected {want:?}, got {got:?}"));
        }
    }
    if let Some(list) = expect.get("lacking") {
        let want: BTreeSet<String> = list
            .as_array()
            .ok_or("`lacking` must be a list")?
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        let got: BTreeSet<String> = evaluation
            .trace
            .lacking
            .iter()
            .map(|t| t.name().to_owned())
            .collect();
        if want != got {
            problems.push(format!("lacking: expected {want:?}, got {got:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn conformance_corpus() {
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in corpus::files() {
        let file = CaseFile::read(&path);
        let rel = file.name.clone();
        if !rel.contains(&filter) {
            continue;
        }
        let mut names = BTreeSet::new();
        for case in file.cases() {
            let name = case["name"].as_str().unwrap_or("<unnamed>").to_owned();
            assert!(names.insert(name.clone()), "{rel}: duplicate case `{name}`");
            assert!(
                source_ok(case.get("source")) || source_ok(file.doc.get("source")),
                "{rel}: case `{name}` cites no AWS documentation page and section"
            );
            total += 1;
            if let Err(e) = check_case(&file, case) {
                failures.push(format!("{rel}: `{name}`: {e}"));
            }
        }
    }
    println!("{total} conformance cases, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    if filter.is_empty() {
        assert!(total > 0, "the corpus is empty");
    }
}
