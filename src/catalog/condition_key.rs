//! Condition keys: their value types and how a key written in a policy
//! matches a catalog name with `${TagKey}`-style placeholders.

use std::fmt;

use crate::policy::wildcard;

/// The type of a condition key's values, which decides the condition
/// operators that make sense for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionType {
    /// Compared with `String…` operators.
    String,
    /// Compared with `Arn…` operators (and `String…`).
    Arn,
    /// Compared with `Numeric…` operators.
    Numeric,
    /// Compared with `Date…` operators.
    Date,
    /// Compared with `Bool`.
    Bool,
    /// Compared with `IpAddress` / `NotIpAddress`.
    IpAddress,
    /// Compared with `BinaryEquals`.
    Binary,
}

impl ConditionType {
    /// Parses a base type name as the Service Authorization Reference
    /// writes it (`String`, `ARN`, `IPAddress`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "String" => Self::String,
            "ARN" => Self::Arn,
            "Numeric" => Self::Numeric,
            "Date" => Self::Date,
            "Bool" => Self::Bool,
            "IPAddress" => Self::IpAddress,
            "Binary" => Self::Binary,
            _ => return None,
        })
    }

    /// The name as the Service Authorization Reference writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "String",
            Self::Arn => "ARN",
            Self::Numeric => "Numeric",
            Self::Date => "Date",
            Self::Bool => "Bool",
            Self::IpAddress => "IPAddress",
            Self::Binary => "Binary",
        }
    }

    /// The one-element slice holding this type.
    pub(super) const fn as_slice(self) -> &'static [ConditionType] {
        match self {
            Self::String => &[Self::String],
            Self::Arn => &[Self::Arn],
            Self::Numeric => &[Self::Numeric],
            Self::Date => &[Self::Date],
            Self::Bool => &[Self::Bool],
            Self::IpAddress => &[Self::IpAddress],
            Self::Binary => &[Self::Binary],
        }
    }
}

impl fmt::Display for ConditionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who defines a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyOrigin {
    /// A global key (`aws:…`) or a cross-service key AWS documents with
    /// them (`ec2:SourceInstanceArn`): usable with every action.
    Global,
    /// A key of the service with this prefix.
    Service(&'static str),
}

/// A condition key and the type of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionKey {
    /// The name as AWS spells it, placeholders included:
    /// `aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`.
    pub name: &'static str,
    /// The value types it accepts, the main one first (only `aws:EpochTime`
    /// has two: Date and Numeric).
    pub types: &'static [ConditionType],
    /// Whether a request can carry several values (`ArrayOf…`), to be tested
    /// with `ForAnyValue:` / `ForAllValues:`.
    pub multivalued: bool,
    /// Who defines it.
    pub origin: KeyOrigin,
}

impl ConditionKey {
    /// The main value type.
    pub fn value_type(&self) -> ConditionType {
        self.types.first().copied().unwrap_or(ConditionType::String)
    }

    /// Whether values of type `ty` suit the key.
    pub fn accepts(&self, ty: ConditionType) -> bool {
        self.types.contains(&ty)
    }

    /// Whether `name`, as written in a policy, is this key.
    pub fn matches(&self, name: &str) -> bool {
        name_matches(self.name, name)
    }
}

/// Whether the key `name` written in a policy is the catalog key `pattern`,
/// ignoring case (condition key names are case-insensitive); a `${…}` or
/// `<…>` placeholder in the pattern stands for one or more characters
/// (tag keys may hold `/` and `:`).
pub(super) fn name_matches(pattern: &str, name: &str) -> bool {
    if !has_placeholder(pattern) {
        return pattern.eq_ignore_ascii_case(name);
    }
    // Catalog key names never hold `*` or `?`, so a placeholder can become
    // `?*` and the IAM wildcard matcher do the rest.
    let mut glob = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some((start, close)) = next_placeholder(rest) {
        glob.push_str(&rest[..start]);
        glob.push_str("?*");
        rest = &rest[start..];
        rest = match rest.find(close) {
            Some(end) => &rest[end + 1..],
            None => "",
        };
    }
    glob.push_str(rest);
    wildcard::matches_ignore_case(&glob, name)
}

/// Whether a catalog key name holds a placeholder.
pub(super) fn has_placeholder(pattern: &str) -> bool {
    next_placeholder(pattern).is_some()
}

/// Where the next `${` or `<` placeholder starts, and the character closing it.
fn next_placeholder(text: &str) -> Option<(usize, char)> {
    let dollar = text.find("${").map(|i| (i, '}'));
    let angle = text.find('<').map(|i| (i, '>'));
    match (dollar, angle) {
        (Some(d), Some(a)) => Some(if d.0 < a.0 { d } else { a }),
        (d, a) => d.or(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_compare_ignoring_case() {
        assert!(name_matches("aws:SourceIp", "AWS:sourceip"));
        assert!(!name_matches("aws:SourceIp", "aws:SourceIps"));
    }

    // Tag keys in condition keys: "aws:RequestTag/tag-key" in
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    #[test]
    fn placeholders_stand_for_one_or_more_characters() {
        assert!(name_matches(
            "aws:RequestTag/${TagKey}",
            "aws:RequestTag/team"
        ));
        assert!(name_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:resourcetag/kubernetes.io/cluster/x"
        ));
        assert!(!name_matches("aws:RequestTag/${TagKey}", "aws:RequestTag/"));
        assert!(name_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/k"
        ));
        assert!(name_matches(
            "codebuild:secondarySources/${sourceIdentifier}.location",
            "codebuild:secondarySources/src1.location"
        ));
        assert!(!name_matches(
            "codebuild:secondarySources/${sourceIdentifier}.location",
            "codebuild:secondarySources/src1.type"
        ));
    }

    #[test]
    fn type_names_round_trip() {
        for ty in [
            ConditionType::String,
            ConditionType::Arn,
            ConditionType::Numeric,
            ConditionType::Date,
            ConditionType::Bool,
            ConditionType::IpAddress,
            ConditionType::Binary,
        ] {
            assert_eq!(ConditionType::from_name(ty.as_str()), Some(ty));
            assert_eq!(ty.as_slice(), &[ty]);
        }
        assert_eq!(ConditionType::from_name("ArrayOfString"), None);
    }
}
