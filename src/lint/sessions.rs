//! Session durations that configuration or expectations request of roles,
//! for the setup rules that compare them with what AWS lets a role grant
//! (`session-duration-exceeds-max`, `role-chaining-duration`).
//!
//! Two sources: `[[sessions]]` in `rolecall.toml` (a role ARN or pattern,
//! `duration_seconds`, optionally the `principal` assuming it), and the
//! `duration_seconds` of `[[can_assume]]` and `[[user_access_key]]` in an
//! expectations file (issue 8's format; `rolecall verify` owns its schema,
//! lint reads only these keys and ignores the rest).
//!
//! An expectations file goes with the estate beside it: the snapshot
//! directory in its folder (the `policies/<scenario>/` and
//! `policies/<scenario>/broken/<variant>/` layout), else the other inputs;
//! see [`estates`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::inventory::{InputSpec, LoadIssue, LoadProblem, nested_snapshots};
use crate::policy::arn::ArnParts;
use crate::source::{SourceFile, Span};

/// The name of an expectations file found while recursing a directory (any
/// `.toml` file named on the command line is read as one too).
pub const EXPECTATIONS_FILE_NAME: &str = "expectations.toml";

/// The file that marks a snapshot directory.
const SNAPSHOT_MANIFEST: &str = "manifest.json";

/// One role session someone means to request: `DurationSeconds` for the
/// roles matching `role`, located where it was written.
#[derive(Debug, Clone)]
pub struct RequestedSession {
    /// The role ARN, or an ARN pattern with `*`/`?`.
    pub role: String,
    /// Who assumes the role (a user or role ARN), when the source says.
    pub principal: Option<String>,
    /// The requested `DurationSeconds`.
    pub duration_seconds: i64,
    /// The configuration or expectations file.
    pub file: Arc<SourceFile>,
    /// The span of the duration value in `file`.
    pub span: Span,
    /// Where the value sits in the file, e.g. `can_assume[1].duration_seconds`.
    pub path: String,
}

impl RequestedSession {
    /// Whether the request is made with a role's credentials: an assumed
    /// role assuming another is role chaining.
    pub fn principal_is_role(&self) -> bool {
        self.principal.as_deref().is_some_and(is_role_arn)
    }
}

/// Whether an ARN names a role or a role session.
pub fn is_role_arn(arn: &str) -> bool {
    ArnParts::split(arn).is_some_and(|p| {
        (p.service == "iam" && p.resource.starts_with("role/"))
            || (p.service == "sts" && p.resource.starts_with("assumed-role/"))
    })
}

/// `[[sessions]]` in `rolecall.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSession {
    role: String,
    duration_seconds: toml::Spanned<i64>,
    principal: Option<String>,
    #[expect(
        dead_code,
        reason = "documentation for humans; accepted so configs can record why"
    )]
    reason: Option<String>,
}

/// Turns the configuration's `[[sessions]]` into requests located in
/// `file`; an error says which entry is wrong and how.
pub(crate) fn from_config(
    raw: Vec<RawSession>,
    file: &Arc<SourceFile>,
) -> Result<Vec<RequestedSession>, String> {
    raw.into_iter()
        .enumerate()
        .map(|(i, s)| {
            if !s.role.starts_with("arn:") {
                return Err(format!(
                    "`sessions[{i}].role` is `{}`, which is not a role ARN or ARN pattern",
                    s.role
                ));
            }
            if *s.duration_seconds.get_ref() <= 0 {
                return Err(format!(
                    "`sessions[{i}].duration_seconds` must be a positive number of seconds"
                ));
            }
            let span = s.duration_seconds.span();
            Ok(RequestedSession {
                role: s.role,
                principal: s.principal,
                duration_seconds: s.duration_seconds.into_inner(),
                file: Arc::clone(file),
                span: Span::new(span.start, span.end),
                path: format!("sessions[{i}].duration_seconds"),
            })
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
struct Expectations {
    #[serde(default)]
    can_assume: Vec<CanAssume>,
    #[serde(default)]
    user_access_key: Vec<UserAccessKey>,
}

#[derive(Debug, Deserialize)]
struct CanAssume {
    principal: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    duration_seconds: Option<toml::Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
struct UserAccessKey {
    user: Option<String>,
    #[serde(default)]
    integration_roles: Vec<String>,
    duration_seconds: Option<toml::Spanned<i64>>,
}

/// The sessions an expectations file requests: each role of a
/// `[[can_assume]]` or `[[user_access_key]]` entry that gives
/// `duration_seconds`. Errors are the TOML parser's, with line and column.
pub fn from_expectations(file: &Arc<SourceFile>) -> Result<Vec<RequestedSession>, String> {
    let parsed: Expectations = toml::from_str(file.text()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut push = |table: &str, i: usize, principal: &Option<String>, roles: &[String], d| {
        let Some(duration) = d else {
            return;
        };
        let duration: &toml::Spanned<i64> = duration;
        let span = duration.span();
        for role in roles {
            out.push(RequestedSession {
                role: role.clone(),
                principal: principal.clone(),
                duration_seconds: *duration.get_ref(),
                file: Arc::clone(file),
                span: Span::new(span.start, span.end),
                path: format!("{table}[{i}].duration_seconds"),
            });
        }
    };
    for (i, entry) in parsed.can_assume.iter().enumerate() {
        push(
            "can_assume",
            i,
            &entry.principal,
            &entry.roles,
            entry.duration_seconds.as_ref(),
        );
    }
    for (i, entry) in parsed.user_access_key.iter().enumerate() {
        push(
            "user_access_key",
            i,
            &entry.user,
            &entry.integration_roles,
            entry.duration_seconds.as_ref(),
        );
    }
    Ok(out)
}

/// Reads expectations files; a file that cannot be read or parsed becomes a
/// load problem (lint goes on without its durations).
pub fn read_expectations(paths: &[PathBuf]) -> (Vec<RequestedSession>, Vec<LoadProblem>) {
    let mut sessions = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(LoadProblem {
                    file: name,
                    source: None,
                    span: None,
                    element: None,
                    issue: LoadIssue::Unreadable(e.to_string()),
                });
                continue;
            }
        };
        let file = SourceFile::new(name.clone(), text);
        match from_expectations(&file) {
            Ok(found) => sessions.extend(found),
            Err(message) => problems.push(LoadProblem {
                file: name,
                source: Some(file),
                span: None,
                element: None,
                issue: LoadIssue::Shape(format!(
                    "not an expectations file lint can read, its durations are not checked: {}",
                    message.trim_end()
                )),
            }),
        }
    }
    (sessions, problems)
}

/// A set of inputs linted together, and the expectations files whose
/// requested durations apply to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    /// What to load.
    pub inputs: Vec<InputSpec>,
    /// Expectations files that go with it.
    pub expectations: Vec<PathBuf>,
}

/// Splits lint inputs into estates: the inputs themselves (without the
/// snapshot directories below them and without `.toml` files), then each
/// snapshot directory below them on its own (a setup and its broken variant
/// share account ids and must not merge). An `expectations.toml` goes with
/// the snapshot directory in its folder, or that it sits in; otherwise, like
/// a `.toml` file named on the command line, with the inputs themselves.
pub fn estates(inputs: &[InputSpec]) -> Vec<Estate> {
    let is_toml = |i: &InputSpec| matches!(i, InputSpec::Path(p) if p.is_file() && p.extension().is_some_and(|e| e == "toml"));
    let rest: Vec<InputSpec> = inputs.iter().filter(|i| !is_toml(i)).cloned().collect();
    let mut main = Estate {
        inputs: rest.clone(),
        expectations: inputs
            .iter()
            .filter(|i| is_toml(i))
            .filter_map(|i| match i {
                InputSpec::Path(p) => Some(p.clone()),
                _ => None,
            })
            .collect(),
    };
    let mut nested: Vec<Estate> = nested_snapshots(&rest)
        .into_iter()
        .map(|dir| Estate {
            inputs: vec![InputSpec::Path(dir)],
            expectations: Vec::new(),
        })
        .collect();
    let mut found = Vec::new();
    for input in &rest {
        if let InputSpec::Path(dir) = input
            && dir.is_dir()
        {
            find_expectations(dir, &mut found);
            // A snapshot directory given itself: its folder's file too.
            let beside = dir.parent().map(|p| p.join(EXPECTATIONS_FILE_NAME));
            if dir.join(SNAPSHOT_MANIFEST).is_file() {
                found.extend(beside.filter(|b| b.is_file()));
            }
        }
    }
    found.sort();
    found.dedup();
    for file in found {
        let folder = file.parent().unwrap_or(Path::new(""));
        let mut placed = false;
        for estate in &mut nested {
            let Some(InputSpec::Path(dir)) = estate.inputs.first() else {
                continue;
            };
            if dir == folder || dir.parent() == Some(folder) {
                estate.expectations.push(file.clone());
                placed = true;
            }
        }
        if !placed {
            main.expectations.push(file);
        }
    }
    std::iter::once(main).chain(nested).collect()
}

/// Every `expectations.toml` under `dir` (hidden folders skipped).
fn find_expectations(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return; // the load reports unreadable inputs
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => find_expectations(&path, found),
            Ok(t) if t.is_file() && name == EXPECTATIONS_FILE_NAME => found.push(path),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_durations_are_located() {
        let text = "[[can_assume]]\nprincipal = \"arn:aws:iam::111122223333:role/server\"\nroles = [\"arn:aws:iam::444455556666:role/A\", \"arn:aws:iam::444455556666:role/B\"]\nduration_seconds = 7200\n\n[[can_assume]]\nprincipal = \"arn:aws:iam::111122223333:user/u\"\nroles = [\"arn:aws:iam::444455556666:role/A\"]\n\n[[user_access_key]]\nuser = \"arn:aws:iam::111122223333:user/u\"\nintegration_roles = [\"arn:aws:iam::444455556666:role/C\"]\nduration_seconds = 900\n\n[[only_assumable_by]]\nrole = \"x\"\nprincipals = []\n";
        let file = SourceFile::new("e.toml", text);
        let found = from_expectations(&file).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].role, "arn:aws:iam::444455556666:role/A");
        assert_eq!(found[1].role, "arn:aws:iam::444455556666:role/B");
        assert_eq!(found[0].duration_seconds, 7200);
        assert_eq!(file.slice(found[0].span), "7200");
        assert_eq!(file.line_col(found[0].span.start).line, 4);
        assert!(found[0].principal_is_role());
        assert_eq!(found[2].path, "user_access_key[0].duration_seconds");
        assert!(!found[2].principal_is_role());
        assert!(from_expectations(&SourceFile::new("bad.toml", "[[can_assume]\n")).is_err());
    }

    #[test]
    fn role_arns() {
        assert!(is_role_arn("arn:aws:iam::111122223333:role/ops/Admin"));
        assert!(is_role_arn(
            "arn:aws:sts::111122223333:assumed-role/Admin/s"
        ));
        assert!(!is_role_arn("arn:aws:iam::111122223333:user/role/x"));
        assert!(!is_role_arn("role/x"));
    }

    #[test]
    fn expectations_go_with_the_snapshot_beside_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let scenario = root.join("scenario");
        let variant = scenario.join("broken").join("v");
        for d in [scenario.join("snapshot"), variant.join("snapshot")] {
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join(SNAPSHOT_MANIFEST), "{}").unwrap();
        }
        std::fs::write(scenario.join(EXPECTATIONS_FILE_NAME), "").unwrap();
        std::fs::write(variant.join(EXPECTATIONS_FILE_NAME), "").unwrap();
        std::fs::create_dir_all(root.join("plain")).unwrap();
        std::fs::write(root.join("plain").join(EXPECTATIONS_FILE_NAME), "").unwrap();
        let named = root.join("named.toml");
        std::fs::write(&named, "").unwrap();

        let estates = estates(&[
            InputSpec::Path(root.to_path_buf()),
            InputSpec::Path(named.clone()),
        ]);
        assert_eq!(estates.len(), 3);
        assert_eq!(estates[0].inputs, [InputSpec::Path(root.to_path_buf())]);
        assert_eq!(
            estates[0].expectations,
            [named, root.join("plain").join(EXPECTATIONS_FILE_NAME)]
        );
        assert_eq!(
            estates[1].inputs,
            [InputSpec::Path(variant.join("snapshot"))]
        );
        assert_eq!(
            estates[1].expectations,
            [variant.join(EXPECTATIONS_FILE_NAME)]
        );
        assert_eq!(
            estates[2].expectations,
            [scenario.join(EXPECTATIONS_FILE_NAME)]
        );

        // A snapshot named itself takes the file of its folder.
        let estates = estates_of(&variant.join("snapshot"));
        assert_eq!(estates.len(), 1);
        assert_eq!(
            estates[0].expectations,
            [variant.join(EXPECTATIONS_FILE_NAME)]
        );
    }

    fn estates_of(dir: &Path) -> Vec<Estate> {
        estates(&[InputSpec::Path(dir.to_path_buf())])
    }
}
