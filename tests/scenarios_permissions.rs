//! `rolecall lint policies/<scenario>` flags exactly what each seed scenario
//! deserves, for the permission and redundancy rules: the list of (rule,
//! file, line) is snapshotted per scenario. (Other rule families keep
//! their own `tests/scenarios_*.rs`.)

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

#[path = "common/lint.rs"]
mod lint;

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
    let out = lint::lint_json(&[&format!("policies/{scenario}")]);
    lint::rule_file_lines(&out, &RULES, 36)
        .into_iter()
        .map(|line| line + "\n")
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
