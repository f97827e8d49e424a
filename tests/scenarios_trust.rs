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

fn in_file<'a>(lines: &'a [String], rule: &str, file: &str) -> Vec<&'a String> {
    lines
        .iter()
        .filter(|l| l.starts_with(&format!("{rule} {file}:")))
        .collect()
}

#[test]
fn splunk_sts_external_id_passes_and_its_absence_fails() {
    let lines = snapshot("splunk-sts");
    let rule = "trust-cross-account-no-external-id";
    let dir = "policies/splunk-sts";
    assert!(
        in_file(
            &lines,
            rule,
            &format!("{dir}/test-role-trust-external-id.json")
        )
        .is_empty()
    );
    assert_eq!(
        in_file(
            &lines,
            rule,
            &format!("{dir}/test-role-trust-no-external-id.json")
        )
        .len(),
        1
    );
    // The snapshot's TestRoles and the template's (an external id from a
    // NoEcho parameter) require the external id.
    for file in [
        "snapshot/157568069999.authorization-details.json",
        "snapshot/888888888888.authorization-details.json",
        "cloudformation/target-account.json",
        "terraform/plan.json",
    ] {
        assert!(
            in_file(&lines, rule, &format!("{dir}/{file}")).is_empty(),
            "{file}"
        );
    }
}

#[test]
fn xsoar_instance_profile_wrong_account_is_foreign() {
    let lines = snapshot("xsoar-instance-profile");
    let rule = "trust-cross-account-no-external-id";
    let dir = "policies/xsoar-instance-profile";
    // 444455556666 trusting 111122223333 is inside the snapshot; 111111111111 is not.
    assert!(
        in_file(
            &lines,
            rule,
            &format!("{dir}/snapshot/444455556666.authorization-details.json")
        )
        .is_empty()
    );
    assert_eq!(
        in_file(
            &lines,
            rule,
            &format!(
                "{dir}/broken/trust-wrong-account/snapshot/444455556666.authorization-details.json"
            )
        )
        .len(),
        1
    );
}

#[test]
fn xsoar_same_role_accounts_wrong_account_and_root() {
    let lines = snapshot("xsoar-same-role-accounts");
    let dir = "policies/xsoar-same-role-accounts";
    let foreign = "trust-cross-account-no-external-id";
    for account in ["555566667777", "666677778888", "888899990000"] {
        let file = format!("{dir}/snapshot/{account}.authorization-details.json");
        assert!(in_file(&lines, foreign, &file).is_empty(), "{file}");
    }
    assert_eq!(
        in_file(
            &lines,
            foreign,
            &format!(
                "{dir}/broken/trust-wrong-account/snapshot/666677778888.authorization-details.json"
            )
        )
        .len(),
        1
    );
    assert_eq!(
        in_file(
            &lines,
            "trust-account-root",
            &format!("{dir}/broken/trust-missing-engine-role/snapshot/888899990000.authorization-details.json")
        )
        .len(),
        1
    );
}

#[test]
fn xsoar_user_access_key_wrong_account_is_foreign() {
    let lines = snapshot("xsoar-user-access-key");
    let rule = "trust-cross-account-no-external-id";
    let dir = "policies/xsoar-user-access-key";
    assert!(
        in_file(
            &lines,
            rule,
            &format!("{dir}/snapshot/210987654321.authorization-details.json")
        )
        .is_empty()
    );
    assert_eq!(
        in_file(
            &lines,
            rule,
            &format!(
                "{dir}/broken/trust-wrong-account/snapshot/210987654321.authorization-details.json"
            )
        )
        .len(),
        1
    );
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
