//! `rolecall simulate` as a library: a JSON request in, a decision and its
//! trace (or an error for that request) out.
//!
//! The request shape is fixed by issue 3:
//! `{"principal","action","resource","resource_account"?,"context"?:{key:
//! string|[string]},"identity_policies"?:[doc],"resource_policy"?:doc,
//! "permission_boundaries"?:[doc],"scps"?:[[doc]],"rcps"?:[[doc]],
//! "session_policy"?:doc}`; a policy may carry `"__name"`, used only as its
//! name in the trace. Answers are `{"decision","trace"}` or `{"error"}`.

use std::io::BufRead;
use std::sync::Arc;

use serde::Serialize;

use super::compile::{CompiledPolicy, InvalidPolicy, PolicyType};
use super::engine::{PolicySet, PolicySetError};
use super::request::{Request, RequestError, RequestInput};
use super::trace::{Evaluation, evaluate};
use super::{ContextValue, RequestContext};
use crate::policy::build_policy;
use crate::source::{SourceFile, Span};
use crate::value::{JsonSyntaxError, Member, Value, ValueKind, parse_json};

/// The member of a policy document that names it in traces.
pub const NAME_MEMBER: &str = "__name";

/// One policy document of a request: its tree, the text its spans index,
/// and its name when it has one.
#[derive(Debug, Clone)]
pub struct PolicyInput {
    /// `"__name"`, or a file name in flags mode.
    pub name: Option<String>,
    /// The text the tree's spans index.
    pub source: Arc<SourceFile>,
    /// The document (without `"__name"`).
    pub value: Value,
}

impl PolicyInput {
    /// A document read from its own file; `"__name"` is honoured there too.
    pub fn from_file(source: Arc<SourceFile>) -> Result<Self, SimulateError> {
        let value = parse_json(source.text()).map_err(|e| SimulateError::json(&source, e))?;
        let (value, name) = split_name(value, &source)?;
        let name = name.or_else(|| Some(source.name().to_owned()));
        Ok(Self {
            name,
            source,
            value,
        })
    }
}

/// Everything one simulation needs, before validation.
#[derive(Debug, Clone, Default)]
pub struct SimulationInput {
    /// `principal`.
    pub principal: String,
    /// `action`.
    pub action: String,
    /// `resource`.
    pub resource: String,
    /// `resource_account`.
    pub resource_account: Option<String>,
    /// `context`.
    pub context: RequestContext,
    /// `identity_policies`.
    pub identity: Vec<PolicyInput>,
    /// `resource_policy`.
    pub resource_policy: Option<PolicyInput>,
    /// `permission_boundaries`.
    pub boundaries: Vec<PolicyInput>,
    /// `scps`, by level.
    pub scps: Vec<Vec<PolicyInput>>,
    /// `rcps`, by level.
    pub rcps: Vec<Vec<PolicyInput>>,
    /// `session_policy`.
    pub session: Option<PolicyInput>,
}

/// Why one request could not be answered. Never stops a batch.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SimulateError {
    /// The request text is not JSON.
    #[error("invalid JSON: {message}")]
    Json {
        /// What is wrong.
        message: String,
        /// Where.
        at: Position,
    },
    /// The request object does not have the documented shape.
    #[error("{message}")]
    Shape {
        /// What is wrong.
        message: String,
        /// Where.
        at: Position,
    },
    /// The principal, action, resource or account is invalid.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A policy cannot be evaluated.
    #[error("{invalid}")]
    Policy {
        /// The problems.
        invalid: InvalidPolicy,
        /// The policy's text.
        text: Arc<SourceFile>,
    },
    /// A policy cannot apply to the principal.
    #[error(transparent)]
    PolicySet(#[from] PolicySetError),
    /// The command line does not describe a request (flags mode).
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
    },
}

/// A place in a source: its name and 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The source name.
    pub source: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The byte span.
    #[serde(skip)]
    pub span: Span,
}

impl Position {
    fn of(source: &SourceFile, span: Span) -> Self {
        let lc = source.line_col(span.start);
        Self {
            source: source.name().to_owned(),
            line: lc.line,
            column: lc.column,
            span,
        }
    }
}

impl SimulateError {
    fn json(source: &SourceFile, e: JsonSyntaxError) -> Self {
        Self::Json {
            message: e.message,
            at: Position::of(source, e.span),
        }
    }

    fn shape(source: &SourceFile, span: Span, message: impl Into<String>) -> Self {
        Self::Shape {
            message: message.into(),
            at: Position::of(source, span),
        }
    }

    /// A stable code for JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Json { .. } => "invalid_json",
            Self::Shape { .. } => "invalid_request",
            Self::Request(_) | Self::Usage { .. } => "invalid_request",
            Self::Policy { .. } => "invalid_policy",
            Self::PolicySet(PolicySetError::ContextType { .. }) => "invalid_context",
            Self::PolicySet(_) => "policy_not_applicable",
        }
    }

    /// The JSON form: `{"kind","message","source"?,"line"?,"column"?,
    /// "policy"?,"problems"?:[{"message","line","column"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::json!({"kind": self.kind(), "message": self.to_string()});
        match self {
            Self::Json { at, .. } | Self::Shape { at, .. } => {
                out["source"] = at.source.clone().into();
                out["line"] = at.line.into();
                out["column"] = at.column.into();
            }
            Self::Policy { invalid, text } => {
                out["policy"] = invalid.name.clone().into();
                out["problems"] = invalid
                    .problems
                    .iter()
                    .map(|p| {
                        let at = Position::of(text, p.span);
                        serde_json::json!({"message": p.message, "source": at.source, "line": at.line, "column": at.column})
                    })
                    .collect();
            }
            Self::Request(_) | Self::PolicySet(_) | Self::Usage { .. } => {}
        }
        out
    }
}

/// One answer of a batch.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The decision and its trace.
    Evaluated(Box<Evaluation>),
    /// The request could not be evaluated.
    Error(SimulateError),
}

impl Answer {
    /// The JSON line: `{"decision","trace"}` or `{"error"}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Evaluated(e) => serde_json::to_value(e.as_ref()).unwrap_or_else(
                |e| serde_json::json!({"error": {"kind": "internal", "message": e.to_string()}}),
            ),
            Self::Error(e) => serde_json::json!({ "error": e.to_json() }),
        }
    }
}

/// Answers one request given as JSON text.
pub fn run_request(source: &Arc<SourceFile>) -> Answer {
    match parse_request(source).and_then(|input| simulate(&input)) {
        Ok(e) => Answer::Evaluated(Box::new(e)),
        Err(e) => Answer::Error(e),
    }
}

/// Validates and evaluates one simulation.
pub fn simulate(input: &SimulationInput) -> Result<Evaluation, SimulateError> {
    let (request, set) = prepare(input)?;
    Ok(evaluate(&set, &request))
}

/// Validates a simulation into a request and a compiled policy set, ready
/// to be decided any number of times.
pub fn prepare(input: &SimulationInput) -> Result<(Request, PolicySet), SimulateError> {
    let request = Request::new(
        RequestInput {
            principal: &input.principal,
            action: &input.action,
            resource: &input.resource,
            resource_account: input.resource_account.as_deref(),
        },
        input.context.clone(),
    )?;
    let compile = |p: &PolicyInput, t: PolicyType, default_name: String| {
        let parsed = build_policy(&p.value);
        let name = p.name.clone().unwrap_or(default_name);
        CompiledPolicy::compile_parsed(&parsed, name, t, Some(p.source.clone())).map_err(
            |invalid| SimulateError::Policy {
                invalid,
                text: p.source.clone(),
            },
        )
    };
    let flat = |ps: &[PolicyInput], t: PolicyType, prefix: &str| {
        ps.iter()
            .enumerate()
            .map(|(i, p)| compile(p, t, format!("{prefix}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
    };
    let leveled = |levels: &[Vec<PolicyInput>], t: PolicyType, prefix: &str| {
        levels
            .iter()
            .enumerate()
            .map(|(l, ps)| {
                ps.iter()
                    .enumerate()
                    .map(|(i, p)| compile(p, t, format!("{prefix}[{l}][{i}]")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let set = PolicySet {
        identity: flat(&input.identity, PolicyType::Identity, "identity")?,
        resource: input
            .resource_policy
            .as_ref()
            .map(|p| compile(p, PolicyType::Resource, "resource".into()))
            .transpose()?,
        boundaries: flat(&input.boundaries, PolicyType::Boundary, "boundary")?,
        scps: leveled(&input.scps, PolicyType::Scp, "scp")?,
        rcps: leveled(&input.rcps, PolicyType::Rcp, "rcp")?,
        session: input
            .session
            .as_ref()
            .map(|p| compile(p, PolicyType::Session, "session".into()))
            .transpose()?,
    };
    set.check(&request.principal)?;
    set.check_context(&request)?;
    Ok((request, set))
}

/// The request members, in the documented order.
const MEMBERS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resource_account",
    "context",
    "identity_policies",
    "resource_policy",
    "permission_boundaries",
    "scps",
    "rcps",
    "session_policy",
];

/// Parses one request object.
pub fn parse_request(source: &Arc<SourceFile>) -> Result<SimulationInput, SimulateError> {
    let root = parse_json(source.text()).map_err(|e| SimulateError::json(source, e))?;
    let shape = |span: Span, message: String| SimulateError::shape(source, span, message);
    let Some(members) = root.as_object() else {
        return Err(shape(
            root.span,
            format!(
                "a request must be a JSON object, found {}",
                root.type_name()
            ),
        ));
    };
    for (i, m) in members.iter().enumerate() {
        if !MEMBERS.contains(&m.key.as_str()) {
            return Err(shape(
                m.key_span,
                format!(
                    "unknown request member `{}`: a request has {}{}",
                    m.key,
                    MEMBERS
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    crate::policy::did_you_mean(&m.key, MEMBERS)
                ),
            ));
        }
        if members[..i].iter().any(|e| e.key == m.key) {
            return Err(shape(
                m.key_span,
                format!("duplicate request member `{}`", m.key),
            ));
        }
    }
    let get = |key: &str| members.iter().find(|m| m.key == key);
    let string = |key: &str, required: bool| -> Result<Option<String>, SimulateError> {
        match get(key) {
            None if required => Err(shape(root.span, format!("the request has no `{key}`"))),
            None => Ok(None),
            Some(m) => match &m.value.kind {
                ValueKind::String(s) => Ok(Some(s.clone())),
                _ => Err(shape(
                    m.value.span,
                    format!("`{key}` must be a string, found {}", m.value.type_name()),
                )),
            },
        }
    };
    let doc = |value: &Value| -> Result<PolicyInput, SimulateError> {
        let (value, name) = split_name(value.clone(), source)?;
        Ok(PolicyInput {
            name,
            source: source.clone(),
            value,
        })
    };
    let array = |value: &'_ Value, what: &str| -> Result<Vec<Value>, SimulateError> {
        value.as_array().map(<[Value]>::to_vec).ok_or_else(|| {
            shape(
                value.span,
                format!("{what} must be an array, found {}", value.type_name()),
            )
        })
    };
    let docs = |key: &str| -> Result<Vec<PolicyInput>, SimulateError> {
        match get(key) {
            None => Ok(Vec::new()),
            Some(m) => array(&m.value, &format!("`{key}`"))?
                .iter()
                .map(&doc)
                .collect(),
        }
    };
    let levels = |key: &str| -> Result<Vec<Vec<PolicyInput>>, SimulateError> {
        match get(key) {
            None => Ok(Vec::new()),
            Some(m) => array(
                &m.value,
                &format!("`{key}` (a list of levels, organization root first)"),
            )?
            .iter()
            .map(|level| {
                array(level, &format!("each level of `{key}`"))?
                    .iter()
                    .map(&doc)
                    .collect()
            })
            .collect(),
        }
    };
    let single = |key: &str| get(key).map(|m| doc(&m.value)).transpose();
    Ok(SimulationInput {
        principal: string("principal", true)?.unwrap_or_default(),
        action: string("action", true)?.unwrap_or_default(),
        resource: string("resource", true)?.unwrap_or_default(),
        resource_account: string("resource_account", false)?,
        context: match get("context") {
            Some(m) => context(&m.value, source)?,
            None => RequestContext::new(),
        },
        identity: docs("identity_policies")?,
        resource_policy: single("resource_policy")?,
        boundaries: docs("permission_boundaries")?,
        scps: levels("scps")?,
        rcps: levels("rcps")?,
        session: single("session_policy")?,
    })
}

/// `{key: string | [string]}`.
fn context(value: &Value, source: &SourceFile) -> Result<RequestContext, SimulateError> {
    let shape = |span: Span, message: String| SimulateError::shape(source, span, message);
    let members = value.as_object().ok_or_else(|| {
        shape(
            value.span,
            format!("`context` must be an object, found {}", value.type_name()),
        )
    })?;
    let mut context = RequestContext::new();
    for (i, m) in members.iter().enumerate() {
        if members[..i]
            .iter()
            .any(|e| e.key.eq_ignore_ascii_case(&m.key))
        {
            return Err(shape(
                m.key_span,
                format!("context key `{}` is given twice (keys ignore case)", m.key),
            ));
        }
        let wrong = |v: &Value| {
            shape(
                v.span,
                format!(
                    "context value of `{}` must be a string or an array of strings, found {}{}",
                    m.key,
                    v.type_name(),
                    match &v.kind {
                        ValueKind::Bool(b) => format!(" (write \"{b}\")"),
                        ValueKind::Number(n) => format!(" (write \"{n}\")"),
                        _ => String::new(),
                    }
                ),
            )
        };
        let v = match &m.value.kind {
            ValueKind::String(s) => ContextValue::Single(s.clone()),
            ValueKind::Array(items) => ContextValue::Multi(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned).ok_or_else(|| wrong(item)))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(wrong(&m.value)),
        };
        context.insert(m.key.clone(), v);
    }
    Ok(context)
}

/// Removes `"__name"` from a policy object and returns it.
fn split_name(value: Value, source: &SourceFile) -> Result<(Value, Option<String>), SimulateError> {
    let Value { span, kind } = value;
    let ValueKind::Object(members) = kind else {
        let value = Value { span, kind };
        return Err(SimulateError::shape(
            source,
            span,
            format!(
                "a policy must be a JSON object, found {}",
                value.type_name()
            ),
        ));
    };
    let mut name = None;
    let mut kept: Vec<Member> = Vec::with_capacity(members.len());
    for m in members {
        if m.key == NAME_MEMBER {
            match m.value.as_str() {
                Some(s) => name = Some(s.to_owned()),
                None => {
                    return Err(SimulateError::shape(
                        source,
                        m.value.span,
                        format!(
                            "`{NAME_MEMBER}` must be a string, found {}",
                            m.value.type_name()
                        ),
                    ));
                }
            }
        } else {
            kept.push(m);
        }
    }
    Ok((
        Value {
            span,
            kind: ValueKind::Object(kept),
        },
        name,
    ))
}

/// Reads requests from a stream: one JSON object (possibly over many lines),
/// or JSON Lines, one request per non-blank line, answered in order as they
/// are read. The mode is chosen by the first non-blank line: when it is a
/// complete JSON value the input is JSON Lines.
pub struct Batch<R> {
    reader: R,
    name: String,
    line: usize,
    mode: Option<bool>,
    done: bool,
}

impl<R: BufRead> Batch<R> {
    /// Reads from `reader`; answers name their source `<name>:<line>`.
    pub fn new(reader: R, name: impl Into<String>) -> Self {
        Self {
            reader,
            name: name.into(),
            line: 0,
            mode: None,
            done: false,
        }
    }

    fn next_line(&mut self) -> Option<Result<String, std::io::Error>> {
        let mut text = String::new();
        match self.reader.read_line(&mut text) {
            Ok(0) => None,
            Ok(_) => {
                self.line += 1;
                Some(Ok(text))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

impl<R: BufRead> Iterator for Batch<R> {
    type Item = Result<Answer, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let text = match self.next_line()? {
                Ok(t) => t,
                Err(e) => return Some(Err(e)),
            };
            if text.trim().is_empty() {
                continue;
            }
            let lines_mode = *self
                .mode
                .get_or_insert_with(|| parse_json(text.trim_end()).is_ok());
            if lines_mode {
                let source =
                    SourceFile::new(format!("{}:{}", self.name, self.line), text.trim_end());
                return Some(Ok(run_request(&source)));
            }
            // One document: read the rest and answer once.
            let mut all = text;
            loop {
                match self.next_line() {
                    None => break,
                    Some(Ok(t)) => all.push_str(&t),
                    Some(Err(e)) => return Some(Err(e)),
                }
            }
            self.done = true;
            let source = SourceFile::new(self.name.clone(), all);
            return Some(Ok(run_request(&source)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Decision;

    fn answer(json: &str) -> serde_json::Value {
        run_request(&SourceFile::new("req", json)).to_json()
    }

    #[test]
    fn answers_the_documented_shape() {
        let a = answer(
            r#"{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
            "identity_policies":[{"__name":"dev","Version":"2012-10-17","Statement":{"Sid":"R","Effect":"Allow","Action":"s3:*","Resource":"*"}}]}"#,
        );
        assert_eq!(a["decision"], "allowed", "{a}");
        assert_eq!(a["trace"]["deciding"][0]["policy"], "dev");
        assert_eq!(a["trace"]["deciding"][0]["statement"], "R");
        assert_eq!(a["trace"]["deciding"][0]["location"]["line"], 2);
    }

    #[test]
    fn errors_name_the_request_member_or_policy_problem() {
        let a = answer(r#"{"principal":"x","action":"s3:GetObject","resource":"*","contxt":{}}"#);
        assert_eq!(a["error"]["kind"], "invalid_request");
        assert!(
            a["error"]["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `context`?")
        );
        let a = answer(
            r#"{"principal":"111122223333","action":"s3:GetObject","resource":"*","context":{"aws:SecureTransport":true}}"#,
        );
        assert!(
            a["error"]["message"]
                .as_str()
                .unwrap()
                .contains("(write \"true\")"),
            "{a}"
        );
        let a = answer(
            r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*","identity_policies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}]}"#,
        );
        assert_eq!(a["error"]["kind"], "invalid_policy");
        assert_eq!(a["error"]["policy"], "identity[0]");
        assert_eq!(a["error"]["problems"][0]["column"], 167);
        let a = answer(
            r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"s3:::b"}"#,
        );
        assert!(
            a["error"]["message"]
                .as_str()
                .unwrap()
                .contains("an ARN starts with `arn:`")
        );
        let a = answer("{");
        assert_eq!(a["error"]["kind"], "invalid_json");
        let a = answer(
            r#"{"principal":"111122223333","action":"s3:GetObject","resource":"*","identity_policies":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]}"#,
        );
        assert_eq!(a["error"]["kind"], "policy_not_applicable", "{a}");
    }

    #[test]
    fn batches_answer_line_by_line_and_errors_do_not_stop_them() {
        let text = "{\"principal\":\"111122223333\",\"action\":\"s3:GetObject\",\"resource\":\"*\"}\n\nnot json\n{\"principal\":\"anonymous\",\"action\":\"s3:GetObject\",\"resource\":\"*\"}\n";
        let answers: Vec<_> = Batch::new(text.as_bytes(), "stdin")
            .map(|a| a.unwrap())
            .collect();
        assert_eq!(answers.len(), 3);
        assert!(matches!(&answers[0], Answer::Evaluated(e) if e.decision == Decision::Allowed));
        assert!(
            matches!(&answers[1], Answer::Error(SimulateError::Json { at, .. }) if at.source == "stdin:3")
        );
        assert!(
            matches!(&answers[2], Answer::Evaluated(e) if e.decision == Decision::ImplicitDeny)
        );
        // One pretty-printed object.
        let text = "{\n \"principal\": \"111122223333\",\n \"action\": \"s3:GetObject\",\n \"resource\": \"*\"\n}\n";
        let answers: Vec<_> = Batch::new(text.as_bytes(), "f")
            .map(|a| a.unwrap())
            .collect();
        assert_eq!(answers.len(), 1);
        assert!(matches!(&answers[0], Answer::Evaluated(_)));
    }
}
