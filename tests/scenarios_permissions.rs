//! `rolecall lint policies/<scenario>` flags exactly what each seed scenario
//! deserves, for the permission and redundancy rules: the list of (rule,
//! file, line) is snapshotted per scenario. (Other rule families keep
//! their own `tests/scenarios_*.rs`.)

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

use assert_cmd::Command;
use serde_json::Value;

/// The rules this file covers.
const RULES: [&str; 11] = [
    "admin-access",
    "assume-role-any-resource",
    "passrole-any-resource",
    "passrole-without-service-condition",
    "privilege-escalation",
    "allow-with-notaction",
    "allow-with-notresource",
    "allow-with-notprincipal",
    "mfa-condition-pitfall",
    "redundant-statement",
    "shadowed-allow",
];

/// `rule  file:line` for each finding of [`RULES`], in output order.
fn findings(scenario: &str) -> String {
    let output = Command::cargo_bin("rolecall")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lint", &format!("policies/{scenario}"), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| RULES.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            let line = f["locations"][0]["line"].as_u64().unwrap_or(0);
            format!(
                "{:<36} {}:{line}\n",
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn xsoar_instance_profile() {
    // The seed's first policy (`sts:AssumeRole` on `*`) and its
    // `"Action": "*"` shortcut; AdministratorAccess on the Admin target role.
    insta::assert_snapshot!(findings("xsoar-instance-profile"));
}

#[test]
fn xsoar_user_access_key() {
    insta::assert_snapshot!(findings("xsoar-user-access-key"));
}

#[test]
fn xsoar_same_role_accounts() {
    // The same role name in every account (`arn:aws:iam::*:role/...`).
    insta::assert_snapshot!(findings("xsoar-same-role-accounts"));
}

#[test]
fn splunk_sts() {
    insta::assert_snapshot!(findings("splunk-sts"));
}

#[test]
fn sts_tutorial() {
    // `iam:PassRole` on `*`, the Access Analyzer warning the tutorial links.
    insta::assert_snapshot!(findings("sts-tutorial"));
}
