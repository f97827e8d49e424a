//! `rolecall verify`: the outcome of every assertion, for people, as JSON,
//! or as SARIF with each failure located in the expectations file.
//!
//! JSON, version 1: `{"version":1,"tool":{"name","version"},"expectations",
//! "summary":{"assertions","passed","failed","unknown"},"results":[{"kind",
//! "template"?,"entry","description"?,"subject","status","summary",
//! "location":{"line","column","end_line","end_column"},"reasons"?:
//! [{"message","details"?,"statements"?:[{"policy_type","policy",
//! "statement","effect","file","line",…}],"declarations"?:[{"label","file",
//! "line"}],"fix"?:{"summary","target","json"}}],"notes"?}]}`. Lines and
//! columns are 1-based; the end column is exclusive.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::simulate::snippet_lines;
use crate::eval::PolicyType;
use crate::graph::Site;
use crate::verify::{Outcome, Reason, Report, Status};

/// The kinds of outcome: what each checks, and what to do when it fails
/// (SARIF rules).
const KINDS: &[(&str, &str, &str)] = &[
    (
        "can_assume",
        "the principal can assume the role, through every check AWS makes",
        "The failing checks name the policy statement that decides (the caller's identity policies, its permissions boundary, the SCPs of its account, the role's trust policy, the RCPs of the role's account, the session duration) and the smallest change that makes the assume succeed. `rolecall why PRINCIPAL ROLE` shows the same diagnosis.",
    ),
    (
        "cannot_assume",
        "no path leads from the principals to the role, chaining and pass-role included",
        "Each principal that can reach the role is listed with its path, hop by hop, and the statements that allow each hop. Remove the principal from the trust policy, scope the identity grant, or add a condition that keeps it out.",
    ),
    (
        "only_assumable_by",
        "the principals that can reach the role are exactly those listed",
        "Principals that can reach the role but are not listed come with their path; listed principals that cannot reach it come with the checks that stop them. Change the trust policy or the grants, or the list.",
    ),
    (
        "can_perform",
        "the principal is allowed the action on the resource",
        "The decision names the deciding statement: an explicit deny, or the statements that nearly allowed; add the missing grant or lift the deny.",
    ),
    (
        "cannot_perform",
        "the principal is denied the action on the resource whatever the request context",
        "The statements that allow the action are listed, with the conditions a request must meet when the allow depends on what the caller sends; remove or scope them.",
    ),
    (
        "has_instance_profile",
        "an instance profile holds the server role",
        "EC2 delivers a role's credentials to instances only through an instance profile: create one and add the role to it.",
    ),
    (
        "no_wildcard_assume",
        "the server role may assume its target roles, not every role",
        "The identity statement granting sts:AssumeRole on every role is listed: name the target roles in its Resource, or set `wildcard_ok = true`.",
    ),
    (
        "has_access_key",
        "the user has an active access key",
        "An integration that signs in with an access key needs an active one; the credential report of the user's account says which keys are active.",
    ),
];

/// "12 assertions: 10 passed, 1 failed, 1 unknown".
pub fn summary(report: &Report) -> String {
    let n = report.outcomes.len();
    format!(
        "{n} assertion{}: {} passed, {} failed, {} unknown",
        if n == 1 { "" } else { "s" },
        report.count(Status::Pass),
        report.count(Status::Fail),
        report.count(Status::Unknown)
    )
}

fn location(report: &Report, o: &Outcome) -> (usize, usize, usize, usize) {
    let start = report.file.line_col(o.span.start);
    let end = report.file.line_col(o.span.end);
    (start.line, start.column, end.line, end.column)
}

/// A statement with where it is, and its text.
pub(crate) fn site_text(site: &Site, indent: &str) -> String {
    let r = &site.statement;
    let kind = if r.policy_type == PolicyType::Resource {
        "resource-based (trust) policy"
    } else {
        r.policy_type.describe()
    };
    let mut s = format!("{indent}{}\n", site_heading(site, kind));
    for line in snippet_lines(r, 12).lines() {
        s.push_str(&format!("{indent}{line}\n"));
    }
    s
}

/// A statement's heading: `▸ KIND `policy`, statement N (Effect)`, then
/// where it is and whether its policy was decoded from a string.
pub(crate) fn site_heading(site: &Site, kind: &str) -> String {
    let r = &site.statement;
    let at = match site.line {
        Some(line) if !site.file.is_empty() => format!(" — {}:{line}", site.file),
        _ if !site.file.is_empty() => format!(" — {}", site.file),
        _ => String::new(),
    };
    let decoded = if site.embedded {
        " (a policy held as a string there; decoded below)"
    } else {
        ""
    };
    format!(
        "▸ {kind} `{}`, statement {} ({}){at}{decoded}",
        r.policy, r.statement, r.effect
    )
}

fn reason_text(reason: &Reason, indent: &str) -> String {
    let mut s = format!("{indent}✗ {}\n", reason.message);
    let inner = format!("{indent}    ");
    for line in &reason.details {
        s.push_str(&format!("{inner}{line}\n"));
    }
    for site in &reason.statements {
        s.push_str(&site_text(site, &inner));
    }
    for d in &reason.declarations {
        s.push_str(&format!("{inner}▸ {} — {}:{}\n", d.label, d.file, d.line));
    }
    if let Some(fix) = &reason.fix {
        s.push_str(&format!("{inner}fix: {}\n", fix.summary));
        if !fix.json.is_null() {
            let pretty = serde_json::to_string_pretty(&fix.json).unwrap_or_default();
            for line in pretty.lines() {
                s.push_str(&format!("{inner}  {line}\n"));
            }
        }
    }
    s
}

/// One outcome as text: a line for a pass, the reasons for anything else.
pub fn outcome_text(report: &Report, o: &Outcome) -> String {
    let (line, column, _, _) = location(report, o);
    let status = match o.status {
        Status::Pass => "pass",
        Status::Fail => "FAIL",
        Status::Unknown => "UNKNOWN",
    };
    let kind = match o.template {
        Some(t) => format!("{t} › {}", o.kind),
        None => o.kind.to_owned(),
    };
    let mut s = format!(
        "{status} {kind}: {} ({}:{line}:{column})\n",
        o.subject,
        report.file.name()
    );
    if o.status == Status::Pass {
        return s;
    }
    if let Some(d) = &o.description {
        s.push_str(&format!("     {d}\n"));
    }
    s.push_str(&format!("     {}\n", o.summary));
    for reason in &o.reasons {
        s.push_str(&reason_text(reason, "     "));
    }
    for note in &o.notes {
        s.push_str(&format!("     note: {note}\n"));
    }
    s
}

/// Writes the report for people: passes in a line each, then every
/// failure with its reasons, then the summary.
pub fn human(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for o in report.outcomes.iter().filter(|o| o.status == Status::Pass) {
        write!(out, "{}", outcome_text(report, o))?;
    }
    for o in report.outcomes.iter().filter(|o| o.status != Status::Pass) {
        writeln!(out)?;
        write!(out, "{}", outcome_text(report, o))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(report))
}

/// Writes the report as one JSON document.
pub fn json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let results: Vec<Value> = report
        .outcomes
        .iter()
        .map(|o| {
            let mut value = serde_json::to_value(o).unwrap_or(Value::Null);
            let (line, column, end_line, end_column) = location(report, o);
            if let Some(map) = value.as_object_mut() {
                map.insert(
                    "location".into(),
                    json!({"line": line, "column": column, "end_line": end_line, "end_column": end_column}),
                );
            }
            value
        })
        .collect();
    let doc = json!({
        "version": super::json::VERSION,
        "tool": {"name": "rolecall", "version": env!("CARGO_PKG_VERSION")},
        "expectations": report.file.name(),
        "summary": {
            "assertions": report.outcomes.len(),
            "passed": report.count(Status::Pass),
            "failed": report.count(Status::Fail),
            "unknown": report.count(Status::Unknown),
        },
        "results": results,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The outcome's message for SARIF: the subject, the answer and each
/// reason.
fn sarif_message(o: &Outcome) -> String {
    let mut s = format!("{}: {}", o.subject, o.summary);
    for r in &o.reasons {
        s.push_str(&format!("\n- {}", r.message));
        for d in &r.details {
            s.push_str(&format!("\n  {d}"));
        }
        for site in &r.statements {
            s.push_str(&format!(
                "\n  statement {} of `{}` ({}:{})",
                site.statement.statement,
                site.statement.policy,
                site.file,
                site.line.unwrap_or(1)
            ));
        }
        if let Some(fix) = &r.fix {
            s.push_str(&format!("\n  Fix: {}", fix.summary));
        }
    }
    s
}

/// Writes failures and unknowns as SARIF 2.1.0, each located in the
/// expectations file, the deciding statements as related locations.
pub fn sarif(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let uri = super::sarif::artifact_uri(report.file.name());
    let results: Vec<Value> = report
        .outcomes
        .iter()
        .filter(|o| o.status != Status::Pass)
        .map(|o| {
            let (line, column, end_line, end_column) = location(report, o);
            let mut related = Vec::new();
            for site in o.reasons.iter().flat_map(|r| &r.statements) {
                if site.file.is_empty() {
                    continue;
                }
                related.push(json!({
                    "id": related.len(),
                    "physicalLocation": {
                        "artifactLocation": {"uri": super::sarif::artifact_uri(&site.file)},
                        "region": {"startLine": site.line.unwrap_or(1)},
                    },
                    "message": {"text": format!(
                        "{} `{}`, statement {} ({})",
                        site.statement.policy_type.describe(),
                        site.statement.policy,
                        site.statement.statement,
                        site.statement.effect
                    )},
                }));
            }
            let mut result = json!({
                "ruleId": o.kind,
                "level": if o.status == Status::Fail { "error" } else { "warning" },
                "message": {"text": sarif_message(o)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                    },
                }],
                "properties": {"status": o.status.name(), "template": o.template},
            });
            if let Some(map) = result.as_object_mut() {
                if let Some(index) = KINDS.iter().position(|(k, _, _)| *k == o.kind) {
                    map.insert("ruleIndex".into(), json!(index));
                }
                if !related.is_empty() {
                    map.insert("relatedLocations".into(), Value::Array(related));
                }
            }
            result
        })
        .collect();
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|(id, text, help)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": text},
                "fullDescription": {"text": text},
                "help": {"text": help, "markdown": help},
                "helpUri": format!("{}#verify", crate::REPOSITORY),
                "defaultConfiguration": {"level": "error"},
                "properties": {
                    "tags": ["iam", "verify", "security"],
                    "precision": "high",
                    "problem.severity": "error",
                },
            })
        })
        .collect();
    super::sarif::write_log(out, rules, None, results)
}
