#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

//! Runs the evaluation conformance corpus in `tests/conformance/` (format in
//! its README): every case's request through `rolecall::eval::simulate`,
//! comparing the decision, the deciding statements and the lacking types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rolecall::eval::simulate::{Answer, NAME_MEMBER, run_request};
use rolecall::source::SourceFile;
use serde_json::{Map, Value};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Replaces policy names with the named documents (carrying `__name`).
fn resolve(request: &mut Value, policies: &Map<String, Value>) -> Result<(), String> {
    let lookup = |v: &mut Value| -> Result<(), String> {
        if let Value::String(name) = v {
            let mut doc = policies
                .get(name.as_str())
                .ok_or_else(|| format!("unknown policy `{name}`"))?
                .clone();
            if let Value::Object(m) = &mut doc {
                m.insert(NAME_MEMBER.into(), Value::String(name.clone()));
            }
            *v = doc;
        }
        Ok(())
    };
    let Some(obj) = request.as_object_mut() else {
        return Ok(());
    };
    for key in ["identity_policies", "permission_boundaries"] {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            items.iter_mut().try_for_each(lookup)?;
        }
    }
    for key in ["resource_policy", "session_policy"] {
        if let Some(v) = obj.get_mut(key) {
            lookup(v)?;
        }
    }
    for key in ["scps", "rcps"] {
        if let Some(Value::Array(levels)) = obj.get_mut(key) {
            for level in levels {
                if let Value::Array(items) = level {
                    items.iter_mut().try_for_each(lookup)?;
                }
            }
        }
    }
    Ok(())
}

fn source_ok(source: Option<&Value>) -> bool {
    source.is_some_and(|s| {
        s["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://docs.aws.amazon.com/"))
            && s["section"].as_str().is_some_and(|t| !t.is_empty())
    })
}

fn check_case(case: &Value, policies: &Map<String, Value>) -> Result<(), String> {
    let mut request = case["request"].clone();
    resolve(&mut request, policies)?;
    let text = serde_json::to_string(&request).map_err(|e| e.to_string())?;
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
    let mut paths = Vec::new();
    files(&corpus_dir(), &mut paths);
    let mut total = 0;
    let mut failures = Vec::new();
    for path in paths {
        let rel = path
            .strip_prefix(corpus_dir())
            .unwrap()
            .display()
            .to_string();
        if !rel.contains(&filter) {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let policies = file["policies"].as_object().cloned().unwrap_or_default();
        let cases = file["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{rel}: no `cases` list"));
        let mut names = BTreeSet::new();
        for case in cases {
            let name = case["name"].as_str().unwrap_or("<unnamed>").to_owned();
            assert!(names.insert(name.clone()), "{rel}: duplicate case `{name}`");
            assert!(
                source_ok(case.get("source")) || source_ok(file.get("source")),
                "{rel}: case `{name}` cites no AWS documentation page and section"
            );
            total += 1;
            if let Err(e) = check_case(case, &policies) {
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
