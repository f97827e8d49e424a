#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
//! `rolecall verify` end to end on the `policies/` scenarios: each
//! scenario's expectations pass on its snapshot (exit 0); each broken
//! variant fails (exit 1) with the reason its README names, located in the
//! expectations file and at the deciding statement's file and line; invalid
//! expectation files exit 2 with line and column.

#[path = "common/sarif.rs"]
mod sarif;

use assert_cmd::Command;
use serde_json::Value;

fn rolecall() -> Command {
    Command::cargo_bin("rolecall").unwrap()
}

fn verify(dir: &str, format: &str) -> (i32, String, String) {
    let out = rolecall()
        .args([
            "verify",
            &format!("{dir}/expectations.toml"),
            &format!("{dir}/snapshot"),
            "--format",
            format,
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn verify_json(dir: &str) -> (i32, Value) {
    let (code, stdout, stderr) = verify(dir, "json");
    let json =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{dir}: {e}\n{stdout}\n{stderr}"));
    (code, json)
}

const SCENARIOS: &[&str] = &[
    "splunk-sts",
    "xsoar-instance-profile",
    "xsoar-same-role-accounts",
    "xsoar-user-access-key",
];

#[test]
fn every_scenario_passes_on_its_snapshot() {
    for scenario in SCENARIOS {
        let dir = format!("policies/{scenario}");
        let (code, json) = verify_json(&dir);
        let summary = &json["summary"];
        assert_eq!(code, 0, "{dir}: {json:#}");
        assert_eq!(summary["failed"], 0, "{dir}");
        assert_eq!(summary["unknown"], 0, "{dir}");
        assert!(summary["assertions"].as_u64().unwrap() >= 5, "{dir}");
    }
}

/// One failure a broken variant must show.
struct Expected {
    /// `scenario/broken/variant`.
    variant: &'static str,
    /// `fail` or `unknown`.
    status: &'static str,
    /// The outcome's kind and template.
    kind: &'static str,
    template: Option<&'static str>,
    /// A piece of its subject.
    subject: &'static str,
    /// Its line in the expectations file.
    line: u64,
    /// A piece of a reason's message (or of the summary).
    reason: &'static str,
    /// The deciding statement or declaration: a file name ending and a
    /// line in it.
    at: Option<(&'static str, u64)>,
}

const BROKEN: &[Expected] = &[
    Expected {
        variant: "splunk-sts/broken/assume-permission-missing",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "user/test-user → arn:aws:iam::888888888888:role/TestRole",
        line: 11,
        reason: "identity-based policies of the caller",
        at: Some(("snapshot/999999999999.authorization-details.json", 118)),
    },
    Expected {
        variant: "splunk-sts/broken/duration-exceeds-max",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "user/test-user → arn:aws:iam::157568069999:role/TestRole",
        line: 10,
        reason: "MaxSessionDuration is 3600 s",
        at: Some(("snapshot/157568069999.authorization-details.json", 5)),
    },
    Expected {
        variant: "splunk-sts/broken/external-id-mismatch",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "user/test-user → arn:aws:iam::888888888888:role/TestRole",
        line: 11,
        reason: "condition `StringEquals` on `sts:ExternalId` does not hold",
        at: Some(("snapshot/888888888888.authorization-details.json", 11)),
    },
    Expected {
        variant: "splunk-sts/broken/trust-missing-user",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "user/test-user → arn:aws:iam::888888888888:role/TestRole",
        line: 11,
        reason: "trust policy of the role",
        at: Some(("snapshot/888888888888.authorization-details.json", 11)),
    },
    Expected {
        variant: "splunk-sts/broken/trust-wrong-account",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "user/test-user → arn:aws:iam::157568069999:role/TestRole",
        line: 10,
        reason: "trust policy of the role",
        at: Some(("snapshot/157568069999.authorization-details.json", 11)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/assume-permission-missing",
        status: "fail",
        kind: "can_assume",
        template: Some("instance_profile"),
        subject: "role/xsoar-server → arn:aws:iam::444455556666:role/Readonly",
        line: 12,
        reason: "identity-based policies of the caller",
        at: Some(("snapshot/111122223333.authorization-details.json", 90)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/chained-duration-exceeds-hour",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "role/xsoar-server → arn:aws:iam::444455556666:role/Readonly",
        line: 35,
        reason: "role chaining, which AWS limits to 3600 s",
        at: Some(("snapshot/444455556666.authorization-details.json", 45)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/duration-exceeds-max",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "role/xsoar-server → arn:aws:iam::444455556666:role/Readonly",
        line: 35,
        reason: "MaxSessionDuration is 3600 s as well",
        at: Some(("snapshot/444455556666.authorization-details.json", 45)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/trust-missing-server-role",
        status: "fail",
        kind: "can_assume",
        template: Some("instance_profile"),
        subject: "role/xsoar-server → arn:aws:iam::444455556666:role/Readonly",
        line: 12,
        reason: "trust policy of the role",
        at: Some(("snapshot/444455556666.authorization-details.json", 51)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/trust-wrong-account",
        status: "fail",
        kind: "can_assume",
        template: Some("instance_profile"),
        subject: "role/xsoar-server → arn:aws:iam::444455556666:role/Readonly",
        line: 12,
        reason: "trust policy of the role",
        at: Some(("snapshot/444455556666.authorization-details.json", 51)),
    },
    Expected {
        variant: "xsoar-instance-profile/broken/trust-wrong-account",
        status: "fail",
        kind: "cannot_assume",
        template: None,
        subject: "external ↛ arn:aws:iam::444455556666:role/Readonly",
        line: 23,
        reason: "`arn:aws:iam::111111111111:role/xsoar-server` (external) can reach the role",
        at: Some(("snapshot/444455556666.authorization-details.json", 51)),
    },
    Expected {
        variant: "xsoar-user-access-key/broken/assume-permission-missing",
        status: "fail",
        kind: "can_assume",
        template: Some("user_access_key"),
        subject: "user/xsoar.remediation → arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        line: 11,
        reason: "identity-based policies of the caller",
        at: Some(("snapshot/777788889999.authorization-details.json", 67)),
    },
    Expected {
        variant: "xsoar-user-access-key/broken/duration-exceeds-max",
        status: "fail",
        kind: "can_assume",
        template: Some("user_access_key"),
        subject: "user/xsoar.remediation → arn:aws:iam::777788889999:role/xsoar-IAM.integration-Role",
        line: 10,
        reason: "7200 s requested, but the role's MaxSessionDuration is 3600 s",
        at: Some(("snapshot/777788889999.authorization-details.json", 0)),
    },
    Expected {
        variant: "xsoar-user-access-key/broken/trust-missing-user",
        status: "fail",
        kind: "can_assume",
        template: Some("user_access_key"),
        subject: "user/xsoar.remediation → arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        line: 11,
        reason: "trust policy of the role",
        at: Some(("snapshot/210987654321.authorization-details.json", 14)),
    },
    Expected {
        variant: "xsoar-user-access-key/broken/trust-wrong-account",
        status: "fail",
        kind: "can_assume",
        template: Some("user_access_key"),
        subject: "user/xsoar.remediation → arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        line: 11,
        reason: "trust policy of the role",
        at: Some(("snapshot/210987654321.authorization-details.json", 14)),
    },
    Expected {
        variant: "xsoar-user-access-key/broken/trust-wrong-account",
        status: "fail",
        kind: "cannot_assume",
        template: None,
        subject: "external ↛ arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        line: 41,
        reason: "`arn:aws:iam::777788898999:user/xsoar.remediation` (external) can reach the role",
        at: Some(("snapshot/210987654321.authorization-details.json", 14)),
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/assume-permission-missing",
        status: "fail",
        kind: "can_assume",
        template: Some("same_role_in_accounts"),
        subject: "role/xsoar-engine → arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        line: 10,
        reason: "identity-based policies of the caller",
        at: Some(("snapshot/333344445555.authorization-details.json", 59)),
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/duration-exceeds-max",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "role/xsoar-engine → arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        line: 39,
        reason: "role chaining, which AWS limits to 3600 s",
        at: Some(("snapshot/888899990000.authorization-details.json", 0)),
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/partial-fetch",
        status: "unknown",
        kind: "can_assume",
        template: Some("same_role_in_accounts"),
        subject: "role/xsoar-engine → arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        line: 10,
        reason: "account `888899990000` is not in the inventory",
        at: None,
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/scp-region-lock-blocks-sts",
        status: "fail",
        kind: "can_assume",
        template: None,
        subject: "role/xsoar-engine → arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        line: 39,
        reason: "a service control policy denies `sts:AssumeRole` explicitly",
        at: Some(("snapshot/organization.json", 218)),
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/trust-missing-engine-role",
        status: "fail",
        kind: "can_assume",
        template: Some("same_role_in_accounts"),
        subject: "role/xsoar-engine → arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        line: 10,
        reason: "trust policy of the role",
        at: Some(("snapshot/888899990000.authorization-details.json", 11)),
    },
    Expected {
        variant: "xsoar-same-role-accounts/broken/trust-wrong-account",
        status: "fail",
        kind: "can_assume",
        template: Some("same_role_in_accounts"),
        subject: "role/xsoar-engine → arn:aws:iam::666677778888:role/XSOARIntegrationRole",
        line: 10,
        reason: "trust policy of the role",
        at: Some(("snapshot/666677778888.authorization-details.json", 14)),
    },
];

/// Whether a result shows the expected failure; a line of 0 in `at`
/// accepts any line of that file.
fn shows(result: &Value, e: &Expected) -> bool {
    let reason_ok = result["summary"].as_str().unwrap().contains(e.reason)
        || result["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r["message"].as_str().unwrap().contains(e.reason));
    let at_ok = match e.at {
        None => true,
        Some((file, line)) => result["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| {
                let statements = r["statements"].as_array().cloned().unwrap_or_default();
                let declared = r["declarations"].as_array().cloned().unwrap_or_default();
                statements.into_iter().chain(declared)
            })
            .any(|s| {
                s["file"].as_str().unwrap().ends_with(file)
                    && (line == 0 || s["line"].as_u64() == Some(line))
            }),
    };
    result["status"] == e.status
        && result["kind"] == e.kind
        && result["template"].as_str() == e.template
        && result["subject"].as_str().unwrap().contains(e.subject)
        && result["location"]["line"] == e.line
        && reason_ok
        && at_ok
}

#[test]
fn every_broken_variant_fails_with_the_right_reason_and_location() {
    let mut variants: Vec<&str> = BROKEN.iter().map(|e| e.variant).collect();
    variants.dedup();
    // Every variant folder is covered.
    let mut on_disk = Vec::new();
    for scenario in SCENARIOS {
        for entry in std::fs::read_dir(format!("policies/{scenario}/broken")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                on_disk.push(format!(
                    "{scenario}/broken/{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = variants.iter().map(|v| (*v).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    for variant in variants {
        let dir = format!("policies/{variant}");
        let (code, json) = verify_json(&dir);
        assert_eq!(code, 1, "{dir}: {json:#}");
        let failing: Vec<&Value> = json["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] != "pass")
            .collect();
        for e in BROKEN.iter().filter(|e| e.variant == variant) {
            assert!(
                failing.iter().any(|r| shows(r, e)),
                "{dir}: no {} {} on {} at line {} with `{}` at {:?}:\n{failing:#?}",
                e.status,
                e.kind,
                e.subject,
                e.line,
                e.reason,
                e.at
            );
        }
        // And nothing else fails.
        let count = FAILING.iter().find(|(v, _)| *v == variant).map(|(_, n)| *n);
        assert_eq!(Some(failing.len()), count, "{dir}: {failing:#?}");
    }
}

/// How many outcomes of each variant do not pass: the failures above, and
/// those that follow from the same break (the `only_assumable_by` of a
/// principal that no longer reaches the role, the template and the plain
/// assertion on the same pair, every assertion on an account not fetched).
const FAILING: &[(&str, usize)] = &[
    ("splunk-sts/broken/assume-permission-missing", 2),
    ("splunk-sts/broken/duration-exceeds-max", 2),
    ("splunk-sts/broken/external-id-mismatch", 1),
    ("splunk-sts/broken/trust-missing-user", 2),
    ("splunk-sts/broken/trust-wrong-account", 3),
    ("xsoar-instance-profile/broken/assume-permission-missing", 1),
    (
        "xsoar-instance-profile/broken/chained-duration-exceeds-hour",
        1,
    ),
    ("xsoar-instance-profile/broken/duration-exceeds-max", 1),
    ("xsoar-instance-profile/broken/trust-missing-server-role", 1),
    ("xsoar-instance-profile/broken/trust-wrong-account", 2),
    ("xsoar-user-access-key/broken/assume-permission-missing", 1),
    ("xsoar-user-access-key/broken/duration-exceeds-max", 2),
    ("xsoar-user-access-key/broken/trust-missing-user", 1),
    ("xsoar-user-access-key/broken/trust-wrong-account", 2),
    (
        "xsoar-same-role-accounts/broken/assume-permission-missing",
        2,
    ),
    ("xsoar-same-role-accounts/broken/duration-exceeds-max", 1),
    ("xsoar-same-role-accounts/broken/partial-fetch", 6),
    (
        "xsoar-same-role-accounts/broken/scp-region-lock-blocks-sts",
        7,
    ),
    (
        "xsoar-same-role-accounts/broken/trust-missing-engine-role",
        2,
    ),
    ("xsoar-same-role-accounts/broken/trust-wrong-account", 2),
];

#[test]
fn human_output_names_the_file_line_and_statement() {
    let (code, stdout, _) = verify(
        "policies/xsoar-instance-profile/broken/trust-missing-server-role",
        "human",
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "FAIL instance_profile › can_assume: arn:aws:iam::111122223333:role/xsoar-server → arn:aws:iam::444455556666:role/Readonly (policies/xsoar-instance-profile/broken/trust-missing-server-role/expectations.toml:12:3)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("policies/xsoar-instance-profile/broken/trust-missing-server-role/snapshot/444455556666.authorization-details.json:51"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("fix: add `arn:aws:iam::111122223333:role/xsoar-server` to the `Principal`"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("12 assertions: 11 passed, 1 failed, 0 unknown\n"),
        "{stdout}"
    );
}

#[test]
fn sarif_locates_failures_in_the_expectations_file() {
    let (code, stdout, _) = verify("policies/splunk-sts/broken/trust-missing-user", "sarif");
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let errors = sarif::schema_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:#?}");
    let first = &results[0];
    assert_eq!(first["ruleId"], "can_assume");
    assert_eq!(first["level"], "error");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let index = first["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "can_assume");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "policies/splunk-sts/broken/trust-missing-user/expectations.toml"
    );
    assert_eq!(location["region"]["startLine"], 11);
    let related = &first["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "policies/splunk-sts/broken/trust-missing-user/snapshot/888888888888.authorization-details.json"
    );
    assert_eq!(related["region"]["startLine"], 11);
    // A passing run has no results.
    let (code, stdout, _) = verify("policies/splunk-sts", "sarif");
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    assert!(sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

/// Runs verify on an expectations text: it must exit 2 with every one of
/// `pieces` in its stderr (the temporary directory shown as `DIR`).
fn assert_invalid(text: &str, pieces: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("expectations.toml");
    std::fs::write(&path, text).unwrap();
    let out = rolecall()
        .args([
            "verify",
            path.to_str().unwrap(),
            "policies/splunk-sts/snapshot",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(dir.path().to_str().unwrap(), "DIR");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for piece in pieces {
        assert!(stderr.contains(piece), "{piece}: {stderr}");
    }
}

#[test]
fn invalid_expectation_files_exit_2_with_line_and_column() {
    assert_invalid(
        "[[can_assume]]\nprincipal = \"arn:aws:iam::999999999999:user/test-user\"\nrole = [\"arn:aws:iam::157568069999:role/TestRole\"]\n",
        &[
            "DIR/expectations.toml:3:1: unknown field `role`",
            "[DIR/expectations.toml:3:1]",
        ],
    );
    // The message wraps at the terminal width: check its pieces.
    assert_invalid(
        "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"arn:aws:iam::157568069999:user/TestRole\"]\n",
        &[
            "DIR/expectations.toml:3:10: `arn:aws:iam::157568069999:user/",
            "is not a role ARN or pattern",
        ],
    );
    assert_invalid(
        "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"arn:aws:iam::1575680699:role/TestRole\"]\n",
        &[
            "DIR/expectations.toml:3:10:",
            "invalid account id `1575680699`",
        ],
    );
    assert_invalid(
        "[[can_assume]\nprincipal = 1\n",
        &["DIR/expectations.toml:1:"],
    );
    assert_invalid(
        "[[instance_profile]]\nserver_role = \"arn:aws:iam::111122223333:role/x\"\ntarget_roles = [\"arn:aws:iam::111122223333:role/y\"]\nwildcard_ok = \"no\"\n",
        &["DIR/expectations.toml:4:15:"],
    );
}

#[test]
fn help_documents_the_schema() {
    let out = rolecall().args(["verify", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for table in [
        "[[can_assume]]",
        "[[cannot_assume]]",
        "[[only_assumable_by]]",
        "[[can_perform]]",
        "[[cannot_perform]]",
        "[[instance_profile]]",
        "[[user_access_key]]",
        "[[same_role_in_accounts]]",
        "[[integration_permissions]]",
        "via_roles",
        "wildcard_ok",
        "\"external\"",
    ] {
        assert!(help.contains(table), "{table} missing from:\n{help}");
    }
}
