//! Live commands against AWS emulators on 127.0.0.1 only: moto (started per
//! test, killed on drop) and a fixture HTTP server replaying recorded pages,
//! throttling, refusals and silence. Every output and every snapshot file is
//! checked for the secrets in play: only `assume` may print credentials.
//!
//! moto's limits (5.2.5): AssumeRole enforces nothing (trust policy,
//! external id, 900-second minimum); GetAccountAuthorizationDetails ignores
//! MaxItems/Marker; DecodeAuthorizationMessage answers an HTML 500.
#![cfg(feature = "live")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test code fails loudly"
)]

#[path = "live/fixture.rs"]
mod fixture;
#[path = "live/moto.rs"]
mod moto;
#[path = "common/readme.rs"]
mod readme;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;
use fixture::{Fixture, Request, Response};
use moto::{Moto, free_port};
use readme::readme_output;
use serde_json::Value;

/// The caller's secret key: must never appear in any output or file.
const SECRET: &str = "rolecallTestSecretKEY/never+printed0000";
const ACCESS_KEY: &str = "AKIAROLECALLTEST0001";
/// Every moto session token starts so.
const MOTO_TOKEN_PREFIX: &str = "FQoGZXIvYXdz";
const DEFAULT_ACCOUNT: &str = "123456789012";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The run exited with `code` and its error report, unwrapped, says
    /// `message`.
    fn assert_error(&self, code: i32, message: &str) {
        assert_eq!(self.code, code, "{}", self.stderr);
        assert!(flat(&self.stderr).contains(message), "{}", self.stderr);
    }
}

/// `rolecall` with a clean environment: static credentials, no profile
/// files, no instance metadata, nothing that could leave 127.0.0.1.
fn rolecall(home: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("rolecall"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Run {
    run_with_input(cmd, None)
}

fn run_with_input(cmd: &mut Command, input: Option<&str>) -> Run {
    use std::io::Write;
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "a secret (`{}…`) appears in {what}:\n{text}",
            &secret[..secret.len().min(8)]
        );
    }
}

/// A diagnostic as one line: the report's wrapping and borders removed.
fn flat(text: &str) -> String {
    let joined: Vec<&str> = text
        .lines()
        .map(|l| l.trim().trim_start_matches(['│', '|']).trim())
        .collect();
    joined
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file of a snapshot directory, checked for secrets.
fn assert_snapshot_clean(dir: &Path, secrets: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "a temporary file is left: {name}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_no_secret(&name, &text, secrets);
    }
}

fn read_json(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    serde_json::from_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// SDK configuration for test setup, signed with `credentials`.
async fn sdk(url: &str, credentials: Credentials) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(credentials)
        .load()
        .await
}

fn base_credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET, None, None, "test")
}

fn trust(principal: Value) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]
    })
    .to_string()
}

/// Configuration signed as `role` in another moto account: moto runs the
/// calls of an assumed role's credentials in that role's account.
async fn in_account(moto: &Moto, base: &SdkConfig, account: &str) -> (SdkConfig, String) {
    let out = aws_sdk_sts::Client::new(base)
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("setup")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let secret = c.secret_access_key().to_owned();
    let config = sdk(
        &moto.url,
        Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            None,
            "test",
        ),
    )
    .await;
    (config, secret)
}

#[test]
fn fetch_writes_a_multi_account_snapshot_from_moto() {
    let Some(moto) = Moto::start() else { return };
    let rt = runtime();
    let (alice_secret, other_secrets, ou_id) = rt.block_on(async {
        let base = sdk(&moto.url, base_credentials()).await;
        let iam = aws_sdk_iam::Client::new(&base);
        iam.create_user().user_name("alice").send().await.unwrap();
        let key = iam
            .create_access_key()
            .user_name("alice")
            .send()
            .await
            .unwrap();
        let alice_secret = key.access_key().unwrap().secret_access_key().to_owned();
        iam.put_user_policy()
            .user_name("alice")
            .policy_name("assume-server")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
            )
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name("Server")
            .assume_role_policy_document(trust(serde_json::json!({"Service": "ec2.amazonaws.com"})))
            .max_session_duration(7200)
            .send()
            .await
            .unwrap();
        iam.create_instance_profile()
            .instance_profile_name("ServerProfile")
            .send()
            .await
            .unwrap();
        iam.add_role_to_instance_profile()
            .instance_profile_name("ServerProfile")
            .role_name("Server")
            .send()
            .await
            .unwrap();

        let org = aws_sdk_organizations::Client::new(&base);
        org.create_organization()
            .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
            .send()
            .await
            .unwrap();
        let roots = org.list_roots().send().await.unwrap();
        let root = roots.roots()[0].id().unwrap().to_owned();
        let ou = org
            .create_organizational_unit()
            .parent_id(&root)
            .name("Workloads")
            .send()
            .await
            .unwrap();
        let ou_id = ou.organizational_unit().unwrap().id().unwrap().to_owned();
        let scp = org
            .create_policy()
            .name("DenyLeaveOrganization")
            .description("no leaving")
            .r#type(aws_sdk_organizations::types::PolicyType::ServiceControlPolicy)
            .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#)
            .send()
            .await
            .unwrap();
        org.attach_policy()
            .policy_id(scp.policy().unwrap().policy_summary().unwrap().id().unwrap())
            .target_id(&ou_id)
            .send()
            .await
            .unwrap();

        let mut other_secrets = Vec::new();
        for account in ["222222222222", "333333333333"] {
            let (config, secret) = in_account(&moto, &base, account).await;
            other_secrets.push(secret);
            aws_sdk_iam::Client::new(&config)
                .create_role()
                .role_name("Target")
                .assume_role_policy_document(trust(serde_json::json!({
                    "AWS": format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Server")
                })))
                .send()
                .await
                .unwrap();
        }
        (alice_secret, other_secrets, ou_id)
    });

    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("snapshot");
    let result = run(rolecall(home.path()).args([
        "fetch",
        "--out",
        out.to_str().unwrap(),
        "--accounts",
        "222222222222,333333333333",
        "--role-name",
        "OrganizationAccountAccessRole",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("3 accounts: 3 complete, 0 failed"),
        "{}",
        result.stdout
    );

    let manifest = read_json(out.join("manifest.json"));
    assert_eq!(manifest["version"], 1);
    assert_eq!(
        manifest["fetched_by"],
        format!("arn:aws:sts::{DEFAULT_ACCOUNT}:user/moto")
    );
    assert!(manifest["tool"].as_str().unwrap().starts_with("rolecall "));
    assert_eq!(manifest["organization"], "organization.json");
    let accounts = manifest["accounts"].as_array().unwrap();
    let ids: Vec<&str> = accounts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [DEFAULT_ACCOUNT, "222222222222", "333333333333"]);
    for account in accounts {
        assert_eq!(account["status"], "complete", "{account}");
        let id = account["id"].as_str().unwrap();
        assert_eq!(
            account["files"],
            serde_json::json!({
                "authorization_details": format!("{id}.authorization-details.json"),
                "list_roles": format!("{id}.list-roles.json"),
                "credential_report": format!("{id}.credential-report.csv"),
            })
        );
    }
    assert_eq!(accounts[0]["name"], "master");

    // The caller's account, as moto returns it: trust policies as raw JSON
    // text, inline policies URL-encoded; no pagination left over.
    let details = read_json(out.join(format!("{DEFAULT_ACCOUNT}.authorization-details.json")));
    assert_eq!(details["IsTruncated"], false);
    assert!(details.get("Marker").is_none());
    let alice = &details["UserDetailList"][0];
    assert_eq!(alice["UserName"], "alice");
    let inline = alice["UserPolicyList"][0]["PolicyDocument"]
        .as_str()
        .unwrap();
    assert!(inline.starts_with("%7B"), "{inline}");
    let server = details["RoleDetailList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["RoleName"] == "Server")
        .unwrap();
    assert!(
        server["AssumeRolePolicyDocument"]
            .as_str()
            .unwrap()
            .contains("ec2.amazonaws.com")
    );
    assert_eq!(
        server["InstanceProfileList"][0]["InstanceProfileName"],
        "ServerProfile"
    );
    let roles = read_json(out.join(format!("{DEFAULT_ACCOUNT}.list-roles.json")));
    let server = roles["Roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["RoleName"] == "Server")
        .unwrap();
    assert_eq!(server["MaxSessionDuration"], 7200);
    let report =
        std::fs::read_to_string(out.join(format!("{DEFAULT_ACCOUNT}.credential-report.csv")))
            .unwrap();
    assert!(report.starts_with("user,arn,"), "{report}");
    assert!(report.contains("alice"));

    // Each other account holds only its own role.
    for account in ["222222222222", "333333333333"] {
        let details = read_json(out.join(format!("{account}.authorization-details.json")));
        let names: Vec<&str> = details["RoleDetailList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["RoleName"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Target"), "{account}: {names:?}");
        assert!(!names.contains(&"Server"), "{account}: {names:?}");
        assert_eq!(details["UserDetailList"], serde_json::json!([]));
    }

    // organization.json: the documented shape, SCP content as an object.
    let org = read_json(out.join("organization.json"));
    assert_eq!(org["management_account_id"], DEFAULT_ACCOUNT);
    let root = org["roots"][0]["id"].as_str().unwrap();
    assert_eq!(org["organizational_units"][0]["id"], ou_id.as_str());
    assert_eq!(org["organizational_units"][0]["parent_id"], root);
    let master = org["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == DEFAULT_ACCOUNT)
        .unwrap();
    assert_eq!(master["ou_path"], serde_json::json!([root]));
    let policies = org["policies"].as_array().unwrap();
    let scp = policies
        .iter()
        .find(|p| p["name"] == "DenyLeaveOrganization")
        .unwrap();
    assert_eq!(scp["type"], "SERVICE_CONTROL_POLICY");
    assert_eq!(scp["aws_managed"], false);
    assert_eq!(scp["targets"], serde_json::json!([ou_id]));
    assert_eq!(scp["content"]["Statement"][0]["Effect"], "Deny");
    assert!(
        policies
            .iter()
            .any(|p| p["type"] == "RESOURCE_CONTROL_POLICY")
    );

    let mut secrets = vec![SECRET, alice_secret.as_str(), MOTO_TOKEN_PREFIX];
    secrets.extend(other_secrets.iter().map(String::as_str));
    assert_snapshot_clean(&out, &secrets);
    assert_no_secret("stdout", &result.stdout, &secrets);
    assert_no_secret("stderr", &result.stderr, &secrets);

    // Fetching again over the same directory: the JSON summary is the
    // manifest that was written.
    let again = run(rolecall(home.path()).args([
        "fetch",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    let printed: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(printed, read_json(out.join("manifest.json")));
    assert_eq!(printed["accounts"].as_array().unwrap().len(), 1);
    assert_snapshot_clean(&out, &secrets);
}

#[test]
fn assume_prints_credentials_in_each_format() {
    let Some(moto) = Moto::start() else { return };
    let rt = runtime();
    rt.block_on(async {
        let base = sdk(&moto.url, base_credentials()).await;
        aws_sdk_iam::Client::new(&base)
            .create_role()
            .role_name("Handoff")
            .assume_role_policy_document(trust(
                serde_json::json!({"AWS": format!("arn:aws:iam::{DEFAULT_ACCOUNT}:root")}),
            ))
            .send()
            .await
            .unwrap();
    });
    let role = format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Handoff");
    let home = tempfile::tempdir().unwrap();

    // env, with the endpoint from AWS_ENDPOINT_URL.
    let env = run(rolecall(home.path())
        .env("AWS_ENDPOINT_URL", &moto.url)
        .args(["assume", &role, "--session-name", "ci-session"]));
    assert_eq!(env.code, 0, "{}", env.stderr);
    assert_eq!(env.stderr, "");
    let lines: Vec<&str> = env.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", env.stdout);
    for (line, name) in lines.iter().zip([
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]) {
        let prefix = format!("export {name}='");
        assert!(line.starts_with(&prefix) && line.ends_with('\''), "{line}");
        assert!(line.len() > prefix.len() + 10, "{line}");
    }
    assert!(lines[0].starts_with("export AWS_ACCESS_KEY_ID='ASIA"));
    assert!(lines[2].contains(MOTO_TOKEN_PREFIX));

    // json: AssumeRole's answer, and the credentials work.
    let json = run(rolecall(home.path()).args([
        "assume",
        &role,
        "--format",
        "json",
        "--session-name",
        "ci-session",
        "--duration-seconds",
        "900",
        "--external-id",
        "ext-123",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(json.stderr, "");
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&doc), ["Credentials", "AssumedRoleUser"]);
    assert_eq!(
        keys(&doc["Credentials"]),
        [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration"
        ]
    );
    assert_eq!(
        doc["AssumedRoleUser"]["Arn"],
        format!("arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/Handoff/ci-session")
    );
    assert!(
        doc["AssumedRoleUser"]["AssumedRoleId"]
            .as_str()
            .unwrap()
            .ends_with(":ci-session")
    );
    assert!(
        doc["Credentials"]["Expiration"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let c = &doc["Credentials"];
    let session = rt.block_on(async {
        let config = sdk(
            &moto.url,
            Credentials::new(
                c["AccessKeyId"].as_str().unwrap(),
                c["SecretAccessKey"].as_str().unwrap(),
                Some(c["SessionToken"].as_str().unwrap().to_owned()),
                None,
                "test",
            ),
        )
        .await;
        aws_sdk_sts::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .unwrap()
            .arn()
            .unwrap()
            .to_owned()
    });
    assert_eq!(session, doc["AssumedRoleUser"]["Arn"]);

    // credential-process: Version 1, one line.
    let process = run(rolecall(home.path()).args([
        "assume",
        &role,
        "--format",
        "credential-process",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(process.code, 0, "{}", process.stderr);
    assert_eq!(process.stdout.lines().count(), 1);
    let doc: Value = serde_json::from_str(&process.stdout).unwrap();
    assert_eq!(
        keys(&doc),
        [
            "Version",
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration"
        ]
    );
    assert_eq!(doc["Version"], 1);

    // As a credential_process in ~/.aws/config: rolecall signs as the role.
    let config = home.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile base]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET}\n\n\
             [profile handoff]\nregion = us-east-1\ncredential_process = {} assume {role} --format credential-process --session-name via-config --profile base --endpoint-url {}\n",
            assert_cmd::cargo::cargo_bin!("rolecall").display(),
            moto.url
        ),
    )
    .unwrap();
    let probe = run(rolecall(home.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config)
        .args([
            "probe",
            "--profile",
            "handoff",
            "--role",
            &role,
            "--format",
            "json",
            "--endpoint-url",
            &moto.url,
        ]));
    assert_eq!(probe.code, 0, "{}", probe.stderr);
    let report: Value = serde_json::from_str(&probe.stdout).unwrap();
    assert_eq!(
        report["caller"]["arn"],
        format!("arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/Handoff/via-config")
    );
    for (what, text) in [("stdout", &probe.stdout), ("stderr", &probe.stderr)] {
        assert_no_secret(what, text, &[SECRET, MOTO_TOKEN_PREFIX]);
    }
    for output in [&env, &json, &process] {
        assert_no_secret("assume output", &output.stdout, &[SECRET]);
    }
}

/// A prediction that always says "denied", as a stale snapshot might.
struct AlwaysDenied;

impl rolecall::live::probe::Predictor for AlwaysDenied {
    fn predict(
        &self,
        _: &rolecall::live::assume::CallerIdentity,
        _: &rolecall::live::assume::AssumeRoleRequest,
        _: bool,
    ) -> rolecall::live::probe::Prediction {
        rolecall::live::probe::Prediction {
            verdict: rolecall::live::probe::Verdict::Denied,
            reason: "no trust policy names the caller".into(),
            expected_error: None,
            blind_spots: Vec::new(),
        }
    }

    fn reachable(&self, _: &rolecall::live::assume::CallerIdentity) -> (Vec<String>, Vec<String>) {
        (Vec::new(), Vec::new())
    }
}

#[test]
fn probe_reports_what_moto_answers() {
    let Some(moto) = Moto::start() else { return };
    let rt = runtime();
    rt.block_on(async {
        let base = sdk(&moto.url, base_credentials()).await;
        aws_sdk_iam::Client::new(&base)
            .create_role()
            .role_name("Reader")
            // Trusts someone else entirely: AWS would refuse, moto does not.
            .assume_role_policy_document(trust(
                serde_json::json!({"AWS": "arn:aws:iam::999999999999:root"}),
            ))
            .send()
            .await
            .unwrap();
    });
    let reader = format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Reader");
    let elsewhere = "arn:aws:iam::444455556666:role/Missing";
    let home = tempfile::tempdir().unwrap();

    let table = run(rolecall(home.path()).args([
        "probe",
        "--role",
        &reader,
        "--role",
        elsewhere,
        "--session-name",
        "probe-test",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(table.code, 0, "{}\n{}", table.stdout, table.stderr);
    assert!(table.stdout.starts_with(&format!(
        "caller: arn:aws:sts::{DEFAULT_ACCOUNT}:user/moto\n"
    )));
    assert!(table.stdout.contains("ROLE"));
    assert_eq!(
        table.stdout.matches("assumed (confirmed)").count(),
        2,
        "{}",
        table.stdout
    );
    assert_eq!(
        table
            .stdout
            .matches("no prediction (no inputs given)")
            .count(),
        2
    );
    assert!(table.stdout.contains("2 roles probed, 0 disagreements"));

    let json = run(rolecall(home.path()).args([
        "probe",
        "--role",
        &reader,
        "--session-name",
        "probe-test",
        "--mfa-serial",
        &format!("arn:aws:iam::{DEFAULT_ACCOUNT}:mfa/alice"),
        "--token-code",
        "908172",
        "--format",
        "json",
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["mfa"], true);
    let row = &report["results"][0];
    assert_eq!(row["role"], reader.as_str());
    assert_eq!(row["outcome"], "assumed");
    assert_eq!(
        row["assumed_arn"],
        format!("arn:aws:sts::{DEFAULT_ACCOUNT}:assumed-role/Reader/probe-test")
    );
    assert_eq!(row["confirmed_arn"], row["assumed_arn"]);
    assert_eq!(row["prediction"]["decision"], "unknown");
    assert_eq!(row["agreement"], "not-compared");
    for run in [&table, &json] {
        for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert_no_secret(what, text, &[SECRET, MOTO_TOKEN_PREFIX, "ASIA", "908172"]);
        }
    }

    // With a prediction: moto's "yes" to a role that trusts someone else is
    // reported as a disagreement, and says emulators enforce nothing.
    let report = rt.block_on(async {
        let config = sdk(&moto.url, base_credentials()).await;
        let clients = rolecall::live::Clients::from_sdk_config(
            config,
            &rolecall::live::ClientOptions::default(),
        )
        .await
        .unwrap();
        let request = rolecall::live::assume::AssumeRoleRequest::new(
            &reader,
            Some("probe-test"),
            Some(900),
            None,
        )
        .unwrap();
        rolecall::live::probe::probe(
            &clients,
            rolecall::live::probe::Targets::Roles(vec![request]),
            None,
            &AlwaysDenied,
        )
        .await
        .unwrap()
    });
    assert!(report.any_disagreement());
    assert!(!report.any_failure());
    let mut text = Vec::new();
    rolecall::render::live::probe_table(&mut text, &report).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("DISAGREE"), "{text}");
    assert!(
        text.contains("rolecall: no trust policy names the caller"),
        "{text}"
    );
    assert!(
        text.contains("emulators such as moto accept every AssumeRole"),
        "{text}"
    );
    assert!(text.contains("1 role probed, 1 disagreement"), "{text}");
    assert_no_secret("probe table", &text, &[SECRET, MOTO_TOKEN_PREFIX]);
    let debug = format!("{report:?}");
    assert_no_secret("the report's Debug", &debug, &[SECRET, MOTO_TOKEN_PREFIX]);

    // Durations moto would accept are refused before any call.
    let short = run(rolecall(home.path()).args([
        "probe",
        "--role",
        &reader,
        "--duration-seconds",
        "899",
        "--endpoint-url",
        &moto.url,
    ]));
    short.assert_error(2, "invalid duration `899`");
}

/// The README's live walk-through against moto: fetch a snapshot, probe the
/// roles it says the caller can reach, decode an AccessDenied with it.
#[test]
fn probe_and_decode_compare_live_answers_with_a_fetched_snapshot() {
    let Some(moto) = Moto::start() else { return };
    let rt = runtime();
    let (alice_key, alice_secret) = rt.block_on(async {
        let base = sdk(&moto.url, base_credentials()).await;
        let iam = aws_sdk_iam::Client::new(&base);
        iam.create_user().user_name("alice").send().await.unwrap();
        let key = iam
            .create_access_key()
            .user_name("alice")
            .send()
            .await
            .unwrap();
        let key = key.access_key().unwrap();
        iam.put_user_policy()
            .user_name("alice")
            .policy_name("assume-and-read")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","iam:*"],"Resource":"*"},{"Sid":"NoDeletes","Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}"#,
            )
            .send()
            .await
            .unwrap();
        let alice = format!("arn:aws:iam::{DEFAULT_ACCOUNT}:user/alice");
        for (name, trust) in [
            ("Trusting", trust(serde_json::json!({"AWS": alice}))),
            (
                "FromOffice",
                serde_json::json!({"Version": "2012-10-17", "Statement": [{
                    "Sid": "Office", "Effect": "Allow", "Principal": {"AWS": alice},
                    "Action": "sts:AssumeRole",
                    "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]})
                .to_string(),
            ),
            (
                "Elsewhere",
                trust(serde_json::json!({"AWS": "arn:aws:iam::999999999999:root"})),
            ),
        ] {
            iam.create_role()
                .role_name(name)
                .assume_role_policy_document(trust)
                .send()
                .await
                .unwrap();
        }
        (
            key.access_key_id().to_owned(),
            key.secret_access_key().to_owned(),
        )
    });
    let home = tempfile::tempdir().unwrap();
    let as_alice = |args: &[&str]| {
        let mut cmd = rolecall(home.path());
        cmd.current_dir(home.path())
            .env("AWS_ACCESS_KEY_ID", &alice_key)
            .env("AWS_SECRET_ACCESS_KEY", &alice_secret)
            .env("AWS_ENDPOINT_URL", &moto.url)
            .args(args);
        run(&mut cmd)
    };
    let secrets = [SECRET, alice_secret.as_str(), MOTO_TOKEN_PREFIX];
    // Paths relative to `home`, as the README shows them.
    let snapshot = "snapshot";
    let fetch = as_alice(&["fetch", "--out", snapshot, "--no-organization"]);
    assert_eq!(fetch.code, 0, "{}\n{}", fetch.stdout, fetch.stderr);
    assert_snapshot_clean(&home.path().join(snapshot), &secrets);

    // No --role: the roles the snapshot says alice can assume directly.
    let json = as_alice(&[
        "probe",
        snapshot,
        "--session-name",
        "probe-test",
        "--format",
        "json",
    ]);
    assert_eq!(
        json.code, 1,
        "a disagreement: {}\n{}",
        json.stdout, json.stderr
    );
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report["caller"]["arn"],
        format!("arn:aws:iam::{DEFAULT_ACCOUNT}:user/alice")
    );
    assert_eq!(report["roles_from"], "inputs");
    let results = report["results"].as_array().unwrap();
    let roles: Vec<&str> = results
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/FromOffice"),
            format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Trusting"),
        ],
        "Elsewhere trusts another account: not probed"
    );
    let (office, trusting) = (&results[0], &results[1]);
    assert_eq!(trusting["outcome"], "assumed");
    assert_eq!(trusting["prediction"]["decision"], "allowed");
    assert_eq!(trusting["agreement"], "agree");
    // moto enforces no condition: AWS would refuse without the office's
    // address, moto does not, and the report says both why it may differ.
    assert_eq!(office["outcome"], "assumed");
    assert_eq!(office["prediction"]["decision"], "denied");
    assert!(
        office["prediction"]["expected_error"]
            .as_str()
            .unwrap()
            .contains("is not authorized to perform: sts:AssumeRole")
    );
    assert_eq!(office["agreement"], "disagree");
    let kinds: Vec<&str> = office["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"unseen-context"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"endpoint-not-enforcing"));
    let unseen = office["hints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "unseen-context")
        .unwrap();
    assert!(
        unseen["message"]
            .as_str()
            .unwrap()
            .contains("`aws:SourceIp`"),
        "{unseen}"
    );

    // The README's example, word for word.
    let human = as_alice(&["probe", snapshot]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert_eq!(human.stdout, readme_output("$ rolecall probe snapshot"));
    // A role given by name: the static answer is "no", moto says "yes".
    let elsewhere = format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Elsewhere");
    let table = as_alice(&["probe", snapshot, "--role", &elsewhere]);
    assert_eq!(table.code, 1, "{}\n{}", table.stdout, table.stderr);
    for expected in [
        "DISAGREE",
        "rolecall expects AWS to say: AccessDenied: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole",
        "the static answer may be missing:",
        "emulators such as moto accept every AssumeRole",
        "1 role probed, 1 disagreement",
    ] {
        assert!(
            table.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            table.stdout
        );
    }

    // A caller the snapshot does not hold: nothing to probe, and why.
    let stranger = run(rolecall(home.path()).current_dir(home.path()).args([
        "probe",
        snapshot,
        "--endpoint-url",
        &moto.url,
    ]));
    assert_eq!(stranger.code, 0, "{}", stranger.stderr);
    assert!(
        stranger
            .stdout
            .contains("is not in the inputs, so no role is known to be reachable"),
        "{}",
        stranger.stdout
    );
    assert!(
        stranger.stdout.contains("0 roles probed"),
        "{}",
        stranger.stdout
    );

    // decode with the snapshot: the statement that denied, in its file.
    let message = serde_json::json!({
        "allowed": false, "explicitDeny": true,
        "matchedStatements": {"items": [{"statementId": "NoDeletes", "effect": "DENY",
            "actions": {"items": [{"value": "iam:DeleteRole"}]}, "resources": {"items": [{"value": "*"}]}}]},
        "failures": {"items": []},
        "context": {
            "principal": {"id": "AIDAALICE", "name": "alice", "arn": format!("arn:aws:iam::{DEFAULT_ACCOUNT}:user/alice")},
            "action": "iam:DeleteRole",
            "resource": format!("arn:aws:iam::{DEFAULT_ACCOUNT}:role/Trusting"),
            "conditions": {"items": []}
        }
    });
    let file = home.path().join("decoded-message.json");
    std::fs::write(&file, message.to_string()).unwrap();
    let decoded = run(rolecall(home.path()).current_dir(home.path()).args([
        "decode",
        "decoded-message.json",
        snapshot,
    ]));
    assert_eq!(decoded.code, 0, "{}\n{}", decoded.stdout, decoded.stderr);
    assert_eq!(
        decoded.stdout,
        readme_output("$ rolecall decode decoded-message.json snapshot")
    );
    for expected in [
        "re-evaluated with the inputs: denied by an explicit Deny — agrees with AWS",
        "denied by:",
        "statement NoDeletes (Deny)",
        &format!("{DEFAULT_ACCOUNT}.authorization-details.json:"),
    ] {
        assert!(
            decoded.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            decoded.stdout
        );
    }
    let decoded_json = run(rolecall(home.path()).current_dir(home.path()).args([
        "decode",
        "decoded-message.json",
        snapshot,
        "--format",
        "json",
    ]));
    assert_eq!(decoded_json.code, 0, "{}", decoded_json.stderr);
    let doc: Value = serde_json::from_str(&decoded_json.stdout).unwrap();
    let re = &doc["reevaluation"];
    assert_eq!(re["decision"], "explicit_deny", "{re}");
    assert_eq!(re["agrees"], true);
    assert_eq!(re["denied_by"][0]["statement"], "NoDeletes");
    assert!(
        re["denied_by"][0]["line"].as_u64().is_some_and(|l| l > 1),
        "{re}"
    );

    // A principal the snapshot lacks cannot be re-evaluated: an input error.
    let other = message.to_string().replace("user/alice", "user/nobody");
    let unknown = run_with_input(
        rolecall(home.path())
            .current_dir(home.path())
            .args(["decode", "-", snapshot]),
        Some(&other),
    );
    assert_eq!(unknown.code, 2, "{}\n{}", unknown.stdout, unknown.stderr);
    assert!(
        unknown
            .stdout
            .contains("re-evaluated with the inputs: not possible"),
        "{}",
        unknown.stdout
    );

    for run in [
        &fetch,
        &json,
        &table,
        &stranger,
        &decoded,
        &decoded_json,
        &unknown,
    ] {
        for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert_no_secret(what, text, &secrets);
        }
    }
}

#[test]
fn invalid_parameters_are_refused_before_any_call() {
    // The endpoint is a closed port: a call would fail with exit code 3.
    let closed = format!("http://127.0.0.1:{}", free_port());
    let home = tempfile::tempdir().unwrap();
    let role = "arn:aws:iam::123456789012:role/R";
    for (args, expected) in [
        (
            vec!["probe", "--role", role, "--duration-seconds", "100"],
            "invalid duration `100`",
        ),
        (
            vec!["probe", "--role", role, "--duration-seconds", "43201"],
            "900 to 43200",
        ),
        (
            vec!["probe", "--role", role, "--session-name", "a"],
            "invalid session name `a`",
        ),
        (
            vec!["probe", "--role", role, "--session-name", "has space"],
            "` ` is not allowed",
        ),
        (
            vec!["probe", "--role", role, "--external-id", "x"],
            "invalid external id `x`",
        ),
        (
            vec!["probe", "--role", "arn:aws:iam::123:role/R"],
            "must be 12 digits",
        ),
        (
            vec!["assume", "arn:aws:iam::123456789012:user/alice"],
            "is not a role",
        ),
        (
            vec![
                "probe",
                "--role",
                role,
                "--mfa-serial",
                "arn:aws:iam::123456789012:mfa/a",
                "--token-code",
                "12ab56",
            ],
            "invalid token code",
        ),
        (
            vec![
                "fetch",
                "--out",
                "x",
                "--accounts",
                "12",
                "--role-name",
                "R",
            ],
            "must be 12 digits",
        ),
    ] {
        let mut cmd = rolecall(home.path());
        cmd.args(&args).args(["--endpoint-url", &closed]);
        let result = run(&mut cmd);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            flat(&result.stderr).contains(expected),
            "{args:?}: {}",
            result.stderr
        );
        assert!(
            !flat(&result.stderr).contains("12ab56"),
            "the token code is echoed"
        );
    }
}

/// The AWS documentation's example of a decoded message, with context.
const DECODED: &str = r#"{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"VisualEditor0","effect":"DENY","principals":{"items":[{"value":"AROA123456789EXAMPLE"}]},"principalGroups":{"items":[]},"actions":{"items":[{"value":"ec2:RunInstances"}]},"resources":{"items":[{"value":"*"}]},"conditions":{"items":[]}}]},"failures":{"items":[]},"context":{"principal":{"id":"AROA123456789EXAMPLE:Ana","arn":"arn:aws:sts::111122223333:assumed-role/Developer/Ana"},"action":"RunInstances","resource":"arn:aws:ec2:us-east-1:111122223333:instance/*","conditions":{"items":[{"key":"aws:Region","values":{"items":[{"value":"us-east-1"}]}},{"key":"ec2:InstanceType","values":{"items":[{"value":"t3.micro"}]}}]}}}"#;

#[test]
fn decode_prints_the_request_of_a_decoded_message() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("decoded.json");
    std::fs::write(&file, DECODED).unwrap();
    let human = run(rolecall(home.path()).args(["decode", file.to_str().unwrap()]));
    assert_eq!(human.code, 0, "{}", human.stderr);
    for expected in [
        "decision:  denied by an explicit Deny",
        "principal: arn:aws:sts::111122223333:assumed-role/Developer/Ana (AROA123456789EXAMPLE:Ana)",
        "action:    RunInstances",
        "resource:  arn:aws:ec2:us-east-1:111122223333:instance/*",
        "  aws:Region = us-east-1",
        "  ec2:InstanceType = t3.micro",
        "  DENY VisualEditor0",
        "    actions: ec2:RunInstances",
    ] {
        assert!(
            human.stdout.contains(expected),
            "missing `{expected}`:\n{}",
            human.stdout
        );
    }

    // The AWS CLI's output on standard input, as JSON.
    let wrapped = serde_json::json!({"DecodedMessage": DECODED}).to_string();
    let json = run_with_input(
        rolecall(home.path()).args(["decode", "-", "--format", "json"]),
        Some(&wrapped),
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["allowed"], false);
    assert_eq!(doc["explicit_deny"], true);
    assert_eq!(
        doc["context"]["ec2:InstanceType"],
        serde_json::json!(["t3.micro"])
    );
    assert_eq!(doc["matched_statements"][0]["sid"], "VisualEditor0");

    let other = home.path().join("policy.json");
    std::fs::write(&other, r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    let bad = run(rolecall(home.path()).args(["decode", other.to_str().unwrap()]));
    bad.assert_error(2, "has no `context`");

    let missing = run(rolecall(home.path()).args(["decode", "no-such-message.json"]));
    missing.assert_error(2, "cannot read `no-such-message.json`");
}

#[test]
fn decode_of_an_encoded_message_says_when_the_endpoint_cannot() {
    let Some(moto) = Moto::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let pasted = "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLEWodyRNrtlQARDip-eTA6i6DrlUhHhPQrLWB_lAbl5pAKxl9mPDLexYcGBreyIKQC1BGBIpBKr3dFDkwqeO7e2NMk5j";
    for message in ["EXAMPLEWodyRNrtlQARDip-eTA6i6DrlUhHhPQ", pasted] {
        let result = run(rolecall(home.path()).args([
            "decode",
            message,
            "--max-attempts",
            "1",
            "--endpoint-url",
            &moto.url,
        ]));
        assert_eq!(result.code, 3, "{}", result.stderr);
        assert!(
            flat(&result.stderr).contains("sts:DecodeAuthorizationMessage")
                && flat(&result.stderr).contains("does not support this call")
                && flat(&result.stderr).contains("an HTML page"),
            "{}",
            result.stderr
        );
        assert_eq!(result.stdout, "");
        assert_no_secret("stderr", &result.stderr, &[SECRET]);
    }
}

// ---- fixture server: pages, refusals, throttling, silence ----------------

const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
const FIXTURE_ACCOUNT: &str = "111111111111";
const FIXTURE_SECRET: &str = "FixtureAssumedSecret/never+printed00000";
const FIXTURE_TOKEN: &str = "FixtureSessionTokenNeverPrinted";
/// The credential report the fixture serves, and its base64 form.
const REPORT_CSV: &str = "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active\n<root_account>,arn:aws:iam::111111111111:root,2026-01-01T00:00:00+00:00,not_supported,true,false\n";
const REPORT_BASE64: &str = "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQsbWZhX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfYWN0aXZlCjxyb290X2FjY291bnQ+LGFybjphd3M6aWFtOjoxMTExMTExMTExMTE6cm9vdCwyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwLG5vdF9zdXBwb3J0ZWQsdHJ1ZSxmYWxzZQo=";

fn page(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/live")
            .join(name),
    )
    .unwrap()
}

/// An account that answers every call fetch makes: recorded pages, no
/// organization, a credential report; AssumeRole succeeds unless `refuse`
/// names the account.
fn account_fixture(refuse: Option<&'static str>) -> impl Fn(&Request) -> Response + Send + Sync {
    let pages = [
        page("authorization-details.page-1.xml"),
        page("authorization-details.page-2.xml"),
        page("list-roles.page-1.xml"),
        page("list-roles.page-2.xml"),
    ];
    move |r: &Request| match r.action.as_str() {
        "GetCallerIdentity" => Response::xml(
            200,
            format!(
                "<GetCallerIdentityResponse xmlns=\"{STS_NS}\"><GetCallerIdentityResult><Arn>arn:aws:iam::{FIXTURE_ACCOUNT}:user/fixture</Arn><UserId>AIDAFIXTURE</UserId><Account>{FIXTURE_ACCOUNT}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
            ),
        ),
        "AssumeRole" => {
            let role = r.params.get("RoleArn").cloned().unwrap_or_default();
            if refuse.is_some_and(|account| role.contains(account)) {
                return Response::query_error(
                    403,
                    "AccessDenied",
                    &format!(
                        "User: arn:aws:iam::{FIXTURE_ACCOUNT}:user/fixture is not authorized to perform: sts:AssumeRole on resource: {role}"
                    ),
                );
            }
            let account = role.split(':').nth(4).unwrap_or_default();
            Response::xml(
                200,
                format!(
                    "<AssumeRoleResponse xmlns=\"{STS_NS}\"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFIXTURE{account}</AccessKeyId><SecretAccessKey>{FIXTURE_SECRET}</SecretAccessKey><SessionToken>{FIXTURE_TOKEN}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFIXTURE:s</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/Audit/s</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
                ),
            )
        }
        "DescribeOrganization" => Response::json(
            400,
            r#"{"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."}"#,
        ),
        "GetAccountAuthorizationDetails" => match r.params.get("Marker").map(String::as_str) {
            None => Response::xml(200, pages[0].clone()),
            Some("page-2-marker") => Response::xml(200, pages[1].clone()),
            Some(_) => Response::query_error(400, "InvalidInput", "bad marker"),
        },
        "ListRoles" => match r.params.get("Marker").map(String::as_str) {
            None => Response::xml(200, pages[2].clone()),
            Some("roles-page-2") => Response::xml(200, pages[3].clone()),
            Some(_) => Response::query_error(400, "InvalidInput", "bad marker"),
        },
        "GenerateCredentialReport" => Response::xml(
            200,
            format!(
                "<GenerateCredentialReportResponse xmlns=\"{IAM_NS}\"><GenerateCredentialReportResult><State>COMPLETE</State></GenerateCredentialReportResult></GenerateCredentialReportResponse>"
            ),
        ),
        "GetCredentialReport" => Response::xml(
            200,
            format!(
                "<GetCredentialReportResponse xmlns=\"{IAM_NS}\"><GetCredentialReportResult><Content>{REPORT_BASE64}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-01-01T00:00:00Z</GeneratedTime></GetCredentialReportResult></GetCredentialReportResponse>"
            ),
        ),
        other => {
            Response::query_error(400, "InvalidAction", &format!("{other} is not served here"))
        }
    }
}

#[test]
fn fetch_merges_every_page() {
    let fixture = Fixture::start(account_fixture(None));
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("snapshot");
    let result = run(rolecall(home.path()).args([
        "fetch",
        "--out",
        out.to_str().unwrap(),
        "--endpoint-url",
        &fixture.url,
    ]));
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);

    let details = read_json(out.join(format!("{FIXTURE_ACCOUNT}.authorization-details.json")));
    let names = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r["RoleName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&details["RoleDetailList"]), ["Server", "Target"]);
    assert_eq!(details["UserDetailList"][0]["UserName"], "alice");
    assert_eq!(details["IsTruncated"], false);
    assert!(details.get("Marker").is_none());
    // Documents as AWS returned them: the inline policy URL-encoded.
    assert!(
        details["RoleDetailList"][0]["RolePolicyList"][0]["PolicyDocument"]
            .as_str()
            .unwrap()
            .starts_with("%7B%22Version%22")
    );
    let roles = read_json(out.join(format!("{FIXTURE_ACCOUNT}.list-roles.json")));
    assert_eq!(names(&roles["Roles"]), ["Target", "Server"]);
    assert_eq!(roles["Roles"][1]["MaxSessionDuration"], 7200);

    let markers: Vec<Option<String>> = fixture
        .requests("GetAccountAuthorizationDetails")
        .iter()
        .map(|r| r.params.get("Marker").cloned())
        .collect();
    assert_eq!(markers, [None, Some("page-2-marker".to_owned())]);
    assert_eq!(fixture.count("ListRoles"), 2);

    assert_eq!(
        std::fs::read_to_string(out.join(format!("{FIXTURE_ACCOUNT}.credential-report.csv")))
            .unwrap(),
        REPORT_CSV
    );
    assert!(!out.join("organization.json").exists());
    let manifest = read_json(out.join("manifest.json"));
    assert!(manifest.get("organization").is_none());
    assert!(
        manifest["notes"][0]
            .as_str()
            .unwrap()
            .contains("in no organization"),
        "{manifest}"
    );
    assert_snapshot_clean(&out, &[SECRET]);
}

#[test]
fn fetch_records_an_account_whose_role_cannot_be_assumed() {
    let fixture = Fixture::start(account_fixture(Some("333333333333")));
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("snapshot");
    std::fs::create_dir(&out).unwrap();
    // Left by an earlier fetch: must not survive a failed fetch of 3333….
    let stale = out.join("333333333333.authorization-details.json");
    std::fs::write(&stale, "{}").unwrap();
    let result = run(rolecall(home.path()).args([
        "fetch",
        "--out",
        out.to_str().unwrap(),
        "--accounts",
        "222222222222,333333333333,444444444444",
        "--role-name",
        "Audit",
        "--external-id",
        "ext-123",
        "--concurrency",
        "2",
        "--no-organization",
        "--endpoint-url",
        &fixture.url,
    ]));
    assert_eq!(result.code, 3, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("4 accounts: 3 complete, 1 failed"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("FAILED"), "{}", result.stdout);

    let manifest = read_json(out.join("manifest.json"));
    let accounts = manifest["accounts"].as_array().unwrap();
    let status: Vec<(&str, &str)> = accounts
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            (FIXTURE_ACCOUNT, "complete"),
            ("222222222222", "complete"),
            ("333333333333", "failed"),
            ("444444444444", "complete"),
        ]
    );
    let failed = &accounts[2];
    assert!(failed.get("files").is_none());
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with("sts:AssumeRole: AccessDenied: ")
            && error.contains("arn:aws:iam::333333333333:role/Audit"),
        "{error}"
    );
    assert!(
        !stale.exists(),
        "the stale file of the failed account is left"
    );
    assert!(out.join("222222222222.authorization-details.json").exists());
    assert!(out.join("444444444444.list-roles.json").exists());
    assert!(manifest.get("organization").is_none());

    let assumed = fixture.requests("AssumeRole");
    assert_eq!(assumed.len(), 3);
    for r in &assumed {
        assert_eq!(
            r.params.get("ExternalId").map(String::as_str),
            Some("ext-123")
        );
        assert!(r.params["RoleSessionName"].starts_with("rolecall-"));
    }
    // Each other account's calls are signed with its own assumed credentials.
    let signed_by = |r: &Request| r.headers.get("authorization").cloned().unwrap_or_default();
    assert!(
        fixture
            .requests("ListRoles")
            .iter()
            .any(|r| signed_by(r).contains("ASIAFIXTURE222222222222"))
    );

    let secrets = [SECRET, FIXTURE_SECRET, FIXTURE_TOKEN];
    assert_snapshot_clean(&out, &secrets);
    assert_no_secret("stdout", &result.stdout, &secrets);
    assert_no_secret("stderr", &result.stderr, &secrets);
}

#[test]
fn probe_with_mfa_gets_a_session_token_first_and_asks_with_it() {
    const MFA_KEY: &str = "ASIAMFASESSION000001";
    const MFA_SECRET: &str = "MfaSessionSecret/never+printed000000000";
    let fixture = Fixture::start(|r: &Request| match r.action.as_str() {
        "GetSessionToken" => Response::xml(
            200,
            format!(
                "<GetSessionTokenResponse xmlns=\"{STS_NS}\"><GetSessionTokenResult><Credentials><AccessKeyId>{MFA_KEY}</AccessKeyId><SecretAccessKey>{MFA_SECRET}</SecretAccessKey><SessionToken>MfaSessionTokenNeverPrinted</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
            ),
        ),
        _ => account_fixture(None)(r),
    });
    let home = tempfile::tempdir().unwrap();
    let role = "arn:aws:iam::222222222222:role/Audit";
    let result = run(rolecall(home.path()).args([
        "probe",
        "--role",
        role,
        "--mfa-serial",
        "arn:aws:iam::111111111111:mfa/fixture",
        "--token-code",
        "314159",
        "--endpoint-url",
        &fixture.url,
    ]));
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .starts_with("caller: arn:aws:iam::111111111111:user/fixture (MFA session)"),
        "{}",
        result.stdout
    );
    let log = fixture.log.lock().unwrap();
    let order: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        order,
        [
            "GetCallerIdentity",
            "GetSessionToken",
            "AssumeRole",
            "GetCallerIdentity"
        ]
    );
    let session = &log[1];
    assert_eq!(
        session.params["SerialNumber"],
        "arn:aws:iam::111111111111:mfa/fixture"
    );
    assert_eq!(session.params["TokenCode"], "314159");
    let signed_by = |r: &Request| r.headers.get("authorization").cloned().unwrap_or_default();
    assert!(
        signed_by(&log[1]).contains(ACCESS_KEY),
        "the caller's own keys"
    );
    assert!(
        signed_by(&log[2]).contains(MFA_KEY),
        "AssumeRole with the MFA session"
    );
    assert!(
        signed_by(&log[3]).contains("ASIAFIXTURE222222222222"),
        "the role's session"
    );
    assert_eq!(log[2].params["RoleArn"], role);
    for text in [&result.stdout, &result.stderr] {
        assert_no_secret(
            "probe output",
            text,
            &[
                SECRET,
                MFA_SECRET,
                "MfaSessionTokenNeverPrinted",
                FIXTURE_SECRET,
                FIXTURE_TOKEN,
                "314159",
            ],
        );
    }
}

#[test]
fn throttling_is_retried_then_reported() {
    let fixture = Fixture::start(|r: &Request| match r.action.as_str() {
        "ListRoles" | "AssumeRole" => Response::query_error(400, "Throttling", "Rate exceeded"),
        _ => account_fixture(None)(r),
    });
    let home = tempfile::tempdir().unwrap();
    let assume = run(rolecall(home.path()).args([
        "assume",
        "arn:aws:iam::222222222222:role/Audit",
        "--max-attempts",
        "3",
        "--endpoint-url",
        &fixture.url,
    ]));
    assume.assert_error(
        3,
        "sts:AssumeRole: throttled by AWS (Throttling) after 3 attempts",
    );
    assert_eq!(fixture.count("AssumeRole"), 3);
    assert_eq!(assume.stdout, "");

    // probe: the row fails with the same words, and the exit code is 3.
    let probe = run(rolecall(home.path()).args([
        "probe",
        "--role",
        "arn:aws:iam::222222222222:role/Audit",
        "--max-attempts",
        "2",
        "--endpoint-url",
        &fixture.url,
    ]));
    assert_eq!(probe.code, 3, "{}\n{}", probe.stdout, probe.stderr);
    assert_eq!(fixture.count("AssumeRole"), 5);
    assert!(
        probe.stdout.contains("failed: Throttling")
            && probe
                .stdout
                .contains("error: sts:AssumeRole: throttled by AWS (Throttling) after 2 attempts"),
        "{}",
        probe.stdout
    );

    // In a fetch, the account fails with the same words; the others go on.
    let out = home.path().join("snapshot");
    let fetch = run(rolecall(home.path()).args([
        "fetch",
        "--out",
        out.to_str().unwrap(),
        "--max-attempts",
        "2",
        "--no-organization",
        "--endpoint-url",
        &fixture.url,
    ]));
    assert_eq!(fetch.code, 3, "{}", fetch.stderr);
    assert_eq!(fixture.count("ListRoles"), 2);
    let manifest = read_json(out.join("manifest.json"));
    assert_eq!(
        manifest["accounts"][0]["error"],
        "iam:ListRoles: throttled by AWS (Throttling) after 2 attempts"
    );
    for text in [
        &assume.stderr,
        &probe.stdout,
        &probe.stderr,
        &fetch.stdout,
        &fetch.stderr,
    ] {
        assert_no_secret("output", text, &[SECRET]);
    }
}

#[test]
fn rejected_credentials_are_reported_without_retrying() {
    let fixture = Fixture::start(|r: &Request| match r.action.as_str() {
        "GetCallerIdentity" => Response::query_error(
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
        "AssumeRole" => Response::query_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ),
        _ => Response::query_error(400, "InvalidAction", "not served"),
    });
    let home = tempfile::tempdir().unwrap();
    let probe = run(rolecall(home.path())
        .env("AWS_SESSION_TOKEN", "an-expired-session-token")
        .args([
            "probe",
            "--role",
            "arn:aws:iam::222222222222:role/Audit",
            "--endpoint-url",
            &fixture.url,
        ]));
    probe.assert_error(
        3,
            "sts:GetCallerIdentity: the credentials were rejected (ExpiredToken: The security token included in the request is expired)"
        );
    assert_eq!(fixture.count("GetCallerIdentity"), 1, "not retried");
    let assume = run(rolecall(home.path()).args([
        "assume",
        "arn:aws:iam::222222222222:role/Audit",
        "--endpoint-url",
        &fixture.url,
    ]));
    assume.assert_error(3, "InvalidClientTokenId");
    assert_eq!(assume.stdout, "");
    for text in [&probe.stdout, &probe.stderr, &assume.stderr] {
        assert_no_secret("output", text, &[SECRET, "an-expired-session-token"]);
    }
}

#[test]
fn an_unreachable_endpoint_fails_within_the_timeout() {
    let closed = format!("http://127.0.0.1:{}", free_port());
    let home = tempfile::tempdir().unwrap();
    let result = run(rolecall(home.path()).args([
        "assume",
        "arn:aws:iam::222222222222:role/Audit",
        "--timeout",
        "10",
        "--endpoint-url",
        &closed,
    ]));
    result.assert_error(3, &format!("sts:AssumeRole: cannot reach `{closed}`"));
    assert_no_secret("stderr", &result.stderr, &[SECRET]);
}

/// The time limit shows in the error rolecall reports when it fires (no
/// wall-clock assertion: the machine is shared, so timings are not tested).
#[test]
fn a_silent_endpoint_times_out() {
    let fixture = Fixture::start(|_: &Request| Response {
        delay: Some(Duration::from_secs(6)),
        ..Response::query_error(500, "InternalFailure", "late")
    });
    let home = tempfile::tempdir().unwrap();
    let result = run(rolecall(home.path()).args([
        "assume",
        "arn:aws:iam::222222222222:role/Audit",
        "--timeout",
        "2",
        "--max-attempts",
        "1",
        "--endpoint-url",
        &fixture.url,
    ]));
    result.assert_error(
        3,
        &format!(
            "sts:AssumeRole: no answer from `{}` within 2 s",
            fixture.url
        ),
    );
}

#[test]
fn missing_credentials_are_reported_before_any_call() {
    let fixture = Fixture::start(account_fixture(None));
    let home = tempfile::tempdir().unwrap();
    let result = run(rolecall(home.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "fetch",
            "--out",
            home.path().join("snapshot").to_str().unwrap(),
            "--endpoint-url",
            &fixture.url,
        ]));
    result.assert_error(3, "no AWS credentials");
    assert!(fixture.log.lock().unwrap().is_empty());
    assert!(!home.path().join("snapshot").exists());
}
