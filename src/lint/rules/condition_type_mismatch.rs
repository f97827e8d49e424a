//! `condition-type-mismatch`: a condition operator whose family does not
//! suit the key's type (`StringEquals` on `aws:CurrentTime`), or a value the
//! operator cannot read (a date operator with a non-date, `Bool` with
//! something other than `true`/`false`, `IpAddress` with a non-CIDR).
//!
//! Key types come from the service catalog and the global keys; values are
//! read by the evaluator's own parsers ([`CompiledCondition::compile`]), so
//! the linter and the engine never disagree on what a valid value is.

use super::helpers::entries::{self, Memo};
use crate::catalog::ConditionType;
use crate::declare_rule;
use crate::eval::condition::{CompiledCondition, ConditionErrorKind};
use crate::eval::operator::{ConditionOperator, OperatorFamily};
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Condition, ItemKind, Statement};

declare_rule! {
    /// Compares each operator with its keys' types, and checks its values.
    ConditionTypeMismatch {
        id: "condition-type-mismatch",
        finding_type: Warning,
        category: Validity,
        summary: "a condition operator that does not suit its key's type, or a value the operator cannot read",
    }
}

impl Rule for ConditionTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(condition) = &statement.condition else {
            return;
        };
        for block in &condition.operators {
            // Unknown operators are `invalid-condition-operator`'s.
            let Ok(operator) = ConditionOperator::parse(&block.name.value) else {
                continue;
            };
            let family = operator.base.family();
            for entry in &block.entries {
                let Some(key) = entries::condition_key(&entry.key.value) else {
                    continue;
                };
                if suits(family, key.types) {
                    continue;
                }
                let ty = key.value_type();
                doc.finding(
                    &Self::META,
                    format!(
                        "`{}` compares {}, but `{}` holds {}, so the condition never holds as meant",
                        operator.base,
                        family_values(family),
                        entry.key.value,
                        type_values(ty)
                    ),
                )
                .at(block.name.span, block.path(statement), format!("{} operator", family.name()))
                .at(entry.key.span, entry.path(block, statement), format!("{ty} key"))
                .help(format!(
                    "use {} for `{}`",
                    operators_for(ty),
                    key.name
                ))
                .statement(statement)
                .emit(out);
            }
        }
        let supports_variables = doc.doc.parsed.policy.supports_variables();
        if !has_unreadable_value(condition, supports_variables) {
            return;
        }
        let Err(errors) = CompiledCondition::compile(condition, supports_variables) else {
            return;
        };
        for error in errors
            .iter()
            .filter(|e| e.kind == ConditionErrorKind::Value)
        {
            doc.finding(&Self::META, error.message.clone())
                .at(error.span, format!("{}{}", statement.path, error.path), "cannot be read")
                .help("write the value in the form the message shows; if the key holds another type, use the operators of that type")
                .statement(statement)
                .emit(out);
        }
    }
}

/// Whether compiling `condition` finds a value its operator cannot read,
/// remembered per thread by the condition's content (operators, keys,
/// values and their JSON types, each length-prefixed so that no two
/// conditions share a key): the same conditions recur across policies,
/// and compiling one is most of this rule's work.
fn has_unreadable_value(condition: &Condition, supports_variables: bool) -> bool {
    thread_local! {
        static KNOWN: Memo<Vec<u8>, bool> = Memo::default();
    }
    let mut key = vec![u8::from(supports_variables)];
    let mut field = |tag: u8, text: &str| {
        key.push(tag);
        key.extend_from_slice(&text.len().to_le_bytes());
        key.extend_from_slice(text.as_bytes());
    };
    for block in &condition.operators {
        field(b'o', &block.name.value);
        for entry in &block.entries {
            field(if entry.is_array { b'a' } else { b'k' }, &entry.key.value);
            for item in &entry.values {
                let tag = match item.kind {
                    ItemKind::String => b's',
                    ItemKind::Number => b'n',
                    ItemKind::Bool => b'b',
                    ItemKind::Unknown => b'u',
                };
                field(tag, &item.text);
            }
        }
    }
    KNOWN.with(|memo| {
        memo.get(&key[..], || {
            CompiledCondition::compile(condition, supports_variables)
                .is_err_and(|errors| errors.iter().any(|e| e.kind == ConditionErrorKind::Value))
        })
    })
}

/// Whether an operator family suits a key of one of these types. `Null`
/// tests presence and suits every key; string operators also read ARNs.
fn suits(family: OperatorFamily, types: &[ConditionType]) -> bool {
    types.iter().any(|&ty| match family {
        OperatorFamily::Null => true,
        OperatorFamily::String => matches!(ty, ConditionType::String | ConditionType::Arn),
        OperatorFamily::Arn => ty == ConditionType::Arn,
        OperatorFamily::Numeric => ty == ConditionType::Numeric,
        OperatorFamily::Date => ty == ConditionType::Date,
        OperatorFamily::Bool => ty == ConditionType::Bool,
        OperatorFamily::Binary => ty == ConditionType::Binary,
        OperatorFamily::IpAddress => ty == ConditionType::IpAddress,
    })
}

fn family_values(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "strings",
        OperatorFamily::Numeric => "numbers",
        OperatorFamily::Date => "dates",
        OperatorFamily::Bool => "Booleans",
        OperatorFamily::Binary => "binary values",
        OperatorFamily::IpAddress => "IP addresses",
        OperatorFamily::Arn => "ARNs",
        OperatorFamily::Null => "presence",
    }
}

fn type_values(ty: ConditionType) -> &'static str {
    match ty {
        ConditionType::String => "a string",
        ConditionType::Arn => "an ARN",
        ConditionType::Numeric => "a number",
        ConditionType::Date => "a date",
        ConditionType::Bool => "a Boolean",
        ConditionType::IpAddress => "an IP address",
        ConditionType::Binary => "binary data",
    }
}

/// The operators that suit a key type, for the help text.
fn operators_for(ty: ConditionType) -> &'static str {
    match ty {
        ConditionType::String => "a string operator (`StringEquals`, `StringLike`, …)",
        ConditionType::Arn => "an ARN operator (`ArnEquals`, `ArnLike`, …)",
        ConditionType::Numeric => "a numeric operator (`NumericEquals`, `NumericLessThan`, …)",
        ConditionType::Date => "a date operator (`DateGreaterThan`, `DateLessThan`, …)",
        ConditionType::Bool => "`Bool`",
        ConditionType::IpAddress => "`IpAddress` or `NotIpAddress`",
        ConditionType::Binary => "`BinaryEquals`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Operator families per key type:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
    #[test]
    fn families_and_types() {
        use ConditionType as T;
        use OperatorFamily as F;
        assert!(suits(F::String, &[T::String]));
        assert!(suits(F::String, &[T::Arn]));
        assert!(!suits(F::String, &[T::Date]));
        assert!(!suits(F::Arn, &[T::String]));
        assert!(suits(F::Numeric, &[T::Date, T::Numeric]));
        assert!(suits(F::Date, &[T::Date, T::Numeric]));
        assert!(suits(F::Null, &[T::Bool]));
        assert!(!suits(F::Bool, &[T::String]));
        assert!(!suits(F::IpAddress, &[T::String]));
    }
}
