//! Temporary stand-in for the condition layer (`context`, `condition`,
//! `variables`) built on the `eval-cond` branch; removed when it is merged.
//! It evaluates no condition operator and expands no variable.

use std::borrow::Cow;

use serde::Serialize;

/// A context value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// One value.
    Single(String),
    /// Several values.
    Multi(Vec<String>),
}

/// Request context keys, looked up case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    entries: Vec<(String, ContextValue)>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key.
    pub fn insert(&mut self, key: impl Into<String>, value: ContextValue) {
        self.entries.push((key.into(), value));
    }

    /// Looks a key up, ignoring ASCII case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }
}

/// Why a condition block cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: crate::source::Span,
}

/// Which condition failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionMiss {
    /// The operator.
    pub operator: String,
    /// The key.
    pub key: String,
}

/// The result of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOutcome {
    /// Whether every operator held.
    pub satisfied: bool,
    /// The first failure.
    pub miss: Option<ConditionMiss>,
}

/// A compiled `Condition` element.
#[derive(Debug, Clone)]
pub struct CompiledCondition;

impl CompiledCondition {
    /// Compiles; the stand-in rejects every operator.
    pub fn compile(
        condition: &crate::policy::Condition,
        _supports_variables: bool,
    ) -> Result<Self, Vec<ConditionError>> {
        Err(condition
            .operators
            .iter()
            .map(|op| ConditionError {
                message: format!(
                    "condition operator `{}` is not supported yet",
                    op.name.value
                ),
                span: op.name.span,
            })
            .collect())
    }

    /// Evaluates.
    pub fn evaluate(&self, _context: &RequestContext) -> ConditionOutcome {
        ConditionOutcome {
            satisfied: true,
            miss: None,
        }
    }
}

/// A string with policy variables.
#[derive(Debug, Clone)]
pub struct Template {
    text: String,
}

impl Template {
    /// Parses; the stand-in keeps the text literal.
    pub fn parse(text: &str) -> Self {
        Self {
            text: text.to_owned(),
        }
    }

    /// Whether the text holds a variable.
    pub fn has_variables(&self) -> bool {
        false
    }

    /// Expands against a context.
    pub fn expand(&self, _context: &RequestContext) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.text))
    }
}
