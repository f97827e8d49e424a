//! The IAM wildcard matcher: `*` matches any run of characters (including
//! `:` and `/`), `?` exactly one character; every other character, `[`, `{`
//! and `\` included, is literal.
//!
//! Action names compare ASCII-case-insensitively, ARNs and most condition
//! values case-sensitively.
//!
//! Two matchers with the same meaning, each for where it is faster:
//! [`matches`] / [`matches_ignore_case`] for one pattern against one text,
//! and [`PatternSet`] (globset, compiled once) for one text against many
//! patterns. The `wildcard` bench measures both; a differential test keeps
//! them in agreement.

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

/// Whether `text` matches `pattern`, comparing characters exactly.
///
/// Wins for a single pattern: no compilation, no allocation. `s3:Get*`
/// against `s3:GetObject` (bench `wildcard`, medians): 22 ns here, 50 ns for
/// a compiled globset matcher, 54 ns for a one-pattern [`PatternSet`].
pub fn matches(pattern: &str, text: &str) -> bool {
    match_with(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
}

/// Whether `text` matches `pattern`, ignoring ASCII case (action names).
/// Like [`matches`], the choice for one pattern at a time.
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
                    // A trailing `*` takes whatever text is left.
                    if p + 1 == pattern.len() {
                        return true;
                    }
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

/// How letters compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// Exactly (ARNs, most condition values).
    Sensitive,
    /// ASCII letters without regard to case (action names).
    Insensitive,
}

/// Whether `text` matches `pattern` under `case`: [`matches`] or
/// [`matches_ignore_case`].
pub fn matches_with(pattern: &str, text: &str, case: Case) -> bool {
    match case {
        Case::Sensitive => matches(pattern, text),
        Case::Insensitive => matches_ignore_case(pattern, text),
    }
}

/// Translates an IAM pattern into a globset glob of the same meaning (used
/// with `literal_separator(false)` and `backslash_escape(false)`):
/// runs of `*` collapse to one (so globset never sees its recursive `**`),
/// `[`, `]`, `{`, `}` and `\` become one-character classes (`[[]`, …) so they
/// stay literal, and a final `.` becomes `[.]` so globset does not pick its
/// file-extension strategy, which treats a text ending in `/..` as having no
/// extension.
pub fn to_glob(pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len() + 8);
    let mut previous = None;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if previous == Some('*') => {}
            '[' | ']' | '{' | '}' | '\\' => {
                glob.push('[');
                glob.push(c);
                glob.push(']');
            }
            '.' if chars.peek().is_none() => glob.push_str("[.]"),
            c => glob.push(c),
        }
        previous = Some(c);
    }
    glob
}

/// Patterns that could not be compiled into one matcher (the compiled
/// automaton would exceed globset's size limit).
#[derive(Debug, thiserror::Error)]
#[error("cannot compile {count} wildcard patterns into one matcher: {source}")]
pub struct PatternSetError {
    /// How many patterns were given.
    pub count: usize,
    /// globset's reason.
    #[source]
    pub source: globset::Error,
}

/// A compiled set of IAM patterns answering "which (or any) of them matches
/// this text" in one pass.
///
/// Wins for one text against many patterns: one action against 50 patterns
/// (bench `wildcard`, medians) takes 67 ns for [`PatternSet::is_match`] and
/// 117 ns for [`PatternSet::matches_into`], against 148 ns for 50
/// [`matches_ignore_case`] calls. It loses for a single pattern (54 ns
/// against 22 ns), and building it compiles a regex, so build it once per
/// policy set, not per request.
#[derive(Debug, Clone)]
pub struct PatternSet {
    set: GlobSet,
    patterns: Vec<String>,
    /// Indices of patterns holding `?`. globset's `?` takes one byte where
    /// IAM's takes one character, so on non-ASCII text these are decided by
    /// the two-pointer matcher instead.
    questions: Vec<usize>,
    case: Case,
}

impl PatternSet {
    /// Compiles `patterns`, compared under `case`.
    pub fn new<I, S>(patterns: I, case: Case) -> Result<Self, PatternSetError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let patterns: Vec<String> = patterns.into_iter().map(Into::into).collect();
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = GlobBuilder::new(&to_glob(pattern))
                .literal_separator(false)
                .backslash_escape(false)
                .case_insensitive(case == Case::Insensitive)
                .build()
                .map_err(|source| PatternSetError {
                    count: patterns.len(),
                    source,
                })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|source| PatternSetError {
            count: patterns.len(),
            source,
        })?;
        let questions = patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| p.contains('?'))
            .map(|(i, _)| i)
            .collect();
        Ok(Self {
            set,
            patterns,
            questions,
            case,
        })
    }

    /// The patterns, in the order given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// How many patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether any pattern matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let candidate = Candidate::from_bytes(text.as_bytes());
        if text.is_ascii() || self.questions.is_empty() {
            return self.set.is_match_candidate(&candidate);
        }
        self.questions
            .iter()
            .any(|&i| matches_with(&self.patterns[i], text, self.case))
            || self
                .set
                .matches_candidate(&candidate)
                .into_iter()
                .any(|i| !self.questions.contains(&i))
    }

    /// Indices of the patterns that match `text`, ascending.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        self.matches_into(text, &mut found);
        found
    }

    /// Like [`PatternSet::matches`], reusing `found` (cleared first).
    pub fn matches_into(&self, text: &str, found: &mut Vec<usize>) {
        let candidate = Candidate::from_bytes(text.as_bytes());
        self.set.matches_candidate_into(&candidate, found);
        if text.is_ascii() || self.questions.is_empty() {
            return;
        }
        found.retain(|i| !self.questions.contains(i));
        found.extend(
            self.questions
                .iter()
                .copied()
                .filter(|&i| matches_with(&self.patterns[i], text, self.case)),
        );
        found.sort_unstable();
    }
}

/// The benches' SplitMix64 generator, for the differential test.
#[cfg(test)]
#[path = "../../benches/common/rng.rs"]
mod test_rng;

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
        // A trailing star after a backtracked one.
        assert!(matches("a*b*", "axxbyy\u{e9}"));
        assert!(matches("*b*", "aab"));
        assert!(!matches("a*b*", "axxcyy"));
        assert!(!matches("a*b?*", "axxb"));
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

    #[test]
    fn glob_translation() {
        assert_eq!(to_glob("s3:Get*"), "s3:Get*");
        assert_eq!(to_glob("a***b"), "a*b");
        assert_eq!(to_glob("a[b]{c}\\d"), "a[[]b[]][{]c[}][\\]d");
        assert_eq!(to_glob("a.b."), "a.b[.]");
    }

    #[test]
    fn pattern_set_which_and_any() {
        let set = PatternSet::new(
            ["s3:Get*", "S3:PUT*", "iam:*", "ec2:Describe?"],
            Case::Insensitive,
        )
        .unwrap();
        assert_eq!(set.matches("s3:GetObject"), [0]);
        assert_eq!(set.matches("s3:putobject"), [1]);
        assert!(set.is_match("IAM:PassRole"));
        assert!(!set.is_match("sts:AssumeRole"));
        assert_eq!(set.len(), 4);

        let arns = PatternSet::new(
            ["arn:aws:s3:::b/*", "arn:aws:iam::*:role/[x]", "*"],
            Case::Sensitive,
        )
        .unwrap();
        assert_eq!(arns.matches("arn:aws:s3:::b/k/é"), [0, 2]);
        assert_eq!(arns.matches("arn:aws:iam::1:role/[x]"), [1, 2]);
        assert_eq!(arns.matches("arn:aws:iam::1:role/x"), [2]);

        let empty = PatternSet::new(Vec::<String>::new(), Case::Sensitive).unwrap();
        assert!(empty.is_empty() && !empty.is_match("x"));
    }

    #[test]
    fn question_mark_takes_a_character_in_both_matchers() {
        let set = PatternSet::new(["a?c", "a??c", "x*"], Case::Sensitive).unwrap();
        assert_eq!(set.matches("aéc"), [0], "é is one character, two bytes");
        assert_eq!(set.matches("a😀c"), [0]);
        assert!(set.is_match("aéc"));
        assert!(!set.is_match("aé"));
    }

    #[test]
    fn text_ending_in_dot_dot() {
        // globset's extension strategy sees no extension in `x/..`.
        for pattern in ["*.", "*..", "x*."] {
            let set = PatternSet::new([pattern], Case::Sensitive).unwrap();
            assert!(matches(pattern, "x/.."), "{pattern}");
            assert!(set.is_match("x/.."), "{pattern}");
        }
    }

    use super::test_rng::Rng;

    fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
        items[rng.below(items.len())]
    }

    const ALPHABET: &[char] = &[
        'a', 'b', 'A', 'B', 's', '3', ':', '/', '.', '-', ',', '!', '^', '$', '[', ']', '{', '}',
        '\\', '*', '?', 'é', 'É', 'ß', '日', '😀', '\n',
    ];

    fn random_text(rng: &mut Rng) -> String {
        let len = rng.below(9);
        (0..len).map(|_| pick(rng, ALPHABET)).collect()
    }

    /// A pattern drawn from `text` (so matches are common): characters kept,
    /// changed in case, swapped for `?`, runs replaced by `*`, or random.
    fn pattern_from(rng: &mut Rng, text: &str) -> String {
        let mut pattern = String::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match rng.below(10) {
                0 => pattern.push('?'),
                1 => {
                    pattern.push('*');
                    if rng.below(3) == 0 {
                        pattern.push('*');
                    }
                    i += rng.below(3);
                    continue;
                }
                2 => pattern.extend(chars[i].to_uppercase()),
                3 => pattern.extend(chars[i].to_lowercase()),
                4 => pattern.push(pick(rng, ALPHABET)),
                _ => pattern.push(chars[i]),
            }
            i += 1;
        }
        if rng.below(4) == 0 {
            pattern.push('*');
        }
        pattern
    }

    /// The two-pointer matcher and the globset translation agree, one
    /// pattern at a time and as sets, in both case modes.
    #[test]
    fn differential_two_pointer_vs_globset() {
        let mut rng = Rng(0x5EED);
        let mut agreed_matches = 0;
        let cases = 20_000;
        for round in 0..cases / 10 {
            let texts: Vec<String> = (0..10).map(|_| random_text(&mut rng)).collect();
            let patterns: Vec<String> = texts
                .iter()
                .map(|t| {
                    if rng.below(5) == 0 {
                        random_text(&mut rng)
                    } else {
                        pattern_from(&mut rng, t)
                    }
                })
                .collect();
            for case in [Case::Sensitive, Case::Insensitive] {
                let set = PatternSet::new(patterns.iter().cloned(), case).unwrap();
                for text in &texts {
                    let expected: Vec<usize> = (0..patterns.len())
                        .filter(|&i| matches_with(&patterns[i], text, case))
                        .collect();
                    assert_eq!(
                        set.matches(text),
                        expected,
                        "{case:?} text {text:?} patterns {patterns:?}"
                    );
                    assert_eq!(set.is_match(text), !expected.is_empty());
                    agreed_matches += expected.len();
                    // Each pattern alone, as its own set (every 8th round:
                    // compiling is the slow part).
                    if round % 8 != 0 {
                        continue;
                    }
                    for (i, pattern) in patterns.iter().enumerate() {
                        let single = PatternSet::new([pattern.as_str()], case).unwrap();
                        assert_eq!(
                            single.is_match(text),
                            expected.contains(&i),
                            "{case:?} pattern {pattern:?} text {text:?} glob {:?}",
                            to_glob(pattern)
                        );
                    }
                }
            }
        }
        assert!(
            agreed_matches > cases / 2,
            "the generator must produce many matches, got {agreed_matches}"
        );
    }
}
