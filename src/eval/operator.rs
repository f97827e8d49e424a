//! Condition operator names: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
//!
//! The operators and their rules come from "IAM JSON policy elements:
//! Condition operators"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>)
//! and the set qualifiers from "Single-valued vs. multivalued context keys"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>).
//! Names are case-sensitive: IAM rejects `stringEquals` with
//! "MalformedPolicyDocument: Invalid Condition type".

use std::fmt;

use crate::policy::did_you_mean;

/// `ForAllValues` or `ForAnyValue`: compares a set of request values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must satisfy the operator; true when the key is
    /// absent or its set is empty.
    ForAllValues,
    /// At least one request value must satisfy the operator; false when the
    /// key is absent or its set is empty.
    ForAnyValue,
}

impl SetQualifier {
    /// The name as written in policies.
    pub fn name(self) -> &'static str {
        match self {
            Self::ForAllValues => "ForAllValues",
            Self::ForAnyValue => "ForAnyValue",
        }
    }
}

/// What a base operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// `String…`
    String,
    /// `Numeric…`
    Numeric,
    /// `Date…`
    Date,
    /// `Bool`
    Bool,
    /// `BinaryEquals`
    Binary,
    /// `IpAddress`, `NotIpAddress`
    IpAddress,
    /// `Arn…`
    Arn,
    /// `Null`
    Null,
}

impl OperatorFamily {
    /// A short name for messages: "String", "Numeric", …
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "String",
            Self::Numeric => "Numeric",
            Self::Date => "Date",
            Self::Bool => "Boolean",
            Self::Binary => "Binary",
            Self::IpAddress => "IP address",
            Self::Arn => "ARN",
            Self::Null => "Null",
        }
    }
}

macro_rules! base_operators {
    ($($variant:ident => $family:ident, negated: $negated:literal;)*) => {
        /// A condition operator without its set qualifier and `IfExists`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum BaseOperator {
            $(
                #[doc = concat!("`", stringify!($variant), "`")]
                $variant,
            )*
        }

        impl BaseOperator {
            /// Every base operator, in the order the AWS page lists them.
            pub const ALL: &'static [BaseOperator] = &[$(Self::$variant),*];

            /// The name as written in policies.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant),)*
                }
            }

            /// What the operator compares.
            pub fn family(self) -> OperatorFamily {
                match self {
                    $(Self::$variant => OperatorFamily::$family,)*
                }
            }

            /// Whether the operator negates its match (`StringNotEquals`,
            /// `NotIpAddress`, …): with several policy values it holds only
            /// when the request value matches none of them (a logical NOR),
            /// and it holds when the key is absent.
            pub fn is_negated(self) -> bool {
                match self {
                    $(Self::$variant => $negated,)*
                }
            }

            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($variant) => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

base_operators! {
    StringEquals => String, negated: false;
    StringNotEquals => String, negated: true;
    StringEqualsIgnoreCase => String, negated: false;
    StringNotEqualsIgnoreCase => String, negated: true;
    StringLike => String, negated: false;
    StringNotLike => String, negated: true;
    NumericEquals => Numeric, negated: false;
    NumericNotEquals => Numeric, negated: true;
    NumericLessThan => Numeric, negated: false;
    NumericLessThanEquals => Numeric, negated: false;
    NumericGreaterThan => Numeric, negated: false;
    NumericGreaterThanEquals => Numeric, negated: false;
    DateEquals => Date, negated: false;
    DateNotEquals => Date, negated: true;
    DateLessThan => Date, negated: false;
    DateLessThanEquals => Date, negated: false;
    DateGreaterThan => Date, negated: false;
    DateGreaterThanEquals => Date, negated: false;
    Bool => Bool, negated: false;
    BinaryEquals => Binary, negated: false;
    IpAddress => IpAddress, negated: false;
    NotIpAddress => IpAddress, negated: true;
    ArnEquals => Arn, negated: false;
    ArnLike => Arn, negated: false;
    ArnNotEquals => Arn, negated: true;
    ArnNotLike => Arn, negated: true;
    Null => Null, negated: false;
}

impl BaseOperator {
    /// Whether policy variables are expanded in this operator's values:
    /// String, ARN and Boolean operators ("Policy variables – Supported" on
    /// the operators page; Numeric, Date, Binary, IP address and Null say
    /// "Not supported").
    pub fn supports_variables(self) -> bool {
        matches!(
            self.family(),
            OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
        )
    }

    /// Whether `*` and `?` in the policy values are wildcards:
    /// `StringLike`, `StringNotLike` and all four ARN operators
    /// (`ArnEquals` and `ArnLike` "behave identically").
    pub fn supports_wildcards(self) -> bool {
        matches!(self, Self::StringLike | Self::StringNotLike)
            || self.family() == OperatorFamily::Arn
    }

    /// Whether string comparison ignores case (`…IgnoreCase`).
    pub fn ignores_case(self) -> bool {
        matches!(
            self,
            Self::StringEqualsIgnoreCase | Self::StringNotEqualsIgnoreCase
        )
    }
}

impl fmt::Display for BaseOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// `ForAllValues:` / `ForAnyValue:`, if written.
    pub set: Option<SetQualifier>,
    /// The comparison.
    pub base: BaseOperator,
    /// The `IfExists` suffix: true when the key is absent.
    pub if_exists: bool,
}

/// Why an operator name is not a condition operator. Messages say exactly
/// what is wrong; the lint rule `invalid-condition-operator` shows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum OperatorError {
    /// `""`.
    #[error("the condition operator is empty")]
    Empty,
    /// A qualifier before `:` that is neither `ForAllValues` nor `ForAnyValue`.
    #[error(
        "unknown set qualifier `{qualifier}` in `{name}`: use `ForAllValues` or `ForAnyValue`{suggestion}"
    )]
    UnknownQualifier {
        /// The whole operator name.
        name: String,
        /// The part before `:`.
        qualifier: String,
        /// `", did you mean …?"` or empty.
        suggestion: String,
    },
    /// `ForAnyValue:` with nothing after it.
    #[error("`{name}` names a set qualifier but no operator after `:`")]
    MissingBase {
        /// The whole operator name.
        name: String,
    },
    /// An operator name AWS does not know.
    #[error("unknown condition operator `{name}`{suggestion}")]
    Unknown {
        /// The whole operator name.
        name: String,
        /// `", did you mean …?"`, a case hint, or empty.
        suggestion: String,
    },
    /// `NullIfExists`.
    #[error(
        "`{name}`: the `Null` operator cannot take the `IfExists` suffix, it already tests whether the key exists"
    )]
    NullIfExists {
        /// The whole operator name.
        name: String,
    },
}

const IF_EXISTS: &str = "IfExists";

impl ConditionOperator {
    /// Parses an operator name as written in a policy.
    pub fn parse(name: &str) -> Result<Self, OperatorError> {
        if name.is_empty() {
            return Err(OperatorError::Empty);
        }
        let (set, rest) = match name.split_once(':') {
            None => (None, name),
            Some((qualifier, rest)) => {
                let set = match qualifier {
                    "ForAllValues" => SetQualifier::ForAllValues,
                    "ForAnyValue" => SetQualifier::ForAnyValue,
                    _ => {
                        return Err(OperatorError::UnknownQualifier {
                            name: name.to_owned(),
                            qualifier: qualifier.to_owned(),
                            suggestion: did_you_mean(qualifier, &["ForAllValues", "ForAnyValue"]),
                        });
                    }
                };
                if rest.is_empty() {
                    return Err(OperatorError::MissingBase {
                        name: name.to_owned(),
                    });
                }
                (Some(set), rest)
            }
        };
        let (base_name, if_exists) = match rest.strip_suffix(IF_EXISTS) {
            Some(base) if !base.is_empty() => (base, true),
            _ => (rest, false),
        };
        let Some(base) = BaseOperator::from_name(base_name) else {
            return Err(OperatorError::Unknown {
                name: name.to_owned(),
                suggestion: suggest(set, rest),
            });
        };
        if base == BaseOperator::Null && if_exists {
            return Err(OperatorError::NullIfExists {
                name: name.to_owned(),
            });
        }
        Ok(Self {
            set,
            base,
            if_exists,
        })
    }

    /// A policy that AWS accepts but that cannot mean what its author
    /// wanted, as a sentence for lint rules; `None` for ordinary operators.
    ///
    /// `ForAllValues:Null` always evaluates to true and `ForAnyValue:Null`
    /// to false ("Suggestion – Null with qualifier",
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>).
    pub fn pitfall(&self) -> Option<&'static str> {
        match (self.base, self.set) {
            (BaseOperator::Null, Some(SetQualifier::ForAllValues)) => Some(
                "`ForAllValues:Null` always evaluates to true; use `Null` without a set qualifier",
            ),
            (BaseOperator::Null, Some(SetQualifier::ForAnyValue)) => Some(
                "`ForAnyValue:Null` always evaluates to false; use `Null` without a set qualifier",
            ),
            _ => None,
        }
    }
}

/// A did-you-mean hint for an unknown operator: the closest known name
/// (with the same qualifier and suffix), or a note that names are
/// case-sensitive when only case differs.
fn suggest(set: Option<SetQualifier>, rest: &str) -> String {
    let candidates: Vec<String> = BaseOperator::ALL
        .iter()
        .flat_map(|b| {
            let plain = b.name().to_owned();
            let suffixed = (*b != BaseOperator::Null).then(|| format!("{}{IF_EXISTS}", b.name()));
            std::iter::once(plain).chain(suffixed)
        })
        .collect();
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(rest)) {
        let full = match set {
            Some(q) => format!("{}:{exact}", q.name()),
            None => exact.clone(),
        };
        return format!(": condition operators are case-sensitive, write `{full}`");
    }
    let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
    let hint = did_you_mean(rest, &refs);
    match set {
        Some(q) if !hint.is_empty() => hint.replacen('`', &format!("`{}:", q.name()), 1),
        _ => hint,
    }
}

impl fmt::Display for ConditionOperator {
    /// The canonical spelling, e.g. `ForAnyValue:StringLikeIfExists`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.set {
            write!(f, "{}:", q.name())?;
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str(IF_EXISTS)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ConditionOperator {
    type Err = OperatorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every operator on the page, each with IfExists and both qualifiers:
    // "You can add IfExists to the end of any condition operator name except
    // the Null condition".
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
    #[test]
    fn every_operator_round_trips() {
        assert_eq!(BaseOperator::ALL.len(), 27);
        for &base in BaseOperator::ALL {
            for set in [
                None,
                Some(SetQualifier::ForAllValues),
                Some(SetQualifier::ForAnyValue),
            ] {
                for if_exists in [false, true] {
                    let op = ConditionOperator {
                        set,
                        base,
                        if_exists,
                    };
                    let parsed = ConditionOperator::parse(&op.to_string());
                    if base == BaseOperator::Null && if_exists {
                        assert!(parsed.is_err(), "{op}");
                    } else {
                        assert_eq!(parsed, Ok(op), "{op}");
                    }
                }
            }
        }
    }

    #[test]
    fn parts() {
        let op: ConditionOperator = "ForAnyValue:StringNotLikeIfExists".parse().unwrap();
        assert_eq!(op.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringNotLike);
        assert!(op.if_exists);
        assert!(op.base.is_negated());
        assert!(op.base.supports_wildcards());
        assert!(!BaseOperator::StringEquals.supports_wildcards());
        assert!(BaseOperator::ArnEquals.supports_wildcards());
        assert!(BaseOperator::StringEqualsIgnoreCase.ignores_case());
        // "IfExists" alone is not an operator.
        assert!(ConditionOperator::parse("IfExists").is_err());
    }

    // Policy variables: supported for String, ARN and Boolean operators, not
    // for Numeric, Date, Binary, IP address or Null.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
    #[test]
    fn variable_support_by_family() {
        let with: Vec<_> = BaseOperator::ALL
            .iter()
            .filter(|b| b.supports_variables())
            .map(|b| b.family())
            .collect();
        assert!(with.contains(&OperatorFamily::Bool));
        for f in [
            OperatorFamily::Numeric,
            OperatorFamily::Date,
            OperatorFamily::Binary,
            OperatorFamily::IpAddress,
            OperatorFamily::Null,
        ] {
            assert!(!with.contains(&f), "{f:?}");
        }
    }

    #[test]
    fn negated_operators() {
        let negated: Vec<_> = BaseOperator::ALL
            .iter()
            .filter(|b| b.is_negated())
            .map(|b| b.name())
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike"
            ]
        );
    }

    fn message(name: &str) -> String {
        ConditionOperator::parse(name).unwrap_err().to_string()
    }

    #[test]
    fn error_messages_say_what_is_wrong() {
        assert_eq!(message(""), "the condition operator is empty");
        assert_eq!(
            message("StringEqual"),
            "unknown condition operator `StringEqual`, did you mean `StringEquals`?"
        );
        assert_eq!(
            message("StringEqualIfExists"),
            "unknown condition operator `StringEqualIfExists`, did you mean `StringEqualsIfExists`?"
        );
        assert_eq!(
            message("ForAnyValue:StringLke"),
            "unknown condition operator `ForAnyValue:StringLke`, did you mean `ForAnyValue:StringLike`?"
        );
        // Case: AWS answers "Invalid Condition type : stringEquals".
        assert_eq!(
            message("stringEquals"),
            "unknown condition operator `stringEquals`: condition operators are case-sensitive, write `StringEquals`"
        );
        assert_eq!(
            message("ForAllValues:stringlike"),
            "unknown condition operator `ForAllValues:stringlike`: condition operators are case-sensitive, write `ForAllValues:StringLike`"
        );
        assert_eq!(
            message("ForAllValue:StringEquals"),
            "unknown set qualifier `ForAllValue` in `ForAllValue:StringEquals`: use `ForAllValues` or `ForAnyValue`, did you mean `ForAllValues`?"
        );
        assert_eq!(
            message("ForAnyValue:"),
            "`ForAnyValue:` names a set qualifier but no operator after `:`"
        );
        assert_eq!(message("Whatever"), "unknown condition operator `Whatever`");
        assert_eq!(
            message("ForAnyValue:StringEquals:x"),
            "unknown condition operator `ForAnyValue:StringEquals:x`, did you mean `ForAnyValue:StringEquals`?"
        );
        // "Error – Null with if exists"
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
        assert_eq!(
            message("NullIfExists"),
            "`NullIfExists`: the `Null` operator cannot take the `IfExists` suffix, it already tests whether the key exists"
        );
    }

    // "Suggestion – Null with qualifier": accepted by AWS, always true
    // (ForAllValues) or false (ForAnyValue).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
    #[test]
    fn null_with_a_qualifier_parses_with_a_pitfall() {
        let op = ConditionOperator::parse("ForAllValues:Null").unwrap();
        assert!(op.pitfall().unwrap().contains("always evaluates to true"));
        let op = ConditionOperator::parse("ForAnyValue:Null").unwrap();
        assert!(op.pitfall().unwrap().contains("always evaluates to false"));
        assert!(
            ConditionOperator::parse("Null")
                .unwrap()
                .pitfall()
                .is_none()
        );
    }
}
