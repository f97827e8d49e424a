//! Output of the live commands: credentials (`assume`, the only output that
//! holds secrets), the fetch summary, the probe table and decoded messages.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::eval::Decision;
use crate::graph::Site;
use crate::live::assume::AssumedRole;
use crate::live::decode::{
    ContextEntry, DecodedMessage, MatchedStatement, ReevaluateError, Reevaluation,
};
use crate::live::fetch::{AccountStatus, Manifest};
use crate::live::probe::{Agreement, Outcome, Prediction, ProbeReport, Verdict};

/// The JSON output version of `probe` and `decode`.
pub const VERSION: u32 = 1;

/// Quotes a value for a POSIX shell.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// `export AWS_ACCESS_KEY_ID=…` lines, for `eval "$(rolecall assume …)"`.
pub fn credentials_env(out: &mut dyn Write, role: &AssumedRole) -> io::Result<()> {
    let c = &role.credentials;
    for (name, value) in [
        ("AWS_ACCESS_KEY_ID", c.access_key_id.expose()),
        ("AWS_SECRET_ACCESS_KEY", c.secret_access_key.expose()),
        ("AWS_SESSION_TOKEN", c.session_token.expose()),
    ] {
        writeln!(out, "export {name}={}", shell_quote(value))?;
    }
    Ok(())
}

/// AssumeRole's answer as the AWS SDKs return it: `Credentials`,
/// `AssumedRoleUser` (and `SourceIdentity` when set).
pub fn credentials_json(out: &mut dyn Write, role: &AssumedRole) -> io::Result<()> {
    let c = &role.credentials;
    let mut doc = Map::new();
    doc.insert(
        "Credentials".into(),
        json!({
            "AccessKeyId": c.access_key_id.expose(),
            "SecretAccessKey": c.secret_access_key.expose(),
            "SessionToken": c.session_token.expose(),
            "Expiration": c.expiration_iso8601(),
        }),
    );
    doc.insert(
        "AssumedRoleUser".into(),
        json!({"AssumedRoleId": role.assumed_role_id, "Arn": role.arn}),
    );
    if let Some(source) = &role.source_identity {
        doc.insert("SourceIdentity".into(), json!(source));
    }
    serde_json::to_writer_pretty(&mut *out, &Value::Object(doc))?;
    writeln!(out)
}

/// The AWS CLI's `credential_process` output (Version 1).
pub fn credential_process(out: &mut dyn Write, role: &AssumedRole) -> io::Result<()> {
    let c = &role.credentials;
    let doc = json!({
        "Version": 1,
        "AccessKeyId": c.access_key_id.expose(),
        "SecretAccessKey": c.secret_access_key.expose(),
        "SessionToken": c.session_token.expose(),
        "Expiration": c.expiration_iso8601(),
    });
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)
}

/// What `fetch` wrote, one line per account.
pub fn fetch_summary(out: &mut dyn Write, manifest: &Manifest, dir: &str) -> io::Result<()> {
    writeln!(out, "snapshot `{dir}` fetched by {}", manifest.fetched_by)?;
    let width = manifest
        .accounts
        .iter()
        .map(|a| account_label(a.id.as_str(), a.name.as_deref()).len())
        .max()
        .unwrap_or(0);
    for account in &manifest.accounts {
        let label = account_label(&account.id, account.name.as_deref());
        match (&account.status, &account.files, &account.error) {
            (AccountStatus::Complete, Some(files), _) => {
                let mut names = vec![
                    files.authorization_details.as_str(),
                    files.list_roles.as_str(),
                ];
                names.extend(files.credential_report.as_deref());
                writeln!(out, "  {label:width$}  complete  {}", names.join(", "))?;
            }
            (_, _, error) => writeln!(
                out,
                "  {label:width$}  FAILED    {}",
                error.as_deref().unwrap_or("unknown error")
            )?,
        }
        for note in &account.notes {
            writeln!(out, "  {:width$}  note: {note}", "")?;
        }
    }
    if let Some(org) = &manifest.organization {
        writeln!(out, "  organization: {org}")?;
    }
    for note in &manifest.notes {
        writeln!(out, "  note: {note}")?;
    }
    let failed = manifest.failed().count();
    let n = manifest.accounts.len();
    writeln!(
        out,
        "{n} account{}: {} complete, {failed} failed",
        if n == 1 { "" } else { "s" },
        n - failed
    )
}

/// What `fetch` wrote, as the manifest itself.
pub fn fetch_json(out: &mut dyn Write, manifest: &Manifest) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, manifest)?;
    writeln!(out)
}

fn account_label(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{id} ({name})"),
        None => id.to_owned(),
    }
}

fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Assumed { arn, confirmed_arn } if arn == confirmed_arn => {
            "assumed (confirmed)".into()
        }
        Outcome::Assumed { confirmed_arn, .. } => {
            format!("assumed, but the session signs as {confirmed_arn}")
        }
        Outcome::Denied { code, .. } => format!("denied: {code}"),
        Outcome::Failed(e) => format!("failed: {}", e.code().unwrap_or("no answer")),
    }
}

fn prediction_text(prediction: &Prediction) -> String {
    match prediction.verdict {
        Verdict::Allowed => "allowed".into(),
        Verdict::Denied => "denied".into(),
        Verdict::Unknown => "-".into(),
    }
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allowed => "allowed",
        Verdict::Denied => "denied",
        Verdict::Unknown => "unknown",
    }
}

fn agreement_text(agreement: &Agreement) -> &'static str {
    match agreement {
        Agreement::Agree => "agree",
        Agreement::Disagree { .. } => "DISAGREE",
        Agreement::NotCompared => "-",
    }
}

/// The probe as a table: role, AWS's answer, the prediction, agreement;
/// details (AWS's message, what the snapshot may miss) under each row.
pub fn probe_table(out: &mut dyn Write, report: &ProbeReport) -> io::Result<()> {
    writeln!(
        out,
        "caller: {}{}",
        report.caller.arn,
        if report.mfa { " (MFA session)" } else { "" }
    )?;
    if report.from_graph {
        writeln!(
            out,
            "roles: those the inputs say the caller can assume directly"
        )?;
    }
    let rows: Vec<[String; 4]> = report
        .rows
        .iter()
        .map(|r| {
            [
                r.request.role.to_string(),
                outcome_text(&r.outcome),
                prediction_text(&r.prediction),
                agreement_text(&r.agreement).to_owned(),
            ]
        })
        .collect();
    let header = ["ROLE", "AWS", "PREDICTION", "AGREEMENT"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String; 4]| {
        writeln!(
            out,
            "{:w0$}  {:w1$}  {:w2$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    if !rows.is_empty() {
        line(out, &header)?;
    }
    for (row, cells) in report.rows.iter().zip(&rows) {
        line(out, &cells.clone())?;
        match &row.outcome {
            Outcome::Denied { code, message } => {
                writeln!(out, "    AWS: {code}: {message}")?;
            }
            Outcome::Failed(e) => writeln!(out, "    error: {e}")?,
            Outcome::Assumed { .. } => {}
        }
        writeln!(out, "    rolecall: {}", row.prediction.reason)?;
        if let Some(expected) = &row.prediction.expected_error {
            writeln!(out, "    rolecall expects AWS to say: {expected}")?;
        }
        if let Agreement::Disagree { hints } = &row.agreement {
            writeln!(out, "    the static answer may be missing:")?;
            for hint in hints {
                writeln!(out, "      - {}", hint.message)?;
            }
        }
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    let disagree = report
        .rows
        .iter()
        .filter(|r| matches!(r.agreement, Agreement::Disagree { .. }))
        .count();
    let n = report.rows.len();
    writeln!(
        out,
        "{n} role{} probed, {disagree} disagreement{}",
        if n == 1 { "" } else { "s" },
        if disagree == 1 { "" } else { "s" }
    )
}

/// The probe as JSON (version 1).
pub fn probe_json(out: &mut dyn Write, report: &ProbeReport) -> io::Result<()> {
    let results: Vec<Value> = report
        .rows
        .iter()
        .map(|r| {
            let mut row = Map::new();
            row.insert("role".into(), json!(r.request.role.as_str()));
            row.insert("session_name".into(), json!(r.request.session_name));
            if let Some(d) = r.request.duration_seconds {
                row.insert("duration_seconds".into(), json!(d));
            }
            match &r.outcome {
                Outcome::Assumed { arn, confirmed_arn } => {
                    row.insert("outcome".into(), json!("assumed"));
                    row.insert("assumed_arn".into(), json!(arn));
                    row.insert("confirmed_arn".into(), json!(confirmed_arn));
                }
                Outcome::Denied { code, message } => {
                    row.insert("outcome".into(), json!("denied"));
                    row.insert("error".into(), json!({"code": code, "message": message}));
                }
                Outcome::Failed(e) => {
                    row.insert("outcome".into(), json!("failed"));
                    row.insert(
                        "error".into(),
                        json!({"code": e.code(), "message": e.to_string()}),
                    );
                }
            }
            let mut prediction = Map::new();
            prediction.insert("decision".into(), json!(verdict_name(r.prediction.verdict)));
            prediction.insert("reason".into(), json!(r.prediction.reason));
            if let Some(expected) = &r.prediction.expected_error {
                prediction.insert("expected_error".into(), json!(expected));
            }
            row.insert("prediction".into(), Value::Object(prediction));
            let (agreement, hints) = match &r.agreement {
                Agreement::Agree => ("agree", &[][..]),
                Agreement::Disagree { hints } => ("disagree", &hints[..]),
                Agreement::NotCompared => ("not-compared", &[][..]),
            };
            row.insert("agreement".into(), json!(agreement));
            if !hints.is_empty() {
                let hints: Vec<Value> = hints
                    .iter()
                    .map(|h| json!({"kind": h.kind.name(), "message": h.message}))
                    .collect();
                row.insert("hints".into(), json!(hints));
            }
            Value::Object(row)
        })
        .collect();
    let doc = json!({
        "version": VERSION,
        "caller": {
            "account": report.caller.account,
            "arn": report.caller.arn,
            "user_id": report.caller.user_id,
        },
        "mfa": report.mfa,
        "roles_from": if report.from_graph { "inputs" } else { "arguments" },
        "results": results,
        "notes": report.notes,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn context_lines(out: &mut dyn Write, indent: &str, entries: &[ContextEntry]) -> io::Result<()> {
    for entry in entries {
        writeln!(out, "{indent}{} = {}", entry.key, entry.values.join(", "))?;
    }
    Ok(())
}

fn statement_lines(out: &mut dyn Write, s: &MatchedStatement) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}",
        s.effect.as_deref().unwrap_or("?"),
        s.statement_id.as_deref().unwrap_or("(no Sid)")
    )?;
    for (label, list) in [
        ("principals", &s.principals),
        ("principal groups", &s.principal_groups),
        ("actions", &s.actions),
        ("resources", &s.resources),
    ] {
        if !list.is_empty() {
            writeln!(out, "    {label}: {}", list.join(", "))?;
        }
    }
    if !s.conditions.is_empty() {
        writeln!(out, "    conditions:")?;
        context_lines(out, "      ", &s.conditions)?;
    }
    Ok(())
}

fn decision_text(allowed: bool, explicit_deny: bool) -> &'static str {
    match (allowed, explicit_deny) {
        (true, _) => "allowed",
        (false, true) => "denied by an explicit Deny",
        (false, false) => "denied: no statement allows it (implicit deny)",
    }
}

/// The re-evaluation of a decoded request, for people.
fn reevaluation_human(
    out: &mut dyn Write,
    m: &DecodedMessage,
    re: &Result<Reevaluation, ReevaluateError>,
) -> io::Result<()> {
    writeln!(out)?;
    let r = match re {
        Ok(r) => r,
        Err(e) => return writeln!(out, "re-evaluated with the inputs: not possible: {e}"),
    };
    let p = &r.performance;
    let decision = decision_text(p.allowed, p.decision == Decision::ExplicitDeny);
    let verdict = if r.agrees {
        "agrees with AWS".to_owned()
    } else {
        format!(
            "DISAGREES with AWS ({})",
            decision_text(m.allowed, m.explicit_deny)
        )
    };
    writeln!(out, "re-evaluated with the inputs: {decision} — {verdict}")?;
    writeln!(
        out,
        "  request: {} {} on {}",
        p.principal, p.action, p.resource
    )?;
    writeln!(out, "  reason:  {}", p.reason)?;
    if !r.denied_by.is_empty() {
        writeln!(out, "  denied by:")?;
        for site in &r.denied_by {
            write!(out, "{}", super::verify::site_text(site, "    "))?;
        }
    } else if !p.allowed && !p.near_misses.is_empty() {
        writeln!(out, "  nearest statements (each fails on one element):")?;
        for miss in &p.near_misses {
            write!(out, "{}", super::verify::site_text(&miss.site, "    "))?;
            writeln!(out, "      {}", miss.detail)?;
        }
    }
    for note in r.notes.iter().chain(&p.notes) {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

/// A decoded message for people: the decision, then the request; then,
/// given inputs, rolecall's own decision with the statements that denied.
pub fn decoded_human(
    out: &mut dyn Write,
    m: &DecodedMessage,
    reevaluation: Option<&Result<Reevaluation, ReevaluateError>>,
) -> io::Result<()> {
    let decision = decision_text(m.allowed, m.explicit_deny);
    writeln!(out, "decision:  {decision}")?;
    let p = &m.principal;
    let who = match (&p.arn, &p.id) {
        (Some(arn), Some(id)) => format!("{arn} ({id})"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => p.name.clone().unwrap_or_else(|| "(not given)".into()),
    };
    writeln!(out, "principal: {who}")?;
    writeln!(
        out,
        "action:    {}",
        m.action.as_deref().unwrap_or("(not given)")
    )?;
    writeln!(
        out,
        "resource:  {}",
        m.resource.as_deref().unwrap_or("(not given)")
    )?;
    if m.context.is_empty() {
        writeln!(out, "context:   (none)")?;
    } else {
        writeln!(out, "context:")?;
        context_lines(out, "  ", &m.context)?;
    }
    if m.matched_statements.is_empty() {
        writeln!(out, "matched statements: none")?;
    } else {
        writeln!(out, "matched statements:")?;
        for s in &m.matched_statements {
            statement_lines(out, s)?;
        }
    }
    for failure in &m.failures {
        writeln!(out, "failure: {failure}")?;
    }
    match reevaluation {
        Some(re) => reevaluation_human(out, m, re),
        None => Ok(()),
    }
}

fn site_json(site: &Site) -> Value {
    json!({
        "policy_type": site.statement.policy_type,
        "policy": site.statement.policy,
        "statement": site.statement.statement,
        "effect": site.statement.effect,
        "file": site.file,
        "line": site.line,
        "embedded": site.embedded,
    })
}

fn reevaluation_json(re: &Result<Reevaluation, ReevaluateError>) -> Value {
    let r = match re {
        Ok(r) => r,
        Err(e) => return json!({"error": e.to_string()}),
    };
    let p = &r.performance;
    let near: Vec<Value> = p
        .near_misses
        .iter()
        .map(|m| json!({"statement": site_json(&m.site), "detail": m.detail}))
        .collect();
    json!({
        "principal": p.principal,
        "action": p.action,
        "resource": p.resource,
        "decision": p.decision.name(),
        "allowed": p.allowed,
        "agrees": r.agrees,
        "reason": p.reason,
        "denied_by": r.denied_by.iter().map(site_json).collect::<Vec<_>>(),
        "near_misses": near,
        "notes": r.notes.iter().chain(&p.notes).collect::<Vec<_>>(),
    })
}

fn context_json(entries: &[ContextEntry]) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|e| (e.key.clone(), json!(e.values)))
            .collect(),
    )
}

/// A decoded message as JSON (version 1): the request, normalised; given
/// inputs, `reevaluation` (rolecall's decision and the denying statements).
pub fn decoded_json(
    out: &mut dyn Write,
    m: &DecodedMessage,
    reevaluation: Option<&Result<Reevaluation, ReevaluateError>>,
) -> io::Result<()> {
    let statements: Vec<Value> = m
        .matched_statements
        .iter()
        .map(|s| {
            json!({
                "sid": s.statement_id,
                "effect": s.effect,
                "principals": s.principals,
                "principal_groups": s.principal_groups,
                "actions": s.actions,
                "resources": s.resources,
                "conditions": context_json(&s.conditions),
            })
        })
        .collect();
    let doc = json!({
        "version": VERSION,
        "allowed": m.allowed,
        "explicit_deny": m.explicit_deny,
        "principal": {"id": m.principal.id, "name": m.principal.name, "arn": m.principal.arn},
        "action": m.action,
        "resource": m.resource,
        "context": context_json(&m.context),
        "matched_statements": statements,
        "failures": m.failures,
    });
    let doc = match (doc, reevaluation) {
        (Value::Object(mut fields), Some(re)) => {
            fields.insert("reevaluation".into(), reevaluation_json(re));
            Value::Object(fields)
        }
        (doc, _) => doc,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::credentials::{Secret, TemporaryCredentials};
    use aws_sdk_sts::primitives::DateTime;

    fn role() -> AssumedRole {
        AssumedRole {
            credentials: TemporaryCredentials {
                access_key_id: Secret::new("ASIAEXAMPLE"),
                secret_access_key: Secret::new("se'cret"),
                session_token: Secret::new("token"),
                expiration: DateTime::from_secs(1_800_000_000),
            },
            arn: "arn:aws:sts::123456789012:assumed-role/R/s".into(),
            assumed_role_id: "AROAEXAMPLE:s".into(),
            source_identity: None,
        }
    }

    fn text(f: impl Fn(&mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn env_lines_are_shell_quoted() {
        assert_eq!(
            text(|o| credentials_env(o, &role())),
            "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\nexport AWS_SECRET_ACCESS_KEY='se'\\''cret'\nexport AWS_SESSION_TOKEN='token'\n"
        );
    }

    #[test]
    fn credential_process_shape() {
        // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
        let v: Value = serde_json::from_str(&text(|o| credential_process(o, &role()))).unwrap();
        assert_eq!(
            v,
            json!({"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "se'cret",
                   "SessionToken": "token", "Expiration": "2027-01-15T08:00:00Z"})
        );
    }

    #[test]
    fn json_shape() {
        let v: Value = serde_json::from_str(&text(|o| credentials_json(o, &role()))).unwrap();
        assert_eq!(v["Credentials"]["Expiration"], "2027-01-15T08:00:00Z");
        assert_eq!(v["AssumedRoleUser"]["AssumedRoleId"], "AROAEXAMPLE:s");
        assert!(v.get("SourceIdentity").is_none());
    }
}
