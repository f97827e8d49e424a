//! The IAM wildcard matcher: `*` matches any run of characters (including
//! `:` and `/`), `?` exactly one character; every other character, `[`, `{`
//! and `\` included, is literal.
//!
//! Action names compare ASCII-case-insensitively, ARNs and most condition
//! values case-sensitively.

/// Whether `text` matches `pattern`, comparing characters exactly.
pub fn matches(pattern: &str, text: &str) -> bool {
    match_with(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
}

/// Whether `text` matches `pattern`, ignoring ASCII case (action names).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    match_with(pattern.as_bytes(), text.as_bytes(), |a, b| {
        a.eq_ignore_ascii_case(&b)
    })
}

/// Iterative two-pointer glob match with single-star backtracking: linear in
/// practice, never recursive. Works on bytes; `?` consumes one whole UTF-8
/// character.
fn match_with(pattern: &[u8], text: &[u8], eq: impl Fn(u8, u8) -> bool) -> bool {
    let (mut p, mut t) = (0, 0);
    // Position after the last `*` seen, and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p + 1, t));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += utf8_width(text[t]);
                    continue;
                }
                c if eq(c, text[t]) => {
                    p += 1;
                    t += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) => {
                // Let the last star swallow one more character and retry.
                let next = st + utf8_width(text[st]);
                star = Some((sp, next));
                p = sp;
                t = next;
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Length of the UTF-8 sequence that starts with `lead` (1 for stray bytes).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Whether the pattern contains a wildcard character.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Semantics from "IAM JSON policy elements: Action" and "Resource"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
    // `*` spans segments, `?` is one character.
    #[test]
    fn stars_and_question_marks() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything:at/all"));
        assert!(matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b/c"
        ));
        assert!(matches(
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/path/r"
        ));
        assert!(!matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("a?c", "a\u{e9}c"), "? consumes a whole character");
        assert!(matches("*a*b*", "xxaxxbxx"));
        assert!(!matches("*a*b*", "xxbxxaxx"));
        assert!(matches("a**b", "ab"));
    }

    #[test]
    fn brackets_braces_and_backslashes_are_literal() {
        assert!(matches("a[bc]d", "a[bc]d"));
        assert!(!matches("a[bc]d", "abd"));
        assert!(matches("{a,b}", "{a,b}"));
        assert!(matches("a\\*", "a\\xyz"));
    }

    #[test]
    fn case() {
        assert!(matches_ignore_case("S3:get*", "s3:GetObject"));
        assert!(!matches("S3:get*", "s3:GetObject"));
    }
}
