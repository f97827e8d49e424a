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

/// A resource type's ARN format, compiled once for [`Format::admits`].
#[derive(Debug)]
pub(super) struct Format {
    tokens: Vec<Token>,
    /// The format as bit masks over its token positions, when it has fewer
    /// than 128 tokens (all but the longest formats of the catalog).
    masks: Option<Masks>,
}

/// Bit `i` of a mask stands for token position `i` of the format (position
/// `tokens.len()` is the end). Simulating the format's automaton on all its
/// positions at once makes [`Format::admits`] linear in the policy pattern's
/// length.
#[derive(Debug)]
struct Masks {
    /// Per ASCII byte, then for every other byte: the positions that move
    /// on by consuming it (a literal of that byte, a `One` admitting it)…
    advance: Box<[u128; 129]>,
    /// …and those that stay (a `Many` admitting it).
    stay: Box<[u128; 129]>,
    /// Positions of `Many` tokens, which may also match nothing.
    many: u128,
    /// Whether two `Many` tokens ever follow one another (`${Name}*`), so
    /// that skipping empty matches takes more than one step.
    many_runs: bool,
    /// Positions that can consume some character: all but the end.
    some: u128,
    /// The end position.
    end: u128,
}

/// Index into [`Masks::advance`] and [`Masks::stay`]: the byte itself if
/// ASCII, else the last slot.
fn slot(c: u8) -> usize {
    usize::from(c.min(128))
}

impl Masks {
    fn new(tokens: &[Token]) -> Option<Self> {
        if tokens.len() >= 128 {
            return None;
        }
        let mut m = Masks {
            advance: Box::new([0; 129]),
            stay: Box::new([0; 129]),
            many: 0,
            many_runs: false,
            some: (1 << tokens.len()) - 1,
            end: 1 << tokens.len(),
        };
        for (i, token) in tokens.iter().enumerate() {
            let bit = 1u128 << i;
            // Every byte other than ASCII behaves like `é` (formats are
            // ASCII, and no class excludes it).
            for c in (0..=128u8).map(|c| if c == 128 { 0xC3 } else { c }) {
                match *token {
                    Token::Byte(b) if b == c => m.advance[slot(c)] |= bit,
                    Token::Byte(_) => {}
                    Token::One(class) if class.admits(c) => m.advance[slot(c)] |= bit,
                    Token::Many(class) if class.admits(c) => m.stay[slot(c)] |= bit,
                    Token::One(_) | Token::Many(_) => {}
                }
            }
            if let Token::Many(_) = token {
                m.many |= bit;
            }
        }
        m.many_runs = m.many & (m.many >> 1) != 0;
        Some(m)
    }

    /// Adds the positions reachable without consuming a character: past
    /// `Many` tokens, which may match nothing.
    fn skip_empty(&self, mut states: u128) -> u128 {
        if !self.many_runs {
            return states | ((states & self.many) << 1);
        }
        loop {
            let next = states | ((states & self.many) << 1);
            if next == states {
                return states;
            }
            states = next;
        }
    }

    /// The positions reached by consuming `c`.
    fn step(&self, states: u128, c: u8) -> u128 {
        let (advance, stay) = (self.advance[slot(c)], self.stay[slot(c)]);
        self.skip_empty(((states & advance) << 1) | (states & stay))
    }

    /// The positions reached by consuming some one character: every token
    /// admits at least one (all classes admit letters).
    fn step_any(&self, states: u128) -> u128 {
        self.skip_empty(((states & self.some) << 1) | (states & self.many))
    }

    /// The positions reached by consuming any run of characters: from a
    /// position, every later one (one character at a time, as
    /// [`step_any`](Self::step_any) shows).
    fn step_many(&self, states: u128) -> u128 {
        if states == 0 {
            return 0;
        }
        let lowest = states & states.wrapping_neg();
        // Every bit from the lowest set one up to the end position.
        self.end | (self.end - lowest)
    }

    /// Whether some string matches both the format and the policy pattern.
    fn admits(&self, arn: &str) -> bool {
        let bytes = arn.as_bytes();
        let mut states = self.skip_empty(1);
        let mut i = 0;
        while i < bytes.len() {
            if states == 0 {
                return false;
            }
            if let Some(len) = variable_len(&bytes[i..]) {
                states = self.step_many(states);
                i += len;
                continue;
            }
            states = match bytes[i] {
                b'*' => self.step_many(states),
                b'?' => self.step_any(states),
                c => self.step(states, c),
            };
            i += 1;
        }
        states & self.end != 0
    }
}

impl Format {
    /// Compiles an ARN format such as
    /// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub(super) fn new(format: &str) -> Self {
        let tokens = tokens_of_format(format);
        let masks = Masks::new(&tokens);
        Self { tokens, masks }
    }

    /// Whether some ARN both fits the format and matches the policy
    /// pattern `arn`.
    pub(super) fn admits(&self, arn: &str) -> bool {
        match &self.masks {
            Some(masks) => masks.admits(arn),
            None => intersects(&self.tokens, &pattern_tokens(arn)),
        }
    }
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

/// The tokens of a format.
fn tokens_of_format(format: &str) -> Vec<Token> {
    let bytes = format.as_bytes();
    let mut pieces = Vec::with_capacity(bytes.len());
    let (mut i, mut colons) = (0, 0);
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
    let alone = resource_part_start(&pieces)
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

/// Index of the first piece after the fifth literal `:`.
fn resource_part_start(pieces: &[Piece]) -> Option<usize> {
    pieces
        .iter()
        .enumerate()
        .filter(|(_, piece)| matches!(piece, Piece::Byte(b':')))
        .nth(4)
        .map(|(i, _)| i + 1)
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

    fn admits(format: &str, arn: &str) -> bool {
        Format::new(format).admits(arn)
    }

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
    fn fields_before_the_resource_part() {
        assert!(!admits(OBJECT, "arn:aws:s4:::b/k"));
        assert!(!admits(ROLE, "arn:aws:iam:us-east-1:1:role/r"));
        assert!(!admits(ROLE, "arn:aws:iam:::role/r"));
        assert!(!admits(ROLE, "arn:aws:iam::1:user/r"));
        assert!(admits(ROLE, "arn:aws:iam::1:ro*"));
        assert!(admits(ROLE, "arn:aws:iam::${aws:PrincipalAccount}:role/r"));
        assert!(admits(
            "arn:${Partition}:${Vendor}:${Region}:*:x",
            "arn:aws:s3:r:1:x"
        ));
        // `*` in the partition may span `aws:s3`.
        assert!(admits(OBJECT, "arn:*:::b/k"));
        // A `*` in the region may span the account and part of the
        // resource: this pattern can name a volume whose id holds
        // `:instance/`.
        let volume = "arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}";
        assert!(admits(volume, "arn:aws:ec2:*:*:instance/*"));
        assert!(!admits(volume, "arn:aws:ec2:us-east-1:1:instance/*"));
    }

    /// The bit-mask simulation gives the automata product's answers, on
    /// every format of the catalog and patterns with wildcards anywhere.
    #[test]
    fn masks_agree_with_the_product_automaton() {
        let catalog = crate::catalog::embedded().unwrap();
        let arns = [
            "*",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::*/*",
            "arn:aws:iam::123456789012:role/r",
            "arn:aws:iam::*:role/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:ec2:?s-east-1:*:volume/vol-??",
            "arn:aws:lambda:us-east-1:1:function:f:live",
            "arn:aws:lambda:*:${aws:PrincipalAccount}:function:*",
            "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:s",
            "arn:aws:logs:*:*:*",
            "arn:*:sns:*:1:topic",
            "arn:aws:kms:eu-west-1:1:key/k",
            "arn:aws:execute-api:us-east-1:1:api/stage/GET/path",
            "arn:aws:dynamodb:*:*:table/t/index/*",
            "arn:aws:s3:::b\u{e9}/k",
        ];
        let (mut admitted, mut long) = (0, 0);
        for t in catalog.resource_types() {
            let format = Format::new(t.arn_format());
            long += usize::from(format.masks.is_none());
            for arn in arns {
                let exact = intersects(&format.tokens, &pattern_tokens(arn));
                assert_eq!(format.admits(arn), exact, "{} vs {arn}", t.arn_format());
                admitted += usize::from(exact);
            }
        }
        assert!(admitted > 2_000, "{admitted}");
        assert!(long < 5, "{long} formats too long for the masks");
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
