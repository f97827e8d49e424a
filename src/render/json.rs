//! `--format json`: the stable, versioned machine format.
//!
//! Version 1, one document on standard output:
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": {"name": "rolecall", "version": "0.1.0"},
//!   "catalog": "…",
//!   "findings": [
//!     {
//!       "rule": "missing-version",
//!       "type": "warning",
//!       "file": "policies/app.json",
//!       "policy": "policies/app.json",
//!       "message": "the policy has no `Version` element",
//!       "help": "add \"Version\": \"2012-10-17\" as the document's first element; …",
//!       "locations": [
//!         {"line": 2, "column": 3, "end_line": 2, "end_column": 14,
//!          "path": "", "label": "add `\"Version\": \"2012-10-17\"` before this"}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `version`: this format's version; it changes only on an incompatible
//!   change (fields may be added within a version).
//! - `tool`: name and version of rolecall; `catalog`: the embedded AWS
//!   service catalog the rules used (as `rolecall rules` shows it).
//! - `findings`: sorted by file, position, rule; empty when there is none.
//! - `rule`: the rule id (`rolecall rules` lists them); `type`: `error`,
//!   `security`, `warning` or `suggestion`, after `rolecall.toml` overrides.
//! - `file`: the input path as given (`<stdin>` for `-`); `policy`: the
//!   document the finding is about (the file, or a policy inside it, e.g. a
//!   role's trust policy in an authorization-details dump), or `null`.
//! - `message`: one sentence; `help`: the fix, or `null`.
//! - `locations`: the primary place first, possibly empty when a finding
//!   concerns a whole file. Lines and columns are 1-based and count
//!   characters; `end_column` is exclusive. `path` is the JSON-pointer-like
//!   path of the element inside its policy (`/Statement/0/Action`, `""` for
//!   the whole document); `label` says what the place has to do with it.
//!
//! Run-level errors (a missing path, an unreadable file, a bad
//! configuration) go to standard error, not into this document.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeSeq;

use crate::lint::Finding;

/// The JSON output version; bump on any incompatible change.
pub const VERSION: u32 = 1;

/// Writes findings as one JSON document and a newline, serialising each
/// finding as it goes (an estate's hundreds of thousands of findings are
/// never held as a second, JSON-shaped copy).
pub fn findings(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    let doc = Document {
        version: VERSION,
        tool: Tool {
            name: "rolecall",
            version: env!("CARGO_PKG_VERSION"),
        },
        catalog: crate::catalog::version(),
        findings: Findings(findings),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    catalog: String,
    findings: Findings<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

struct Findings<'a>(&'a [Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for f in self.0 {
            seq.serialize_element(&FindingOut {
                rule: f.rule,
                r#type: f.finding_type.name(),
                file: f.file.name(),
                policy: f.subject.as_deref(),
                message: &f.message,
                help: f.help.as_deref(),
                locations: Locations(f),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    r#type: &'a str,
    file: &'a str,
    policy: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    locations: Locations<'a>,
}

struct Locations<'a>(&'a Finding);

impl Serialize for Locations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut seq = serializer.serialize_seq(Some(f.locations.len()))?;
        for l in &f.locations {
            let (start, end) = super::line_cols(f, l.span);
            seq.serialize_element(&LocationOut {
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                path: &l.path,
                label: &l.label,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct LocationOut<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    path: &'a str,
    label: &'a str,
}
