#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code fails loudly"
)]

//! The real `rolecall` binary, run the way users run it: inputs, output
//! formats, exit codes, configuration, and bad input of every kind. Each run
//! happens in its own temporary directory (so no `rolecall.toml` above the
//! repository is discovered) and its output has that directory replaced by
//! `[DIR]`. No run may panic or overflow its stack.

#[path = "common/sarif.rs"]
mod sarif;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A policy no rule of this issue flags.
const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-reports/*"
    }
  ]
}
"#;

/// Raises only `missing-version`, a warning.
const NO_VERSION: &str = r#"{
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}
  ]
}
"#;

/// A trailing comma: `json-syntax`, an error, at line 4 column 74.
const BROKEN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Sid": "X",}
  ]
}
"#;

/// An identity policy whose two statements lack `Resource`
/// (`policy-grammar` errors carrying Sids `Keep` and `Hide`).
const TWO_SIDS: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Keep", "Effect": "Allow", "Action": "s3:GetObject"},
    {"Sid": "Hide", "Effect": "Allow", "Action": "s3:PutObject"}
  ]
}
"#;

/// What one run printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSON document printed on standard output.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A temporary directory to run in.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns its path.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn command(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("rolecall").unwrap();
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR");
        cmd
    }

    /// Runs `rolecall ARGS` here.
    fn run(&self, args: &[&str]) -> Run {
        self.finish(self.command(args))
    }

    /// Runs a prepared command and checks it ended by itself, without a
    /// panic or a stack overflow.
    fn finish(&self, mut cmd: assert_cmd::Command) -> Run {
        let output = cmd.output().unwrap();
        let normalize = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes).replace(&self.path().display().to_string(), "[DIR]")
        };
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: normalize(&output.stdout),
            stderr: normalize(&output.stderr),
        };
        assert!(
            output.status.code().is_some(),
            "killed by a signal: {:?}\n{}",
            output.status,
            run.stderr
        );
        for crash in ["panicked", "overflowed its stack", "RUST_BACKTRACE"] {
            assert!(!run.stderr.contains(crash), "{crash}:\n{}", run.stderr);
        }
        run
    }
}

/// The findings of a `--format json` run.
fn findings(run: &Run) -> Vec<Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

/// Error reports wrap long messages; their words, in one line.
fn one_line(report: &str) -> String {
    report
        .split_whitespace()
        .filter(|w| *w != "|")
        .collect::<Vec<_>>()
        .join(" ")
}

/// `(file, rule)` of every finding of a `--format json` run.
fn file_rules(run: &Run) -> Vec<(String, String)> {
    findings(run)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rule_ids() -> Vec<&'static str> {
    rolecall::lint::registry::all()
        .iter()
        .map(|r| r.meta().id)
        .collect()
}

// ---------------------------------------------------------------- inputs

#[test]
fn a_clean_file_exits_0() {
    let ws = Workspace::new();
    ws.write("clean.json", CLEAN);
    let run = ws.run(&["lint", "clean.json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no findings\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn an_error_is_reported_at_its_line_and_column_and_exits_1() {
    let ws = Workspace::new();
    ws.write("broken.json", BROKEN);
    let run = ws.run(&["lint", "broken.json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("error[json-syntax]"), "{}", run.stdout);
    assert!(run.stdout.contains("[broken.json:4:78]"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with("1 finding: 1 error\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn directories_are_recursed_for_json_files_only() {
    let ws = Workspace::new();
    ws.write("policies/clean.json", CLEAN);
    ws.write("policies/broken.json", BROKEN);
    ws.write("policies/team/no-version.JSON", NO_VERSION);
    ws.write("policies/notes.txt", "not json at all {");
    ws.write("policies/team/policy.json.bak", BROKEN);
    let run = ws.run(&["lint", "policies", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        file_rules(&run),
        [
            ("policies/broken.json".into(), "json-syntax".into()),
            (
                "policies/team/no-version.JSON".into(),
                "missing-version".into()
            ),
        ]
    );
}

#[test]
fn without_inputs_the_current_directory_is_linted() {
    let ws = Workspace::new();
    ws.write("a/no-version.json", NO_VERSION);
    let run = ws.run(&["lint", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        file_rules(&run),
        [("./a/no-version.json".into(), "missing-version".into())]
    );
}

#[test]
fn a_dash_reads_standard_input() {
    let ws = Workspace::new();
    let mut cmd = ws.command(&["lint", "-"]);
    cmd.write_stdin(BROKEN);
    let run = ws.finish(cmd);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("[<stdin>:4:78]"), "{}", run.stdout);

    let mut cmd = ws.command(&["lint", "-", "--format", "json"]);
    cmd.write_stdin(CLEAN);
    let run = ws.finish(cmd);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(findings(&run), Vec::<Value>::new());
}

// ------------------------------------------------------------ exit codes

#[test]
fn fail_on_sets_the_threshold_for_exit_1() {
    let ws = Workspace::new();
    ws.write("warning.json", NO_VERSION);
    ws.write("error.json", BROKEN);
    // (file, --fail-on, expected exit code); the default is `warning`.
    let cases = [
        ("warning.json", None, 1),
        ("warning.json", Some("suggestion"), 1),
        ("warning.json", Some("warning"), 1),
        ("warning.json", Some("security"), 0),
        ("warning.json", Some("error"), 0),
        ("error.json", Some("error"), 1),
        ("error.json", Some("suggestion"), 1),
    ];
    for (file, fail_on, expected) in cases {
        let mut args = vec!["lint", file];
        if let Some(threshold) = fail_on {
            args.extend(["--fail-on", threshold]);
        }
        let run = ws.run(&args);
        assert_eq!(run.code, expected, "{args:?}: {run:?}");
        // The findings are printed whatever the threshold.
        assert!(run.stdout.contains("1 finding"), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn run_level_failures_exit_2_with_a_message_naming_the_problem() {
    let ws = Workspace::new();
    ws.write("clean.json", CLEAN);
    ws.write("bad.toml", "rules = [");
    let cases: [(&[&str], &str); 6] = [
        (&["lint", "missing.json"], "missing.json: cannot read"),
        (&["lint", "--no-such-flag", "clean.json"], "--no-such-flag"),
        (&["lint", "--fail-on", "fatal", "clean.json"], "fatal"),
        (&["lint", "--format", "xml", "clean.json"], "xml"),
        (&["lint", "--config", "bad.toml", "clean.json"], "bad.toml"),
        (
            &["lint", "--config", "absent.toml", "clean.json"],
            "absent.toml",
        ),
    ];
    for (args, message) in cases {
        let run = ws.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn an_unreadable_input_exits_2_and_the_others_are_still_linted() {
    let ws = Workspace::new();
    ws.write("broken.json", BROKEN);
    let run = ws.run(&["lint", "broken.json", "missing.json", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        file_rules(&run),
        [("broken.json".into(), "json-syntax".into())]
    );
    assert!(
        run.stderr.contains("missing.json: cannot read"),
        "{}",
        run.stderr
    );
}

// --------------------------------------------------------------- formats

/// `--format json` is version 1 as `src/render/json.rs` documents it: one
/// finding's exact shape.
#[test]
fn json_output_has_the_documented_v1_shape() {
    let ws = Workspace::new();
    ws.write("no-version.json", NO_VERSION);
    let run = ws.run(&["lint", "no-version.json", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let doc = run.json();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["version", "tool", "catalog", "findings"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(
        doc["tool"],
        serde_json::json!({"name": "rolecall", "version": env!("CARGO_PKG_VERSION")})
    );
    assert_eq!(doc["catalog"], rolecall::catalog::version().as_str());
    let finding = findings(&run)
        .into_iter()
        .find(|f| f["rule"] == "missing-version")
        .unwrap();
    assert_eq!(
        finding,
        serde_json::json!({
            "rule": "missing-version",
            "type": "warning",
            "file": "no-version.json",
            "policy": "no-version.json",
            "message": "the policy has no `Version` element",
            "help": "add \"Version\": \"2012-10-17\" as the document's first element; without it AWS applies the 2008-10-17 language, in which `${...}` policy variables are literal text",
            "locations": [{
                "line": 2,
                "column": 3,
                "end_line": 2,
                "end_column": 14,
                "path": "",
                "label": "add `\"Version\": \"2012-10-17\"` before this",
            }],
        })
    );
}

/// `--format sarif` validates against the official SARIF 2.1.0 schema
/// (`tests/fixtures/sarif-schema-2.1.0.json`) and meets GitHub code
/// scanning's own requirements:
/// <https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>.
#[test]
fn sarif_output_is_valid_sarif_that_code_scanning_accepts() {
    let ws = Workspace::new();
    ws.write("repo/broken.json", BROKEN);
    ws.write("repo/no-version.json", NO_VERSION);
    ws.write("repo/two sids.json", TWO_SIDS);
    ws.write("repo/empty.json", "");
    let absolute = ws.write("elsewhere/no-version.json", NO_VERSION);
    let absolute = absolute.display().to_string();
    let mut cmd = ws.command(&["lint", "repo", &absolute, "-", "--format", "sarif"]);
    cmd.write_stdin(NO_VERSION);
    let run = ws.finish(cmd);
    assert_eq!(run.code, 1, "{run:?}");
    let log = run.json();

    let errors = sarif::schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is strict: a result without its `message` fails.
    let mut invalid = log.clone();
    invalid["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!sarif::schema_errors(&invalid).is_empty());

    // sarifLog, run, toolComponent.
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://"))
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "rolecall");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rule_ids().len());

    // reportingDescriptor.
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    for rule in rules {
        let id = text(&rule["id"]);
        assert!(!id.is_empty());
        assert!(text(&rule["name"]).len() <= 255, "{id}");
        for description in ["shortDescription", "fullDescription"] {
            let t = text(&rule[description]["text"]);
            assert!(
                !t.is_empty() && t.chars().count() <= 1024,
                "{id} {description}"
            );
        }
        assert!(!text(&rule["help"]["text"]).is_empty(), "{id}");
        assert!(text(&rule["helpUri"]).starts_with("https://"), "{id}");
        let level = text(&rule["defaultConfiguration"]["level"]);
        assert!(
            ["note", "warning", "error"].contains(&level.as_str()),
            "{id}"
        );
        let properties = &rule["properties"];
        let precision = text(&properties["precision"]);
        assert!(
            ["very-high", "high", "medium", "low"].contains(&precision.as_str()),
            "{id}"
        );
        if let Some(severity) = properties.get("security-severity") {
            let score: f64 = severity.as_str().expect("a string").parse().unwrap();
            assert!(score > 0.0 && score <= 10.0, "{id}: {score}");
            let tags = properties["tags"].as_array().unwrap();
            assert!(tags.contains(&Value::from("security")), "{id}");
        } else {
            let severity = text(&properties["problem.severity"]);
            assert!(
                ["error", "warning", "recommendation"].contains(&severity.as_str()),
                "{id}"
            );
        }
    }

    // result, location, physicalLocation.
    let results = runs[0]["results"].as_array().unwrap();
    let mut uris = Vec::new();
    for result in results {
        let rule_id = text(&result["ruleId"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule_id.as_str());
        assert!(!text(&result["message"]["text"]).is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1, "{result:#}");
        let related = result["relatedLocations"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        for location in locations.iter().chain(related) {
            let physical = &location["physicalLocation"];
            let uri = text(&physical["artifactLocation"]["uri"]);
            assert!(!uri.is_empty());
            let region = &physical["region"];
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(
                    region[key].as_u64().is_some_and(|n| n >= 1),
                    "{key}: {result:#}"
                );
            }
            assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
            uris.push(uri);
        }
    }
    // Paths are normalised: the temporary directory reads `[DIR]`.
    let absolute_uri = "file://[DIR]/elsewhere/no-version.json";
    for expected in [
        "repo/broken.json",
        "repo/empty.json",
        "repo/no-version.json",
        "repo/two%20sids.json",
        "%3Cstdin%3E",
        absolute_uri,
    ] {
        assert!(
            uris.iter().any(|u| u == expected),
            "{expected} not in {uris:?}"
        );
    }
}

#[test]
fn output_has_no_colour_unless_on_a_terminal_without_no_color() {
    let ws = Workspace::new();
    ws.write("broken.json", BROKEN);
    ws.write("no-version.json", NO_VERSION);
    let args = ["lint", "broken.json", "no-version.json", "missing.json"];
    // Standard output and error are pipes here.
    for no_color in [None, Some("1")] {
        let mut cmd = ws.command(&args);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let run = ws.finish(cmd);
        assert_eq!(run.code, 2);
        assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
        assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    }
    let run = ws.run(&["rules"]);
    assert!(!run.stdout.contains('\u{1b}'));

    // On a terminal (util-linux `script` gives the command one), colour is
    // on unless NO_COLOR is set.
    if !Path::new("/usr/bin/script").exists() {
        return;
    }
    let binary = assert_cmd::cargo::cargo_bin("rolecall");
    let command = format!("{} lint broken.json", binary.display());
    let on_terminal = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new("/usr/bin/script");
        cmd.args(["-qec", &command, "/dev/null"])
            .current_dir(ws.path())
            .env_remove("NO_COLOR")
            .env("TERM", "xterm-256color");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_terminal(None);
    assert!(coloured.contains("json-syntax"), "{coloured}");
    assert!(
        coloured.contains('\u{1b}'),
        "no colour on a terminal: {coloured:?}"
    );
    let plain = on_terminal(Some("1"));
    assert!(plain.contains("json-syntax"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
}

// ---------------------------------------------------------- configuration

#[test]
fn config_turns_rules_off_and_changes_their_type() {
    let ws = Workspace::new();
    ws.write("no-version.json", NO_VERSION);
    ws.write("broken.json", BROKEN);
    ws.write("off.toml", "[rules]\nmissing-version = \"off\"\n");
    let run = ws.run(&["lint", ".", "--config", "off.toml", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        file_rules(&run),
        [("./broken.json".into(), "json-syntax".into())]
    );

    ws.write(
        "retype.toml",
        "[rules]\nmissing-version = \"error\"\njson-syntax = \"suggestion\"\n",
    );
    let run = ws.run(&[
        "lint",
        ".",
        "--config",
        "retype.toml",
        "--format",
        "json",
        "--fail-on",
        "error",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let types: Vec<(String, String)> = findings(&run)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("json-syntax".into(), "suggestion".into()),
            ("missing-version".into(), "error".into()),
        ]
    );
}

#[test]
fn config_ignore_globs_leave_files_out() {
    let ws = Workspace::new();
    ws.write("policies/a.json", NO_VERSION);
    ws.write("policies/generated/b.json", BROKEN);
    ws.write("policies/generated/deep/c.json", BROKEN);
    ws.write("rolecall.toml", "ignore = [\"policies/generated/**\"]\n");
    let run = ws.run(&["lint", "policies", "--format", "json"]);
    assert_eq!(
        file_rules(&run),
        [("policies/a.json".into(), "missing-version".into())]
    );
}

#[test]
fn config_suppresses_findings_by_path_and_by_sid() {
    let ws = Workspace::new();
    ws.write("legacy/old.json", NO_VERSION);
    ws.write("current/new.json", NO_VERSION);
    ws.write("current/sids.json", TWO_SIDS);
    ws.write(
        "rolecall.toml",
        r#"
[[suppress]]
rule = "missing-version"
path = "legacy/**"
reason = "migrated next quarter"

[[suppress]]
sid = "Hide"
"#,
    );
    let run = ws.run(&["lint", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let found: Vec<(String, String, String)> = findings(&run)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["rule"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "./current/new.json".into(),
                "missing-version".into(),
                "the policy has no `Version` element".into()
            ),
            (
                "./current/sids.json".into(),
                "policy-grammar".into(),
                "statement Keep has neither `Resource` nor `NotResource`".into()
            ),
        ]
    );
}

#[test]
fn config_is_discovered_upwards_and_an_explicit_one_wins() {
    let ws = Workspace::new();
    ws.write(
        "project/rolecall.toml",
        "[rules]\nmissing-version = \"off\"\n",
    );
    ws.write("project/sub/no-version.json", NO_VERSION);
    ws.write("loud.toml", "[rules]\nmissing-version = \"error\"\n");
    let mut cmd = ws.command(&["lint", "no-version.json"]);
    cmd.current_dir(ws.path().join("project/sub"));
    let run = ws.finish(cmd);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "no findings\n"),
        "{run:?}"
    );

    let mut cmd = ws.command(&["lint", "no-version.json", "--config", "../../loud.toml"]);
    cmd.current_dir(ws.path().join("project/sub"));
    let run = ws.finish(cmd);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("error[missing-version]"),
        "{}",
        run.stdout
    );
}

#[test]
fn config_naming_an_unknown_rule_exits_2_with_a_suggestion() {
    let ws = Workspace::new();
    ws.write("clean.json", CLEAN);
    ws.write("rolecall.toml", "[rules]\nmissing-versoin = \"off\"\n");
    let run = ws.run(&["lint", "clean.json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let stderr = one_line(&run.stderr);
    assert!(stderr.contains("[DIR]/rolecall.toml"), "{stderr}");
    assert!(
        stderr.contains("unknown rule `missing-versoin`, did you mean `missing-version`?"),
        "{stderr}"
    );

    ws.write("rolecall.toml", "[[suppress]]\nrule = \"json-sintax\"\n");
    let run = ws.run(&["lint", "clean.json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("did you mean `json-syntax`?"),
        "{}",
        run.stderr
    );

    ws.write("rolecall.toml", "[rules]\njson-syntax = \"fatal\"\n");
    let run = ws.run(&["lint", "clean.json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("`fatal`"), "{}", run.stderr);
}

// ------------------------------------------------------------------ rules

#[test]
fn rules_lists_every_rule() {
    let ws = Workspace::new();
    let run = ws.run(&["rules"]);
    assert_eq!(run.code, 0, "{run:?}");
    // One line per rule, then a blank line and the catalog version.
    let (list, trailer) = run.stdout.split_once("\n\n").unwrap();
    let listed: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, rule_ids());
    assert!(trailer.contains(&rolecall::catalog::version()), "{trailer}");

    let run = ws.run(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = run.json();
    assert_eq!(doc["version"], 1);
    let ids: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, rule_ids());
}

#[test]
fn rules_prints_one_rules_documentation() {
    let ws = Workspace::new();
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/missing-version/README.md"),
    )
    .unwrap();
    for format in ["human", "markdown"] {
        let run = ws.run(&["rules", "missing-version", "--format", format]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            run.stdout.contains(readme.trim()),
            "{format}: {}",
            run.stdout
        );
    }
    let run = ws.run(&["rules", "missing-version", "--format", "json"]);
    let rules = run.json()["rules"].as_array().unwrap().clone();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["id"], "missing-version");
    assert_eq!(rules[0]["type"], "warning");
    assert_eq!(rules[0]["docs"], readme.as_str());
}

#[test]
fn rules_with_an_unknown_id_exits_2_with_a_suggestion() {
    let ws = Workspace::new();
    let run = ws.run(&["rules", "json-sintax"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        one_line(&run.stderr).contains("unknown rule `json-sintax`, did you mean `json-syntax`?"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    let run = ws.run(&["rules", "--format", "sarif"]);
    assert_eq!(run.code, 2, "{run:?}");
}

// -------------------------------------------------------------- bad input

/// A finding's first location as (line, column).
fn position(finding: &Value) -> (u64, u64) {
    let location = &finding["locations"][0];
    (
        location["line"].as_u64().unwrap(),
        location["column"].as_u64().unwrap(),
    )
}

/// Lints one file with `--format json`, expecting exactly one finding.
fn only_finding(ws: &Workspace, file: &str) -> (Run, Value) {
    let run = ws.run(&["lint", file, "--format", "json"]);
    let mut all = findings(&run);
    assert_eq!(all.len(), 1, "{run:?}");
    (run, all.remove(0))
}

#[test]
fn invalid_json_is_a_finding_at_the_exact_position() {
    let ws = Workspace::new();
    ws.write(
        "comment.json",
        "{\n  // no comments in IAM\n  \"Version\": \"2012-10-17\"\n}\n",
    );
    ws.write(
        "truncated.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [",
    );
    ws.write("two.json", "{} {}");
    for (file, expected) in [
        ("comment.json", (2, 3)),
        ("truncated.json", (1, 40)),
        ("two.json", (1, 4)),
    ] {
        let (run, finding) = only_finding(&ws, file);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(finding["rule"], "json-syntax", "{file}");
        assert_eq!(finding["file"], file);
        assert_eq!(position(&finding), expected, "{file}: {finding:#}");
    }
}

#[test]
fn an_empty_file_is_a_finding() {
    let ws = Workspace::new();
    ws.write("empty.json", "");
    let (run, finding) = only_finding(&ws, "empty.json");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(finding["rule"], "json-syntax");
    assert_eq!(position(&finding), (1, 1));
    let run = ws.run(&["lint", "empty.json"]);
    assert!(run.stdout.contains("[empty.json:1:1]"), "{}", run.stdout);
}

/// A valid policy of at least `bytes` bytes, on one line.
fn huge_policy(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 1024);
    text.push_str(r#"{"Version":"2012-10-17","Statement":["#);
    let mut i = 0usize;
    while text.len() < bytes {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-{i}/*","Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"o-abcdef1234"}}}}}}"#
        ));
        i += 1;
    }
    text.push_str("]}");
    text
}

#[test]
fn a_50_mb_policy_is_linted_and_a_broken_one_is_pinpointed() {
    let ws = Workspace::new();
    let valid = huge_policy(50 << 20);
    // The same document with a trailing comma before its last `]`, which
    // `json-syntax` points at (1-based column).
    let broken = format!("{},]}}", &valid[..valid.len() - 2]);
    let comma_column = valid.len() - 1;
    ws.write("huge.json", &valid);
    ws.write("huge-broken.json", &broken);
    drop((valid, broken));

    let run = ws.run(&["lint", "huge.json", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(findings(&run), Vec::<Value>::new());

    let (run, finding) = only_finding(&ws, "huge-broken.json");
    assert_eq!(run.code, 1);
    assert_eq!(finding["rule"], "json-syntax");
    assert_eq!(position(&finding), (1, comma_column as u64));

    // The human report shows a window of the 50 MB line, not all of it.
    let run = ws.run(&["lint", "huge-broken.json"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.len() < 4_000, "{} bytes", run.stdout.len());
    assert!(
        run.stdout
            .contains(&format!("[huge-broken.json:1:{comma_column}]")),
        "{}",
        run.stdout
    );
}

#[test]
fn ten_thousand_nested_arrays_or_objects_are_a_finding_not_a_stack_overflow() {
    let ws = Workspace::new();
    let prefix = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k":"#;
    let arrays = format!(
        "{prefix}{}{}}}}}}}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let objects = format!(
        "{prefix}{}1{}}}}}}}]}}",
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    ws.write("arrays.json", arrays);
    ws.write("objects.json", objects);
    for file in ["arrays.json", "objects.json"] {
        let (run, finding) = only_finding(&ws, file);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(finding["rule"], "json-syntax");
        assert!(
            finding["message"].as_str().unwrap().contains("nesting"),
            "{finding:#}"
        );
        assert_eq!(position(&finding).0, 1);
        let run = ws.run(&["lint", file, "--format", "sarif"]);
        assert_eq!(run.code, 1, "{run:?}");
        let run = ws.run(&["lint", file]);
        assert!(run.stdout.len() < 4_000, "{}", run.stdout);
    }
}

#[test]
fn invalid_utf8_is_a_finding_at_the_first_bad_byte() {
    let ws = Workspace::new();
    ws.write(
        "latin1.json",
        b"{\"Version\": \"2012-10-17\",\n \"Statement\": \"caf\xe9\"}\n",
    );
    let (run, finding) = only_finding(&ws, "latin1.json");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(finding["rule"], "json-syntax");
    assert!(
        finding["message"].as_str().unwrap().contains("not UTF-8"),
        "{finding:#}"
    );
    assert_eq!(position(&finding), (2, 19));
}

#[test]
fn a_binary_file_is_a_finding_and_its_bytes_never_reach_the_terminal() {
    let ws = Workspace::new();
    // Pseudo-random bytes (xorshift), NULs included.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..64 * 1024)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if i % 97 == 0 { 0 } else { (state >> 24) as u8 }
        })
        .collect();
    ws.write("random.json", &random);
    // Valid UTF-8 full of control characters: NUL, escape sequences, bell.
    ws.write(
        "controls.json",
        "\u{0}\u{1b}[2J\u{1b}]0;owned\u{7}{\"Version\": 1}\u{0}\n".repeat(50),
    );
    for file in ["random.json", "controls.json"] {
        let (run, finding) = only_finding(&ws, file);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(finding["rule"], "json-syntax", "{file}");
        assert_eq!(finding["file"], file);
        let run = ws.run(&["lint", file]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains(&format!("[{file}:")), "{}", run.stdout);
        for c in ['\u{0}', '\u{1b}', '\u{7}'] {
            assert!(!run.stdout.contains(c), "{file}: {:?}", run.stdout);
        }
    }
}

/// Files that cannot be read — even by root, which reads a `chmod 000` file
/// as if it were not: a dangling link and a link loop (both fail to open
/// with ENOENT / ELOOP whoever runs them). Where the tests do not run as
/// root, a `chmod 000` file is checked too. A directory named `x.json` is
/// recursed, not read, and a FIFO is skipped (reading it would block).
#[cfg(unix)]
#[test]
fn a_directory_with_unreadable_files_reports_each_and_lints_the_rest() {
    use std::os::unix::fs::{PermissionsExt, symlink};

    let ws = Workspace::new();
    ws.write("dir/a-broken.json", BROKEN);
    ws.write("dir/b-no-version.json", NO_VERSION);
    ws.write("dir/x.json/inside.json", NO_VERSION);
    symlink(
        ws.path().join("dir/gone.json"),
        ws.path().join("dir/dangling.json"),
    )
    .unwrap();
    symlink(
        ws.path().join("dir/loop.json"),
        ws.path().join("dir/loop.json"),
    )
    .unwrap();
    let _ = std::process::Command::new("mkfifo")
        .arg(ws.path().join("dir/fifo.json"))
        .status();
    let locked = ws.write("dir/locked.json", CLEAN);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_is_unreadable = std::fs::read(&locked).is_err();

    let run = ws.run(&["lint", "dir", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        file_rules(&run),
        [
            ("dir/a-broken.json".into(), "json-syntax".into()),
            ("dir/b-no-version.json".into(), "missing-version".into()),
            ("dir/x.json/inside.json".into(), "missing-version".into()),
        ]
    );
    let mut unreadable = vec!["dir/dangling.json", "dir/loop.json"];
    if locked_is_unreadable {
        unreadable.push("dir/locked.json");
    }
    for file in unreadable {
        assert!(
            run.stderr.contains(&format!("{file}: cannot read")),
            "{file}: {}",
            run.stderr
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_directory_of_many_files_reports_each_bad_one_and_lints_all_others() {
    let ws = Workspace::new();
    let mut expected = Vec::new();
    for i in 0..300 {
        let name = format!("many/p{i:03}.json");
        let (contents, rule): (&[u8], Option<&str>) = match i % 10 {
            1 => (BROKEN.as_bytes(), Some("json-syntax")),
            3 => (b"", Some("json-syntax")),
            5 => (b"\xff\xfe{}", Some("json-syntax")),
            7 => (NO_VERSION.as_bytes(), Some("missing-version")),
            9 => (br#"{"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}}"#, Some("policy-grammar")),
            _ => (CLEAN.as_bytes(), None),
        };
        ws.write(&name, contents);
        if let Some(rule) = rule {
            expected.push((name, rule.to_owned()));
        }
    }
    let run = ws.run(&["lint", "many", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(file_rules(&run), expected);
}

#[test]
fn megabyte_keys_and_values_give_short_human_reports() {
    let ws = Workspace::new();
    let key = "A".repeat(5_000_000);
    let action = format!("s3:{}", "B".repeat(5_000_000));
    ws.write(
        "long.json",
        format!(
            r#"{{"Version":"2012-10-17","{key}":1,"Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        ),
    );
    let run = ws.run(&["lint", "long.json"]);
    assert_eq!(
        run.code,
        1,
        "{}",
        &run.stdout[..run.stdout.len().min(2_000)]
    );
    assert!(run.stdout.len() < 20_000, "{} bytes", run.stdout.len());
    assert!(
        run.stdout.contains("unknown top-level element"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("… (cut)"), "{}", run.stdout);
    let run = ws.run(&["lint", "long.json", "--format", "json"]);
    let first = &findings(&run)[0];
    assert_eq!(first["rule"], "policy-grammar");
    assert_eq!(position(first), (1, 25));
}
