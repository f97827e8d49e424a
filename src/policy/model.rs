//! Types of the policy document model.

use crate::source::Span;

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it stands in the source.
    pub span: Span,
}

/// The policy language versions AWS accepts.
pub const VERSION_2012: &str = "2012-10-17";
/// The older policy language version, without policy variables.
pub const VERSION_2008: &str = "2008-10-17";

/// One policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The whole document.
    pub span: Span,
    /// `Version`, if present (any string; validity is the grammar's concern).
    pub version: Option<Spanned<String>>,
    /// `Id`, if present.
    pub id: Option<Spanned<String>>,
    /// The span of the `Statement` key, if present.
    pub statement_key: Option<Span>,
    /// Statements in source order.
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Whether policy variables are interpreted: only under Version 2012-10-17.
    pub fn supports_variables(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.value == VERSION_2012)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// JSON-pointer-like path inside the policy: `/Statement/2`, or
    /// `/Statement` when the policy holds a single statement object.
    pub path: String,
    /// Position among the policy's statements (0-based).
    pub index: usize,
    /// The statement object.
    pub span: Span,
    /// `Sid`.
    pub sid: Option<Spanned<String>>,
    /// `Effect`, when present and exactly `Allow` or `Deny`.
    pub effect: Option<Spanned<Effect>>,
    /// `Action` or `NotAction`.
    pub action: Option<ItemList>,
    /// `Resource` or `NotResource`.
    pub resource: Option<ItemList>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<PrincipalBlock>,
    /// `Condition`.
    pub condition: Option<Condition>,
}

impl Statement {
    /// The effect, if valid.
    pub fn effect(&self) -> Option<Effect> {
        self.effect.as_ref().map(|e| e.value)
    }

    /// `Sid`, or `#<index>` when there is none: how traces and messages name it.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.value.is_empty() => sid.value.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

/// What a scalar in the document was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A JSON string.
    String,
    /// A JSON number (text as written).
    Number,
    /// A JSON boolean (text `true` / `false`).
    Bool,
    /// A value unknown until deployment; the text describes it.
    Unknown,
}

/// One scalar entry of an element: an action, a resource, a principal, a
/// condition value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The text (numbers and booleans as written).
    pub text: String,
    /// Where it stands.
    pub span: Span,
    /// What it was written as.
    pub kind: ItemKind,
}

impl Item {
    /// Whether the value is only known after deployment.
    pub fn is_unknown(&self) -> bool {
        self.kind == ItemKind::Unknown
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a string or a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemList {
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    /// The element's key (`"Action"`, `"NotResource"`, …).
    pub key: &'static str,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value (string or array).
    pub span: Span,
    /// Whether the value was written as an array.
    pub is_array: bool,
    /// The entries, in order.
    pub items: Vec<Item>,
}

impl ItemList {
    /// Path of the element: `/Statement/0/Action`.
    pub fn path(&self, statement: &Statement) -> String {
        format!("{}/{}", statement.path, self.key)
    }

    /// Path of entry `i`: `/Statement/0/Action/1`, or the element's path
    /// when it was a single string.
    pub fn item_path(&self, statement: &Statement, i: usize) -> String {
        if self.is_array {
            format!("{}/{}/{i}", statement.path, self.key)
        } else {
            self.path(statement)
        }
    }
}

/// The principal types a `Principal` map may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// `"AWS"`: accounts, users, roles, sessions, `*`.
    Aws,
    /// `"Service"`: `ec2.amazonaws.com`, …
    Service,
    /// `"Federated"`: OIDC/SAML providers, `cognito-identity.amazonaws.com`, …
    Federated,
    /// `"CanonicalUser"`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalType {
    /// Parses a `Principal` map key (case-sensitive, as IAM is).
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "AWS" => Self::Aws,
            "Service" => Self::Service,
            "Federated" => Self::Federated,
            "CanonicalUser" => Self::CanonicalUser,
            _ => return None,
        })
    }

    /// The key as written in policies.
    pub fn key(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Service => "Service",
            Self::Federated => "Federated",
            Self::CanonicalUser => "CanonicalUser",
        }
    }
}

/// `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalBlock {
    /// `NotPrincipal`.
    pub negated: bool,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// `"*"` or a map of principal types.
    pub spec: PrincipalSpec,
}

impl PrincipalBlock {
    /// The element's key.
    pub fn key(&self) -> &'static str {
        if self.negated {
            "NotPrincipal"
        } else {
            "Principal"
        }
    }

    /// Path of the element.
    pub fn path(&self, statement: &Statement) -> String {
        format!("{}/{}", statement.path, self.key())
    }
}

/// The value of a `Principal` element.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalSpec {
    /// `"Principal": "*"`: everyone, including anonymous callers.
    Wildcard,
    /// `{"AWS": …, "Service": …}`.
    Map(Vec<PrincipalEntry>),
}

/// One principal type and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    /// The type.
    pub principal_type: PrincipalType,
    /// Span of the type key.
    pub key_span: Span,
    /// Whether the values were an array.
    pub is_array: bool,
    /// The values.
    pub items: Vec<Item>,
}

impl PrincipalEntry {
    /// Path of value `i`.
    pub fn item_path(&self, block: &PrincipalBlock, statement: &Statement, i: usize) -> String {
        let base = format!("{}/{}", block.path(statement), self.principal_type.key());
        if self.is_array {
            format!("{base}/{i}")
        } else {
            base
        }
    }
}

/// The `Condition` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Span of the `Condition` key.
    pub key_span: Span,
    /// Span of the value object.
    pub span: Span,
    /// Operator blocks in order (all must hold).
    pub operators: Vec<OperatorBlock>,
}

/// One condition operator and the keys it tests: `"StringEquals": {…}`.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorBlock {
    /// The operator name as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub name: Spanned<String>,
    /// Span of the operator's value object.
    pub span: Span,
    /// The keys tested (all must hold).
    pub entries: Vec<ConditionEntry>,
}

impl OperatorBlock {
    /// Path of the operator: `/Statement/0/Condition/StringEquals`.
    pub fn path(&self, statement: &Statement) -> String {
        format!("{}/Condition/{}", statement.path, self.name.value)
    }
}

/// One condition key and its values (any value may match).
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    /// The key as written, e.g. `aws:SourceIp`.
    pub key: Spanned<String>,
    /// Span of the value (scalar or array).
    pub span: Span,
    /// Whether the values were an array.
    pub is_array: bool,
    /// The values.
    pub values: Vec<Item>,
}

impl ConditionEntry {
    /// Path of the key inside its operator.
    pub fn path(&self, operator: &OperatorBlock, statement: &Statement) -> String {
        format!("{}/{}", operator.path(statement), self.key.value)
    }
}
