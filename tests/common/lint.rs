//! Runs `rolecall lint --format json` and reads its findings: shared by
//! `lint_inputs.rs` and the `scenarios_*.rs` tests.

use assert_cmd::Command;
use serde_json::Value;

/// `rolecall lint ARGS --format json`, run from the crate root: the JSON
/// report. Fails the test unless the exit code is 0 or 1 (findings).
pub fn lint_json(args: &[&str]) -> Value {
    let output = Command::cargo_bin("rolecall")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("lint")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The findings of any of `rules` in a report, in output order.
pub fn findings<'a>(out: &'a Value, rules: &[&str]) -> Vec<&'a Value> {
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| rules.contains(&f["rule"].as_str().unwrap()))
        .collect()
}

/// The findings of any of `rules` in a report, in output order, each as
/// `rule file:line` (the line of its first location) with the rule padded
/// to `width`.
pub fn rule_file_lines(out: &Value, rules: &[&str], width: usize) -> Vec<String> {
    findings(out, rules)
        .into_iter()
        .map(|f| {
            format!(
                "{:<width$} {}:{}",
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["locations"][0]["line"]
            )
        })
        .collect()
}
