//! Amazon Resource Names as requests carry them: `arn:partition:service:region:account:resource`.
//!
//! Format from "IAM identifiers — IAM ARNs"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns):
//! six colon-separated parts, the last of which may itself contain colons.

use std::fmt;

/// Why a text is not a usable ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum ArnError {
    /// Does not start with `arn:`.
    #[error("`{0}` is not an ARN: it must start with `arn:`")]
    NotAnArn(String),
    /// Fewer than six parts.
    #[error(
        "ARN `{0}` has too few parts: the format is `arn:partition:service:region:account:resource`"
    )]
    TooFewParts(String),
    /// A part that must not be empty is.
    #[error("ARN `{arn}` has an empty {part}")]
    EmptyPart {
        /// The ARN.
        arn: String,
        /// Which part.
        part: &'static str,
    },
    /// The account part is neither empty nor twelve digits.
    #[error("ARN `{arn}` has account `{account}`: an account id is twelve digits")]
    BadAccount {
        /// The ARN.
        arn: String,
        /// The account part.
        account: String,
    },
}

/// A parsed ARN; the parts borrow nothing, so the struct can be kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    text: String,
    /// Byte offsets of the five separating colons.
    colons: [usize; 5],
}

impl Arn {
    /// Parses a concrete ARN, as a request names a resource or principal
    /// (`*` and `?` are ordinary characters there: S3 keys may hold them).
    /// The account may be empty (S3 buckets) or twelve digits (`aws` for
    /// AWS-managed policies is accepted too).
    pub fn parse(text: &str) -> Result<Self, ArnError> {
        let arn = Self::split(text)?;
        let account = arn.account();
        if !account.is_empty() && account != "aws" && !is_account_id(account) {
            return Err(ArnError::BadAccount {
                arn: text.to_owned(),
                account: account.to_owned(),
            });
        }
        Ok(arn)
    }

    /// Splits any text of ARN shape (wildcards allowed) into its parts.
    pub(crate) fn split(text: &str) -> Result<Self, ArnError> {
        if !text.starts_with("arn:") {
            return Err(ArnError::NotAnArn(text.to_owned()));
        }
        let mut colons = [0usize; 5];
        let mut found = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b':' {
                colons[found] = i;
                found += 1;
                if found == 5 {
                    break;
                }
            }
        }
        if found < 5 {
            return Err(ArnError::TooFewParts(text.to_owned()));
        }
        let arn = Self {
            text: text.to_owned(),
            colons,
        };
        for (part, value) in [
            ("partition", arn.partition()),
            ("service", arn.service()),
            ("resource", arn.resource()),
        ] {
            if value.is_empty() {
                return Err(ArnError::EmptyPart {
                    arn: text.to_owned(),
                    part,
                });
            }
        }
        Ok(arn)
    }

    /// Part `i` (0 = `arn`, 5 = resource).
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.colons[i - 1] + 1 };
        let end = if i == 5 {
            self.text.len()
        } else {
            self.colons[i]
        };
        &self.text[start..end]
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub fn partition(&self) -> &str {
        self.part(1)
    }

    /// `s3`, `iam`, `sts`, …
    pub fn service(&self) -> &str {
        self.part(2)
    }

    /// The Region, empty for global services.
    pub fn region(&self) -> &str {
        self.part(3)
    }

    /// The account id, empty for some services (S3 buckets).
    pub fn account(&self) -> &str {
        self.part(4)
    }

    /// Everything after the fifth colon: `user/path/name`, `bucket/key`, …
    pub fn resource(&self) -> &str {
        self.part(5)
    }

    /// The six parts, for segment-wise matching.
    pub fn parts(&self) -> [&str; 6] {
        [
            self.part(0),
            self.part(1),
            self.part(2),
            self.part(3),
            self.part(4),
            self.part(5),
        ]
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether `s` is a twelve-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_colons_in_the_resource() {
        let key = Arn::parse("arn:aws:s3:::bucket/what?*").unwrap();
        assert_eq!(key.resource(), "bucket/what?*");
        let arn = Arn::parse("arn:aws:logs:us-east-1:111122223333:log-group:name").unwrap();
        assert_eq!(arn.service(), "logs");
        assert_eq!(arn.region(), "us-east-1");
        assert_eq!(arn.account(), "111122223333");
        assert_eq!(arn.resource(), "log-group:name");
        let bucket = Arn::parse("arn:aws:s3:::bucket/a/b").unwrap();
        assert_eq!(bucket.account(), "");
        assert_eq!(bucket.resource(), "bucket/a/b");
    }

    #[test]
    fn typed_errors() {
        assert!(matches!(
            Arn::parse("s3:::bucket"),
            Err(ArnError::NotAnArn(_))
        ));
        assert!(matches!(
            Arn::parse("arn:aws:s3:bucket"),
            Err(ArnError::TooFewParts(_))
        ));
        assert!(matches!(
            Arn::parse("arn:aws:iam::12345:user/x"),
            Err(ArnError::BadAccount { .. })
        ));
        assert!(matches!(
            Arn::parse("arn:aws:iam::111122223333:"),
            Err(ArnError::EmptyPart {
                part: "resource",
                ..
            })
        ));
        assert_eq!(
            Arn::parse("nope").unwrap_err().to_string(),
            "`nope` is not an ARN: it must start with `arn:`"
        );
        assert!(Arn::parse("arn:aws:iam::aws:policy/AdministratorAccess").is_ok());
    }

    #[test]
    fn account_ids() {
        assert!(is_account_id("111122223333"));
        assert!(!is_account_id("11112222333"));
        assert!(!is_account_id("11112222333a"));
    }
}
