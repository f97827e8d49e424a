//! What `rolecall lint policies/<scenario>` reports for the trust-policy
//! rules: one snapshot per scenario of (rule, file, line), and the cases the
//! scenarios exist for checked by name — a trust with the external id passes,
//! one without fails; the `broken/trust-wrong-account` variants trust an
//! account outside their inventory.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

#[path = "common/lint.rs"]
mod lint;

const RULES: [&str; 7] = [
    "trust-any-principal",
    "trust-cross-account-no-external-id",
    "trust-account-root",
    "trust-oidc-unscoped",
    "trust-saml-no-audience",
    "trust-service-no-source",
    "trust-deleted-principal",
];

/// The trust findings for one input, as `rule file:line` lines, sorted.
fn trust_findings(input: &str) -> Vec<String> {
    let out = lint::lint_json(&[input, "--fail-on", "error"]);
    let mut lines = lint::rule_file_lines(&out, &RULES, 0);
    lines.sort();
    lines
}

fn snapshot(scenario: &str) -> Vec<String> {
    let lines = trust_findings(&format!("policies/{scenario}"));
    insta::assert_snapshot!(scenario, lines.join("\n"));
    lines
}

/// How many `rule` findings `lines` has in `file`.
fn count(lines: &[String], rule: &str, file: &str) -> usize {
    let prefix = format!("{rule} {file}:");
    lines.iter().filter(|l| l.starts_with(&prefix)).count()
}

const FOREIGN: &str = "trust-cross-account-no-external-id";

/// `account`'s snapshot in `policies/<scenario>` trusts only accounts inside
/// it, while its `broken/trust-wrong-account` variant trusts one outside.
fn wrong_account_is_foreign(lines: &[String], scenario: &str, account: &str) {
    let dump = format!("snapshot/{account}.authorization-details.json");
    let dir = format!("policies/{scenario}");
    assert_eq!(count(lines, FOREIGN, &format!("{dir}/{dump}")), 0, "{dump}");
    let broken = format!("{dir}/broken/trust-wrong-account/{dump}");
    assert_eq!(count(lines, FOREIGN, &broken), 1, "{broken}");
}

#[test]
fn splunk_sts_external_id_passes_and_its_absence_fails() {
    let lines = snapshot("splunk-sts");
    let dir = "policies/splunk-sts";
    let with = format!("{dir}/test-role-trust-external-id.json");
    assert_eq!(count(&lines, FOREIGN, &with), 0);
    let without = format!("{dir}/test-role-trust-no-external-id.json");
    assert_eq!(count(&lines, FOREIGN, &without), 1);
    // The snapshot's TestRoles and the template's (an external id from a
    // NoEcho parameter) require the external id.
    for file in [
        "snapshot/157568069999.authorization-details.json",
        "snapshot/888888888888.authorization-details.json",
        "cloudformation/target-account.json",
        "terraform/plan.json",
    ] {
        assert_eq!(
            count(&lines, FOREIGN, &format!("{dir}/{file}")),
            0,
            "{file}"
        );
    }
}

#[test]
fn xsoar_instance_profile_wrong_account_is_foreign() {
    let lines = snapshot("xsoar-instance-profile");
    // 444455556666 trusting 111122223333 is inside the snapshot; 111111111111 is not.
    wrong_account_is_foreign(&lines, "xsoar-instance-profile", "444455556666");
}

#[test]
fn xsoar_same_role_accounts_wrong_account_and_root() {
    let scenario = "xsoar-same-role-accounts";
    let lines = snapshot(scenario);
    for account in ["555566667777", "888899990000"] {
        let file = format!("policies/{scenario}/snapshot/{account}.authorization-details.json");
        assert_eq!(count(&lines, FOREIGN, &file), 0, "{file}");
    }
    wrong_account_is_foreign(&lines, scenario, "666677778888");
    let root = format!(
        "policies/{scenario}/broken/trust-missing-engine-role/snapshot/888899990000.authorization-details.json"
    );
    assert_eq!(count(&lines, "trust-account-root", &root), 1);
}

#[test]
fn xsoar_user_access_key_wrong_account_is_foreign() {
    let lines = snapshot("xsoar-user-access-key");
    wrong_account_is_foreign(&lines, "xsoar-user-access-key", "210987654321");
}

#[test]
fn sts_tutorial() {
    let lines = snapshot("sts-tutorial");
    // The Cloud9 service role trusts cloud9 and EC2, neither of which sends
    // the source keys when assuming a role.
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with("trust-service-no-source")),
        "{lines:?}"
    );
}
