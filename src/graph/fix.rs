//! The smallest change that turns a failed check of `why` into a pass: a
//! statement to add, a statement as it should read, or a request parameter.

use serde::Serialize;
use serde_json::{Value, json};

use crate::eval::trace::{ConditionFailure, StatementRef};

/// One change, as a sentence and as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    /// What to change.
    pub summary: String,
    /// What to edit: a policy's name, `request` (the AssumeRole call) or
    /// `role` (the role's settings).
    pub target: String,
    /// The change: the statement to add, the statement as it should read,
    /// or the parameters to send.
    pub json: Value,
}

/// The statement's JSON as written, when its source is JSON.
fn statement_json(statement: &StatementRef) -> Option<serde_json::Map<String, Value>> {
    let source = statement.source.as_ref()?;
    match serde_json::from_str(source.slice(statement.span)).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Adds `value` to the list under `key` (a string becomes a list).
fn push_value(map: &mut serde_json::Map<String, Value>, key: &str, value: &str) -> bool {
    match map.get_mut(key) {
        Some(Value::Array(items)) => {
            items.push(Value::String(value.to_owned()));
            true
        }
        Some(existing @ Value::String(_)) => {
            let old = existing.take();
            *existing = json!([old, value]);
            true
        }
        _ => false,
    }
}

/// An identity-side statement that allows the assume.
pub(crate) fn identity_statement(action: &str, role: &str, target: &str, kind: &str) -> Fix {
    Fix {
        summary: format!("add this statement to {kind} `{target}`"),
        target: target.to_owned(),
        json: json!({"Effect": "Allow", "Action": action, "Resource": role}),
    }
}

/// A statement that almost matches: add `value` to its `element` (the
/// role to the `Resource` of a statement allowing the action on other
/// resources, the action to the `Action` of one naming the caller for
/// other actions).
pub(crate) fn add_to(statement: &StatementRef, element: &str, value: &str) -> Option<Fix> {
    let mut map = statement_json(statement)?;
    if !push_value(&mut map, element, value) {
        return None;
    }
    Some(Fix {
        summary: format!(
            "add `{value}` to the `{element}` of statement {} in `{}`",
            statement.statement, statement.policy
        ),
        target: statement.policy.clone(),
        json: Value::Object(map),
    })
}

/// The last path element and the account of an ARN.
fn name_and_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let account = parts.nth(4)?;
    let resource = parts.next()?;
    Some((resource, account))
}

/// A trust statement that names other principals: add (or, when it names
/// the same user or role in another account, put in its place) the caller.
pub(crate) fn add_principal(statement: &StatementRef, key: &str, caller: &str) -> Option<Fix> {
    let mut map = statement_json(statement)?;
    let principal = map.get_mut("Principal")?.as_object_mut()?;
    let mut replaced = None;
    if let (Some((resource, account)), Some(values)) =
        (name_and_account(caller), principal.get_mut(key))
    {
        let slot = match values {
            Value::String(_) => std::slice::from_mut(values),
            Value::Array(items) => items.as_mut_slice(),
            _ => &mut [],
        };
        for v in slot {
            let Some(text) = v.as_str() else { continue };
            if let Some((r, a)) = name_and_account(text)
                && r == resource
                && a != account
            {
                replaced = Some(text.to_owned());
                *v = Value::String(caller.to_owned());
            }
        }
    }
    let summary = match &replaced {
        Some(old) => format!(
            "replace `{old}` with `{caller}` in the `Principal` of statement {} in `{}` (same name, other account)",
            statement.statement, statement.policy
        ),
        None => {
            if !principal.contains_key(key) {
                principal.insert(key.to_owned(), Value::String(caller.to_owned()));
            } else {
                push_value(principal, key, caller);
            }
            format!(
                "add `{caller}` to the `Principal` of statement {} in `{}`",
                statement.statement, statement.policy
            )
        }
    };
    Some(Fix {
        summary,
        target: statement.policy.clone(),
        json: Value::Object(map),
    })
}

/// A new trust statement naming the caller.
pub(crate) fn trust_statement(
    key: &str,
    caller: &str,
    action: &str,
    external_id: Option<&str>,
    policy: &str,
) -> Fix {
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": {key: caller},
        "Action": action,
    });
    if let Some(id) = external_id {
        statement["Condition"] = json!({"StringEquals": {"sts:ExternalId": id}});
    }
    Fix {
        summary: format!("add this statement to the trust policy `{policy}`"),
        target: policy.to_owned(),
        json: statement,
    }
}

/// The request parameter a condition key stands for, as a `rolecall why`
/// flag.
fn flag(key: &str, value: &str) -> String {
    match key.to_ascii_lowercase().as_str() {
        "sts:externalid" => format!("--external-id {value}"),
        "aws:multifactorauthpresent" if value.eq_ignore_ascii_case("true") => "--mfa".into(),
        "aws:sourceip" => format!("--source-ip {value}"),
        _ => format!("--context {key}={value}"),
    }
}

/// A trust condition the request fails: send what it asks for.
pub(crate) fn request_condition(failure: &ConditionFailure) -> Fix {
    let negated = failure.operator.contains("Not");
    let value = failure.policy_values.first().cloned().unwrap_or_default();
    if negated || failure.operator.starts_with("Null") {
        return Fix {
            summary: format!(
                "make the request satisfy `{}` on `{}` with {} (the policy's values)",
                failure.operator,
                failure.key,
                failure.policy_values.join(", ")
            ),
            target: "request".into(),
            json: json!({"context": {failure.key.clone(): failure.policy_values}}),
        };
    }
    Fix {
        summary: format!(
            "send `{}` = `{value}` as the trust policy expects ({})",
            failure.key,
            flag(&failure.key, &value)
        ),
        target: "request".into(),
        json: json!({"context": {failure.key.clone(): value}}),
    }
}

/// A `Deny` with `NotAction` that leaves the action out: list it.
pub(crate) fn not_action_exception(statement: &StatementRef, action: &str) -> Option<Fix> {
    let mut map = statement_json(statement)?;
    if !push_value(&mut map, "NotAction", action) {
        return None;
    }
    Some(Fix {
        summary: format!(
            "add `{action}` to the `NotAction` of the `Deny` statement {} in `{}`, or make the request outside its condition",
            statement.statement, statement.policy
        ),
        target: statement.policy.clone(),
        json: Value::Object(map),
    })
}

/// A `Deny` that applies: what to do about it in words.
pub(crate) fn deny(statement: &StatementRef, action: &str) -> Fix {
    Fix {
        summary: format!(
            "the `Deny` statement {} in `{}` applies: exclude `{action}` on this role from it, or remove it",
            statement.statement, statement.policy
        ),
        target: statement.policy.clone(),
        json: Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::PolicyType;
    use crate::eval::trace::Location;
    use crate::source::{SourceFile, Span};

    fn statement(text: &str) -> StatementRef {
        let source = SourceFile::new("p.json", text);
        StatementRef {
            policy_type: PolicyType::Resource,
            policy: "p".into(),
            level: None,
            statement: "S".into(),
            index: 0,
            effect: "Allow",
            grant: None,
            location: Location {
                start: 0,
                end: text.len(),
                line: Some(1),
                column: Some(1),
            },
            span: Span::new(0, text.len()),
            source: Some(source),
        }
    }

    #[test]
    fn principal_from_another_account_is_replaced() {
        let s = statement(
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::888888888888:user/test-user","arn:aws:iam::888888888888:role/x"]},"Action":"sts:AssumeRole"}"#,
        );
        let fix = add_principal(&s, "AWS", "arn:aws:iam::999999999999:user/test-user").unwrap();
        assert!(fix.summary.starts_with("replace"));
        assert_eq!(
            fix.json["Principal"]["AWS"],
            json!([
                "arn:aws:iam::999999999999:user/test-user",
                "arn:aws:iam::888888888888:role/x"
            ])
        );
        let s = statement(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/a"},"Action":"sts:AssumeRole"}"#,
        );
        let fix = add_principal(&s, "AWS", "arn:aws:iam::999999999999:user/u").unwrap();
        assert_eq!(
            fix.json["Principal"]["AWS"],
            json!(["arn:aws:iam::1:role/a", "arn:aws:iam::999999999999:user/u"])
        );
    }

    #[test]
    fn resource_and_actions_are_extended() {
        let s = statement(
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::1:role/a"}"#,
        );
        let fix = add_to(&s, "Resource", "arn:aws:iam::2:role/b").unwrap();
        assert_eq!(
            fix.json["Resource"],
            json!(["arn:aws:iam::1:role/a", "arn:aws:iam::2:role/b"])
        );
        let fix = add_to(&s, "Action", "sts:TagSession").unwrap();
        assert_eq!(
            fix.json["Action"],
            json!(["sts:AssumeRole", "sts:TagSession"])
        );
    }

    #[test]
    fn condition_fix_names_the_flag() {
        let failure = ConditionFailure {
            operator: "StringEquals".into(),
            key: "sts:ExternalId".into(),
            policy_values: vec!["abc".into()],
            request_values: Some(vec!["999".into()]),
            reason: String::new(),
            location: Location {
                start: 0,
                end: 0,
                line: None,
                column: None,
            },
        };
        let fix = request_condition(&failure);
        assert!(fix.summary.contains("--external-id abc"), "{}", fix.summary);
        assert_eq!(fix.json, json!({"context": {"sts:ExternalId": "abc"}}));
    }
}
