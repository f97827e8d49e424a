#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

//! `rolecall report` end to end: the HTML page's structure and
//! self-containment, the Markdown snapshot, escaping of untrusted policy
//! text, `--out`, and the error cases.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `rolecall ARGS` in `dir` (no `rolecall.toml` above a temporary
/// directory); returns the exit code, stdout and stderr.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("rolecall")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

fn scenario(name: &str) -> String {
    repo().join("policies").join(name).display().to_string()
}

/// Stable across versions and machines: the repository path, the tool and
/// catalog versions.
fn normalize(text: &str) -> String {
    text.replace(&repo().display().to_string(), "[REPO]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
        .replace(&rolecall::catalog::version(), "[CATALOG]")
}

#[test]
fn html_has_every_section_and_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("splunk-sts/snapshot");
    let (code, html, stderr) = run_in(dir.path(), &["report", &input, "--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for id in ["summary", "findings", "graph", "admin", "roles"] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(html.contains("<svg class=\"graph\""));
    assert!(html.contains("@media print"));
    // Self-contained: no external script, stylesheet, image, font or frame.
    for needle in ["<link", "src=", "@import", "url(http", "<iframe", "<img"] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    // The snapshot's provenance and the catalog version are in the summary.
    assert!(html.contains("2026-11-01T12:00:00Z"));
    assert!(html.contains(&rolecall::catalog::version()));
    // The TestRole trust with its external id condition is listed.
    assert!(html.contains("sts:ExternalId"));
}

#[test]
fn markdown_of_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("xsoar-instance-profile/snapshot");
    let (code, md, stderr) = run_in(dir.path(), &["report", &input, "--format", "markdown"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(normalize(&md));
}

#[test]
fn markdown_and_html_agree_on_who_reaches_admin() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("xsoar-instance-profile/snapshot");
    let (_, md, _) = run_in(dir.path(), &["report", &input, "--format", "markdown"]);
    let (_, html, _) = run_in(dir.path(), &["report", &input, "--format", "html"]);
    assert!(md.contains("| **4** |"), "{md}");
    assert!(html.contains(
        "<span class=\"number\">4</span><span class=\"label\">principals can reach admin"
    ));
}

/// Policy text is untrusted: a `<script>` in a Sid, a role name, a policy
/// name or a file name must come out as text.
#[test]
fn untrusted_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "<script>alert(1)</script>";
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{evil}","Effect":"Allow","Action":"*","Resource":"*"}}]}}"#
    );
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{evil}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::999988887777:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let dump = format!(
        r#"{{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[{{"RoleName":"{evil}","Arn":"arn:aws:iam::111122223333:role/{evil}","AssumeRolePolicyDocument":{trust},"RolePolicyList":[{{"PolicyName":"{evil}","PolicyDocument":{policy}}}],"AttachedManagedPolicies":[]}}]}}"#
    );
    std::fs::write(dir.path().join("auth.json"), dump).unwrap();
    std::fs::write(dir.path().join("<b>policy.json"), &policy).unwrap();
    let (code, html, stderr) = run_in(dir.path(), &["report", ".", "--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.contains("admin-access"), "the fixture raises findings");
    assert!(!html.contains(evil), "raw script in the HTML");
    assert!(!html.contains("<b>policy"), "raw markup from a file name");
    assert_eq!(html.matches("<script").count(), 1, "only the report's own");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let (code, md, _) = run_in(dir.path(), &["report", ".", "--format", "markdown"]);
    assert_eq!(code, 0);
    // Outside code spans and fenced blocks, no raw tag may reach GitHub.
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let outside: String = line.split('`').step_by(2).collect();
        assert!(fenced || !outside.contains("<script"), "{line}");
    }
    assert!(!fenced, "fences are balanced");
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("xsoar-user-access-key/snapshot");
    let target = dir.path().join("report.html");
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &input,
            "--format",
            "html",
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    let (_, printed, _) = run_in(dir.path(), &["report", &input, "--format", "html"]);
    assert_eq!(written, printed);
}

#[test]
fn errors_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("xsoar-user-access-key/snapshot");
    // The format is required, and only html or markdown.
    let (code, _, stderr) = run_in(dir.path(), &["report", &input]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--format"), "{stderr}");
    let (code, _, stderr) = run_in(dir.path(), &["report", &input, "--format", "json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("html"), "{stderr}");
    // A missing input.
    let (code, _, stderr) = run_in(dir.path(), &["report", "missing.json", "--format", "html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.json"), "{stderr}");
    // An output file that cannot be written.
    let target = dir.path().join("no-such-dir").join("r.html");
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &input,
            "--format",
            "markdown",
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot write the report"), "{stderr}");
}

#[test]
fn policy_files_alone_give_findings_and_no_graph() {
    let dir = tempfile::tempdir().unwrap();
    let input = scenario("sts-tutorial");
    let (code, html, stderr) = run_in(dir.path(), &["report", &input, "--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.contains("passrole-any-resource"));
    assert!(html.contains("No principals were loaded"));
}

#[test]
fn verify_adds_the_expectations_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let variant = scenario("xsoar-instance-profile/broken/trust-missing-server-role");
    let snapshot = format!("{variant}/snapshot");
    let expectations = format!("{variant}/expectations.toml");
    let args = |format| {
        vec![
            "report".to_owned(),
            snapshot.clone(),
            "--verify".to_owned(),
            expectations.clone(),
            "--format".to_owned(),
            format,
        ]
    };
    let html_args = args("html".to_owned());
    let html_args: Vec<&str> = html_args.iter().map(String::as_str).collect();
    let (code, html, stderr) = run_in(dir.path(), &html_args);
    assert_eq!(
        code, 0,
        "a failed expectation is reported, not an exit 1: {stderr}"
    );
    assert!(html.contains("<section id=\"verify\">"));
    assert!(html.contains("12 assertions: 11 passed, 1 failed, 0 unknown"));
    assert!(html.contains("<span class=\"badge security\">fail</span>"));
    assert!(html.contains("href=\"#verify\""));

    let md_args = args("markdown".to_owned());
    let md_args: Vec<&str> = md_args.iter().map(String::as_str).collect();
    let (code, md, _) = run_in(dir.path(), &md_args);
    assert_eq!(code, 0);
    assert!(md.contains("## Expectations"));
    assert!(
        md.contains("| **fail** | `instance_profile › can_assume` |"),
        "{md}"
    );

    // Without --verify there is no such section; a bad file is an input error.
    let (_, plain, _) = run_in(dir.path(), &["report", &snapshot, "--format", "html"]);
    assert!(!plain.contains("id=\"verify\""));
    std::fs::write(dir.path().join("bad.toml"), "[[can_assume]\n").unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report", &snapshot, "--verify", "bad.toml", "--format", "html",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad.toml"), "{stderr}");
}
