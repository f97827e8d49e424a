//! Wildcard patterns compiled once: most policy patterns are an exact
//! string, a prefix (`home/*`), a suffix (`*.example.com`) or `*`, which
//! need no general matching. Others use [`crate::policy::wildcard`].

use crate::eval::variables::ARN_PARTS;
#[cfg(test)]
use crate::eval::variables::split_arn;
use crate::policy::wildcard;

/// A `StringLike` pattern or one part of an ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Pattern {
    /// No wildcard.
    Exact(Box<str>),
    /// `text*` (any number of trailing stars).
    Prefix(Box<str>),
    /// `*text`.
    Suffix(Box<str>),
    /// Only stars.
    Any,
    /// Anything else.
    Glob(Box<str>),
}

impl Pattern {
    pub(super) fn new(pattern: &str) -> Self {
        if !wildcard::has_wildcard(pattern) {
            return Self::Exact(pattern.into());
        }
        let trimmed_end = pattern.trim_end_matches('*');
        if trimmed_end.is_empty() {
            return Self::Any;
        }
        if !wildcard::has_wildcard(trimmed_end) {
            return Self::Prefix(trimmed_end.into());
        }
        if let Some(rest) = pattern.strip_prefix('*')
            && !wildcard::has_wildcard(rest)
        {
            return Self::Suffix(rest.into());
        }
        Self::Glob(pattern.into())
    }

    pub(super) fn matches(&self, text: &str) -> bool {
        match self {
            Self::Exact(p) => **p == *text,
            Self::Prefix(p) => text.starts_with(&**p),
            Self::Suffix(p) => text.ends_with(&**p),
            Self::Any => true,
            Self::Glob(p) => wildcard::matches(p, text),
        }
    }
}

/// An ARN pattern: six parts, each matched on its own ("Each of the six
/// colon-delimited components of the ARN is checked separately",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>).
/// The leading parts without wildcards (usually `arn:aws:service:…`) are
/// kept as one literal prefix, compared at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArnPattern {
    /// The exact leading parts, each followed by its colon.
    prefix: Box<str>,
    /// The remaining parts, from part `ARN_PARTS - rest.len()` on.
    rest: Box<[Pattern]>,
}

impl ArnPattern {
    /// `None` when `pattern` has fewer than six colon-separated parts.
    pub(super) fn new(pattern: &str) -> Option<Self> {
        let parts: Vec<&str> = pattern.splitn(ARN_PARTS, ':').collect();
        if parts.len() != ARN_PARTS {
            return None;
        }
        let exact = parts[..ARN_PARTS - 1]
            .iter()
            .take_while(|p| !wildcard::has_wildcard(p))
            .count();
        let prefix: String = parts[..exact].iter().map(|p| format!("{p}:")).collect();
        Some(Self {
            prefix: prefix.into(),
            rest: parts[exact..].iter().map(|p| Pattern::new(p)).collect(),
        })
    }

    /// Whether `arn`, split into `parts` by `split_arn`, matches part by
    /// part.
    pub(super) fn matches(&self, arn: &str, parts: &[&str; ARN_PARTS]) -> bool {
        let first = ARN_PARTS - self.rest.len();
        arn.starts_with(&*self.prefix)
            && self
                .rest
                .iter()
                .zip(&parts[first..])
                .all(|(p, part)| p.matches(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // StringLike: "* (multi-character match) or ? (single-character match)
    // anywhere in the string", case-sensitive.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
    #[test]
    fn classified_patterns_agree_with_the_matcher() {
        let patterns = [
            "abc",
            "home/*",
            "home/**",
            "*.example.com",
            "*",
            "**",
            "a*b",
            "a?c",
            "*a*",
            "?",
            "",
        ];
        let texts = [
            "abc",
            "home/",
            "home/x/y",
            "www.example.com",
            "",
            "ab",
            "axb",
            "abc",
            "a",
            "ABC",
        ];
        for p in patterns {
            let compiled = Pattern::new(p);
            for t in texts {
                assert_eq!(compiled.matches(t), wildcard::matches(p, t), "{p} vs {t}");
            }
        }
        assert_eq!(Pattern::new("home/*"), Pattern::Prefix("home/".into()));
        assert_eq!(Pattern::new("*.x"), Pattern::Suffix(".x".into()));
        assert_eq!(Pattern::new("**"), Pattern::Any);
        assert!(matches!(Pattern::new("a*b"), Pattern::Glob(_)));
    }

    // ARN operators: six parts checked separately, wildcards in each.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    fn matches(pattern: &ArnPattern, arn: &str) -> bool {
        split_arn(arn).is_some_and(|parts| pattern.matches(arn, &parts))
    }

    #[test]
    fn arn_patterns() {
        let p = ArnPattern::new("arn:aws:iam::*:role/*").unwrap();
        assert!(matches(&p, "arn:aws:iam::123456789012:role/path/admin"));
        assert!(!matches(&p, "arn:aws:iam::123456789012:user/admin"));
        assert!(!matches(&p, "arn:aws:iam:us-east-1:123456789012:role/x"));
        assert!(!matches(&p, "arn:aws:iam::123456789012"), "too few parts");
        let any = ArnPattern::new("arn:???:*:*:*:*").unwrap();
        assert!(matches(
            &any,
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
        ));
        assert!(!matches(
            &any,
            "arn:aws-cn:ec2:us-east-1:123456789012:instance/i-1"
        ));
        // The star in the region part does not reach across colons.
        let narrow = ArnPattern::new("arn:aws:s3:*::bucket").unwrap();
        assert!(!matches(&narrow, "arn:aws:s3:::x:bucket"));
        // The resource part keeps its colons.
        let logs = ArnPattern::new("arn:aws:logs:*:*:log-group:app:*").unwrap();
        assert!(matches(
            &logs,
            "arn:aws:logs:us-east-1:1:log-group:app:log-stream:s"
        ));
        // Case-sensitive.
        let upper = ArnPattern::new("arn:aws:iam::1:role/A").unwrap();
        assert!(!matches(&upper, "arn:aws:iam::1:role/a"));
        let exact = ArnPattern::new("arn:aws:sns:us-east-1:1:topic").unwrap();
        assert!(matches(&exact, "arn:aws:sns:us-east-1:1:topic"));
        assert!(!matches(&exact, "arn:aws:sns:us-east-1:1:topic2"));
        assert!(!matches(&exact, "arn:aws:sns:us-east-1:12:topic"));
        assert!(ArnPattern::new("*").is_none());
        assert!(ArnPattern::new("arn:aws:iam::*").is_none());
    }
}
