#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
//! `rolecall why`, `graph`, `who-can-assume` and `paths` end to end on the
//! `policies/` scenarios. Every `broken/` variant must fail `why` (exit 1)
//! on the check its README names, with a fix; the same request on the
//! scenario's base snapshot must pass (exit 0) unless the request itself is
//! what is broken (a duration).

#[path = "common/readme.rs"]
mod readme;

use assert_cmd::Command;
use serde_json::Value;

fn rolecall() -> Command {
    Command::cargo_bin("rolecall").unwrap()
}

fn why(snapshot: &str, principal: &str, role: &str, flags: &[&str]) -> (i32, Value) {
    let out = rolecall()
        .args(["why", principal, role, snapshot, "--format", "json"])
        .args(flags)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json)
}

/// (scenario/variant, principal, role, flags, the one check that fails)
const BROKEN: &[(&str, &str, &str, &[&str], &str)] = &[
    (
        "splunk-sts/assume-permission-missing",
        "arn:aws:iam::999999999999:user/test-user",
        "arn:aws:iam::888888888888:role/TestRole",
        &["--external-id", "999"],
        "identity",
    ),
    (
        "splunk-sts/duration-exceeds-max",
        "arn:aws:iam::999999999999:user/test-user",
        "arn:aws:iam::157568069999:role/TestRole",
        &["--external-id", "999", "--duration-seconds", "7200"],
        "duration",
    ),
    (
        "splunk-sts/external-id-mismatch",
        "arn:aws:iam::999999999999:user/test-user",
        "arn:aws:iam::888888888888:role/TestRole",
        &["--external-id", "999"],
        "trust",
    ),
    (
        "splunk-sts/trust-missing-user",
        "arn:aws:iam::999999999999:user/test-user",
        "arn:aws:iam::888888888888:role/TestRole",
        &["--external-id", "999"],
        "trust",
    ),
    (
        "splunk-sts/trust-wrong-account",
        "arn:aws:iam::999999999999:user/test-user",
        "arn:aws:iam::157568069999:role/TestRole",
        &["--external-id", "999"],
        "trust",
    ),
    (
        "xsoar-instance-profile/assume-permission-missing",
        "arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::444455556666:role/Readonly",
        &[],
        "identity",
    ),
    (
        "xsoar-instance-profile/chained-duration-exceeds-hour",
        "arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::444455556666:role/Readonly",
        &["--duration-seconds", "7200"],
        "duration",
    ),
    (
        "xsoar-instance-profile/duration-exceeds-max",
        "arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::444455556666:role/Readonly",
        &["--duration-seconds", "7200"],
        "duration",
    ),
    (
        "xsoar-instance-profile/trust-missing-server-role",
        "arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::444455556666:role/Readonly",
        &[],
        "trust",
    ),
    (
        "xsoar-instance-profile/trust-wrong-account",
        "arn:aws:iam::111122223333:role/xsoar-server",
        "arn:aws:iam::444455556666:role/Readonly",
        &[],
        "trust",
    ),
    (
        "xsoar-same-role-accounts/assume-permission-missing",
        "arn:aws:iam::333344445555:role/xsoar-engine",
        "arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        &[],
        "identity",
    ),
    (
        "xsoar-same-role-accounts/duration-exceeds-max",
        "arn:aws:iam::333344445555:role/xsoar-engine",
        "arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        &["--duration-seconds", "7200"],
        "duration",
    ),
    (
        "xsoar-same-role-accounts/scp-region-lock-blocks-sts",
        "arn:aws:iam::333344445555:role/xsoar-engine",
        "arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        &["--context", "aws:RequestedRegion=us-east-1"],
        "scp",
    ),
    (
        "xsoar-same-role-accounts/trust-missing-engine-role",
        "arn:aws:iam::333344445555:role/xsoar-engine",
        "arn:aws:iam::888899990000:role/XSOARIntegrationRole",
        &[],
        "trust",
    ),
    (
        "xsoar-same-role-accounts/trust-wrong-account",
        "arn:aws:iam::333344445555:role/xsoar-engine",
        "arn:aws:iam::666677778888:role/XSOARIntegrationRole",
        &[],
        "trust",
    ),
    (
        "xsoar-user-access-key/assume-permission-missing",
        "arn:aws:iam::777788889999:user/xsoar.remediation",
        "arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        &[],
        "identity",
    ),
    (
        "xsoar-user-access-key/duration-exceeds-max",
        "arn:aws:iam::777788889999:user/xsoar.remediation",
        "arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        &["--duration-seconds", "7200"],
        "duration",
    ),
    (
        "xsoar-user-access-key/trust-missing-user",
        "arn:aws:iam::777788889999:user/xsoar.remediation",
        "arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        &[],
        "trust",
    ),
    (
        "xsoar-user-access-key/trust-wrong-account",
        "arn:aws:iam::777788889999:user/xsoar.remediation",
        "arn:aws:iam::210987654321:role/xsoar-EC2.integration-Role",
        &[],
        "trust",
    ),
];

#[test]
fn every_broken_variant_fails_on_its_check_with_a_fix() {
    for (variant, principal, role, flags, check) in BROKEN {
        let (scenario, name) = variant.split_once('/').unwrap();
        let snapshot = format!("policies/{scenario}/broken/{name}/snapshot");
        let (code, d) = why(&snapshot, principal, role, flags);
        assert_eq!(code, 1, "{variant}: {d}");
        assert_eq!(d["allowed"], false, "{variant}");
        let failed: Vec<&str> = d["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(failed, [*check], "{variant}: {d:#}");
        let failing = d["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["status"] == "fail")
            .unwrap();
        assert!(failing["fix"]["summary"].is_string(), "{variant}: no fix");
        assert_eq!(d["checks"].as_array().unwrap().len(), 8);
        // The same request on the working setup passes, unless the
        // request's duration is what breaks.
        if *check != "duration" {
            let (code, d) = why(
                &format!("policies/{scenario}/snapshot"),
                principal,
                role,
                flags,
            );
            assert_eq!(code, 0, "{scenario} base: {d:#}");
        }
    }
}

#[test]
fn fixes_are_the_smallest_change() {
    let find = |variant: &str| BROKEN.iter().find(|b| b.0 == variant).unwrap();
    let fix = |variant: &str| {
        let (v, principal, role, flags, _) = find(variant);
        let (scenario, name) = v.split_once('/').unwrap();
        let (_, d) = why(
            &format!("policies/{scenario}/broken/{name}/snapshot"),
            principal,
            role,
            flags,
        );
        d["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["status"] == "fail")
            .unwrap()["fix"]
            .clone()
    };
    // The external id the trust policy expects, as a request parameter.
    assert_eq!(
        fix("splunk-sts/external-id-mismatch")["json"],
        serde_json::json!({"context": {"sts:ExternalId": "splunk-soar-888888888888"}})
    );
    // The statement that lists the other customer's role, with this one added.
    let f = fix("splunk-sts/assume-permission-missing");
    assert_eq!(
        f["json"]["Resource"],
        serde_json::json!([
            "arn:aws:iam::157568069999:role/TestRole",
            "arn:aws:iam::888888888888:role/TestRole"
        ])
    );
    // The principal from the wrong account replaced by the caller.
    let f = fix("splunk-sts/trust-wrong-account");
    assert!(f["summary"].as_str().unwrap().starts_with("replace"), "{f}");
    assert_eq!(
        f["json"]["Principal"]["AWS"][0],
        "arn:aws:iam::999999999999:user/test-user"
    );
    // The region lock: list the action in the Deny's NotAction.
    let f = fix("xsoar-same-role-accounts/scp-region-lock-blocks-sts");
    assert!(
        f["json"]["NotAction"]
            .as_array()
            .unwrap()
            .contains(&Value::from("sts:AssumeRole")),
        "{f}"
    );
    // Role chaining: one hour at most.
    assert_eq!(
        fix("xsoar-instance-profile/chained-duration-exceeds-hour")["json"],
        serde_json::json!({"DurationSeconds": 3600})
    );
}

#[test]
fn why_human_output_points_at_the_statement() {
    let out = rolecall()
        .args([
            "why",
            "arn:aws:iam::999999999999:user/test-user",
            "arn:aws:iam::888888888888:role/TestRole",
            "policies/splunk-sts/broken/external-id-mismatch/snapshot",
            "--external-id",
            "999",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("5. FAIL  trust policy of the role"), "{text}");
    assert!(
        text.contains("888888888888.authorization-details.json:"),
        "{text}"
    );
    assert!(
        text.contains("\"sts:ExternalId\": \"splunk-soar-888888888888\""),
        "{text}"
    );
    assert!(
        text.contains("--external-id splunk-soar-888888888888"),
        "{text}"
    );
    assert!(text.contains("verdict: DENIED"), "{text}");
    // The README shows this diagnosis; it must be what rolecall prints.
    assert_eq!(
        text,
        readme::readme_output("$ rolecall why arn:aws:iam::999999999999:user/test-user \\")
    );
}

#[test]
fn why_on_a_role_missing_from_the_inventory_is_an_input_error() {
    rolecall()
        .args([
            "why",
            "arn:aws:iam::333344445555:role/xsoar-engine",
            "arn:aws:iam::888899990000:role/XSOARIntegrationRole",
            "policies/xsoar-same-role-accounts/broken/partial-fetch/snapshot",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not in the"));
}

#[test]
fn graph_exports_every_format() {
    let run = |format: &str| {
        let out = rolecall()
            .args(["graph", "policies/splunk-sts/snapshot", "--format", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["version"], 1);
    let node = &json["nodes"][0];
    assert!(node["id"].is_string() && node["kind"].is_string() && node["account"].is_string());
    let edge = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "arn:aws:iam::999999999999:user/test-user")
        .unwrap();
    assert_eq!(edge["kind"], "assume");
    assert_eq!(edge["conditions"][0]["key"], "sts:ExternalId");
    assert_eq!(edge["conditions"][0]["values"], serde_json::json!(["999"]));
    let dot = run("dot");
    assert!(dot.starts_with("digraph rolecall {"));
    assert!(dot.contains("style=dashed"));
    let mermaid = run("mermaid");
    assert!(mermaid.starts_with("flowchart LR"));
    assert!(mermaid.contains("-.->"));
    let graphml = run("graphml");
    assert!(graphml.contains("<graphml"));
    assert!(graphml.contains(r#"<edge id="e0""#));
    assert!(graphml.trim_end().ends_with("</graphml>"));
}

#[test]
fn who_can_assume_and_paths() {
    let out = rolecall()
        .args([
            "who-can-assume",
            "arn:aws:iam::444455556666:role/Admin",
            "policies/xsoar-instance-profile/snapshot",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let d: Value = serde_json::from_slice(&out).unwrap();
    let ids: Vec<&str> = d["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "arn:aws:iam::111122223333:role/xsoar-server",
            "arn:aws:iam::111122223333:instance-profile/xsoar-server",
            "ec2.amazonaws.com"
        ]
    );
    assert_eq!(d["principals"][0]["chained"], true);
    rolecall()
        .args([
            "paths",
            "ec2.amazonaws.com",
            "arn:aws:iam::444455556666:role/Admin",
            "policies/xsoar-instance-profile/snapshot",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "shortest path from ec2.amazonaws.com",
        ));
    // No way from the target back to the server: exit 1.
    rolecall()
        .args([
            "paths",
            "arn:aws:iam::444455556666:role/Admin",
            "ec2.amazonaws.com",
            "policies/xsoar-instance-profile/snapshot",
        ])
        .assert()
        .code(1);
    rolecall()
        .args([
            "who-can-assume",
            "arn:aws:iam::444455556666:role/Admn",
            "policies/xsoar-instance-profile/snapshot",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you"));
}
