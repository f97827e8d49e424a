//! `rolecall lint` on every input kind: findings point at the lines of the
//! original file (a template, an authorization-details dump), and snapshot
//! directories are linted as separate estates.

#![allow(clippy::unwrap_used, reason = "test code fails loudly")]

#[expect(dead_code, reason = "`rule_file_lines` serves the scenario tests")]
#[path = "common/lint.rs"]
mod lint;

use lint::{findings, lint_json};

#[test]
fn a_policy_inside_a_yaml_template_is_located_in_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let template = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Engine:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: ec2.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: assume
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: !Sub 'arn:aws:iam::12345:role/target'
";
    let path = dir.path().join("stack.yaml");
    std::fs::write(&path, template).unwrap();
    let out = lint_json(&[path.to_str().unwrap()]);
    // The trust policy (line 7) has no Version.
    let missing = findings(&out, &["missing-version"]);
    assert_eq!(missing.len(), 1, "{out:#}");
    assert_eq!(missing[0]["locations"][0]["line"], 7);
    // The 5-digit account id on line 19.
    let arn = findings(&out, &["invalid-arn"]);
    assert_eq!(arn.len(), 1, "{out:#}");
    assert_eq!(arn[0]["locations"][0]["line"], 19);
}

/// A trust policy without Version, URL-encoded as the IAM API returns it.
const DUMP: &str = r#"{
  "UserDetailList": [],
  "GroupDetailList": [],
  "RoleDetailList": [
    {
      "Path": "/",
      "RoleName": "ops",
      "RoleId": "AROAEXAMPLEEXAMPLE01",
      "Arn": "arn:aws:iam::111122223333:role/ops",
      "CreateDate": "2026-01-01T00:00:00Z",
      "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3Aroot%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
      "InstanceProfileList": [],
      "RolePolicyList": [],
      "AttachedManagedPolicies": []
    }
  ],
  "Policies": []
}"#;

#[test]
fn a_url_encoded_policy_in_a_dump_points_at_its_string() {
    let dir = tempfile::tempdir().unwrap();

    let path = dir.path().join("111122223333.authorization-details.json");
    std::fs::write(&path, DUMP).unwrap();
    let out = lint_json(&[path.to_str().unwrap()]);
    let missing = findings(&out, &["missing-version"]);
    assert_eq!(missing.len(), 1, "{out:#}");
    assert_eq!(missing[0]["locations"][0]["line"], 11);
    assert_eq!(missing[0]["locations"][0]["column"], 35);
}

#[test]
fn snapshots_of_the_same_accounts_are_linted_apart() {
    // Two snapshots of one account (a setup and a broken variant of it):
    // each is an estate of its own, and both are linted.
    let dir = tempfile::tempdir().unwrap();
    for snapshot in ["before", "after"] {
        let sub = dir.path().join(snapshot);
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(
            sub.join("manifest.json"),
            r#"{"version":1,"accounts":["111122223333"]}"#,
        )
        .unwrap();
        std::fs::write(sub.join("111122223333.authorization-details.json"), DUMP).unwrap();
    }
    let out = lint_json(&[dir.path().to_str().unwrap()]);
    let files: Vec<&str> = findings(&out, &["missing-version"])
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(files.len(), 2, "{out:#}");
    assert!(
        files[0].contains("after") && files[1].contains("before"),
        "{files:?}"
    );
}
