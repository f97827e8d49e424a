//! `rolecall decode`: the request an AccessDenied describes, from the
//! encoded message (through sts:DecodeAuthorizationMessage) or from the
//! decoded JSON document.
//!
//! The decoded document's shape is the one AWS's example shows
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/sts_example_sts_DecodeAuthorizationMessage_section.html>):
//! `allowed`, `explicitDeny`, `matchedStatements.items[]`, `failures.items[]`
//! and `context` with `principal`, `action`, `resource` and
//! `conditions.items[{key, values.items[{value}]}]`. Booleans may come as
//! strings and empty lists as `""` (the boto3 reference's example), so both
//! are accepted.
//!
//! Given inputs, [`reevaluate`] decides the request again with rolecall's
//! engine and names the statements (file and line) that denied it.

use serde_json::Value;

use super::client::Clients;
use super::error::LiveError;
use crate::eval::Decision;
use crate::graph::{Diagnoser, PerformError, PerformRequest, Performance, Site};

/// What the user passed as MESSAGE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// An encoded authorization message, to decode through STS.
    Encoded(String),
    /// A decoded JSON document (or `aws sts decode-authorization-message`
    /// output, `{"DecodedMessage": "…"}`).
    Decoded(String),
}

/// The text AWS puts before the encoded message in an error message.
const ENCODED_MARKER: &str = "Encoded authorization failure message:";

impl Message {
    /// Tells a decoded document (JSON) from an encoded message; an encoded
    /// message is also found after "Encoded authorization failure message:"
    /// in a pasted AWS error.
    pub fn classify(text: &str) -> Self {
        let trimmed = text.trim();
        if trimmed.starts_with('{') {
            return Self::Decoded(trimmed.to_owned());
        }
        let encoded = trimmed
            .find(ENCODED_MARKER)
            .map_or(trimmed, |i| trimmed[i + ENCODED_MARKER.len()..].trim());
        let encoded = encoded.split_whitespace().next().unwrap_or_default();
        Self::Encoded(encoded.to_owned())
    }
}

/// A decoded document that cannot be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DecodeError {
    /// Not JSON.
    #[error("the decoded message is not JSON: {0}")]
    #[diagnostic(
        code(rolecall::decode::json),
        help(
            "pass the encoded message, or the `DecodedMessage` text that `aws sts decode-authorization-message` prints"
        )
    )]
    Json(#[from] serde_json::Error),
    /// JSON, but not a decoded authorization message.
    #[error("the decoded message has no `{0}`")]
    #[diagnostic(code(rolecall::decode::shape))]
    Shape(&'static str),
}

/// The principal that made the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodedPrincipal {
    /// The unique id (`AIDA…`, `AROA…:session`).
    pub id: Option<String>,
    /// The name, for users.
    pub name: Option<String>,
    /// The ARN.
    pub arn: Option<String>,
}

/// A condition key and its values, in the request or in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The condition key.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

/// A statement that matched the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchedStatement {
    /// The statement id (`Sid`), when AWS names one.
    pub statement_id: Option<String>,
    /// `ALLOW` or `DENY`.
    pub effect: Option<String>,
    /// Its principals.
    pub principals: Vec<String>,
    /// Its principal groups.
    pub principal_groups: Vec<String>,
    /// Its actions.
    pub actions: Vec<String>,
    /// Its resources.
    pub resources: Vec<String>,
    /// Its conditions.
    pub conditions: Vec<ContextEntry>,
}

/// The request an authorization failure describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    /// Whether the request was allowed.
    pub allowed: bool,
    /// Whether an explicit deny decided it.
    pub explicit_deny: bool,
    /// Who made the request.
    pub principal: DecodedPrincipal,
    /// The action as AWS wrote it (sometimes without the service prefix).
    pub action: Option<String>,
    /// The resource.
    pub resource: Option<String>,
    /// The request context: condition keys and their values.
    pub context: Vec<ContextEntry>,
    /// The statements that matched.
    pub matched_statements: Vec<MatchedStatement>,
    /// Failures AWS lists (evaluation errors).
    pub failures: Vec<String>,
}

impl DecodedMessage {
    /// Reads a decoded document, or the AWS CLI's `{"DecodedMessage": "…"}`.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        let value: Value = serde_json::from_str(text)?;
        if let Some(inner) = value.get("DecodedMessage").and_then(Value::as_str) {
            return Self::parse(inner);
        }
        let Some(context) = value.get("context").filter(|c| c.is_object()) else {
            return Err(DecodeError::Shape("context"));
        };
        if value.get("allowed").is_none() {
            return Err(DecodeError::Shape("allowed"));
        }
        let principal = context.get("principal");
        let text_of = |v: Option<&Value>, key: &str| {
            v.and_then(|p| p.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Ok(Self {
            allowed: boolean(value.get("allowed")),
            explicit_deny: boolean(value.get("explicitDeny")),
            principal: DecodedPrincipal {
                id: text_of(principal, "id"),
                name: text_of(principal, "name"),
                arn: text_of(principal, "arn"),
            },
            action: text_of(Some(context), "action"),
            resource: text_of(Some(context), "resource"),
            context: entries(context.get("conditions")),
            matched_statements: items(value.get("matchedStatements"))
                .iter()
                .map(matched_statement)
                .collect(),
            failures: items(value.get("failures"))
                .iter()
                .map(|f| match f {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        })
    }
}

/// `true`/`"true"` (any case) are true; anything else is false.
fn boolean(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The `items` of an `{"items": [...]}` list; `""`, `null` or absent is empty.
fn items(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Object(o)) => o
            .get("items")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice),
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// The `value`s of an `{"items": [{"value": …}]}` list.
fn values(v: Option<&Value>) -> Vec<String> {
    items(v)
        .iter()
        .filter_map(|item| match item.get("value").unwrap_or(item) {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
        .collect()
}

fn entries(v: Option<&Value>) -> Vec<ContextEntry> {
    items(v)
        .iter()
        .filter_map(|item| {
            // Older messages wrap each entry: `{"item": {"key", "values"}}`.
            let item = item.get("item").unwrap_or(item);
            Some(ContextEntry {
                key: item.get("key")?.as_str()?.to_owned(),
                values: values(item.get("values")),
            })
        })
        .collect()
}

fn matched_statement(v: &Value) -> MatchedStatement {
    MatchedStatement {
        statement_id: v
            .get("statementId")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        effect: v.get("effect").and_then(Value::as_str).map(str::to_owned),
        principals: values(v.get("principals")),
        principal_groups: values(v.get("principalGroups")),
        actions: values(v.get("actions")),
        resources: values(v.get("resources")),
        conditions: entries(v.get("conditions")),
    }
}

/// Why a decoded request cannot be re-evaluated.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReevaluateError {
    /// The message lacks a part the engine needs.
    #[error("the decoded message has no {0}, so it cannot be re-evaluated")]
    #[diagnostic(code(rolecall::decode::incomplete))]
    Missing(&'static str),
    /// The engine cannot decide it from the inputs.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Perform(#[from] PerformError),
}

/// The decoded request decided again by rolecall's engine from the inputs.
#[derive(Debug, Clone)]
pub struct Reevaluation {
    /// The engine's answer, with every applying statement located.
    pub performance: Performance,
    /// Whether the engine decides as AWS did (`allowed` and, for a denial,
    /// explicit or not).
    pub agrees: bool,
    /// The statements that denied: the applying `Deny`s for an explicit
    /// deny; for an implicit deny, none (no statement allows).
    pub denied_by: Vec<Site>,
    /// How the request was read from the message.
    pub notes: Vec<String>,
}

/// The action with its service prefix: AWS's examples give the bare
/// operation (`RunInstances`), whose service is the resource ARN's or a
/// matched statement's.
fn qualified_action(message: &DecodedMessage, notes: &mut Vec<String>) -> Option<String> {
    let action = message.action.as_deref().filter(|a| !a.is_empty())?;
    if action.contains(':') {
        return Some(action.to_owned());
    }
    let from_statement = message
        .matched_statements
        .iter()
        .flat_map(|s| &s.actions)
        .find(|a| {
            a.split_once(':')
                .is_some_and(|(_, name)| name.eq_ignore_ascii_case(action))
        })
        .and_then(|a| a.split_once(':'))
        .map(|(service, _)| service.to_owned());
    let from_resource = message
        .resource
        .as_deref()
        .and_then(|r| r.split(':').nth(2))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let service = from_statement.or(from_resource)?;
    let qualified = format!("{service}:{action}");
    notes.push(format!(
        "the message names the action `{action}` without its service: read as `{qualified}`"
    ));
    Some(qualified)
}

/// Re-evaluates the decoded request with the inventory's policies and names
/// the statements that denied it.
pub fn reevaluate(
    diagnoser: &Diagnoser<'_>,
    message: &DecodedMessage,
) -> Result<Reevaluation, ReevaluateError> {
    let mut notes = Vec::new();
    let principal = message
        .principal
        .arn
        .clone()
        .ok_or(ReevaluateError::Missing("principal ARN"))?;
    let action = qualified_action(message, &mut notes).ok_or(ReevaluateError::Missing("action"))?;
    let resource = message
        .resource
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "*".to_owned());
    let context = message
        .context
        .iter()
        .flat_map(|e| e.values.iter().map(|v| (e.key.clone(), v.clone())))
        .collect();
    let performance = diagnoser.perform(&PerformRequest {
        principal,
        action,
        resource,
        context,
    })?;
    let denied_by = match performance.decision {
        Decision::ExplicitDeny => performance
            .statements
            .iter()
            .filter(|s| s.statement.effect == "Deny")
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let agrees = performance.allowed == message.allowed
        && (message.allowed
            || (performance.decision == Decision::ExplicitDeny) == message.explicit_deny);
    Ok(Reevaluation {
        performance,
        agrees,
        denied_by,
        notes,
    })
}

/// Decodes an encoded message through sts:DecodeAuthorizationMessage.
pub async fn decode(clients: &Clients, encoded: &str) -> Result<String, LiveError> {
    const OP: &str = "sts:DecodeAuthorizationMessage";
    let out = clients
        .sts()
        .decode_authorization_message()
        .encoded_message(encoded)
        .send()
        .await
        .map_err(|e| clients.site().error(OP, e))?;
    out.decoded_message()
        .map(str::to_owned)
        .ok_or_else(|| LiveError::Other {
            operation: OP,
            detail: "the answer has no decoded message".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's example of a decoded message (IAM User Guide, "Use
    /// DecodeAuthorizationMessage with a CLI":
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/sts_example_sts_DecodeAuthorizationMessage_section.html>),
    /// shortened to the parts read here.
    const AWS_EXAMPLE: &str = r#"{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"VisualEditor0","effect":"DENY","principals":{"items":[{"value":"AROA123456789EXAMPLE"}]},"principalGroups":{"items":[]},"actions":{"items":[{"value":"ec2:RunInstances"}]},"resources":{"items":[{"value":"*"}]},"conditions":{"items":[]}}]},"failures":{"items":[]},"context":{"principal":{"id":"AROA123456789EXAMPLE:Ana","arn":"arn:aws:sts::111122223333:assumed-role/Developer/Ana"},"action":"RunInstances","resource":"arn:aws:ec2:us-east-1:111122223333:instance/*","conditions":{"items":[{"key":"ec2:MetadataHttpPutResponseHopLimit","values":{"items":[{"value":"2"}]}},{"key":"aws:Region","values":{"items":[{"value":"us-east-1"}]}}]}}}"#;

    #[test]
    fn reads_the_aws_example() {
        let m = DecodedMessage::parse(AWS_EXAMPLE).unwrap();
        assert!(!m.allowed);
        assert!(m.explicit_deny);
        assert_eq!(
            m.principal.arn.as_deref(),
            Some("arn:aws:sts::111122223333:assumed-role/Developer/Ana")
        );
        assert_eq!(m.action.as_deref(), Some("RunInstances"));
        assert_eq!(m.context.len(), 2);
        assert_eq!(m.context[1].key, "aws:Region");
        assert_eq!(m.context[1].values, ["us-east-1"]);
        let s = &m.matched_statements[0];
        assert_eq!(s.statement_id.as_deref(), Some("VisualEditor0"));
        assert_eq!(s.effect.as_deref(), Some("DENY"));
        assert_eq!(s.actions, ["ec2:RunInstances"]);
        assert_eq!(s.resources, ["*"]);
    }

    #[test]
    fn reads_the_cli_wrapper_and_string_booleans() {
        let wrapped = serde_json::json!({"DecodedMessage": AWS_EXAMPLE}).to_string();
        assert_eq!(
            DecodedMessage::parse(&wrapped).unwrap(),
            DecodedMessage::parse(AWS_EXAMPLE).unwrap()
        );
        // The boto3 reference's example: booleans as strings, lists as "".
        let boto = r#"{"allowed": "false","explicitDeny": "false","matchedStatements": "","failures": "","context": {"principal": {"id": "AIDACKCEVSQ6C2EXAMPLE","name": "Bob","arn": "arn:aws:iam::123456789012:user/Bob"},"action": "ec2:StopInstances","resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-dd01c9bd","conditions": [{"item": {"key": "ec2:Tenancy","values": ["default"]}}]}}"#;
        let m = DecodedMessage::parse(boto).unwrap();
        assert!(!m.allowed && !m.explicit_deny);
        assert_eq!(m.principal.name.as_deref(), Some("Bob"));
        assert_eq!(
            m.context,
            [ContextEntry {
                key: "ec2:Tenancy".into(),
                values: vec!["default".into()]
            }]
        );
        assert!(m.matched_statements.is_empty());
    }

    #[test]
    fn rejects_other_documents() {
        assert!(matches!(
            DecodedMessage::parse("{\"Version\":\"2012-10-17\"}"),
            Err(DecodeError::Shape("context"))
        ));
        assert!(matches!(
            DecodedMessage::parse("{"),
            Err(DecodeError::Json(_))
        ));
    }

    fn developer_inventory(deny: bool) -> crate::inventory::Inventory {
        use crate::graph::testing::dump_inventory;
        let mut statements = vec![serde_json::json!(
            {"Sid": "Everything", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}
        )];
        if deny {
            statements.push(serde_json::json!(
                {"Sid": "VisualEditor0", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*"}
            ));
            statements[0]["Action"] = serde_json::json!("ec2:*");
        }
        let dump = serde_json::json!({
            "UserDetailList": [], "GroupDetailList": [], "Policies": [],
            "RoleDetailList": [{
                "Path": "/", "RoleName": "Developer", "RoleId": "AROA123456789EXAMPLE",
                "Arn": "arn:aws:iam::111122223333:role/Developer",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
                "RolePolicyList": [{"PolicyName": "dev", "PolicyDocument":
                    {"Version": "2012-10-17", "Statement": statements}}],
            }],
        });
        dump_inventory("111122223333", &dump)
    }

    // An explicit Deny in an identity policy overrides any Allow ("Policy
    // evaluation logic",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    #[test]
    fn reevaluation_names_the_denying_statement() {
        let inventory = developer_inventory(true);
        let diagnoser = Diagnoser::new(&inventory);
        let message = DecodedMessage::parse(AWS_EXAMPLE).unwrap();
        let r = reevaluate(&diagnoser, &message).unwrap();
        assert_eq!(r.performance.decision, Decision::ExplicitDeny);
        assert_eq!(r.performance.action, "ec2:RunInstances");
        assert!(r.agrees);
        assert_eq!(r.denied_by.len(), 1);
        let site = &r.denied_by[0];
        assert_eq!(site.statement.statement, "VisualEditor0");
        assert_eq!(site.file, "111122223333.authorization-details.json");
        assert!(site.line.is_some_and(|l| l > 1), "{site:?}");
        assert!(
            r.notes[0].contains("read as `ec2:RunInstances`"),
            "{:?}",
            r.notes
        );
    }

    // Without an Allow for the action the request is implicitly denied
    // (same page): AWS's explicit deny then disagrees with the inputs.
    #[test]
    fn reevaluation_reports_an_implicit_deny_and_disagreement() {
        let inventory = developer_inventory(false);
        let diagnoser = Diagnoser::new(&inventory);
        let message = DecodedMessage::parse(AWS_EXAMPLE).unwrap();
        let r = reevaluate(&diagnoser, &message).unwrap();
        assert_eq!(r.performance.decision, Decision::ImplicitDeny);
        assert!(r.denied_by.is_empty());
        assert!(!r.agrees, "AWS says explicit, the inputs implicit");
        let no_principal = DecodedMessage {
            principal: DecodedPrincipal::default(),
            ..message
        };
        assert!(matches!(
            reevaluate(&diagnoser, &no_principal),
            Err(ReevaluateError::Missing("principal ARN"))
        ));
    }

    #[test]
    fn classifies_messages() {
        assert_eq!(
            Message::classify("  {\"allowed\":false}\n"),
            Message::Decoded("{\"allowed\":false}".into())
        );
        assert_eq!(
            Message::classify("EXAMPLEWodyRNrtlQ\n"),
            Message::Encoded("EXAMPLEWodyRNrtlQ".into())
        );
        let pasted = "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLEabc-_123";
        assert_eq!(
            Message::classify(pasted),
            Message::Encoded("EXAMPLEabc-_123".into())
        );
    }
}
