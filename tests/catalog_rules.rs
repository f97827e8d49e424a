//! The catalog-backed rules stay quiet on every example setup in `policies/`
//! (plain documents, snapshots, templates and the plan, broken variants
//! included: what they break is trust and permissions, not action names).

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

use assert_cmd::Command;

const RULES: [&str; 4] = [
    "invalid-action",
    "action-resource-mismatch",
    "unknown-condition-key",
    "condition-type-mismatch",
];

#[test]
fn quiet_on_the_example_setups() {
    let output = Command::cargo_bin("rolecall")
        .unwrap()
        .args(["lint", "policies", "--format", "json"])
        .output()
        .unwrap();
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let own: Vec<String> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| RULES.iter().any(|r| f["rule"] == *r))
        .map(|f| format!("{} {}: {}", f["rule"], f["file"], f["message"]))
        .collect();
    assert!(own.is_empty(), "{own:#?}");
}
