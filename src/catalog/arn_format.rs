//! Does an ARN, or an ARN pattern from a policy, fit a resource type's ARN
//! format such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`?
//!
//! Both sides are patterns, so the question is whether some ARN matches
//! both: a walk over the product of the two patterns' automata, linear in
//! the product of their lengths and without recursion.
//!
//! How the format's parts match:
//! * literal text matches itself, case-sensitively (as IAM compares ARNs);
//! * a `*` in the format matches any text;
//! * a `${…}` field matches one or more characters other than `:`, except
//!   - the last field of a format whose resource part has literal text
//!     before it (`role/${RoleNameWithPath}`,
//!     `function:${FunctionName}`), which matches any text: names with
//!     paths, qualifiers and sub-resources;
//!   - a field that is the whole resource part (`${BucketName}`,
//!     `${QueueName}`), which matches no `/` either — so
//!     `arn:aws:s3:::bucket/key` is an object, never a bucket.
//!
//! On the policy side `*` matches any text, `?` one character, and a policy
//! variable `${…}` any text (its value is known only per request).

/// The characters a format field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Any,
    NoColon,
    NoColonNoSlash,
}

impl Class {
    fn admits(self, c: u8) -> bool {
        match self {
            Self::Any => true,
            Self::NoColon => c != b':',
            Self::NoColonNoSlash => c != b':' && c != b'/',
        }
    }
}

/// One step of a pattern: a literal byte, one character of a class, or
/// any run (possibly empty) of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Byte(u8),
    One(Class),
    Many(Class),
}

/// Whether some ARN both fits `format` and matches the policy pattern `arn`.
pub(super) fn admits(format: &str, arn: &str) -> bool {
    let agree = fields_agree(format, arn);
    if agree == Some(false) {
        return false;
    }
    if agree == Some(true) {
        // The first five fields fit one another and no token of theirs can
        // take a `:`, so only the resource parts are left to intersect.
        let (Some(f), Some(p)) = (after_fifth_colon(format), after_fifth_colon(arn)) else {
            return false;
        };
        return intersects(&tokens_of_format(f, 5), &pattern_tokens(p));
    }
    intersects(&format_tokens(format), &pattern_tokens(arn))
}

/// The cheap part of the answer, exact where given: when the pattern's
/// first five fields hold no wildcard or variable (which could span
/// colons) and the format's no `*`, compares them field by field (a
/// `${…}` field takes one or more characters), and the literal starts of
/// the resource parts. `Some(true)` means all of that agrees, `None` that
/// it cannot be told this way.
fn fields_agree(format: &str, arn: &str) -> Option<bool> {
    let mut format_fields = format.splitn(6, ':');
    let mut arn_fields = arn.splitn(6, ':');
    for _ in 0..5 {
        let (f, a) = (format_fields.next()?, arn_fields.next()?);
        if a.contains(['*', '?', '$']) || f.contains('*') {
            return None;
        }
        let agree = if f.contains("${") {
            !a.is_empty()
        } else {
            f == a
        };
        if !agree {
            return Some(false);
        }
    }
    let (f, a) = (format_fields.next()?, arn_fields.next()?);
    let f = &f[..f.find(['$', '*']).unwrap_or(f.len())];
    let a = &a[..a.find(['*', '?', '$']).unwrap_or(a.len())];
    Some(f.starts_with(a) || a.starts_with(f))
}

/// The text after the fifth `:`.
fn after_fifth_colon(text: &str) -> Option<&str> {
    text.splitn(6, ':').nth(5)
}

/// A piece of a format before field classes are decided.
enum Piece {
    Byte(u8),
    Star,
    Field { resource_part: bool },
}

/// Byte length of a `${…}` at the start of `text`, if it is one.
fn variable_len(text: &[u8]) -> Option<usize> {
    if text.starts_with(b"${") {
        text.iter().position(|&c| c == b'}').map(|end| end + 1)
    } else {
        None
    }
}

fn format_tokens(format: &str) -> Vec<Token> {
    tokens_of_format(format, 0)
}

/// Tokens of a format's text after `colons` of its literal `:` (0: the
/// whole format; 5: its resource part).
fn tokens_of_format(format: &str, colons: usize) -> Vec<Token> {
    let bytes = format.as_bytes();
    let mut pieces = Vec::with_capacity(bytes.len());
    let (mut i, mut colons) = (0, colons);
    let start_colons = colons;
    while i < bytes.len() {
        if let Some(len) = variable_len(&bytes[i..]) {
            pieces.push(Piece::Field {
                resource_part: colons >= 5,
            });
            i += len;
            continue;
        }
        match bytes[i] {
            b'*' => pieces.push(Piece::Star),
            c => {
                colons += usize::from(c == b':');
                pieces.push(Piece::Byte(c));
            }
        }
        i += 1;
    }
    // Whether the resource part is one field and nothing else.
    let alone = resource_part_start(&pieces, start_colons)
        .is_some_and(|s| s + 1 == pieces.len() && matches!(pieces[s], Piece::Field { .. }));
    let last = pieces.len().saturating_sub(1);
    let mut tokens = Vec::with_capacity(pieces.len() + 4);
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Byte(c) => tokens.push(Token::Byte(c)),
            Piece::Star => tokens.push(Token::Many(Class::Any)),
            Piece::Field { resource_part } => {
                let class = if !resource_part {
                    Class::NoColon
                } else if alone {
                    Class::NoColonNoSlash
                } else if i == last {
                    Class::Any
                } else {
                    Class::NoColon
                };
                tokens.push(Token::One(class));
                tokens.push(Token::Many(class));
            }
        }
    }
    tokens
}

/// Index of the first piece after the fifth literal `:`, counting
/// `colons` already passed.
fn resource_part_start(pieces: &[Piece], colons: usize) -> Option<usize> {
    if colons >= 5 {
        return Some(0);
    }
    let mut colons = colons;
    for (i, piece) in pieces.iter().enumerate() {
        if matches!(piece, Piece::Byte(b':')) {
            colons += 1;
            if colons == 5 {
                return Some(i + 1);
            }
        }
    }
    None
}

fn pattern_tokens(arn: &str) -> Vec<Token> {
    let bytes = arn.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(len) = variable_len(&bytes[i..]) {
            tokens.push(Token::Many(Class::Any));
            i += len;
            continue;
        }
        tokens.push(match bytes[i] {
            b'*' => Token::Many(Class::Any),
            b'?' => Token::One(Class::Any),
            c => Token::Byte(c),
        });
        i += 1;
    }
    tokens
}

/// Whether one character can be consumed by both tokens at once.
fn compatible(a: Token, b: Token) -> bool {
    let class = |t: Token| match t {
        Token::Byte(_) => None,
        Token::One(c) | Token::Many(c) => Some(c),
    };
    match (a, b) {
        (Token::Byte(x), Token::Byte(y)) => x == y,
        (Token::Byte(x), other) | (other, Token::Byte(x)) => {
            class(other).is_some_and(|c| c.admits(x))
        }
        // Every class admits letters.
        _ => true,
    }
}

/// Where a token goes after consuming one character.
fn advance(tokens: &[Token], i: usize) -> usize {
    match tokens.get(i) {
        Some(Token::Many(_)) => i,
        _ => i + 1,
    }
}

/// Whether the languages of two token patterns share a string.
fn intersects(f: &[Token], p: &[Token]) -> bool {
    let width = p.len() + 1;
    let mut seen = vec![false; (f.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    seen[0] = true;
    while let Some((i, j)) = stack.pop() {
        if i == f.len() && j == p.len() {
            return true;
        }
        let mut next = [None; 3];
        if let Some(Token::Many(_)) = f.get(i) {
            next[0] = Some((i + 1, j));
        }
        if let Some(Token::Many(_)) = p.get(j) {
            next[1] = Some((i, j + 1));
        }
        if let (Some(&a), Some(&b)) = (f.get(i), p.get(j))
            && compatible(a, b)
        {
            next[2] = Some((advance(f, i), advance(p, j)));
        }
        for (a, b) in next.into_iter().flatten() {
            let slot = &mut seen[a * width + b];
            if !*slot {
                *slot = true;
                stack.push((a, b));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
    const LOG_STREAM: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";

    // ARN formats and the object/bucket distinction from the Service
    // Authorization Reference, "Resource types defined by Amazon S3":
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
    #[test]
    fn buckets_and_objects() {
        assert!(admits(OBJECT, "arn:aws:s3:::bucket/key"));
        assert!(admits(OBJECT, "arn:aws:s3:::bucket/*"));
        assert!(admits(OBJECT, "arn:aws:s3:::bucket/a/b/c.txt"));
        assert!(!admits(OBJECT, "arn:aws:s3:::bucket"));
        assert!(!admits(OBJECT, "arn:aws:s3:::bucket/"));
        assert!(admits(BUCKET, "arn:aws:s3:::bucket"));
        assert!(admits(BUCKET, "arn:aws:s3:::bucket-*"));
        assert!(!admits(BUCKET, "arn:aws:s3:::bucket/*"));
        assert!(!admits(BUCKET, "arn:aws:s3:::bucket/key"));
        // A star that may or may not hold a slash fits both.
        assert!(admits(BUCKET, "arn:aws:s3:::*"));
        assert!(admits(OBJECT, "arn:aws:s3:::*"));
        assert!(admits(OBJECT, "arn:aws:s3:::bucket*"));
        assert!(admits(BUCKET, "*"));
        assert!(admits(OBJECT, "arn:aws-cn:s3:::b/k"));
    }

    #[test]
    fn field_checks_are_exact() {
        assert_eq!(fields_agree(OBJECT, "arn:aws:s4:::b/k"), Some(false));
        assert_eq!(fields_agree(ROLE, "arn:aws:iam::1:role/r"), Some(true));
        assert_eq!(
            fields_agree(ROLE, "arn:aws:iam:us-east-1:1:role/r"),
            Some(false)
        );
        assert_eq!(fields_agree(ROLE, "arn:aws:iam:::role/r"), Some(false));
        assert_eq!(fields_agree(ROLE, "arn:aws:iam::1:user/r"), Some(false));
        assert_ne!(fields_agree(ROLE, "arn:aws:iam::1:role/r"), Some(false));
        assert_ne!(fields_agree(ROLE, "arn:aws:iam::1:ro*"), Some(false));
        assert_ne!(
            fields_agree(ROLE, "arn:aws:iam::${aws:PrincipalAccount}:user/r"),
            Some(false)
        );
        assert_ne!(fields_agree(OBJECT, "arn:*:::b/k"), Some(false));
        assert_ne!(
            fields_agree(
                "arn:${Partition}:${Vendor}:${Region}:*:x",
                "arn:aws:s3:r:1:b"
            ),
            Some(false)
        );
        // `*` in the partition may span `aws:s3`.
        assert!(admits(OBJECT, "arn:*:::b/k"));
        assert!(!admits(OBJECT, "arn:aws:s4:::b/k"));
    }

    /// The field-wise shortcut gives the same answers as the automata over
    /// whole ARNs.
    #[test]
    fn shortcut_agrees_with_the_automata_on_real_formats() {
        let catalog = crate::catalog::embedded().unwrap();
        let arns = [
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/key",
            "arn:aws:iam::123456789012:role/r",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:lambda:us-east-1:1:function:f:live",
            "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:s",
            "arn:aws:sns:us-east-1:1:topic",
            "arn:aws:kms:eu-west-1:1:key/k",
            "arn:aws:execute-api:us-east-1:1:api/stage/GET/path",
        ];
        let mut rejected = 0;
        for t in catalog.resource_types() {
            for arn in arns {
                let exact = intersects(&format_tokens(t.arn_format()), &pattern_tokens(arn));
                assert_eq!(
                    admits(t.arn_format(), arn),
                    exact,
                    "{} vs {arn}",
                    t.arn_format()
                );
                rejected += usize::from(fields_agree(t.arn_format(), arn) == Some(false));
            }
        }
        assert!(rejected > 20_000, "{rejected}");
    }

    #[test]
    fn services_and_accounts() {
        assert!(!admits(OBJECT, "arn:aws:iam::123456789012:role/x"));
        assert!(admits(ROLE, "arn:aws:iam::123456789012:role/x"));
        assert!(admits(ROLE, "arn:aws:iam::123456789012:role/path/to/x"));
        assert!(admits(ROLE, "arn:aws:iam::*:role/*"));
        assert!(admits(ROLE, "arn:*:iam::*:role/*"));
        assert!(!admits(ROLE, "arn:aws:iam::123456789012:user/x"));
        assert!(!admits(ROLE, "arn:aws:iam::123456789012:role/"));
        // Fields before the resource part never hold a colon.
        assert!(!admits(ROLE, "arn:aws:iam:us-east-1:123456789012:role/x"));
        assert!(!admits(ROLE, "arn:aws:iam::123456789012:Role/x"));
    }

    #[test]
    fn colons_inside_the_resource_part() {
        assert!(admits(
            LOG_STREAM,
            "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:s"
        ));
        assert!(admits(
            LOG_STREAM,
            "arn:aws:logs:*:*:log-group:*:log-stream:*"
        ));
        assert!(!admits(LOG_STREAM, "arn:aws:logs:us-east-1:1:log-group:g"));
        let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        assert!(admits(function, "arn:aws:lambda:us-east-1:1:function:f"));
        assert!(admits(
            function,
            "arn:aws:lambda:us-east-1:1:function:f:live"
        ));
    }

    #[test]
    fn wildcards_in_formats_and_policy_variables() {
        let artifact = "arn:${Partition}:artifact:::agreement/*";
        assert!(admits(artifact, "arn:aws:artifact:::agreement/"));
        assert!(admits(artifact, "arn:aws:artifact:::agreement/a/b"));
        assert!(admits(OBJECT, "arn:aws:s3:::home/${aws:username}/*"));
        assert!(admits(ROLE, "arn:aws:iam::${aws:PrincipalAccount}:role/r"));
        assert!(admits(ROLE, "arn:aws:iam::12345678901?:role/r"));
        // An unclosed `${` is literal text, a closed one may hold a `/`.
        assert!(!admits(OBJECT, "arn:aws:s3:::b${x"));
        assert!(admits(OBJECT, "arn:aws:s3:::b${x}"));
        assert!(admits(BUCKET, "arn:aws:s3:::b$x"));
    }
}
