//! Amazon Resource Names: parsing, the checks behind the `invalid-arn` rule,
//! and the IAM principal forms that evaluation and the trust graph reason
//! about.
//!
//! An ARN is `arn:partition:service:region:account-id:resource`; the resource
//! keeps any further `:` and `/`
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
//! Colons inside a policy variable (`${aws:username}`) do not separate
//! segments, and segments holding a wildcard or a variable are not checked
//! against the segment's format: they are patterns, not values.

use std::fmt;
use std::str::FromStr;

/// A group of AWS Regions with its own IAM; every account lives in one.
///
/// The three public partitions are listed in the ARN reference page; the
/// isolated and sovereign ones are those of the AWS SDKs' partition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Partition {
    /// `aws`: the commercial Regions.
    Aws,
    /// `aws-cn`: the China Regions.
    AwsCn,
    /// `aws-us-gov`: AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso`: US ISO (`us-iso-*` Regions).
    AwsIso,
    /// `aws-iso-b`: US ISOB (`us-isob-*`).
    AwsIsoB,
    /// `aws-iso-e`: EU ISOE (`eu-isoe-*`).
    AwsIsoE,
    /// `aws-iso-f`: US ISOF (`us-isof-*`).
    AwsIsoF,
    /// `aws-eusc`: the AWS European Sovereign Cloud (`eusc-*`).
    AwsEusc,
}

impl Partition {
    /// Every partition, in the order of the enum.
    pub const ALL: [Partition; 8] = [
        Self::Aws,
        Self::AwsCn,
        Self::AwsUsGov,
        Self::AwsIso,
        Self::AwsIsoB,
        Self::AwsIsoE,
        Self::AwsIsoF,
        Self::AwsEusc,
    ];

    /// The name as written in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::AwsCn => "aws-cn",
            Self::AwsUsGov => "aws-us-gov",
            Self::AwsIso => "aws-iso",
            Self::AwsIsoB => "aws-iso-b",
            Self::AwsIsoE => "aws-iso-e",
            Self::AwsIsoF => "aws-iso-f",
            Self::AwsEusc => "aws-eusc",
        }
    }

    /// The partition named exactly `name` (case-sensitive, as ARNs are).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The partition a Region code belongs to, from its prefix; codes of no
    /// other partition are commercial (`aws`).
    pub fn of_region(region: &str) -> Self {
        const PREFIXES: [(&str, Partition); 7] = [
            ("cn-", Partition::AwsCn),
            ("us-gov-", Partition::AwsUsGov),
            ("us-iso-", Partition::AwsIso),
            ("us-isob-", Partition::AwsIsoB),
            ("eu-isoe-", Partition::AwsIsoE),
            ("us-isof-", Partition::AwsIsoF),
            ("eusc-", Partition::AwsEusc),
        ];
        PREFIXES
            .into_iter()
            .find(|(prefix, _)| region.starts_with(prefix))
            .map_or(Self::Aws, |(_, p)| p)
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Services whose ARNs never name a Region (IAM and STS are global within a
/// partition: `arn:aws:iam::account:…`, `arn:aws:sts::account:…`).
const GLOBAL_SERVICES: [&str; 2] = ["iam", "sts"];

/// What is wrong with an ARN or a principal value. Each message names the
/// offending input in backticks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ArnError {
    /// The text does not start with `arn:`.
    #[error("`{arn}` is not an ARN: an ARN starts with `arn:`")]
    #[diagnostic(help("write `arn:partition:service:region:account-id:resource`"))]
    MissingPrefix {
        /// The text.
        arn: String,
    },
    /// Fewer than the six colon-separated segments.
    #[error("`{arn}` has {found} of the 6 segments of an ARN")]
    #[diagnostic(help(
        "an ARN is `arn:partition:service:region:account-id:resource`; keep the empty region and account segments (`arn:aws:s3:::bucket`)"
    ))]
    TooFewSegments {
        /// The text.
        arn: String,
        /// How many segments it has.
        found: usize,
    },
    /// Whitespace anywhere in the text.
    #[error("`{arn}` contains whitespace at character {position}")]
    #[diagnostic(help(
        "ARNs hold no whitespace, but for spaces inside a resource path such as an S3 object key"
    ))]
    Whitespace {
        /// The text.
        arn: String,
        /// 1-based character position of the first whitespace.
        position: usize,
    },
    /// A segment that must not be empty is.
    #[error("the {segment} segment of `{arn}` is empty")]
    EmptySegment {
        /// The text.
        arn: String,
        /// `partition`, `service` or `resource`.
        segment: &'static str,
    },
    /// The partition is none of [`Partition::ALL`].
    #[error("unknown partition `{partition}` in `{arn}`")]
    #[diagnostic(help(
        "the partitions are `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc`"
    ))]
    UnknownPartition {
        /// The text.
        arn: String,
        /// The partition segment.
        partition: String,
    },
    /// The service namespace has characters other than lowercase letters,
    /// digits and hyphens.
    #[error(
        "invalid service `{service}` in `{arn}`: a service namespace is lowercase letters, digits and hyphens"
    )]
    InvalidService {
        /// The text.
        arn: String,
        /// The service segment.
        service: String,
    },
    /// A wildcard in the service segment of a `Resource` ARN.
    #[error("the service segment of `{arn}` cannot hold a wildcard")]
    #[diagnostic(help("name the service (`arn:aws:s3:::*`), or use `*` alone for every resource"))]
    WildcardService {
        /// The text.
        arn: String,
    },
    /// The region is not shaped like a Region code.
    #[error("invalid region `{region}` in `{arn}`: expected a Region code such as `us-east-1`")]
    InvalidRegion {
        /// The text.
        arn: String,
        /// The region segment.
        region: String,
    },
    /// The region belongs to another partition than the ARN names.
    #[error(
        "region `{region}` is in partition `{region_partition}`, but `{arn}` names `{partition}`"
    )]
    RegionOutsidePartition {
        /// The text.
        arn: String,
        /// The region segment.
        region: String,
        /// The partition segment.
        partition: Partition,
        /// Where the region belongs.
        region_partition: Partition,
    },
    /// A region on a service whose ARNs have none.
    #[error("`{service}` is global, so `{arn}` must leave the region empty, found `{region}`")]
    #[diagnostic(help("write `arn:aws:{service}::account-id:…`"))]
    RegionNotAllowed {
        /// The text.
        arn: String,
        /// The service segment.
        service: String,
        /// The region segment.
        region: String,
    },
    /// The account is neither 12 digits, `aws`, nor empty.
    #[error(
        "invalid account id `{account}` in `{arn}`: expected 12 digits, `aws` for resources AWS owns, or nothing"
    )]
    InvalidAccount {
        /// The text.
        arn: String,
        /// The account segment.
        account: String,
    },
    /// No account on a service whose resources all have one.
    #[error("`{arn}` names no account: `{service}` ARNs need the 12-digit account id")]
    MissingAccount {
        /// The text.
        arn: String,
        /// The service segment.
        service: String,
    },
    /// Not `*`, an account id, a unique id, nor an ARN.
    #[error(
        "`{value}` is not a principal: expected `*`, a 12-digit account id, or the ARN of an account, user, role, session or identity provider"
    )]
    NotAPrincipalValue {
        /// The value.
        value: String,
    },
    /// An ARN of something that cannot be a principal.
    #[error(
        "`{arn}` does not name a principal: expected an account root, user, role, assumed-role session, federated user, or OIDC/SAML provider"
    )]
    NotAPrincipal {
        /// The text.
        arn: String,
    },
    /// A group ARN used as a principal.
    #[error("`{arn}` is a group, and a group cannot be a principal")]
    #[diagnostic(help(
        "name the group's users, or the account root with an `aws:PrincipalArn` condition"
    ))]
    GroupPrincipal {
        /// The text.
        arn: String,
    },
    /// A principal ARN of a known kind but the wrong shape.
    #[error("`{arn}` is not a well-formed principal: expected `{expected}`")]
    MalformedPrincipal {
        /// The text.
        arn: String,
        /// The shape it should have.
        expected: &'static str,
    },
    /// A principal ARN whose account is not 12 digits.
    #[error("a principal ARN needs a 12-digit account id, found `{account}` in `{arn}`")]
    PrincipalAccount {
        /// The text.
        arn: String,
        /// The account segment.
        account: String,
    },
    /// `*` or `?` inside a principal value: AWS does not match principals
    /// by pattern.
    #[error("`{arn}` uses a wildcard, which a principal cannot")]
    #[diagnostic(help(
        "use `*` alone, or the account root with an `aws:PrincipalArn` condition using `ArnLike`"
    ))]
    WildcardInPrincipal {
        /// The text.
        arn: String,
    },
    /// `${…}` inside a principal value: variables only work in `Resource`
    /// and in conditions.
    #[error("`{arn}` uses a policy variable, which a principal cannot")]
    VariableInPrincipal {
        /// The text.
        arn: String,
    },
}

/// A parsed ARN. It may be a pattern (`arn:aws:iam::*:role/*`) or hold policy
/// variables; [`Arn::is_pattern`] and [`Arn::has_variable`] tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    text: String,
    /// Byte offsets of the five colons that separate the six segments.
    colons: [usize; 5],
}

impl Arn {
    /// Parses `text`, returning the first problem found.
    pub fn parse(text: &str) -> Result<Self, ArnError> {
        let mut problems = Vec::new();
        let colons = check_syntax(text, &mut problems);
        match (problems.into_iter().next(), colons) {
            (Some(problem), _) => Err(problem),
            (None, Some(colons)) => Ok(Self {
                text: text.to_owned(),
                colons,
            }),
            (None, None) => Err(ArnError::MissingPrefix {
                arn: text.to_owned(),
            }),
        }
    }

    /// The whole ARN as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn segment(&self, i: usize) -> &str {
        segment(&self.text, &self.colons, i)
    }

    /// The partition segment (`aws`, or a pattern).
    pub fn partition(&self) -> &str {
        self.segment(1)
    }

    /// The partition, when the segment names a known one.
    pub fn known_partition(&self) -> Option<Partition> {
        Partition::from_name(self.partition())
    }

    /// The service namespace (`iam`, `s3`, …).
    pub fn service(&self) -> &str {
        self.segment(2)
    }

    /// The region segment, empty for global resources.
    pub fn region(&self) -> &str {
        self.segment(3)
    }

    /// The account segment: 12 digits, `aws`, empty, or a pattern.
    pub fn account(&self) -> &str {
        self.segment(4)
    }

    /// Everything after the fifth colon, `:` and `/` included.
    pub fn resource(&self) -> &str {
        self.segment(5)
    }

    /// The resource type: the resource up to its first `/` or `:` (`role` in
    /// `role/path/name`), or `None` when it has no separator (`root`, an S3
    /// bucket name). Services without typed resources (S3) still split here:
    /// `bucket/key` gives `bucket`; the catalog knows which services type
    /// their resources.
    pub fn resource_type(&self) -> Option<&str> {
        split_resource(self.resource()).map(|(kind, _)| kind)
    }

    /// The resource after its type and separator (`path/name` in
    /// `role/path/name`), or the whole resource when it has no separator.
    pub fn resource_id(&self) -> &str {
        split_resource(self.resource()).map_or(self.resource(), |(_, id)| id)
    }

    /// Whether the ARN holds a wildcard (`*` or `?`).
    pub fn is_pattern(&self) -> bool {
        is_pattern(&self.text)
    }

    /// Whether the ARN holds a policy variable (`${…}`).
    pub fn has_variable(&self) -> bool {
        self.text.contains("${")
    }
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The segments of an ARN as written, borrowed and unchecked: the split
/// [`Arn::parse`] makes before it validates (a colon inside `${…}` does not
/// split). For code that only reads a segment or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnParts<'t> {
    /// The partition segment.
    pub partition: &'t str,
    /// The service namespace.
    pub service: &'t str,
    /// The region segment.
    pub region: &'t str,
    /// The account segment.
    pub account: &'t str,
    /// Everything after the fifth colon.
    pub resource: &'t str,
}

impl<'t> ArnParts<'t> {
    /// Splits `text`; `None` when it does not start with `arn:` or has
    /// fewer than six segments.
    pub fn split(text: &'t str) -> Option<Self> {
        if !text.starts_with("arn:") {
            return None;
        }
        let (colons, found) = find_colons(text);
        if found < 5 {
            return None;
        }
        let segment = |i| segment(text, &colons, i);
        Some(Self {
            partition: segment(1),
            service: segment(2),
            region: segment(3),
            account: segment(4),
            resource: segment(5),
        })
    }
}

/// Whether `text` holds a wildcard (`*` or `?`).
pub fn is_pattern(text: &str) -> bool {
    text.bytes().any(|b| b == b'*' || b == b'?')
}

/// Splits a resource at its first `/` or `:` into type and id.
fn split_resource(resource: &str) -> Option<(&str, &str)> {
    let at = resource.find(['/', ':'])?;
    Some((&resource[..at], &resource[at + 1..]))
}

/// Splits an IAM name-with-path (`division/team/name`) into the IAM path and
/// the friendly name: `("/division/team/", "name")`; a bare name has path `/`.
pub fn iam_path_and_name(id: &str) -> (String, &str) {
    match id.rfind('/') {
        Some(at) => (format!("/{}/", &id[..at]), &id[at + 1..]),
        None => ("/".to_owned(), id),
    }
}

/// Byte offsets of the first five segment-separating colons, skipping those
/// inside `${…}`, and how many were found.
fn find_colons(text: &str) -> ([usize; 5], usize) {
    let bytes = text.as_bytes();
    let mut colons = [0; 5];
    let mut found = 0;
    let mut in_variable = false;
    let mut i = 0;
    while i < bytes.len() && found < 5 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                in_variable = true;
                i += 1;
            }
            b'}' => in_variable = false,
            b':' if !in_variable => {
                colons[found] = i;
                found += 1;
            }
            _ => {}
        }
        i += 1;
    }
    (colons, found)
}

/// Segment `i` (1 to 5) of `text`, given its five colon offsets.
fn segment<'t>(text: &'t str, colons: &[usize; 5], i: usize) -> &'t str {
    let start = colons[i - 1] + 1;
    let end = colons.get(i).copied().unwrap_or(text.len());
    &text[start..end]
}

/// A segment that is a pattern or holds a variable is not checked.
fn is_literal(segment: &str) -> bool {
    // One pass over the bytes (segments are short; `str::contains` with a
    // string sets up a substring search each time).
    let bytes = segment.as_bytes();
    !bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'*' || b == b'?' || (b == b'$' && bytes.get(i + 1) == Some(&b'{')))
}

/// Whether `region` looks like a Region code: lowercase words joined by `-`,
/// at least three, the first letters only and the last digits only
/// (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`).
fn is_region_code(region: &str) -> bool {
    let mut parts = region.split('-');
    let first = parts.next().unwrap_or("");
    let Some(last) = parts.next_back() else {
        return false;
    };
    let mut middle = 0;
    let middle_ok = parts.all(|p| {
        middle += 1;
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    middle_ok
        && middle > 0
        && !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `account` is a 12-digit account id.
pub fn is_account_id(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

/// The 0-based character position of the first whitespace that cannot
/// belong to the ARN. Whitespace inside a `${…}` policy variable is fine (a
/// variable's default value may hold spaces: `${aws:PrincipalTag/team,
/// 'company-wide'}`); elsewhere any is misplaced at either end or before
/// the first `/` of the resource (which starts at byte `resource_start`),
/// and any but a plain space after it (S3 object keys may
/// hold spaces; bucket names and resource types may not).
fn misplaced_whitespace(text: &str, resource_start: usize) -> Option<usize> {
    // The common case, settled in one pass over the bytes: ASCII above the
    // space character, so no whitespace (`char::is_whitespace` on ASCII is
    // the space and \t to \r).
    if text.bytes().all(|b| b > b' ' && b.is_ascii()) {
        return None;
    }
    let trimmed_end = text.trim_end().len();
    let path_start = text
        .get(resource_start..)
        .and_then(|resource| resource.find('/'))
        .map_or(text.len(), |slash| resource_start + slash);
    let mut in_variable = false;
    let mut previous = '\0';
    for (position, (at, c)) in text.char_indices().enumerate() {
        match c {
            '{' if previous == '$' => in_variable = true,
            '}' => in_variable = false,
            c if c.is_whitespace()
                && !in_variable
                && (at < path_start || at >= trimmed_end || c != ' ') =>
            {
                return Some(position);
            }
            _ => {}
        }
        previous = c;
    }
    None
}

/// The context-free checks of an ARN: every problem, in segment order.
/// Returns the colon offsets when the text has all six segments.
fn check_syntax(text: &str, problems: &mut Vec<ArnError>) -> Option<[usize; 5]> {
    let arn = || text.to_owned();
    let (colons, found) = find_colons(text);
    let resource_start = if found == 5 {
        colons[4] + 1
    } else {
        text.len()
    };
    if let Some(position) = misplaced_whitespace(text, resource_start) {
        problems.push(ArnError::Whitespace {
            arn: arn(),
            position: position + 1,
        });
    }
    if !text.starts_with("arn:") {
        problems.push(ArnError::MissingPrefix { arn: arn() });
        return None;
    }
    if found < 5 {
        problems.push(ArnError::TooFewSegments {
            arn: arn(),
            found: found + 1,
        });
        return None;
    }
    let segment = |i| segment(text, &colons, i);
    let (partition, service, region, account, resource) =
        (segment(1), segment(2), segment(3), segment(4), segment(5));

    let known_partition = Partition::from_name(partition);
    if partition.is_empty() {
        problems.push(ArnError::EmptySegment {
            arn: arn(),
            segment: "partition",
        });
    } else if is_literal(partition) && known_partition.is_none() {
        problems.push(ArnError::UnknownPartition {
            arn: arn(),
            partition: partition.to_owned(),
        });
    }

    if service.is_empty() {
        problems.push(ArnError::EmptySegment {
            arn: arn(),
            segment: "service",
        });
    } else if is_literal(service)
        && !service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        problems.push(ArnError::InvalidService {
            arn: arn(),
            service: service.to_owned(),
        });
    }

    if !region.is_empty() && is_literal(region) {
        if !is_region_code(region) {
            problems.push(ArnError::InvalidRegion {
                arn: arn(),
                region: region.to_owned(),
            });
        } else if let Some(partition) = known_partition {
            let region_partition = Partition::of_region(region);
            if region_partition != partition {
                problems.push(ArnError::RegionOutsidePartition {
                    arn: arn(),
                    region: region.to_owned(),
                    partition,
                    region_partition,
                });
            }
        }
    }

    if !account.is_empty() && is_literal(account) && account != "aws" && !is_account_id(account) {
        problems.push(ArnError::InvalidAccount {
            arn: arn(),
            account: account.to_owned(),
        });
    }

    if resource.is_empty() {
        problems.push(ArnError::EmptySegment {
            arn: arn(),
            segment: "resource",
        });
    }
    Some(colons)
}

/// The checks that depend on the service: IAM and STS ARNs have no Region and
/// always an account.
fn check_global_service(text: &str, colons: [usize; 5], problems: &mut Vec<ArnError>) {
    let segment = |i| segment(text, &colons, i);
    let (service, region, account) = (segment(2), segment(3), segment(4));
    if !GLOBAL_SERVICES.contains(&service) {
        return;
    }
    if !region.is_empty() && is_literal(region) {
        problems.push(ArnError::RegionNotAllowed {
            arn: text.to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
        });
    }
    if account.is_empty() {
        problems.push(ArnError::MissingAccount {
            arn: text.to_owned(),
            service: service.to_owned(),
        });
    }
}

/// Where a value stands, which decides what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnContext {
    /// An entry of `Resource` / `NotResource`: `*` or an ARN, wildcards
    /// allowed anywhere but in the service.
    Resource,
    /// A value of `Principal: {"AWS": …}`: `*`, an account id, a unique id
    /// of a deleted principal, or a principal ARN; no wildcards.
    AwsPrincipal,
    /// A value of `Principal: {"Federated": …}`: an OIDC/SAML provider ARN,
    /// or a web identity provider's domain (`cognito-identity.amazonaws.com`).
    FederatedPrincipal,
}

/// Every problem with `value` in `context`, for the `invalid-arn` rule;
/// empty when it is fine.
pub fn validate(value: &str, context: ArnContext) -> Vec<ArnError> {
    let mut problems = Vec::new();
    match context {
        ArnContext::Resource => validate_resource(value, &mut problems),
        ArnContext::AwsPrincipal => {
            if value != "*"
                && let Err(e) = PrincipalArn::parse(value)
            {
                problems.push(e);
            }
        }
        ArnContext::FederatedPrincipal => {
            if value.starts_with("arn:") {
                match PrincipalArn::parse(value) {
                    Ok(PrincipalArn::OidcProvider { .. } | PrincipalArn::SamlProvider { .. }) => {}
                    Ok(_) => problems.push(ArnError::MalformedPrincipal {
                        arn: value.to_owned(),
                        expected: "arn:PARTITION:iam::ACCOUNT:oidc-provider/PROVIDER or …:saml-provider/NAME",
                    }),
                    Err(e) => problems.push(e),
                }
            } else if let Some(position) = value.chars().position(char::is_whitespace) {
                problems.push(ArnError::Whitespace {
                    arn: value.to_owned(),
                    position: position + 1,
                });
            }
        }
    }
    problems
}

fn validate_resource(value: &str, problems: &mut Vec<ArnError>) {
    if value == "*" {
        return;
    }
    // A `*` that ends a segment may expand beyond the colons
    // (reference_policies_elements_resource.html), so `arn:aws:s3:*` is a
    // pattern over every S3 ARN, not a short ARN: check what it has.
    let (_, found) = find_colons(value);
    if found < 5 && value.starts_with("arn:") && value.ends_with('*') {
        check_short_pattern(value, problems);
        return;
    }
    let Some(colons) = check_syntax(value, problems) else {
        return;
    };
    let service = &value[colons[1] + 1..colons[2]];
    if is_pattern(service) {
        problems.push(ArnError::WildcardService {
            arn: value.to_owned(),
        });
    }
    check_global_service(value, colons, problems);
}

/// Checks the segments that a short `Resource` pattern such as
/// `arn:aws:s3:*` does have.
fn check_short_pattern(value: &str, problems: &mut Vec<ArnError>) {
    if let Some(position) = misplaced_whitespace(value, value.len()) {
        problems.push(ArnError::Whitespace {
            arn: value.to_owned(),
            position: position + 1,
        });
    }
    let mut segments = value.split(':').skip(1);
    if let Some(partition) = segments.next() {
        if partition.is_empty() {
            problems.push(ArnError::EmptySegment {
                arn: value.to_owned(),
                segment: "partition",
            });
        } else if is_literal(partition) && Partition::from_name(partition).is_none() {
            problems.push(ArnError::UnknownPartition {
                arn: value.to_owned(),
                partition: partition.to_owned(),
            });
        }
    }
    if segments.next().is_some_and(is_pattern) {
        problems.push(ArnError::WildcardService {
            arn: value.to_owned(),
        });
    }
}

/// The principals a policy can name, parsed from an `AWS` or `Federated`
/// value (`*` aside, which callers handle first). See "IAM identifiers"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>)
/// and "AWS JSON policy elements: Principal".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalArn {
    /// An account: `arn:aws:iam::123456789012:root`, or the bare id
    /// `123456789012` (then the partition is the policy's own).
    Account {
        /// The partition, when written as an ARN.
        partition: Option<Partition>,
        /// The 12-digit id.
        account: String,
    },
    /// `arn:aws:iam::123456789012:user/path/name`.
    User {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The IAM path, `/` when none.
        path: String,
        /// The user name.
        name: String,
    },
    /// `arn:aws:iam::123456789012:role/path/name`.
    Role {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The IAM path, `/` when none.
        path: String,
        /// The role name.
        name: String,
    },
    /// `arn:aws:sts::123456789012:assumed-role/role-name/session-name`
    /// (the role's path is not part of a session ARN).
    AssumedRole {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The role name.
        role_name: String,
        /// The session name.
        session_name: String,
    },
    /// `arn:aws:sts::123456789012:federated-user/name`.
    FederatedUser {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The federated user's name.
        name: String,
    },
    /// `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`.
    OidcProvider {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The provider's URL without scheme (may hold `/`).
        provider: String,
    },
    /// `arn:aws:iam::123456789012:saml-provider/name`.
    SamlProvider {
        /// The partition.
        partition: Partition,
        /// The account.
        account: String,
        /// The provider's name.
        name: String,
    },
    /// A unique id (`AIDA…` for a user, `AROA…` for a role): what AWS shows
    /// in place of a principal that was deleted after the policy was saved.
    UniqueId {
        /// The id.
        id: String,
    },
}

/// The shapes principal ARNs must have, for error messages.
const SHAPE_ROOT: &str = "arn:PARTITION:iam::ACCOUNT:root";
const SHAPE_USER: &str = "arn:PARTITION:iam::ACCOUNT:user/PATH/NAME";
const SHAPE_ROLE: &str = "arn:PARTITION:iam::ACCOUNT:role/PATH/NAME";
const SHAPE_SESSION: &str = "arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME";
const SHAPE_FEDERATED_USER: &str = "arn:PARTITION:sts::ACCOUNT:federated-user/NAME";
const SHAPE_OIDC: &str = "arn:PARTITION:iam::ACCOUNT:oidc-provider/PROVIDER";
const SHAPE_SAML: &str = "arn:PARTITION:iam::ACCOUNT:saml-provider/NAME";

impl PrincipalArn {
    /// Parses a principal value: a bare account id, a unique id, or a
    /// principal ARN. `*` is not a principal ARN and is an error here.
    pub fn parse(value: &str) -> Result<Self, ArnError> {
        if let Some(position) = value.chars().position(char::is_whitespace) {
            return Err(ArnError::Whitespace {
                arn: value.to_owned(),
                position: position + 1,
            });
        }
        if is_account_id(value) {
            return Ok(Self::Account {
                partition: None,
                account: value.to_owned(),
            });
        }
        if is_unique_id(value) {
            return Ok(Self::UniqueId {
                id: value.to_owned(),
            });
        }
        if is_pattern(value) {
            return Err(ArnError::WildcardInPrincipal {
                arn: value.to_owned(),
            });
        }
        if value.contains("${") {
            return Err(ArnError::VariableInPrincipal {
                arn: value.to_owned(),
            });
        }
        if !value.starts_with("arn:") {
            return Err(ArnError::NotAPrincipalValue {
                value: value.to_owned(),
            });
        }
        let arn = Arn::parse(value)?;
        let mut problems = Vec::new();
        check_global_service(value, arn.colons, &mut problems);
        if let Some(problem) = problems.into_iter().next() {
            return Err(problem);
        }
        // `Arn::parse` accepted the partition and it holds no pattern.
        let Some(partition) = arn.known_partition() else {
            return Err(ArnError::UnknownPartition {
                arn: value.to_owned(),
                partition: arn.partition().to_owned(),
            });
        };
        let malformed = |expected| ArnError::MalformedPrincipal {
            arn: value.to_owned(),
            expected,
        };
        let (service, resource) = (arn.service(), arn.resource());
        let (kind, id) = split_resource(resource).unwrap_or((resource, ""));
        let shape = match kind {
            "root" => SHAPE_ROOT,
            "user" => SHAPE_USER,
            "role" => SHAPE_ROLE,
            "assumed-role" => SHAPE_SESSION,
            "federated-user" => SHAPE_FEDERATED_USER,
            "oidc-provider" => SHAPE_OIDC,
            "saml-provider" => SHAPE_SAML,
            "group" if service == "iam" => {
                return Err(ArnError::GroupPrincipal {
                    arn: value.to_owned(),
                });
            }
            _ => {
                return Err(ArnError::NotAPrincipal {
                    arn: value.to_owned(),
                });
            }
        };
        let expected_service = if shape.contains(":sts:") {
            "sts"
        } else {
            "iam"
        };
        if service != expected_service || resource[kind.len()..].starts_with(':') {
            return Err(malformed(shape));
        }
        let account = arn.account();
        if !is_account_id(account) {
            return Err(ArnError::PrincipalAccount {
                arn: value.to_owned(),
                account: account.to_owned(),
            });
        }
        let account = account.to_owned();
        let name_ok = |name: &str| !name.is_empty();
        Ok(match kind {
            "root" if resource == "root" => Self::Account {
                partition: Some(partition),
                account,
            },
            "user" | "role" => {
                let (path, name) = iam_path_and_name(id);
                if !name_ok(name) || id.starts_with('/') || id.contains("//") {
                    return Err(malformed(shape));
                }
                let name = name.to_owned();
                if kind == "user" {
                    Self::User {
                        partition,
                        account,
                        path,
                        name,
                    }
                } else {
                    Self::Role {
                        partition,
                        account,
                        path,
                        name,
                    }
                }
            }
            "assumed-role" => match id.split_once('/') {
                Some((role, session))
                    if name_ok(role) && name_ok(session) && !session.contains('/') =>
                {
                    Self::AssumedRole {
                        partition,
                        account,
                        role_name: role.to_owned(),
                        session_name: session.to_owned(),
                    }
                }
                _ => return Err(malformed(shape)),
            },
            "federated-user" if name_ok(id) && !id.contains('/') => Self::FederatedUser {
                partition,
                account,
                name: id.to_owned(),
            },
            "oidc-provider" if name_ok(id) => Self::OidcProvider {
                partition,
                account,
                provider: id.to_owned(),
            },
            "saml-provider" if name_ok(id) && !id.contains('/') => Self::SamlProvider {
                partition,
                account,
                name: id.to_owned(),
            },
            _ => return Err(malformed(shape)),
        })
    }

    /// The partition, when known (a bare account id has none of its own).
    pub fn partition(&self) -> Option<Partition> {
        match self {
            Self::Account { partition, .. } => *partition,
            Self::User { partition, .. }
            | Self::Role { partition, .. }
            | Self::AssumedRole { partition, .. }
            | Self::FederatedUser { partition, .. }
            | Self::OidcProvider { partition, .. }
            | Self::SamlProvider { partition, .. } => Some(*partition),
            Self::UniqueId { .. } => None,
        }
    }

    /// The account the principal belongs to (none for a unique id).
    pub fn account(&self) -> Option<&str> {
        match self {
            Self::Account { account, .. }
            | Self::User { account, .. }
            | Self::Role { account, .. }
            | Self::AssumedRole { account, .. }
            | Self::FederatedUser { account, .. }
            | Self::OidcProvider { account, .. }
            | Self::SamlProvider { account, .. } => Some(account),
            Self::UniqueId { .. } => None,
        }
    }

    /// The canonical ARN, in `default_partition` when the value did not say
    /// (a bare account id); `None` for a unique id, which has no ARN.
    pub fn to_arn(&self, default_partition: Partition) -> Option<String> {
        let p = self.partition().unwrap_or(default_partition);
        Some(match self {
            Self::Account { account, .. } => format!("arn:{p}:iam::{account}:root"),
            Self::User {
                account,
                path,
                name,
                ..
            } => format!("arn:{p}:iam::{account}:user{path}{name}"),
            Self::Role {
                account,
                path,
                name,
                ..
            } => format!("arn:{p}:iam::{account}:role{path}{name}"),
            Self::AssumedRole {
                account,
                role_name,
                session_name,
                ..
            } => format!("arn:{p}:sts::{account}:assumed-role/{role_name}/{session_name}"),
            Self::FederatedUser { account, name, .. } => {
                format!("arn:{p}:sts::{account}:federated-user/{name}")
            }
            Self::OidcProvider {
                account, provider, ..
            } => format!("arn:{p}:iam::{account}:oidc-provider/{provider}"),
            Self::SamlProvider { account, name, .. } => {
                format!("arn:{p}:iam::{account}:saml-provider/{name}")
            }
            Self::UniqueId { .. } => return None,
        })
    }
}

impl FromStr for PrincipalArn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Whether `value` is an IAM unique id of a user (`AIDA`) or role (`AROA`):
/// the prefix and 12 or more uppercase letters and digits.
fn is_unique_id(value: &str) -> bool {
    (value.starts_with("AIDA") || value.starts_with("AROA"))
        && value.len() >= 16
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_like_the_parser() {
        let parts = ArnParts::split("arn:aws:iam::${aws:PrincipalAccount}:role/a:b");
        assert_eq!(
            parts,
            Some(ArnParts {
                partition: "aws",
                service: "iam",
                region: "",
                account: "${aws:PrincipalAccount}",
                resource: "role/a:b",
            })
        );
        assert_eq!(ArnParts::split("arn:aws:iam::111122223333"), None);
        assert_eq!(ArnParts::split("urn:aws:iam::1:root"), None);
    }

    fn problems(value: &str, context: ArnContext) -> Vec<String> {
        validate(value, context)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    // The format and the examples (IAM user, SNS topic, VPC with
    // `resource-type/resource-id`) of
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
    #[test]
    fn segments_of_the_reference_examples() {
        let user = Arn::parse("arn:aws:iam::123456789012:user/johndoe").unwrap();
        assert_eq!(user.partition(), "aws");
        assert_eq!(user.known_partition(), Some(Partition::Aws));
        assert_eq!(user.service(), "iam");
        assert_eq!(user.region(), "");
        assert_eq!(user.account(), "123456789012");
        assert_eq!(user.resource(), "user/johndoe");
        assert_eq!(user.resource_type(), Some("user"));
        assert_eq!(user.resource_id(), "johndoe");

        let topic =
            Arn::parse("arn:aws:sns:us-east-1:123456789012:example-sns-topic-name").unwrap();
        assert_eq!(topic.region(), "us-east-1");
        assert_eq!(topic.resource_type(), None);
        assert_eq!(topic.resource_id(), "example-sns-topic-name");

        let vpc =
            Arn::parse("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(vpc.resource_type(), Some("vpc"));

        // `resource-type:resource-id`, and further colons stay in the resource.
        let function =
            Arn::parse("arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD").unwrap();
        assert_eq!(function.resource(), "function:my-fn:PROD");
        assert_eq!(function.resource_type(), Some("function"));
        assert_eq!(function.resource_id(), "my-fn:PROD");

        // Region and account both omitted (S3 buckets).
        let object = Arn::parse("arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt").unwrap();
        assert_eq!((object.region(), object.account()), ("", ""));
        assert_eq!(object.resource(), "amzn-s3-demo-bucket/a/b.txt");
        assert_eq!(
            object.to_string(),
            "arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt"
        );
    }

    // Partitions: aws, aws-cn, aws-us-gov in the ARN reference page; the
    // isolated and sovereign ones from the AWS SDKs' partition table.
    #[test]
    fn partitions() {
        for p in Partition::ALL {
            assert_eq!(Partition::from_name(p.as_str()), Some(p));
        }
        assert!(Arn::parse("arn:aws-cn:s3:::bucket").is_ok());
        assert!(Arn::parse("arn:aws-us-gov:iam::123456789012:role/r").is_ok());
        assert!(Arn::parse("arn:aws-iso-b:s3:::bucket").is_ok());
        assert_eq!(
            Arn::parse("arn:aws-moon:s3:::bucket").unwrap_err(),
            ArnError::UnknownPartition {
                arn: "arn:aws-moon:s3:::bucket".into(),
                partition: "aws-moon".into()
            }
        );
        assert_eq!(Partition::of_region("cn-north-1"), Partition::AwsCn);
        assert_eq!(Partition::of_region("us-gov-west-1"), Partition::AwsUsGov);
        assert_eq!(Partition::of_region("us-isob-east-1"), Partition::AwsIsoB);
        assert_eq!(Partition::of_region("us-iso-east-1"), Partition::AwsIso);
        assert_eq!(Partition::of_region("eusc-de-east-1"), Partition::AwsEusc);
        assert_eq!(Partition::of_region("ap-southeast-7"), Partition::Aws);
    }

    // "The ID of the AWS account that owns the resource, without the
    // hyphens" (reference-arns.html); AWS managed policies use `aws`
    // (arn:aws:iam::aws:policy/…, reference_identifiers.html).
    #[test]
    fn accounts() {
        assert!(Arn::parse("arn:aws:iam::aws:policy/AdministratorAccess").is_ok());
        assert!(
            Arn::parse("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").is_ok()
        );
        for bad in [
            "1234-5678-9012",
            "12345678901",
            "1234567890123",
            "AWS",
            "12345678901a",
        ] {
            let arn = format!("arn:aws:iam::{bad}:root");
            assert_eq!(
                Arn::parse(&arn).unwrap_err(),
                ArnError::InvalidAccount {
                    arn: arn.clone(),
                    account: bad.into()
                },
                "{arn}"
            );
        }
    }

    #[test]
    fn errors_name_the_input() {
        let cases = [
            (
                "iam::123456789012:root",
                "`iam::123456789012:root` is not an ARN: an ARN starts with `arn:`",
            ),
            (
                "ARN:aws:s3:::b",
                "`ARN:aws:s3:::b` is not an ARN: an ARN starts with `arn:`",
            ),
            (
                "arn:aws:iam:123456789012:root",
                "`arn:aws:iam:123456789012:root` has 5 of the 6 segments of an ARN",
            ),
            (
                "arn:aws:s3:::",
                "the resource segment of `arn:aws:s3:::` is empty",
            ),
            (
                "arn::s3:::b",
                "the partition segment of `arn::s3:::b` is empty",
            ),
            (
                "arn:aws::::b",
                "the service segment of `arn:aws::::b` is empty",
            ),
            (
                "arn:aws:S3:::b",
                "invalid service `S3` in `arn:aws:S3:::b`: a service namespace is lowercase letters, digits and hyphens",
            ),
            (
                "arn:aws:sqs:us_east_1:123456789012:q",
                "invalid region `us_east_1` in `arn:aws:sqs:us_east_1:123456789012:q`: expected a Region code such as `us-east-1`",
            ),
            (
                "arn:aws:sqs:cn-north-1:123456789012:q",
                "region `cn-north-1` is in partition `aws-cn`, but `arn:aws:sqs:cn-north-1:123456789012:q` names `aws`",
            ),
            (
                " arn:aws:s3:::b",
                "` arn:aws:s3:::b` contains whitespace at character 1",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(Arn::parse(text).unwrap_err().to_string(), message);
            let first = message.chars().next().unwrap();
            assert!(first == '`' || first.is_lowercase(), "{message}");
        }
    }

    // Wildcards and variables make segments patterns; they are not checked.
    // Variables may hold colons: ${aws:username}
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
    #[test]
    fn patterns_and_variables() {
        let any_role = Arn::parse("arn:aws:iam::*:role/*").unwrap();
        assert!(any_role.is_pattern());
        assert_eq!(any_role.account(), "*");
        assert!(Arn::parse("arn:*:s3:::b").unwrap().is_pattern());
        assert!(Arn::parse("arn:aws:ec2:us-east-?:123456789012:instance/*").is_ok());
        assert!(!Arn::parse("arn:aws:s3:::b/k").unwrap().is_pattern());

        let home = Arn::parse("arn:aws:s3:::bucket/home/${aws:username}/*").unwrap();
        assert!(home.has_variable());
        assert_eq!(home.resource(), "bucket/home/${aws:username}/*");
        let own = Arn::parse("arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}").unwrap();
        assert_eq!(own.account(), "${aws:PrincipalAccount}");
        assert_eq!(own.resource(), "user/${aws:username}");
        // A default value may hold spaces ("Specifying default values"); a
        // tab outside the variable is still reported.
        let team = "arn:aws:s3:::reports-${aws:PrincipalTag/team, 'company wide'}/*";
        assert!(Arn::parse(team).is_ok());
        assert!(validate(team, ArnContext::Resource).is_empty());
        assert!(matches!(
            Arn::parse("arn:aws:s3:::a\tb${x}"),
            Err(ArnError::Whitespace { position: 15, .. })
        ));
    }

    #[test]
    fn iam_paths() {
        assert_eq!(iam_path_and_name("name"), ("/".into(), "name"));
        assert_eq!(
            iam_path_and_name("division_abc/subdivision_xyz/name"),
            ("/division_abc/subdivision_xyz/".into(), "name")
        );
    }

    // "You can use wildcard characters (* and ?) within the individual
    // segments of an ARN … If the * wildcard is the last character of a
    // resource ARN segment, it can expand to match beyond the colon
    // boundaries … You can't use a wildcard in the service segment"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
    #[test]
    fn resource_validation() {
        for fine in [
            "*",
            "arn:aws:iam::*:role/*",
            "arn:aws:s3:::*",
            "arn:aws:s3:*",
            "arn:aws:sqs:*:123456789012:queue?",
            "arn:aws:s3:::bucket/${aws:username}/*",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:ec2:us-east-1::image/ami-12345678",
        ] {
            assert_eq!(
                problems(fine, ArnContext::Resource),
                Vec::<String>::new(),
                "{fine}"
            );
        }
        assert_eq!(
            problems("arn:aws:*:::x", ArnContext::Resource),
            ["the service segment of `arn:aws:*:::x` cannot hold a wildcard"]
        );
        assert_eq!(
            problems("arn:aws:s3*", ArnContext::Resource),
            ["the service segment of `arn:aws:s3*` cannot hold a wildcard"]
        );
        assert_eq!(
            problems("arn:aws:iam:", ArnContext::Resource),
            ["`arn:aws:iam:` has 4 of the 6 segments of an ARN"]
        );
        assert_eq!(
            problems("s3:::bucket", ArnContext::Resource),
            ["`s3:::bucket` is not an ARN: an ARN starts with `arn:`"]
        );
        // Every problem is reported, not only the first.
        assert_eq!(
            problems("arn:awz:iam:us-east-1:12345:role/x ", ArnContext::Resource),
            [
                "`arn:awz:iam:us-east-1:12345:role/x ` contains whitespace at character 35",
                "unknown partition `awz` in `arn:awz:iam:us-east-1:12345:role/x `",
                "invalid account id `12345` in `arn:awz:iam:us-east-1:12345:role/x `: expected 12 digits, `aws` for resources AWS owns, or nothing",
                "`iam` is global, so `arn:awz:iam:us-east-1:12345:role/x ` must leave the region empty, found `us-east-1`",
            ]
        );
        // A space may be part of an S3 object key; not of a bucket name, and
        // a tab or an edge space never.
        assert!(problems("arn:aws:s3:::bucket/my file.txt", ArnContext::Resource).is_empty());
        assert_eq!(
            problems("arn:aws:s3:::my bucket", ArnContext::Resource),
            ["`arn:aws:s3:::my bucket` contains whitespace at character 16"]
        );
        assert_eq!(
            problems("arn:aws:s3:::bucket/a\tb", ArnContext::Resource),
            ["`arn:aws:s3:::bucket/a\tb` contains whitespace at character 22"]
        );
        assert_eq!(
            problems("arn:aws:s3:: :bucket", ArnContext::Resource)[0],
            "`arn:aws:s3:: :bucket` contains whitespace at character 13"
        );
        assert_eq!(
            problems("arn:aws:iam:::role/x", ArnContext::Resource),
            ["`arn:aws:iam:::role/x` names no account: `iam` ARNs need the 12-digit account id"]
        );
    }

    // Principal forms from "AWS JSON policy elements: Principal"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    // and the IAM and STS ARNs of "IAM identifiers"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
    #[test]
    fn principal_forms() {
        let p = |s: &str| PrincipalArn::parse(s).unwrap();
        assert_eq!(
            p("123456789012"),
            PrincipalArn::Account {
                partition: None,
                account: "123456789012".into()
            }
        );
        assert_eq!(
            p("arn:aws:iam::123456789012:root"),
            PrincipalArn::Account {
                partition: Some(Partition::Aws),
                account: "123456789012".into()
            }
        );
        assert_eq!(
            p("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob"),
            PrincipalArn::User {
                partition: Partition::Aws,
                account: "123456789012".into(),
                path: "/division_abc/subdivision_xyz/".into(),
                name: "Bob".into()
            }
        );
        assert_eq!(
            p("arn:aws-cn:iam::123456789012:role/application_abc/component_xyz/S3Access"),
            PrincipalArn::Role {
                partition: Partition::AwsCn,
                account: "123456789012".into(),
                path: "/application_abc/component_xyz/".into(),
                name: "S3Access".into()
            }
        );
        assert_eq!(
            p("arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary"),
            PrincipalArn::AssumedRole {
                partition: Partition::Aws,
                account: "123456789012".into(),
                role_name: "Accounting-Role".into(),
                session_name: "Mary".into()
            }
        );
        assert_eq!(
            p("arn:aws:sts::123456789012:federated-user/Bob"),
            PrincipalArn::FederatedUser {
                partition: Partition::Aws,
                account: "123456789012".into(),
                name: "Bob".into()
            }
        );
        assert_eq!(
            p(
                "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
            ),
            PrincipalArn::OidcProvider {
                partition: Partition::Aws,
                account: "123456789012".into(),
                provider: "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
                    .into()
            }
        );
        assert_eq!(
            p("arn:aws:iam::123456789012:saml-provider/ADFS"),
            PrincipalArn::SamlProvider {
                partition: Partition::Aws,
                account: "123456789012".into(),
                name: "ADFS".into()
            }
        );
        // A principal deleted after the policy was saved shows as its unique id.
        assert_eq!(
            p("AROAKSCDLFT9R5DQP782U"),
            PrincipalArn::UniqueId {
                id: "AROAKSCDLFT9R5DQP782U".into()
            }
        );
    }

    #[test]
    fn principal_round_trip() {
        for arn in [
            "arn:aws:iam::123456789012:root",
            "arn:aws:iam::123456789012:user/Bob",
            "arn:aws:iam::123456789012:role/a/b/R",
            "arn:aws-us-gov:sts::123456789012:assumed-role/R/s@example.com",
            "arn:aws:sts::123456789012:federated-user/Bob",
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            "arn:aws:iam::123456789012:saml-provider/Okta",
        ] {
            assert_eq!(
                PrincipalArn::parse(arn)
                    .unwrap()
                    .to_arn(Partition::Aws)
                    .as_deref(),
                Some(arn)
            );
        }
        let bare = PrincipalArn::parse("123456789012").unwrap();
        assert_eq!(
            bare.to_arn(Partition::AwsCn).as_deref(),
            Some("arn:aws-cn:iam::123456789012:root")
        );
        assert_eq!(bare.account(), Some("123456789012"));
        assert_eq!(bare.partition(), None);
    }

    // "You cannot use a wildcard to match part of a principal name or ARN";
    // "You cannot identify a user group as a principal"
    // (reference_policies_elements_principal.html). Access Analyzer reports
    // "Unsupported wildcard in principal"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
    #[test]
    fn principal_errors() {
        let err = |s: &str| PrincipalArn::parse(s).unwrap_err().to_string();
        assert_eq!(
            err("arn:aws:iam::123456789012:role/deploy-*"),
            "`arn:aws:iam::123456789012:role/deploy-*` uses a wildcard, which a principal cannot"
        );
        assert_eq!(
            err("arn:aws:iam::123456789012:group/Admins"),
            "`arn:aws:iam::123456789012:group/Admins` is a group, and a group cannot be a principal"
        );
        assert_eq!(
            err("arn:aws:iam::123456789012:policy/P"),
            "`arn:aws:iam::123456789012:policy/P` does not name a principal: expected an account root, user, role, assumed-role session, federated user, or OIDC/SAML provider"
        );
        assert_eq!(
            err("arn:aws:sts::123456789012:assumed-role/OnlyRole"),
            "`arn:aws:sts::123456789012:assumed-role/OnlyRole` is not a well-formed principal: expected `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME`"
        );
        assert_eq!(
            err("arn:aws:iam::123456789012:assumed-role/R/s"),
            "`arn:aws:iam::123456789012:assumed-role/R/s` is not a well-formed principal: expected `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME`"
        );
        assert_eq!(
            err("arn:aws:sts::123456789012:role/R"),
            "`arn:aws:sts::123456789012:role/R` is not a well-formed principal: expected `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`"
        );
        assert!(err("arn:aws:iam::123456789012:role/").contains("not a well-formed principal"));
        assert!(err("arn:aws:iam::123456789012:root/x").contains("not a well-formed principal"));
        assert_eq!(
            err("arn:aws:iam::aws:root"),
            "a principal ARN needs a 12-digit account id, found `aws` in `arn:aws:iam::aws:root`"
        );
        assert_eq!(
            err("arn:aws:iam:us-east-1:123456789012:root"),
            "`iam` is global, so `arn:aws:iam:us-east-1:123456789012:root` must leave the region empty, found `us-east-1`"
        );
        assert_eq!(
            err("arn:aws:iam::${aws:PrincipalAccount}:root"),
            "`arn:aws:iam::${aws:PrincipalAccount}:root` uses a policy variable, which a principal cannot"
        );
        assert_eq!(
            err("bob"),
            "`bob` is not a principal: expected `*`, a 12-digit account id, or the ARN of an account, user, role, session or identity provider"
        );
        assert!(
            err("*").contains("wildcard"),
            "`*` is for callers to handle"
        );
        assert_eq!(
            err("123456789012 "),
            "`123456789012 ` contains whitespace at character 13"
        );
    }

    #[test]
    fn principal_validation_by_type() {
        assert!(problems("*", ArnContext::AwsPrincipal).is_empty());
        assert!(problems("123456789012", ArnContext::AwsPrincipal).is_empty());
        assert_eq!(
            problems("arn:aws:iam::*:root", ArnContext::AwsPrincipal).len(),
            1
        );
        // Federated: provider ARNs or web identity providers' domains.
        for fine in [
            "cognito-identity.amazonaws.com",
            "accounts.google.com",
            "arn:aws:iam::123456789012:saml-provider/Okta",
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        ] {
            assert!(
                problems(fine, ArnContext::FederatedPrincipal).is_empty(),
                "{fine}"
            );
        }
        assert_eq!(
            problems(
                "arn:aws:iam::123456789012:role/R",
                ArnContext::FederatedPrincipal
            ),
            [
                "`arn:aws:iam::123456789012:role/R` is not a well-formed principal: expected `arn:PARTITION:iam::ACCOUNT:oidc-provider/PROVIDER or …:saml-provider/NAME`"
            ]
        );
    }
}
