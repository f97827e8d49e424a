#![allow(clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]
//! `rolecall simulate` end to end: JSON Lines batches, flags mode, exit codes.

use assert_cmd::Command;

fn rolecall() -> Command {
    Command::cargo_bin("rolecall").unwrap()
}

#[test]
fn batch_answers_every_line_in_order_and_errors_do_not_stop_it() {
    let input = concat!(
        r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","identity_policies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}"#,
        "\n",
        "{not json}\n",
        r#"{"principal":"anonymous","action":"s3:GetObject","resource":"*"}"#,
        "\n"
    );
    let out = rolecall()
        .args(["simulate", "--request", "-", "--format", "json"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["decision"], "allowed");
    assert_eq!(lines[1]["error"]["kind"], "invalid_json");
    assert_eq!(lines[2]["decision"], "implicit_deny");
}

#[test]
fn flags_mode_reads_policy_files() {
    let dir = tempfile::tempdir().unwrap();
    let trust = dir.path().join("trust.json");
    std::fs::write(
        &trust,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Ec2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let out = rolecall()
        .args([
            "simulate",
            "--principal",
            "ec2.amazonaws.com",
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::111122223333:role/app",
            "--resource-policy",
        ])
        .arg(&trust)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let answer: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(answer["decision"], "allowed");
    assert_eq!(answer["trace"]["deciding"][0]["statement"], "Ec2");
}

#[test]
fn an_invalid_single_request_exits_2() {
    rolecall()
        .args([
            "simulate",
            "--principal",
            "nobody",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("error: invalid principal"));
}
