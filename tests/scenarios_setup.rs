//! What `rolecall lint policies/<scenario>` reports for the setup rules, as
//! (rule, file, line) lists: nothing on the correct setups, and on each
//! `broken/` variant the finding its `broken/README.md` calls for, at the
//! file and line that cause it.

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

#[path = "common/lint.rs"]
mod lint;

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
    let out = lint::lint_json(&[dir]);
    let mut lines = lint::rule_file_lines(&out, &SETUP_RULES, 34);
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
