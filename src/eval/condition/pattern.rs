//! Wildcard patterns compiled once: most policy patterns are an exact
//! string, a prefix (`home/*`), a suffix (`*.example.com`) or `*`, which
//! need no general matching. Others use [`crate::policy::wildcard`].

use crate::eval::variables::ARN_PARTS;
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
        if let Some(rest) = pattern.strip_prefix('*') {
            if !wildcard::has_wildcard(rest) {
                return Self::Suffix(rest.into());
            }
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArnPattern {
    parts: Box<[Pattern]>,
}

impl ArnPattern {
    /// `None` when `pattern` has fewer than six colon-separated parts.
    pub(super) fn new(pattern: &str) -> Option<Self> {
        let parts: Box<[Pattern]> = pattern.splitn(ARN_PARTS, ':').map(Pattern::new).collect();
        (parts.len() == ARN_PARTS).then_some(Self { parts })
    }

    /// Whether `arn` matches part by part; an ARN with fewer than six parts
    /// matches nothing.
    pub(super) fn matches(&self, arn: &str) -> bool {
        let mut parts = arn.splitn(ARN_PARTS, ':');
        self.parts
            .iter()
            .all(|p| parts.next().is_some_and(|part| p.matches(part)))
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
    #[test]
    fn arn_patterns() {
        let p = ArnPattern::new("arn:aws:iam::*:role/*").unwrap();
        assert!(p.matches("arn:aws:iam::123456789012:role/path/admin"));
        assert!(!p.matches("arn:aws:iam::123456789012:user/admin"));
        assert!(!p.matches("arn:aws:iam:us-east-1:123456789012:role/x"));
        assert!(!p.matches("arn:aws:iam::123456789012"), "too few parts");
        let any = ArnPattern::new("arn:???:*:*:*:*").unwrap();
        assert!(any.matches("arn:aws:ec2:us-east-1:123456789012:instance/i-1"));
        assert!(!any.matches("arn:aws-cn:ec2:us-east-1:123456789012:instance/i-1"));
        // The star in the region part does not reach across colons.
        let narrow = ArnPattern::new("arn:aws:s3:*::bucket").unwrap();
        assert!(!narrow.matches("arn:aws:s3:::x:bucket"));
        // The resource part keeps its colons.
        let logs = ArnPattern::new("arn:aws:logs:*:*:log-group:app:*").unwrap();
        assert!(logs.matches("arn:aws:logs:us-east-1:1:log-group:app:log-stream:s"));
        // Case-sensitive.
        assert!(
            !ArnPattern::new("arn:aws:iam::1:role/A")
                .unwrap()
                .matches("arn:aws:iam::1:role/a")
        );
        assert!(ArnPattern::new("*").is_none());
        assert!(ArnPattern::new("arn:aws:iam::*").is_none());
    }
}
