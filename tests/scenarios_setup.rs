//! What `rolecall lint policies/<scenario>` reports for the setup rules, as
//! (rule, file, line) lists: nothing on the correct setups, and on each
//! `broken/` variant the finding its `broken/README.md` calls for, at the
//! file and line that cause it.

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

use assert_cmd::Command;
use serde_json::Value;

/// The setup rules (issue 6).
const SETUP_RULES: [&str; 7] = [
    "instance-profile-role-untrusted",
    "ec2-role-without-instance-profile",
    "assume-grant-without-trust",
    "trust-without-assume-grant",
    "trust-unknown-principal",
    "session-duration-exceeds-max",
    "role-chaining-duration",
];

/// `rule  file:line` for every setup finding of `rolecall lint DIR`.
fn setup_findings(dir: &str) -> String {
    let output = Command::cargo_bin("rolecall")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lint", dir, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut lines: Vec<String> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| SETUP_RULES.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            format!(
                "{:<34} {}:{}",
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["locations"][0]["line"]
            )
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn xsoar_instance_profile() {
    insta::assert_snapshot!(setup_findings("policies/xsoar-instance-profile"));
}

#[test]
fn xsoar_user_access_key() {
    insta::assert_snapshot!(setup_findings("policies/xsoar-user-access-key"));
}

#[test]
fn xsoar_same_role_accounts() {
    insta::assert_snapshot!(setup_findings("policies/xsoar-same-role-accounts"));
}

#[test]
fn splunk_sts() {
    insta::assert_snapshot!(setup_findings("policies/splunk-sts"));
}

#[test]
fn sts_tutorial() {
    insta::assert_snapshot!(setup_findings("policies/sts-tutorial"));
}
