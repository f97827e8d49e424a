//! `rolecall simulate` answers: one JSON line each, or a readable trace with
//! the deciding statements' source.

use std::io::{self, Write};

use crate::eval::simulate::{Answer, SimulateError};
use crate::eval::trace::{Evaluation, MissDetail, NearMiss, Outcome, StatementRef, TypeTrace};
use crate::eval::{Decision, Relation};

/// Writes one answer as a single JSON line.
pub fn answer_json(out: &mut dyn Write, answer: &Answer) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &answer.to_json())?;
    writeln!(out)
}

/// Writes one answer for people.
pub fn answer_human(out: &mut dyn Write, answer: &Answer) -> io::Result<()> {
    match answer {
        Answer::Evaluated(e) => write!(out, "{}", evaluation_text(e)),
        Answer::Error(e) => write!(out, "{}", error_text(e)),
    }
}

/// An evaluation as text (the form tests compare).
pub fn evaluation_text(e: &Evaluation) -> String {
    let t = &e.trace;
    let mut s = String::new();
    let verdict = match e.decision {
        Decision::Allowed => "ALLOWED",
        Decision::ExplicitDeny => "DENIED (explicit deny)",
        Decision::ImplicitDeny => "DENIED (implicit deny)",
    };
    s.push_str(&format!(
        "{verdict}: {} → {} on {}\n",
        t.principal, t.action, t.resource
    ));
    s.push_str(&format!("  why: {}\n", t.reason.message));
    if !t.lacking.is_empty() {
        let names: Vec<&str> = t.lacking.iter().map(|p| p.describe()).collect();
        s.push_str(&format!("  missing an allow in: {}\n", names.join(", ")));
    }
    let account = t.resource_account.as_deref().unwrap_or("unknown");
    s.push_str(&match t.relation {
        Relation::SameAccount if t.resource_account_assumed => format!(
            "  accounts: same account ({account}; the resource account was not given, so the principal's is assumed)\n"
        ),
        Relation::SameAccount => format!("  accounts: same account ({account})\n"),
        Relation::CrossAccount => format!("  accounts: cross-account (resource in {account})\n"),
        Relation::NoAccount => "  accounts: the principal belongs to no account\n".to_owned(),
    });
    if !t.policy_types.is_empty() {
        s.push_str("\n  policies:\n");
        for ty in &t.policy_types {
            s.push_str(&type_line(ty));
        }
    }
    if !t.deciding.is_empty() {
        s.push_str("\n  deciding statements:\n");
        for r in &t.deciding {
            s.push_str(&format!("    {}\n", statement_title(r)));
            s.push_str(&snippet(r));
        }
    }
    if !t.near_misses.is_empty() {
        s.push_str("\n  near misses (statements that failed on one element):\n");
        for m in &t.near_misses {
            s.push_str(&format!("    {}\n", statement_title(&m.statement)));
            s.push_str(&format!("      {}\n", miss_text(m)));
        }
    }
    s.push('\n');
    s
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "allows",
        Outcome::Denied => "denies",
        Outcome::NoMatch => "no match",
        Outcome::NotApplicable => "not applicable",
    }
}

fn type_line(ty: &TypeTrace) -> String {
    let mut s = format!(
        "    {:<26} {}\n",
        ty.policy_type.describe(),
        outcome_word(ty.outcome)
    );
    if let Some(levels) = &ty.levels {
        for l in levels {
            let names: Vec<&str> = ty
                .policies
                .iter()
                .filter(|p| p.level == Some(l.level))
                .map(|p| p.name.as_str())
                .collect();
            let implicit = if l.implicit_full_access {
                " (RCPFullAWSAccess)"
            } else {
                ""
            };
            s.push_str(&format!(
                "      level {} {:<18} {}{implicit}\n",
                l.level,
                format!("[{}]", names.join(", ")),
                outcome_word(l.outcome)
            ));
        }
    } else if ty.policies.len() > 1 || ty.policies.first().is_some_and(|p| p.outcome != ty.outcome)
    {
        for p in &ty.policies {
            s.push_str(&format!(
                "      {:<24} {}\n",
                p.name,
                outcome_word(p.outcome)
            ));
        }
    }
    s
}

fn statement_title(r: &StatementRef) -> String {
    let at = match (r.location.line, r.location.column) {
        (Some(line), Some(column)) => format!(" at {line}:{column}"),
        _ => String::new(),
    };
    let level = r.level.map(|l| format!(" (level {l})")).unwrap_or_default();
    format!(
        "{} `{}`{level}, statement {} ({}){at}",
        r.policy_type.describe(),
        r.policy,
        r.statement,
        r.effect
    )
}

/// The statement's source: the lines it spans in a formatted file, or its
/// text (shortened) when it sits on one long line (a JSON Lines batch).
fn snippet(r: &StatementRef) -> String {
    snippet_lines(r, 12)
}

/// [`snippet`] with at most `max_lines` lines.
pub(crate) fn snippet_lines(r: &StatementRef, max_lines: usize) -> String {
    const MAX_WIDTH: usize = 110;
    let Some(source) = &r.source else {
        return String::new();
    };
    let shorten = |line: &str| -> String {
        if line.chars().count() > MAX_WIDTH {
            line.chars().take(MAX_WIDTH - 1).chain(['…']).collect()
        } else {
            line.to_owned()
        }
    };
    let (start, end) = (source.line_col(r.span.start), source.line_col(r.span.end));
    let lines: Vec<&str> = source
        .text()
        .lines()
        .skip(start.line - 1)
        .take(end.line + 1 - start.line)
        .collect();
    let mut s = String::new();
    if lines.len() == 1 && lines[0].chars().count() > MAX_WIDTH {
        s.push_str(&format!(
            "      {:>4} │ {}\n",
            start.line,
            shorten(source.slice(r.span))
        ));
        return s;
    }
    for (i, line) in lines.iter().take(max_lines).enumerate() {
        s.push_str(&format!(
            "      {:>4} │ {}\n",
            start.line + i,
            shorten(line)
        ));
    }
    if lines.len() > max_lines {
        s.push_str("           │ …\n");
    }
    s
}

fn list(values: &[String]) -> String {
    match values {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        many => format!("any of {}", many.join(", ")),
    }
}

fn miss_text(m: &NearMiss) -> String {
    match &m.detail {
        MissDetail::Action {
            requested,
            patterns,
            negated: false,
        } => format!("Action: {requested} does not match {}", list(patterns)),
        MissDetail::Action {
            requested,
            patterns,
            negated: true,
        } => format!("NotAction: {requested} is excluded by {}", list(patterns)),
        MissDetail::Resource {
            requested,
            patterns,
            negated: false,
        } => format!("Resource: {requested} does not match {}", list(patterns)),
        MissDetail::Resource {
            requested,
            patterns,
            negated: true,
        } => format!("NotResource: {requested} is excluded by {}", list(patterns)),
        MissDetail::Principal {
            requested,
            values,
            negated: false,
        } => format!("Principal: {requested} is not {}", list(values)),
        MissDetail::Principal {
            requested,
            values,
            negated: true,
        } => format!("NotPrincipal: {requested} is exempted by {}", list(values)),
        MissDetail::Condition(c) => {
            let at = match (c.location.line, c.location.column) {
                (Some(line), Some(column)) => format!(" (at {line}:{column})"),
                _ => String::new(),
            };
            format!("Condition {}: {}{at}", c.operator, c.reason)
        }
    }
}

/// An error as text: the message, and each policy problem with its place.
pub fn error_text(e: &SimulateError) -> String {
    let json = e.to_json();
    let mut s = format!("error: {e}\n");
    if let (Some(source), Some(line), Some(column)) = (
        json["source"].as_str(),
        json["line"].as_u64(),
        json["column"].as_u64(),
    ) {
        s.push_str(&format!("  at {source}:{line}:{column}\n"));
    }
    if let Some(problems) = json["problems"].as_array() {
        for p in problems {
            s.push_str(&format!(
                "  {}:{}:{}: {}\n",
                p["source"].as_str().unwrap_or_default(),
                p["line"],
                p["column"],
                p["message"].as_str().unwrap_or_default()
            ));
        }
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::simulate::run_request;
    use crate::source::SourceFile;

    #[test]
    fn human_trace_shows_decision_reason_snippet_and_near_miss() {
        let text = r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject", "resource": "arn:aws:s3:::bucket/k",
"identity_policies": [{"__name": "dev", "Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
  {"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::other/*"}]}]}"#;
        let answer = run_request(&SourceFile::new("req.json", text));
        let mut out = Vec::new();
        answer_human(&mut out, &answer).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with(
                "DENIED (implicit deny): arn:aws:iam::111122223333:user/alice → s3:PutObject"
            ),
            "{out}"
        );
        assert!(
            out.contains("why: no identity-based policy allows the request"),
            "{out}"
        );
        assert!(
            out.contains("identity-based policy `dev`, statement Write (Allow) at 4:3"),
            "{out}"
        );
        assert!(
            out.contains("Resource: arn:aws:s3:::bucket/k does not match arn:aws:s3:::other/*"),
            "{out}"
        );
    }

    #[test]
    fn deciding_statements_come_with_their_source_lines() {
        let text = "{\"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:GetObject\", \"resource\": \"*\",\n\"identity_policies\": [{\"Statement\": {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"}}]}";
        let answer = run_request(&SourceFile::new("req.json", text));
        let mut out = Vec::new();
        answer_human(&mut out, &answer).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("ALLOWED"), "{out}");
        assert!(out.contains("   2 │ {\"Sid\": \"Read\""), "{out}");
    }

    #[test]
    fn errors_list_policy_problems_with_places() {
        let text = r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "identity_policies": [{"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}]}"#;
        let answer = run_request(&SourceFile::new("req.json", text));
        let mut out = Vec::new();
        answer_human(&mut out, &answer).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("error: policy `identity[0]` is invalid"),
            "{out}"
        );
        assert!(
            out.contains("req.json:1:145: `Effect` must be exactly `Allow` or `Deny`"),
            "{out}"
        );
    }
}
