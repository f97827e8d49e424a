//! Condition keys: their value types and how a key written in a policy
//! matches a catalog name with `${TagKey}`-style placeholders.

use std::fmt;

use super::model::starts_with_ignore_case;

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
    let Some((hole, _)) = next_placeholder(pattern) else {
        return pattern.eq_ignore_ascii_case(name);
    };
    if !starts_with_ignore_case(name, &pattern[..hole]) {
        return false;
    }
    // What follows the last placeholder ends the name: a cheap test that
    // settles most names before the search below.
    let tail = &pattern[pattern.rfind(['}', '>']).map_or(pattern.len(), |i| i + 1)..];
    if name.len() < tail.len()
        || !name.as_bytes()[name.len() - tail.len()..].eq_ignore_ascii_case(tail.as_bytes())
    {
        return false;
    }
    let mut pieces = literal_pieces(pattern);
    let first = pieces.next().unwrap_or_default();
    if !starts_with_ignore_case(name, first) {
        return false;
    }
    let Some(mut piece) = pieces.next() else {
        return name.len() == first.len();
    };
    let name_bytes = name.as_bytes();
    let mut pos = first.len();
    loop {
        // Each placeholder takes at least one character.
        let start = pos + 1;
        let Some(next) = pieces.next() else {
            // The last piece ends the name.
            return name.len() >= start + piece.len()
                && name_bytes[name.len() - piece.len()..].eq_ignore_ascii_case(piece.as_bytes());
        };
        // Leftmost match: a later placeholder can still take what follows.
        let Some(found) = name_bytes.get(start..).and_then(|rest| {
            rest.windows(piece.len().max(1))
                .position(|w| piece.is_empty() || w.eq_ignore_ascii_case(piece.as_bytes()))
        }) else {
            return false;
        };
        pos = start + found + piece.len();
        piece = next;
    }
}

/// The literal text around a key name's placeholders: one piece more than
/// there are placeholders (`aws:RequestTag/${TagKey}` → `aws:RequestTag/`, ``).
fn literal_pieces(pattern: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(pattern);
    std::iter::from_fn(move || {
        let text = rest?;
        match next_placeholder(text) {
            Some((start, close)) => {
                let after = &text[start..];
                rest = Some(after.find(close).map_or("", |end| &after[end + 1..]));
                Some(&text[..start])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Whether a catalog key name holds a placeholder.
pub(super) fn has_placeholder(pattern: &str) -> bool {
    next_placeholder(pattern).is_some()
}

/// Where the next `${` or `<` placeholder starts, and the character closing it.
/// The text of a key name before its first placeholder (all of it when
/// there is none): every name the key matches starts with it.
pub(super) fn literal_prefix(pattern: &str) -> &str {
    &pattern[..next_placeholder(pattern).map_or(pattern.len(), |(i, _)| i)]
}

fn next_placeholder(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| match b {
        b'<' => Some((i, '>')),
        b'$' if bytes.get(i + 1) == Some(&b'{') => Some((i, '}')),
        _ => None,
    })
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
    fn several_placeholders() {
        let p = "a:${X}/${Y}.z";
        assert!(name_matches(p, "a:1/2.z"));
        assert!(name_matches(p, "A:1/2/3.Z"));
        assert!(name_matches(p, "a:1/2.z/3.z"));
        assert!(!name_matches(p, "a:/2.z"));
        assert!(!name_matches(p, "a:1/.z"));
        assert!(!name_matches(p, "a:1.z"));
        assert!(name_matches("a:${X}${Y}", "a:12"));
        assert!(!name_matches("a:${X}${Y}", "a:1"));
        assert!(name_matches("plain", "PLAIN"));
        assert!(!name_matches("plain", "plainer"));
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
