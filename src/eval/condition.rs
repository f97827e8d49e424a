//! A statement's `Condition` compiled once and evaluated against request
//! contexts.
//!
//! The rules, each from the AWS page cited on the test that encodes it:
//! - operators and keys are ANDed; the values of one key are ORed, and for a
//!   negated operator (`StringNotEquals`, `NotIpAddress`, …) NORed: it holds
//!   only when the request value matches none of them
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>);
//! - a key absent from the request fails the operator, except that a
//!   negated operator then holds, `…IfExists` holds, and `Null` tests
//!   presence itself
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>);
//! - `ForAllValues` holds when every request value satisfies the operator,
//!   and when the key is absent or its set is empty; `ForAnyValue` when at
//!   least one does, never for an absent key or empty set
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>).
//!   A key whose value set is empty counts as absent everywhere ("context
//!   keys with empty values" are what `Null` with `false` guards against);
//! - an operator without a set qualifier never holds for a multivalued key
//!   ("Multivalued context keys require a condition set operator"); a
//!   single value counts as a set of one under a set qualifier.
//!
//! Everything that can be prepared is prepared by [`CompiledCondition::compile`]
//! (numbers, dates, CIDR ranges, folded case, classified wildcard patterns,
//! parsed policy variables), so [`CompiledCondition::evaluate`] allocates
//! nothing; a [`ConditionMiss`] borrows from the condition and the context
//! and builds its sentence only when asked.

mod binary;
mod date;
mod ip;
mod number;
mod pattern;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;

use super::context::{ContextKey, ContextValue, RequestContext};
use super::operator::{BaseOperator, ConditionOperator, OperatorFamily, SetQualifier};
use super::variables::{Template, split_arn};
use crate::policy::{Condition, ConditionEntry, Item, ItemKind};
use crate::source::Span;
use date::Instant;
use ip::Cidr;
use number::Number;
use pattern::{ArnPattern, Pattern};

/// What kind of problem a [`ConditionError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionErrorKind {
    /// The operator name is not a condition operator.
    Operator,
    /// A value does not fit the operator (not a number, date, CIDR, …).
    Value,
    /// A malformed policy variable, or a variable where the operator takes
    /// none.
    Variable,
    /// A value that is only known after deployment.
    UnknownValue,
    /// Valid, evaluable, but almost certainly not what was meant (reported
    /// by [`CompiledCondition::warnings`], never as a compile failure).
    Pitfall,
}

/// A part of a `Condition` that cannot be evaluated (or, as a warning, that
/// evaluates surprisingly), with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct ConditionError {
    /// What kind of problem.
    pub kind: ConditionErrorKind,
    /// What is wrong (lowercase, no final period, user input in backticks).
    pub message: String,
    /// Path inside the statement: `/Condition/<operator>[/<key>[/<index>]]`
    /// (prefix it with the statement's path).
    pub path: String,
    /// The operator, key or value at fault.
    #[label("here")]
    pub span: Span,
}

/// A compiled `Condition` element.
#[derive(Debug, Clone)]
pub struct CompiledCondition {
    blocks: Vec<Block>,
    warnings: Vec<ConditionError>,
}

#[derive(Debug, Clone)]
struct Block {
    operator: ConditionOperator,
    name: String,
    name_span: Span,
    span: Span,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    key: String,
    folded: ContextKey,
    key_span: Span,
    span: Span,
    /// The policy values as written; `test` holds one compiled value per item.
    items: Vec<Item>,
    test: Test,
}

/// A policy value as a plain prepared value or a template with variables.
#[derive(Debug, Clone)]
enum Value<T> {
    Plain(T),
    Template(Template),
}

#[derive(Debug, Clone)]
enum Test {
    /// `true` per value: the key must be absent.
    Null(Vec<bool>),
    Equals(Vec<Value<Box<str>>>),
    /// Plain values are stored lower-cased.
    EqualsIgnoreCase(Vec<Value<Box<str>>>),
    Like(Vec<Value<Pattern>>),
    Numeric(Comparison, Vec<Number>),
    Date(Comparison, Vec<Instant>),
    Bool(Vec<Value<bool>>),
    Binary(Vec<Vec<u8>>),
    Ip(Vec<Cidr>),
    /// `None`: not a six-part ARN pattern, matches nothing.
    Arn(Vec<Value<Option<ArnPattern>>>),
}

/// How the request value must compare to the policy value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn of(base: BaseOperator) -> Self {
        use BaseOperator as B;
        match base {
            B::NumericLessThan | B::DateLessThan => Self::Less,
            B::NumericLessThanEquals | B::DateLessThanEquals => Self::LessOrEqual,
            B::NumericGreaterThan | B::DateGreaterThan => Self::Greater,
            B::NumericGreaterThanEquals | B::DateGreaterThanEquals => Self::GreaterOrEqual,
            _ => Self::Equal,
        }
    }

    /// Whether `request.cmp(policy)` satisfies the comparison.
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Self::Equal => ordering.is_eq(),
            Self::Less => ordering.is_lt(),
            Self::LessOrEqual => ordering.is_le(),
            Self::Greater => ordering.is_gt(),
            Self::GreaterOrEqual => ordering.is_ge(),
        }
    }
}

/// The result of evaluating a condition against a request.
#[derive(Debug, Clone)]
pub struct ConditionOutcome<'a> {
    /// Whether every operator held.
    pub satisfied: bool,
    /// The first operator and key that did not hold (`None` when satisfied).
    pub miss: Option<ConditionMiss<'a>>,
}

/// What [`CompiledCondition::evaluate_keys`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyedOutcome {
    /// Whether every selected key holds.
    pub holds: bool,
    /// Whether the condition also tests keys that were not selected.
    pub other_keys: bool,
}

/// Which operator and key failed, against what, and why.
#[derive(Debug, Clone)]
pub struct ConditionMiss<'a> {
    /// The operator.
    pub operator: ConditionOperator,
    /// The operator as written.
    pub operator_name: &'a str,
    /// The operator name.
    pub operator_span: Span,
    /// The operator's block of keys.
    pub block_span: Span,
    /// The key as written.
    pub key: &'a str,
    /// The key.
    pub key_span: Span,
    /// The key's value (scalar or array) in the policy.
    pub values_span: Span,
    /// The policy values as written.
    pub policy_values: &'a [Item],
    /// The request's value; `None` when the key is absent.
    pub request: Option<&'a ContextValue>,
    /// What failed.
    pub cause: MissCause<'a>,
    entry: &'a Entry,
    context: &'a RequestContext,
}

/// Why a key's test failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissCause<'a> {
    /// The key is absent (or its set is empty) and the operator needs it.
    Absent,
    /// This request value matches none of the policy values.
    NoMatch {
        /// The request value.
        value: &'a str,
    },
    /// A negated operator: this request value matches a policy value.
    Matched {
        /// The request value.
        value: &'a str,
        /// The policy value it matches, as written.
        policy_value: &'a str,
    },
    /// `ForAnyValue`: no request value satisfies the operator.
    NoneSatisfied,
    /// An operator without `ForAnyValue:`/`ForAllValues:` met a multivalued
    /// key.
    Multivalued,
    /// `Null`: the key's presence is not what the policy asks for.
    Null {
        /// Whether the key is present.
        present: bool,
    },
    /// `ForAnyValue:Null`, which never holds.
    ForAnyValueNull,
}

/// One key test of a condition whose key is not known in advance: what
/// [`CompiledCondition::evaluate_open`] leaves for the request to satisfy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenTest<'a> {
    /// The operator as written.
    pub(crate) operator: &'a str,
    /// The key as written.
    pub(crate) key: &'a str,
    /// The policy values as written.
    pub(crate) values: &'a [Item],
}

/// A request value that the operator cannot read as its type (an IP
/// address that is not one, a date that is not one, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextTypeError<'a> {
    /// The key as written in the policy.
    pub key: &'a str,
    /// The key in the policy.
    pub key_span: Span,
    /// The operator as written.
    pub operator: &'a str,
    /// The offending request value.
    pub value: &'a str,
    /// What the value is not, e.g. "not an IP address".
    pub problem: &'static str,
}

impl fmt::Display for ContextTypeError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request's `{}` is `{}`, which is {} (the policy compares it with `{}`)",
            self.key, self.value, self.problem, self.operator
        )
    }
}

impl CompiledCondition {
    /// Compiles a `Condition`. `supports_variables` is
    /// [`crate::policy::Policy::supports_variables`]: without it `${…}` is
    /// literal text. Fails with every part that cannot be evaluated.
    pub fn compile(
        condition: &Condition,
        supports_variables: bool,
    ) -> Result<Self, Vec<ConditionError>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut blocks = Vec::with_capacity(condition.operators.len());
        for block in &condition.operators {
            let path = format!("/Condition/{}", block.name.value);
            let operator = match ConditionOperator::parse(&block.name.value) {
                Ok(op) => op,
                Err(e) => {
                    errors.push(ConditionError {
                        kind: ConditionErrorKind::Operator,
                        message: e.to_string(),
                        path,
                        span: block.name.span,
                    });
                    continue;
                }
            };
            if let Some(pitfall) = operator.pitfall() {
                warnings.push(ConditionError {
                    kind: ConditionErrorKind::Pitfall,
                    message: pitfall.to_owned(),
                    path: path.clone(),
                    span: block.name.span,
                });
            }
            let mut entries = Vec::with_capacity(block.entries.len());
            for entry in &block.entries {
                let mut compiler = EntryCompiler {
                    operator,
                    entry,
                    path: format!("{path}/{}", entry.key.value),
                    supports_variables,
                    errors: Vec::new(),
                    warnings: &mut warnings,
                };
                match compiler.compile() {
                    Some(e) => entries.push(e),
                    None => errors.append(&mut compiler.errors),
                }
            }
            blocks.push(Block {
                operator,
                name: block.name.value.clone(),
                name_span: block.name.span,
                span: block.span,
                entries,
            });
        }
        if errors.is_empty() {
            warnings.sort_by_key(|w| w.span.start);
            Ok(Self { blocks, warnings })
        } else {
            errors.sort_by_key(|e| e.span.start);
            Err(errors)
        }
    }

    /// Parts that evaluate, but surprisingly (kind
    /// [`ConditionErrorKind::Pitfall`]): `ForAllValues:Null`, an ARN
    /// pattern without six parts, a key with no values, a CIDR with host
    /// bits set.
    pub fn warnings(&self) -> &[ConditionError] {
        &self.warnings
    }

    /// Evaluates against a request context: every operator and key must
    /// hold. Allocates nothing.
    pub fn evaluate<'a>(&'a self, context: &'a RequestContext) -> ConditionOutcome<'a> {
        for block in &self.blocks {
            for entry in &block.entries {
                if let Err(cause) = entry.check(block.operator, context) {
                    return ConditionOutcome {
                        satisfied: false,
                        miss: Some(ConditionMiss {
                            operator: block.operator,
                            operator_name: &block.name,
                            operator_span: block.name_span,
                            block_span: block.span,
                            key: &entry.key,
                            key_span: entry.key_span,
                            values_span: entry.span,
                            policy_values: &entry.items,
                            request: context.get_key(&entry.folded),
                            cause,
                            entry,
                            context,
                        }),
                    };
                }
            }
        }
        ConditionOutcome {
            satisfied: true,
            miss: None,
        }
    }

    /// Evaluates only the keys `keys` selects (given the key as written in
    /// the policy); the others are taken to hold. For questions such as
    /// "does a condition on the resource's account close this grant?",
    /// where keys about the caller (MFA, source IP) are the caller's to meet.
    pub fn evaluate_keys(
        &self,
        context: &RequestContext,
        keys: impl Fn(&str) -> bool,
    ) -> KeyedOutcome {
        let mut outcome = KeyedOutcome {
            holds: true,
            other_keys: false,
        };
        for block in &self.blocks {
            for entry in &block.entries {
                if !keys(&entry.key) {
                    outcome.other_keys = true;
                } else if outcome.holds && entry.check(block.operator, context).is_err() {
                    outcome.holds = false;
                }
            }
        }
        outcome
    }

    /// Evaluates with some keys unknown: a key absent from `context` for
    /// which `open` holds is one the request may still carry, with any
    /// value. `None` when a test on a known key fails (no request with this
    /// context can satisfy the condition); otherwise the tests on open keys,
    /// which the request must also satisfy (none: the condition holds).
    pub(crate) fn evaluate_open<'a>(
        &'a self,
        context: &RequestContext,
        open: &dyn Fn(&ContextKey) -> bool,
    ) -> Option<Vec<OpenTest<'a>>> {
        let mut tests = Vec::new();
        for block in &self.blocks {
            for entry in &block.entries {
                if context.get_key(&entry.folded).is_none() && open(&entry.folded) {
                    tests.push(OpenTest {
                        operator: &block.name,
                        key: &entry.key,
                        values: &entry.items,
                    });
                } else if entry.check(block.operator, context).is_err() {
                    return None;
                }
            }
        }
        Some(tests)
    }

    /// Request values the condition compares that are not of the operator's
    /// type: malformed input a caller may want to reject. (Evaluation treats
    /// them as matching no policy value.)
    pub fn check_context<'a>(&'a self, context: &'a RequestContext) -> Vec<ContextTypeError<'a>> {
        let mut found = Vec::new();
        for block in &self.blocks {
            for entry in &block.entries {
                let Some(value) = context.get_key(&entry.folded) else {
                    continue;
                };
                for v in value.values() {
                    if let Some(problem) = type_problem(block.operator.base, v) {
                        found.push(ContextTypeError {
                            key: &entry.key,
                            key_span: entry.key_span,
                            operator: &block.name,
                            value: v,
                            problem,
                        });
                    }
                }
            }
        }
        found
    }
}

/// Compiles one key and its values, collecting every error.
struct EntryCompiler<'c> {
    operator: ConditionOperator,
    entry: &'c ConditionEntry,
    path: String,
    supports_variables: bool,
    errors: Vec<ConditionError>,
    warnings: &'c mut Vec<ConditionError>,
}

type ItemResult<T> = Result<T, (ConditionErrorKind, String)>;

impl EntryCompiler<'_> {
    fn compile(&mut self) -> Option<Entry> {
        let base = self.operator.base;
        if self.entry.values.is_empty() {
            self.warn(
                self.entry.span,
                format!(
                    "`{}` lists no values, so `{}` compares the request with nothing",
                    self.entry.key.value, self.operator
                ),
            );
        }
        let test = match base.family() {
            OperatorFamily::Null => Test::Null(self.values(|_, text| parse_null(text))?),
            OperatorFamily::String => match base {
                BaseOperator::StringLike | BaseOperator::StringNotLike => {
                    Test::Like(self.templated(|text| Ok(Pattern::new(text)))?)
                }
                _ if base.ignores_case() => {
                    Test::EqualsIgnoreCase(self.templated(|text| Ok(fold(text).into()))?)
                }
                _ => Test::Equals(self.templated(|text| Ok(text.into()))?),
            },
            OperatorFamily::Numeric => Test::Numeric(
                Comparison::of(base),
                self.values(|op, text| {
                    Number::parse(text).ok_or_else(|| {
                        value_error(format!(
                            "`{text}` is not a number: `{op}` compares integers or decimals such as `10` or `0.5`"
                        ))
                    })
                })?,
            ),
            OperatorFamily::Date => Test::Date(
                Comparison::of(base),
                self.values(|op, text| {
                    Instant::parse(text).ok_or_else(|| {
                        value_error(format!(
                            "`{text}` is not a date: `{op}` takes ISO 8601 (`2020-01-01` or `2020-01-01T00:00:00Z`) or epoch seconds (`1577836800`)"
                        ))
                    })
                })?,
            ),
            OperatorFamily::Bool => Test::Bool(self.templated(|text| {
                parse_bool(text).ok_or_else(|| {
                    value_error(format!("`{text}` is not a boolean: `Bool` takes `true` or `false`"))
                })
            })?),
            OperatorFamily::Binary => Test::Binary(self.values(|op, text| {
                binary::decode(text).ok_or_else(|| {
                    value_error(format!(
                        "`{text}` is not base64: `{op}` compares base64-encoded binary values"
                    ))
                })
            })?),
            OperatorFamily::IpAddress => Test::Ip(self.cidrs()?),
            OperatorFamily::Arn => Test::Arn(self.arn_patterns()?),
        };
        Some(Entry {
            key: self.entry.key.value.clone(),
            folded: ContextKey::new(&self.entry.key.value),
            key_span: self.entry.key.span,
            span: self.entry.span,
            items: self.entry.values.clone(),
            test,
        })
    }

    fn warn(&mut self, span: Span, message: String) {
        self.warnings.push(ConditionError {
            kind: ConditionErrorKind::Pitfall,
            message,
            path: self.path.clone(),
            span,
        });
    }

    fn item_path(&self, i: usize) -> String {
        if self.entry.is_array {
            format!("{}/{i}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Compiles every value with `f` (given the operator's name and the
    /// value's text), after the checks common to all operators: unknown
    /// values, and variables where the operator takes none.
    fn values<T>(&mut self, f: impl Fn(&str, &str) -> ItemResult<T>) -> Option<Vec<T>> {
        let op = self.operator.to_string();
        let mut out = Vec::with_capacity(self.entry.values.len());
        for (i, item) in self.entry.values.iter().enumerate() {
            let result = self.common_checks(item).and_then(|()| {
                if self.supports_variables
                    && !self.operator.base.supports_variables()
                    && item.text.contains("${")
                {
                    Err((
                        ConditionErrorKind::Variable,
                        format!(
                            "policy variables cannot be used with {} operators such as `{op}`: `{}`",
                            self.operator.base.family().name(),
                            item.text
                        ),
                    ))
                } else {
                    f(&op, &item.text)
                }
            });
            self.collect(result, i, item, &mut out);
        }
        self.errors.is_empty().then_some(out)
    }

    /// Like [`Self::values`] for operators that take policy variables: a
    /// value holding `${` becomes a [`Template`] (when the policy's version
    /// supports variables), any other goes through `f`.
    fn templated<T>(&mut self, f: impl Fn(&str) -> ItemResult<T>) -> Option<Vec<Value<T>>> {
        let mut out = Vec::with_capacity(self.entry.values.len());
        for (i, item) in self.entry.values.iter().enumerate() {
            let result = self.common_checks(item).and_then(|()| {
                if self.supports_variables && item.text.contains("${") {
                    Template::parse(&item.text)
                        .map(Value::Template)
                        .map_err(|e| (ConditionErrorKind::Variable, e.to_string()))
                } else {
                    f(&item.text).map(Value::Plain)
                }
            });
            self.collect(result, i, item, &mut out);
        }
        self.errors.is_empty().then_some(out)
    }

    fn common_checks(&self, item: &Item) -> ItemResult<()> {
        if item.kind == ItemKind::Unknown {
            return Err((
                ConditionErrorKind::UnknownValue,
                format!(
                    "the value of `{}` is unknown until deployment ({}), so the condition cannot be evaluated",
                    self.entry.key.value, item.text
                ),
            ));
        }
        Ok(())
    }

    fn collect<T>(&mut self, result: ItemResult<T>, i: usize, item: &Item, out: &mut Vec<T>) {
        match result {
            Ok(v) => out.push(v),
            Err((kind, message)) => self.errors.push(ConditionError {
                kind,
                message,
                path: self.item_path(i),
                span: item.span,
            }),
        }
    }

    fn cidrs(&mut self) -> Option<Vec<Cidr>> {
        let parsed = self.values(|op, text| {
            Cidr::parse(text).map_err(|e| {
                value_error(match e {
                    ip::CidrError::Address => format!(
                        "`{text}` is not an IP address or CIDR range: `{op}` takes values such as `203.0.113.0/24` or `2001:db8::/32`"
                    ),
                    ip::CidrError::Prefix { max } => format!(
                        "`{text}` has an invalid prefix length: use `/0` to `/{max}`"
                    ),
                })
            })
        })?;
        let mut cidrs = Vec::with_capacity(parsed.len());
        for (item, (cidr, host_bits)) in self.entry.values.iter().zip(parsed) {
            if host_bits {
                self.warn(
                    item.span,
                    format!(
                        "`{}` has bits set below its prefix, which are ignored: it means `{cidr}`",
                        item.text
                    ),
                );
            }
            cidrs.push(cidr);
        }
        Some(cidrs)
    }

    fn arn_patterns(&mut self) -> Option<Vec<Value<Option<ArnPattern>>>> {
        let values = self.templated(|text| Ok(ArnPattern::new(text)))?;
        for (item, value) in self.entry.values.iter().zip(&values) {
            if matches!(value, Value::Plain(None)) {
                self.warn(
                    item.span,
                    format!(
                        "`{}` is not an ARN pattern of six parts (`arn:partition:service:region:account-id:resource`), so `{}` matches it against no ARN",
                        item.text, self.operator
                    ),
                );
            }
        }
        Some(values)
    }
}

fn value_error(message: String) -> (ConditionErrorKind, String) {
    (ConditionErrorKind::Value, message)
}

fn parse_null(text: &str) -> ItemResult<bool> {
    parse_bool(text).ok_or_else(|| {
        value_error(format!(
            "`{text}` is not a boolean: `Null` takes `true` (the key must be absent) or `false` (the key must be present)"
        ))
    })
}

/// `true` / `false` in any case.
fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// Whether `text` equals `folded` (already lower-case) ignoring case.
fn equals_folded(folded: &str, text: &str) -> bool {
    if folded.is_ascii() && text.is_ascii() {
        folded.len() == text.len() && folded.eq_ignore_ascii_case(text)
    } else {
        folded.chars().eq(text.chars().flat_map(char::to_lowercase))
    }
}

impl Entry {
    /// Whether the key's test holds under `op`; the cause when it does not.
    fn check<'a>(
        &'a self,
        op: ConditionOperator,
        ctx: &'a RequestContext,
    ) -> Result<(), MissCause<'a>> {
        let value = ctx.get_key(&self.folded);
        let present = value.map(ContextValue::values).filter(|v| !v.is_empty());
        if let Test::Null(expect_absent) = &self.test {
            return match op.set {
                Some(SetQualifier::ForAllValues) => Ok(()),
                Some(SetQualifier::ForAnyValue) => Err(MissCause::ForAnyValueNull),
                None if expect_absent.contains(&present.is_none()) => Ok(()),
                None => Err(MissCause::Null {
                    present: present.is_some(),
                }),
            };
        }
        let negated = op.base.is_negated();
        let Some(values) = present else {
            let holds = op.if_exists
                || match op.set {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => negated,
                };
            return if holds {
                Ok(())
            } else {
                Err(MissCause::Absent)
            };
        };
        let test = |v: &'a String| match (self.first_match(v, ctx), negated) {
            (Some(_), false) | (None, true) => Ok(()),
            (None, false) => Err(MissCause::NoMatch { value: v }),
            (Some(i), true) => Err(MissCause::Matched {
                value: v,
                policy_value: self.items.get(i).map_or("", |item| item.text.as_str()),
            }),
        };
        match op.set {
            None if value.is_some_and(ContextValue::is_multi) => Err(MissCause::Multivalued),
            None => values.first().map_or(Ok(()), test),
            Some(SetQualifier::ForAllValues) => values.iter().try_for_each(test),
            Some(SetQualifier::ForAnyValue) => {
                if values.iter().any(|v| test(v).is_ok()) {
                    Ok(())
                } else {
                    Err(MissCause::NoneSatisfied)
                }
            }
        }
    }

    /// The index of the first policy value that the request value `v`
    /// matches, ignoring negation.
    fn first_match(&self, v: &str, ctx: &RequestContext) -> Option<usize> {
        fn position<T>(values: &[T], f: impl FnMut(&T) -> bool) -> Option<usize> {
            values.iter().position(f)
        }
        match &self.test {
            Test::Null(_) => None,
            Test::Equals(values) => position(values, |p| match p {
                Value::Plain(s) => **s == *v,
                Value::Template(t) => t.resolve(ctx).is_some_and(|r| r.equals(v)),
            }),
            Test::EqualsIgnoreCase(values) => position(values, |p| match p {
                Value::Plain(s) => equals_folded(s, v),
                Value::Template(t) => t.resolve(ctx).is_some_and(|r| r.equals_ignore_case(v)),
            }),
            Test::Like(values) => position(values, |p| match p {
                Value::Plain(pattern) => pattern.matches(v),
                Value::Template(t) => t.resolve(ctx).is_some_and(|r| r.matches(v)),
            }),
            Test::Numeric(cmp, values) => position(values, |n| {
                n.compare_request(v).is_some_and(|o| cmp.holds(o))
            }),
            Test::Date(cmp, values) => {
                let at = Instant::parse(v)?;
                position(values, |d| cmp.holds(at.cmp(d)))
            }
            Test::Bool(values) => {
                let b = parse_bool(v)?;
                position(values, |p| match p {
                    Value::Plain(expected) => *expected == b,
                    Value::Template(t) => t
                        .resolve(ctx)
                        .is_some_and(|r| r.equals_ignore_case(if b { "true" } else { "false" })),
                })
            }
            Test::Binary(values) => position(values, |bytes| binary::decodes_to(v, bytes)),
            Test::Ip(values) => {
                let address = ip::parse_address(v)?;
                position(values, |cidr| cidr.contains(address))
            }
            Test::Arn(values) => {
                let parts = split_arn(v)?;
                position(values, |p| match p {
                    Value::Plain(Some(pattern)) => pattern.matches(v, &parts),
                    Value::Plain(None) => false,
                    Value::Template(t) => t.resolve(ctx).is_some_and(|r| r.matches_arn(v)),
                })
            }
        }
    }
}

/// What a request value is not, for the operator's type; `None` when it
/// reads fine (strings always do).
fn type_problem(base: BaseOperator, v: &str) -> Option<&'static str> {
    let ok = match base.family() {
        OperatorFamily::String | OperatorFamily::Null => true,
        OperatorFamily::Numeric => Number::parse(v).is_some(),
        OperatorFamily::Date => Instant::parse(v).is_some(),
        OperatorFamily::Bool => parse_bool(v).is_some(),
        OperatorFamily::Binary => binary::decode(v).is_some(),
        OperatorFamily::IpAddress => ip::parse_address(v).is_some(),
        OperatorFamily::Arn => {
            v.splitn(super::variables::ARN_PARTS, ':').count() == super::variables::ARN_PARTS
        }
    };
    if ok {
        return None;
    }
    Some(match base.family() {
        OperatorFamily::Numeric => "not a number",
        OperatorFamily::Date => "not an ISO 8601 date or epoch seconds",
        OperatorFamily::Bool => "not `true` or `false`",
        OperatorFamily::Binary => "not base64",
        OperatorFamily::IpAddress => "not an IP address",
        _ => "not an ARN",
    })
}

/// How a base operator's comparison reads: (holds, fails), e.g.
/// ("is in", "is not in"); negated operators read as their positive form.
fn verbs(base: BaseOperator) -> (&'static str, &'static str) {
    use BaseOperator as B;
    match base {
        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
            ("equals (ignoring case)", "does not equal (ignoring case)")
        }
        B::StringLike
        | B::StringNotLike
        | B::ArnEquals
        | B::ArnLike
        | B::ArnNotEquals
        | B::ArnNotLike => ("matches", "does not match"),
        B::NumericLessThan => ("is less than", "is not less than"),
        B::NumericLessThanEquals => ("is at most", "is not at most"),
        B::NumericGreaterThan => ("is greater than", "is not greater than"),
        B::NumericGreaterThanEquals => ("is at least", "is not at least"),
        B::DateEquals | B::DateNotEquals | B::Bool => ("is", "is not"),
        B::DateLessThan => ("is before", "is not before"),
        B::DateLessThanEquals => ("is at or before", "is not at or before"),
        B::DateGreaterThan => ("is after", "is not after"),
        B::DateGreaterThanEquals => ("is at or after", "is not at or after"),
        B::IpAddress | B::NotIpAddress => ("is in", "is not in"),
        B::StringEquals
        | B::StringNotEquals
        | B::NumericEquals
        | B::NumericNotEquals
        | B::BinaryEquals
        | B::Null => ("equals", "does not equal"),
    }
}

impl ConditionMiss<'_> {
    /// One line saying why, e.g. `aws:SourceIp 198.51.100.7 is not in
    /// 203.0.113.0/24`.
    pub fn reason(&self) -> String {
        self.to_string()
    }

    /// Policy variables in this key's values that the request cannot fill
    /// (no value, no default).
    pub fn unresolved_variables(&self) -> Vec<&str> {
        let templates: Vec<&Template> = match &self.entry.test {
            Test::Equals(v) | Test::EqualsIgnoreCase(v) => templates_of(v),
            Test::Like(v) => templates_of(v),
            Test::Bool(v) => templates_of(v),
            Test::Arn(v) => templates_of(v),
            _ => Vec::new(),
        };
        let mut names: Vec<&str> = templates
            .into_iter()
            .flat_map(|t| t.missing(self.context))
            .collect();
        names.dedup();
        names
    }
}

fn templates_of<T>(values: &[Value<T>]) -> Vec<&Template> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::Template(t) => Some(t),
            Value::Plain(_) => None,
        })
        .collect()
}

/// `a`, or `any of a, b, c`, or `nothing`.
struct PolicyList<'a>(&'a [Item]);

impl fmt::Display for PolicyList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("nothing"),
            [one] => f.write_str(&one.text),
            many => {
                f.write_str("any of ")?;
                for (i, item) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&item.text)?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for ConditionMiss<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.key;
        let (holds, fails) = verbs(self.operator.base);
        let list = PolicyList(self.policy_values);
        let request = |f: &mut fmt::Formatter<'_>| match self.request {
            Some(v) => write!(f, " {v}"),
            None => Ok(()),
        };
        match self.cause {
            MissCause::Absent => write!(f, "{key} is absent from the request")?,
            MissCause::NoMatch { value } => {
                write!(f, "{key} {value}")?;
                if let Some(problem) = type_problem(self.operator.base, value) {
                    write!(f, " ({problem})")?;
                }
                write!(f, " {fails} {list}")?;
            }
            MissCause::Matched {
                value,
                policy_value,
            } => write!(
                f,
                "{key} {value} {holds} {policy_value}, which {} excludes",
                self.operator_name
            )?,
            MissCause::NoneSatisfied if self.operator.base.is_negated() => {
                write!(f, "every value of {key}")?;
                request(f)?;
                write!(f, " {holds} {list}")?;
            }
            MissCause::NoneSatisfied => {
                write!(f, "no value of {key}")?;
                request(f)?;
                write!(f, " {holds} {list}")?;
            }
            MissCause::Multivalued => {
                write!(f, "{key} is multivalued")?;
                request(f)?;
                write!(
                    f,
                    ", and {} without ForAnyValue: or ForAllValues: never matches a multivalued key",
                    self.operator_name
                )?;
            }
            MissCause::Null { present: true } => {
                write!(f, "{key} is present")?;
                if let Some(v) = self.request {
                    write!(f, " ({v})")?;
                }
                write!(f, ", but Null {list} requires it to be absent")?;
            }
            MissCause::Null { present: false } => {
                write!(
                    f,
                    "{key} is absent, but Null {list} requires it to be present"
                )?;
            }
            MissCause::ForAnyValueNull => write!(f, "{} never holds", self.operator_name)?,
        }
        let unresolved = self.unresolved_variables();
        if !unresolved.is_empty() {
            f.write_str(" (no value in the request for")?;
            for (i, name) in unresolved.iter().enumerate() {
                write!(f, "{} ${{{name}}}", if i > 0 { "," } else { "" })?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}
