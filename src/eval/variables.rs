//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, any
//! context key, a default (`${aws:PrincipalTag/team, 'company-wide'}`), and
//! the special `${*}`, `${?}` and `${$}`.
//!
//! Rules, from "IAM policy elements: Variables and tags"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
//! - variables are interpreted only under `"Version": "2012-10-17"`;
//!   otherwise `${aws:username}` is literal text;
//! - key names ignore case; only single-valued keys can be variables;
//! - a variable with no value (and no default) is "effectively null": a
//!   value that contains it equals and matches nothing;
//! - `${*}`, `${?}` and `${$}` stand for a literal `*`, `?` and `$`, which
//!   would otherwise be "interpreted as a wildcard". By the same rule every
//!   substituted value is literal text: only the `*` and `?` written in the
//!   policy itself are wildcards (see [`Piece`]).
//!
//! The syntax errors are those IAM Access Analyzer reports (missing brace,
//! missing quote, space in the name, empty variable;
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>).

use std::borrow::Cow;
use std::fmt;

use super::context::{ContextKey, ContextValue, RequestContext};

/// A string from a policy with its policy variables located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Policy text (its `*` and `?` are wildcards where the operator allows).
    Text(String),
    /// `${name}` or `${name, 'default'}`.
    Variable {
        name: String,
        key: ContextKey,
        default: Option<String>,
    },
    /// `${*}`, `${?}`, `${$}`: a literal character.
    Special(&'static str),
}

/// A malformed policy variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `${aws:username` with no `}`.
    #[error("the policy variable `{variable}` is missing its closing `}}`")]
    MissingBrace {
        /// The text from `${` on.
        variable: String,
    },
    /// `${key, default}` or `${key, 'default}`.
    #[error("the default value in `{variable}` must begin and end with a single quote (`'`)")]
    MissingQuote {
        /// The variable.
        variable: String,
    },
    /// `${aws: username}`.
    #[error("the policy variable name `{name}` contains a space")]
    SpaceInName {
        /// The name as written.
        name: String,
    },
    /// `${}`.
    #[error("empty policy variable `${{}}`: name a context key inside the braces, or remove them")]
    Empty,
    /// `${a{b}`.
    #[error("the policy variable name `{name}` contains `{character}`")]
    InvalidCharacter {
        /// The name as written.
        name: String,
        /// The character.
        character: char,
    },
}

impl Template {
    /// Parses `text` for policy variables.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut segments = Vec::new();
        let mut text_start = 0;
        let mut i = 0;
        let bytes = text.as_bytes();
        while i + 1 < bytes.len() {
            if bytes[i] != b'$' || bytes[i + 1] != b'{' {
                i += 1;
                continue;
            }
            if text_start < i {
                segments.push(Segment::Text(text[text_start..i].to_owned()));
            }
            let (segment, end) = parse_variable(text, i)?;
            segments.push(segment);
            i = end;
            text_start = end;
        }
        if text_start < text.len() {
            segments.push(Segment::Text(text[text_start..].to_owned()));
        }
        Ok(Self {
            source: text.to_owned(),
            segments,
        })
    }

    /// `text` as written: no variables, as under a policy `Version` other
    /// than 2012-10-17.
    pub fn literal(text: &str) -> Self {
        let segments = if text.is_empty() {
            Vec::new()
        } else {
            vec![Segment::Text(text.to_owned())]
        };
        Self {
            source: text.to_owned(),
            segments,
        }
    }

    /// [`Template::parse`] when `supports_variables` (the policy's Version is
    /// 2012-10-17), [`Template::literal`] otherwise.
    pub fn new(text: &str, supports_variables: bool) -> Result<Self, TemplateError> {
        if supports_variables {
            Self::parse(text)
        } else {
            Ok(Self::literal(text))
        }
    }

    /// The text as written in the policy.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the text holds any `${…}` (variables or special characters).
    pub fn has_variables(&self) -> bool {
        self.segments.iter().any(|s| !matches!(s, Segment::Text(_)))
    }

    /// The context keys referenced, as written (specials excluded).
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Variable { name, .. } => Some(name.as_str()),
            _ => None,
        })
    }

    /// The names of referenced keys that `ctx` cannot supply and that have
    /// no default: why [`Template::resolve`] gave `None`.
    pub fn missing<'t>(&'t self, ctx: &'t RequestContext) -> impl Iterator<Item = &'t str> {
        self.segments.iter().filter_map(move |s| match s {
            Segment::Variable {
                name,
                key,
                default: None,
            } if single_value(ctx, key).is_none() => Some(name.as_str()),
            _ => None,
        })
    }

    /// The text with every variable replaced, or `None` when a variable has
    /// no value and no default. Substituted values are literal text; to
    /// match with wildcards use [`Template::resolve`] and
    /// [`Resolved::matches`], which keep that distinction.
    pub fn expand(&self, ctx: &RequestContext) -> Option<Cow<'_, str>> {
        if let [Segment::Text(text)] = self.segments.as_slice() {
            return Some(Cow::Borrowed(text));
        }
        Some(Cow::Owned(self.resolve(ctx)?.to_string()))
    }

    /// The text as pieces of policy text and substituted values, or `None`
    /// when a variable has no value and no default. Costs no allocation
    /// for templates of up to eight pieces.
    pub fn resolve<'a>(&'a self, ctx: &'a RequestContext) -> Option<Resolved<'a>> {
        let mut pieces = PieceBuf::default();
        for segment in &self.segments {
            let piece = match segment {
                Segment::Text(text) => Piece::Text(text),
                Segment::Special(c) => Piece::Value(c),
                Segment::Variable { key, default, .. } => match (single_value(ctx, key), default) {
                    (Some(v), _) => Piece::Value(v),
                    (None, Some(d)) => Piece::Value(d),
                    (None, None) => return None,
                },
            };
            pieces.push(piece);
        }
        Some(Resolved { pieces })
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The value of a single-valued key: "You can't use a multivalued condition
/// key as a variable."
fn single_value<'a>(ctx: &'a RequestContext, key: &ContextKey) -> Option<&'a str> {
    match ctx.get_key(key)? {
        ContextValue::Single(v) => Some(v),
        ContextValue::Multi(_) => None,
    }
}

/// Parses the variable starting at `start` (which holds `${`); returns it
/// and the byte offset just past its `}`.
fn parse_variable(text: &str, start: usize) -> Result<(Segment, usize), TemplateError> {
    let rest = &text[start + 2..];
    let missing_brace = || TemplateError::MissingBrace {
        variable: text[start..].to_owned(),
    };
    let name_len = rest.find(['}', ',']).ok_or_else(missing_brace)?;
    let name = &rest[..name_len];
    let after_name = &rest[name_len..];
    let (default, consumed) = if let Some(after_comma) = after_name.strip_prefix(',') {
        let quoted = after_comma.trim_start_matches(' ');
        let variable = || {
            let end = rest.find('}').map_or(text.len(), |e| start + 2 + e + 1);
            TemplateError::MissingQuote {
                variable: text[start..end].to_owned(),
            }
        };
        let body = quoted.strip_prefix('\'').ok_or_else(variable)?;
        let close = body.find('\'').ok_or_else(variable)?;
        let after_quote = body[close + 1..].trim_start_matches(' ');
        if !after_quote.starts_with('}') {
            return Err(if after_quote.contains('}') {
                variable()
            } else {
                missing_brace()
            });
        }
        let consumed = rest.len() - after_quote.len() + 1;
        (Some(body[..close].to_owned()), consumed)
    } else {
        (None, name_len + 1)
    };
    if name.is_empty() {
        return Err(TemplateError::Empty);
    }
    let special = match name {
        "*" => Some("*"),
        "?" => Some("?"),
        "$" => Some("$"),
        _ => None,
    };
    if let Some(c) = special {
        return Ok((Segment::Special(c), start + 2 + consumed));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(TemplateError::SpaceInName {
            name: name.to_owned(),
        });
    }
    if let Some(character) = name.chars().find(|c| matches!(c, '$' | '{' | '\'')) {
        return Err(TemplateError::InvalidCharacter {
            name: name.to_owned(),
            character,
        });
    }
    let segment = Segment::Variable {
        name: name.to_owned(),
        key: ContextKey::new(name),
        default,
    };
    Ok((segment, start + 2 + consumed))
}

/// One part of a resolved template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text written in the policy: `*` and `?` in it are wildcards for the
    /// operators that have them.
    Text(&'a str),
    /// A substituted value (or `${*}`, `${?}`, `${$}`): always literal.
    Value(&'a str),
}

impl<'a> Piece<'a> {
    /// The text of the piece.
    pub fn as_str(&self) -> &'a str {
        match self {
            Self::Text(s) | Self::Value(s) => s,
        }
    }
}

const INLINE_PIECES: usize = 8;

/// Pieces kept on the stack up to [`INLINE_PIECES`].
#[derive(Debug, Clone)]
enum PieceBuf<'a> {
    Inline {
        len: usize,
        items: [Piece<'a>; INLINE_PIECES],
    },
    Heap(Vec<Piece<'a>>),
}

impl Default for PieceBuf<'_> {
    fn default() -> Self {
        Self::Inline {
            len: 0,
            items: [Piece::Value(""); INLINE_PIECES],
        }
    }
}

impl<'a> PieceBuf<'a> {
    fn push(&mut self, piece: Piece<'a>) {
        match self {
            Self::Inline { len, items } if *len < INLINE_PIECES => {
                items[*len] = piece;
                *len += 1;
            }
            Self::Inline { len, items } => {
                let mut heap = items[..*len].to_vec();
                heap.push(piece);
                *self = Self::Heap(heap);
            }
            Self::Heap(v) => v.push(piece),
        }
    }

    fn as_slice(&self) -> &[Piece<'a>] {
        match self {
            Self::Inline { len, items } => &items[..*len],
            Self::Heap(v) => v,
        }
    }
}

/// A template with its variables replaced by the request's values.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pieces: PieceBuf<'a>,
}

impl<'a> Resolved<'a> {
    /// The pieces in order.
    pub fn pieces(&self) -> &[Piece<'a>] {
        self.pieces.as_slice()
    }

    /// Whether `text` equals the resolved text exactly (no wildcards).
    pub fn equals(&self, text: &str) -> bool {
        self.bytes().eq(text.bytes())
    }

    /// Whether `text` equals the resolved text ignoring case.
    pub fn equals_ignore_case(&self, text: &str) -> bool {
        self.pieces()
            .iter()
            .flat_map(|p| p.as_str().chars())
            .flat_map(char::to_lowercase)
            .eq(text.chars().flat_map(char::to_lowercase))
    }

    /// Whether `text` matches, with `*` and `?` from the policy text as
    /// wildcards and substituted values literal (case-sensitive).
    pub fn matches(&self, text: &str) -> bool {
        glob(Units::of(self.pieces()).as_slice(), text.as_bytes())
    }

    /// Whether the ARN `arn` matches, comparing each of the six
    /// colon-separated parts separately with wildcards (`ArnLike`). A
    /// pattern or an ARN with fewer than six parts matches nothing.
    pub fn matches_arn(&self, arn: &str) -> bool {
        let Some(parts) = split_arn(arn) else {
            return false;
        };
        let units = Units::of(self.pieces());
        let mut rest = units.as_slice();
        for (i, part) in parts.iter().enumerate() {
            let pattern = if i + 1 < ARN_PARTS {
                let Some(colon) = rest.iter().position(|&u| u == COLON) else {
                    return false;
                };
                let (pattern, after) = rest.split_at(colon);
                rest = after.get(1..).unwrap_or_default();
                pattern
            } else {
                rest
            };
            if !glob(pattern, part.as_bytes()) {
                return false;
            }
        }
        true
    }

    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.pieces().iter().flat_map(|p| p.as_str().bytes())
    }
}

impl fmt::Display for Resolved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces()
            .iter()
            .try_for_each(|p| f.write_str(p.as_str()))
    }
}

/// Parts of an ARN: `arn:partition:service:region:account-id:resource`.
pub(crate) const ARN_PARTS: usize = 6;

/// The six parts of an ARN (the resource part keeps its colons); `None`
/// with fewer than six.
pub(crate) fn split_arn(arn: &str) -> Option<[&str; ARN_PARTS]> {
    let mut parts = [""; ARN_PARTS];
    let mut start = 0;
    let mut found = 0;
    for (i, b) in arn.bytes().enumerate() {
        if b == b':' {
            parts[found] = arn.get(start..i)?;
            start = i + 1;
            found += 1;
            if found + 1 == ARN_PARTS {
                parts[found] = arn.get(start..)?;
                return Some(parts);
            }
        }
    }
    None
}

/// A pattern unit: a byte (`0..=255`), or a wildcard from policy text.
type Unit = u16;
const STAR: Unit = 0x100;
const ONE: Unit = 0x101;
const COLON: Unit = b':' as Unit;

/// Patterns up to this many bytes are matched without allocating.
const STACK_UNITS: usize = 128;

/// A resolved template as pattern units, on the stack when short.
#[expect(
    clippy::large_enum_variant,
    reason = "the stack variant is the point: short patterns match without allocating"
)]
enum Units {
    Stack {
        len: usize,
        buf: [Unit; STACK_UNITS],
    },
    Heap(Vec<Unit>),
}

impl Units {
    fn of(pieces: &[Piece<'_>]) -> Self {
        let total: usize = pieces.iter().map(|p| p.as_str().len()).sum();
        let mut units = if total <= STACK_UNITS {
            Self::Stack {
                len: 0,
                buf: [0; STACK_UNITS],
            }
        } else {
            Self::Heap(Vec::with_capacity(total))
        };
        for piece in pieces {
            let wild = matches!(piece, Piece::Text(_));
            for b in piece.as_str().bytes() {
                units.push(match b {
                    b'*' if wild => STAR,
                    b'?' if wild => ONE,
                    _ => Unit::from(b),
                });
            }
        }
        units
    }

    fn push(&mut self, unit: Unit) {
        match self {
            Self::Stack { len, buf } => {
                if let Some(slot) = buf.get_mut(*len) {
                    *slot = unit;
                    *len += 1;
                }
            }
            Self::Heap(v) => v.push(unit),
        }
    }

    fn as_slice(&self) -> &[Unit] {
        match self {
            Self::Stack { len, buf } => &buf[..*len],
            Self::Heap(v) => v,
        }
    }
}

/// The IAM wildcard match (see [`crate::policy::wildcard`]) over pattern
/// units: iterative, single-star backtracking, `?` consumes one UTF-8
/// character of the text.
fn glob(pattern: &[Unit], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(&STAR) => {
                star = Some((p + 1, t));
                p += 1;
                continue;
            }
            Some(&ONE) => {
                p += 1;
                t += utf8_width(text[t]);
                continue;
            }
            Some(&u) if u == Unit::from(text[t]) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((after_star, tried)) => {
                let retry = tried + utf8_width(text[tried]);
                star = Some((after_star, retry));
                p = after_star;
                t = retry;
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .unwrap_or_default()
        .iter()
        .all(|&u| u == STAR)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
        pairs.iter().copied().collect()
    }

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    #[test]
    fn expands_variables_ignoring_key_case() {
        let t = Template::parse("arn:aws:s3:::bucket/home/${aws:username}/*").unwrap();
        assert!(t.has_variables());
        assert_eq!(t.variables().collect::<Vec<_>>(), ["aws:username"]);
        let c = ctx(&[("AWS:UserName", "martha_rivera")]);
        assert_eq!(
            t.expand(&c).unwrap(),
            "arn:aws:s3:::bucket/home/martha_rivera/*"
        );
        let tag = Template::parse("${aws:PrincipalTag/Team}").unwrap();
        assert_eq!(
            tag.expand(&ctx(&[("aws:principaltag/team", "yellow")]))
                .unwrap(),
            "yellow"
        );
    }

    // "Policy variables with no value": the value is effectively null, so
    // the element matches nothing.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
    #[test]
    fn missing_variable_resolves_to_none() {
        let t = Template::parse("home/${aws:username}/").unwrap();
        let empty = RequestContext::new();
        assert!(t.expand(&empty).is_none());
        assert!(t.resolve(&empty).is_none());
        assert_eq!(t.missing(&empty).collect::<Vec<_>>(), ["aws:username"]);
    }

    // "Specifying default values": `${aws:PrincipalTag/team, 'company-wide'}`.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values
    #[test]
    fn defaults() {
        let t = Template::parse("arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}")
            .unwrap();
        assert_eq!(
            t.expand(&RequestContext::new()).unwrap(),
            "arn:aws:s3:::bucket-company-wide"
        );
        assert_eq!(
            t.expand(&ctx(&[("aws:PrincipalTag/team", "yellow")]))
                .unwrap(),
            "arn:aws:s3:::bucket-yellow"
        );
        assert_eq!(t.missing(&RequestContext::new()).count(), 0);
        let spaced = Template::parse("${aws:username,'a b'}").unwrap();
        assert_eq!(spaced.expand(&RequestContext::new()).unwrap(), "a b");
        let braces = Template::parse("${aws:username, 'x}y'}z").unwrap();
        assert_eq!(braces.expand(&RequestContext::new()).unwrap(), "x}yz");
    }

    // "You can use any single-valued condition key as a variable. You can't
    // use a multivalued condition key as a variable."
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    #[test]
    fn multivalued_keys_are_not_variables() {
        let mut c = RequestContext::new();
        c.insert("aws:TagKeys", vec!["a"]);
        assert!(
            Template::parse("${aws:TagKeys}")
                .unwrap()
                .expand(&c)
                .is_none()
        );
        assert_eq!(
            Template::parse("${aws:TagKeys, 'd'}")
                .unwrap()
                .expand(&c)
                .unwrap(),
            "d"
        );
    }

    // "In order to use policy variables, you must include the Version
    // element ... set to 2012-10-17 ... variables like ${aws:username} are
    // treated as literal strings in the policy."
    #[test]
    fn literal_without_version() {
        let t = Template::new("home/${aws:username}", false).unwrap();
        assert!(!t.has_variables());
        assert_eq!(
            t.expand(&RequestContext::new()).unwrap(),
            "home/${aws:username}"
        );
        // Even malformed variables are plain text then.
        assert!(Template::new("${", false).is_ok());
        assert!(Template::new("${", true).is_err());
    }

    // Special characters: ${*}, ${?}, ${$} give a literal *, ? and $ that
    // are not wildcards.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
    #[test]
    fn specials_are_literal_characters() {
        let t = Template::parse("a${*}b${?}c${$}").unwrap();
        let empty = RequestContext::new();
        assert_eq!(t.expand(&empty).unwrap(), "a*b?c$");
        let r = t.resolve(&empty).unwrap();
        assert!(r.matches("a*b?c$"));
        assert!(!r.matches("aXbYc$"), "the * and ? are not wildcards");
        assert!(r.equals("a*b?c$"));
        let wild = Template::parse("a*${*}").unwrap();
        let r = wild.resolve(&empty).unwrap();
        assert!(r.matches("anything*"));
        assert!(!r.matches("anything"));
    }

    // Wildcards inside a substituted value stay literal, like ${*}.
    #[test]
    fn substituted_values_are_literal() {
        let t = Template::parse("home/${s3:prefix}/*").unwrap();
        let c = ctx(&[("s3:prefix", "a*")]);
        let r = t.resolve(&c).unwrap();
        assert!(r.matches("home/a*/x"));
        assert!(!r.matches("home/abc/x"));
        let q = ctx(&[("s3:prefix", "a?")]);
        assert!(!t.resolve(&q).unwrap().matches("home/ab/x"));
    }

    #[test]
    fn equality_across_pieces() {
        let t = Template::parse("Team-${aws:PrincipalTag/team}-x").unwrap();
        let c = ctx(&[("aws:PrincipalTag/team", "Blue")]);
        let r = t.resolve(&c).unwrap();
        assert!(r.equals("Team-Blue-x"));
        assert!(!r.equals("Team-Blue-"));
        assert!(!r.equals("team-blue-x"));
        assert!(r.equals_ignore_case("TEAM-blue-X"));
        assert_eq!(r.to_string(), "Team-Blue-x");
    }

    // ARN operators compare the six parts separately; a `*` does not cross a
    // colon. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    #[test]
    fn arn_matching_by_part() {
        let c = ctx(&[("aws:username", "bob")]);
        let t = Template::parse("arn:aws:iam::*:user/${aws:username}").unwrap();
        let r = t.resolve(&c).unwrap();
        assert!(r.matches_arn("arn:aws:iam::123456789012:user/bob"));
        assert!(!r.matches_arn("arn:aws:iam::123456789012:user/bobby"));
        assert!(!r.matches_arn("arn:aws:iam:us-east-1:123456789012:user/bob"));
        assert!(!r.matches_arn("arn:aws:iam::123456789012"));
        // The resource part keeps its colons.
        let t = Template::parse("arn:aws:logs:*:*:log-group:${aws:username}:*").unwrap();
        let r = t.resolve(&c).unwrap();
        assert!(r.matches_arn("arn:aws:logs:us-east-1:1:log-group:bob:log-stream:x"));
        // A star in the account part cannot swallow colons.
        let t = Template::parse("arn:aws:s3:*:bucket").unwrap();
        assert!(!t.resolve(&c).unwrap().matches_arn("arn:aws:s3:::bucket"));
        // A whole ARN from a variable splits at its own colons.
        let t = Template::parse("${aws:SourceArn}").unwrap();
        let c = ctx(&[("aws:SourceArn", "arn:aws:sns:us-east-1:1:topic")]);
        assert!(
            t.resolve(&c)
                .unwrap()
                .matches_arn("arn:aws:sns:us-east-1:1:topic")
        );
    }

    #[test]
    fn long_templates_and_many_pieces() {
        let long = format!("{}-${{aws:username}}-*", "x".repeat(200));
        let t = Template::parse(&long).unwrap();
        let c = ctx(&[("aws:username", "bob")]);
        let r = t.resolve(&c).unwrap();
        assert!(r.matches(&format!("{}-bob-anything", "x".repeat(200))));
        assert!(!r.matches(&format!("{}-bob", "x".repeat(200))));
        let many = Template::parse("${a}${b}${c}${d}${e}${f}${g}${h}${i}*").unwrap();
        let c: RequestContext = "abcdefghi"
            .chars()
            .map(|k| (k.to_string(), k.to_string()))
            .collect();
        let r = many.resolve(&c).unwrap();
        assert_eq!(r.pieces().len(), 10);
        assert!(r.matches("abcdefghi!"));
    }

    #[test]
    fn arn_splitting() {
        assert_eq!(
            split_arn("arn:aws:logs:us-east-1:1:log-group:a:b"),
            Some(["arn", "aws", "logs", "us-east-1", "1", "log-group:a:b"])
        );
        assert_eq!(
            split_arn("arn:aws:s3:::b"),
            Some(["arn", "aws", "s3", "", "", "b"])
        );
        assert_eq!(split_arn("arn:aws:s3::"), None);
        assert_eq!(split_arn(""), None);
    }

    // Access Analyzer's variable syntax errors.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
    #[test]
    fn syntax_errors() {
        let msg = |t: &str| Template::parse(t).unwrap_err().to_string();
        assert_eq!(
            msg("home/${aws:username"),
            "the policy variable `${aws:username` is missing its closing `}`"
        );
        assert_eq!(
            msg("${}"),
            "empty policy variable `${}`: name a context key inside the braces, or remove them"
        );
        assert_eq!(
            msg("${aws: username}"),
            "the policy variable name `aws: username` contains a space"
        );
        assert_eq!(
            msg("${aws:username, default}"),
            "the default value in `${aws:username, default}` must begin and end with a single quote (`'`)"
        );
        assert_eq!(
            msg("${aws:username, 'default}"),
            "the default value in `${aws:username, 'default}` must begin and end with a single quote (`'`)"
        );
        assert_eq!(
            msg("${aws:username, 'default'"),
            "the policy variable `${aws:username, 'default'` is missing its closing `}`"
        );
        assert_eq!(
            msg("${a${b}}"),
            "the policy variable name `a${b` contains `$`"
        );
        // A lone `$` or `{` is text.
        let t = Template::parse("cost$ {x} $").unwrap();
        assert!(!t.has_variables());
    }
}
