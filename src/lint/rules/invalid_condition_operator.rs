//! `invalid-condition-operator`: a `Condition` operator AWS does not know,
//! or a combination of operator, set qualifier and `IfExists` that cannot
//! work.

use crate::declare_rule;
use crate::eval::operator::{ConditionOperator, OperatorError};
use crate::lint::{DocumentContext, FindingType, Rule, RuleMeta, Sink};
use crate::policy::Statement;

declare_rule! {
    /// Parses every condition operator name of every statement.
    InvalidConditionOperator {
        id: "invalid-condition-operator",
        finding_type: Error,
        category: Validity,
        summary: "a condition operator AWS does not know, or a set qualifier or `IfExists` it cannot take",
    }
}

impl Rule for InvalidConditionOperator {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(condition) = &statement.condition else {
            return;
        };
        for operator in &condition.operators {
            let name = &operator.name;
            let path = operator.path(statement);
            match ConditionOperator::parse(&name.value) {
                Err(error) => doc
                    .finding(&Self::META, error.to_string())
                    .at(name.span, path, label(&error))
                    .help(help(&error))
                    .statement(statement)
                    .emit(out),
                // AWS accepts these but they cannot mean what was meant
                // (Access Analyzer: "Suggestion – Null with qualifier").
                Ok(parsed) => {
                    if let Some(pitfall) = parsed.pitfall() {
                        let what = pitfall.split_once("; ").map_or(pitfall, |(what, _)| what);
                        doc.finding(
                            &Self::META,
                            format!("{what}, so this condition tests nothing"),
                        )
                        .finding_type(FindingType::Warning)
                        .at(name.span, path, "constant result")
                        .help(format!(
                            "write `{}` (no `ForAllValues:`/`ForAnyValue:`): `Null` already tests whether the key is missing from the request, set-valued keys included",
                            parsed.base.name()
                        ))
                        .statement(statement)
                        .emit(out);
                    }
                }
            }
        }
    }
}

fn label(error: &OperatorError) -> &'static str {
    match error {
        OperatorError::UnknownQualifier { .. } => "unknown set qualifier",
        OperatorError::MissingBase { .. } => "no operator after the qualifier",
        OperatorError::NullIfExists { .. } => "`Null` cannot take `IfExists`",
        OperatorError::Empty | OperatorError::Unknown { .. } => "unknown operator",
    }
}

/// The concrete fix for `error`.
fn help(error: &OperatorError) -> String {
    match error {
        OperatorError::Empty => {
            "name a condition operator, e.g. `StringEquals`, or remove the empty block".to_owned()
        }
        OperatorError::UnknownQualifier {
            name, suggestion, ..
        } => {
            let rest = name.split_once(':').map_or(name.as_str(), |(_, rest)| rest);
            match backticked(suggestion) {
                Some(qualifier) => format!("write `{qualifier}:{rest}`"),
                None => format!(
                    "write `ForAnyValue:{rest}` (some request value must match) or `ForAllValues:{rest}` (every request value must match), or `{rest}` alone for a single-valued key"
                ),
            }
        }
        OperatorError::MissingBase { name } => {
            format!("name the operator after the colon, e.g. `{name}StringEquals`")
        }
        OperatorError::Unknown { suggestion, .. } if !suggestion.is_empty() => {
            match backticked(suggestion) {
                Some(name) => format!("write `{name}` (operator names are case-sensitive)"),
                None => "rename the operator as suggested; operator names are case-sensitive"
                    .to_owned(),
            }
        }
        OperatorError::Unknown { .. } => {
            "use an operator of the IAM reference: `String…`, `Numeric…`, `Date…`, `Bool`, `BinaryEquals`, `IpAddress`, `NotIpAddress`, `Arn…` or `Null`, optionally with the `IfExists` suffix and a `ForAllValues:`/`ForAnyValue:` prefix".to_owned()
        }
        OperatorError::NullIfExists { .. } => {
            "write `Null` without `IfExists`: `\"Null\": {\"key\": \"true\"}` holds when the key is missing, `\"false\"` when it is present".to_owned()
        }
    }
}

/// The first `` `name` `` in a suggestion such as ``, did you mean `X`?``.
fn backticked(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once('`')?;
    let (name, _) = rest.split_once('`')?;
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_taken_from_the_error() {
        for (name, expected) in [
            (
                "StringEqual",
                "write `StringEquals` (operator names are case-sensitive)",
            ),
            (
                "stringequals",
                "write `StringEquals` (operator names are case-sensitive)",
            ),
            (
                "ForAnyValue:StringlikeIfExists",
                "write `ForAnyValue:StringLikeIfExists` (operator names are case-sensitive)",
            ),
            (
                "ForAllValue:StringEquals",
                "write `ForAllValues:StringEquals`",
            ),
        ] {
            let error = ConditionOperator::parse(name).unwrap_err();
            assert_eq!(help(&error), expected, "{name}");
        }
    }
}
