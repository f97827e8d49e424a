//! `rolecall why`: the checks of one AssumeRole, for people or as JSON.
//!
//! JSON, version 1: `{"version":1,"principal","principal_kind","role",
//! "action","allowed","decision","reason","relation","aws_error"?,
//! "context":[{"key","value","default"?}],"duration_seconds","session_name",
//! "checks":[{"id","title","status","summary","details"?,"statements"?:
//! [{"policy_type","policy","statement","effect","file","line",…}],
//! "fix"?:{"summary","target","json"}}],"notes"?}`.

use std::io::{self, Write};

use serde_json::json;

use super::graph::policy_kind;
use super::simulate::snippet_lines;
use super::verify::site_heading;
use crate::eval::Relation;
use crate::graph::{CheckStatus, Diagnosis};

/// Writes the diagnosis as one JSON document.
pub fn json(out: &mut dyn Write, d: &Diagnosis) -> io::Result<()> {
    let mut doc = json!({"version": super::json::VERSION});
    if let (Some(map), Ok(serde_json::Value::Object(fields))) =
        (doc.as_object_mut(), serde_json::to_value(d))
    {
        map.extend(fields);
    }
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The diagnosis as text (the form tests and the README show).
pub fn text(d: &Diagnosis) -> String {
    let mut s = String::new();
    let relation = match d.relation {
        Relation::SameAccount => "same account",
        Relation::CrossAccount => "cross-account",
        Relation::NoAccount => "caller outside any account",
    };
    s.push_str(&format!("why: {} → {}\n", d.principal, d.role));
    s.push_str(&format!(
        "     {}, DurationSeconds {}, RoleSessionName `{}`, {relation}\n",
        d.action, d.duration_seconds, d.session_name
    ));
    let given: Vec<String> = d
        .context
        .iter()
        .filter(|c| !c.default)
        .map(|c| format!("{}={}", c.key, c.value))
        .collect();
    let defaults: Vec<String> = d
        .context
        .iter()
        .filter(|c| c.default && c.key != "aws:CurrentTime" && c.key != "aws:EpochTime")
        .map(|c| format!("{}={}", c.key, c.value))
        .collect();
    if !given.is_empty() {
        s.push_str(&format!("     context: {}\n", given.join(", ")));
    }
    if !defaults.is_empty() {
        s.push_str(&format!(
            "     assumed: {} (override with --context)\n",
            defaults.join(", ")
        ));
    }
    for (i, c) in d.checks.iter().enumerate() {
        let status = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "FAIL",
            CheckStatus::NotApplicable => "n/a ",
        };
        s.push_str(&format!("\n  {}. {status}  {}\n", i + 1, c.title));
        s.push_str(&format!("           {}\n", c.summary));
        for line in &c.details {
            s.push_str(&format!("           {line}\n"));
        }
        for site in &c.statements {
            let r = &site.statement;
            let heading = site_heading(site, policy_kind(r.policy_type));
            s.push_str(&format!("           {heading}\n"));
            for line in snippet_lines(r, 30).lines() {
                s.push_str(&format!("     {line}\n"));
            }
        }
        if let Some(fix) = &c.fix {
            s.push_str(&format!("           fix: {}\n", fix.summary));
            if !fix.json.is_null() {
                let pretty = serde_json::to_string_pretty(&fix.json).unwrap_or_default();
                for line in pretty.lines() {
                    s.push_str(&format!("             {line}\n"));
                }
            }
        }
    }
    s.push('\n');
    match &d.aws_error {
        None => s.push_str("verdict: ALLOWED — the assume would succeed\n"),
        Some(error) => s.push_str(&format!("verdict: DENIED — AWS would answer {error}\n")),
    }
    for note in &d.notes {
        s.push_str(&format!("note: {note}\n"));
    }
    s
}

/// Writes the diagnosis for people.
pub fn human(out: &mut dyn Write, d: &Diagnosis) -> io::Result<()> {
    write!(out, "{}", text(d))
}
