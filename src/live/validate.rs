//! Checks of AssumeRole's parameters before any call, with the limits AWS
//! documents (<https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>):
//! AWS would refuse these requests anyway, and an emulator may not.

use std::fmt;

use super::credentials::Secret;

/// A parameter that AWS would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("invalid {parameter} `{value}`: {reason}")]
#[diagnostic(code(rolecall::live::invalid_input))]
pub struct InvalidInput {
    /// The command-line flag or parameter.
    pub parameter: &'static str,
    /// The value given (never a secret: token codes are not echoed).
    pub value: String,
    /// What is wrong.
    pub reason: String,
}

fn invalid(parameter: &'static str, value: &str, reason: impl Into<String>) -> InvalidInput {
    InvalidInput {
        parameter,
        value: value.to_owned(),
        reason: reason.into(),
    }
}

/// `[\w+=,.@-]`: the characters of role and session names.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// Characters outside `allowed`, quoted, for an error message.
fn check_chars(
    parameter: &'static str,
    value: &str,
    allowed: impl Fn(char) -> bool,
    described: &str,
) -> Result<(), InvalidInput> {
    match value.chars().find(|&c| !allowed(c)) {
        Some(c) => Err(invalid(
            parameter,
            value,
            format!("`{}` is not allowed (only {described})", c.escape_default()),
        )),
        None => Ok(()),
    }
}

fn check_len(
    parameter: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), InvalidInput> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(invalid(
            parameter,
            value,
            format!("must be {min} to {max} characters long, not {n}"),
        ));
    }
    Ok(())
}

/// The ARN of an IAM role: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleArn {
    text: String,
    partition_end: usize,
    account: String,
    name_start: usize,
}

impl RoleArn {
    /// Parses and checks a role ARN.
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        const P: &str = "role ARN";
        check_len(P, text, 20, 2048)?;
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts[..] else {
            return Err(invalid(
                P,
                text,
                "expected `arn:aws:iam::ACCOUNT-ID:role/NAME`",
            ));
        };
        if arn != "arn" {
            return Err(invalid(P, text, "must start with `arn:`"));
        }
        let partition_ok = partition.starts_with("aws")
            && partition
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
        if !partition_ok {
            return Err(invalid(
                P,
                text,
                format!(
                    "unknown partition `{partition}` (expected `aws`, `aws-cn`, `aws-us-gov`, …)"
                ),
            ));
        }
        if service != "iam" {
            return Err(invalid(
                P,
                text,
                format!("the service is `{service}`, not `iam`"),
            ));
        }
        if !region.is_empty() {
            return Err(invalid(
                P,
                text,
                "IAM ARNs have no region (`arn:aws:iam::…`)",
            ));
        }
        check_account(P, text, account)?;
        let Some(path_and_name) = resource.strip_prefix("role/") else {
            return Err(invalid(
                P,
                text,
                format!("the resource `{resource}` is not a role (`role/NAME`)"),
            ));
        };
        let name = path_and_name.rsplit('/').next().unwrap_or(path_and_name);
        if name.is_empty() || name.chars().count() > 64 {
            return Err(invalid(
                P,
                text,
                "the role name must be 1 to 64 characters long",
            ));
        }
        check_chars(
            P,
            name,
            is_name_char,
            "letters, digits and `_+=,.@-` in a role name",
        )?;
        let path = &path_and_name[..path_and_name.len() - name.len()];
        check_chars(
            P,
            path,
            |c| c.is_ascii_graphic(),
            "printable ASCII in a role path",
        )?;
        let name_start = text.len() - name.len();
        Ok(Self {
            text: text.to_owned(),
            partition_end: 4 + partition.len(),
            account: account.to_owned(),
            name_start,
        })
    }

    /// The ARN of role `name` in `account` of `partition`.
    pub fn in_account(partition: &str, account: &str, name: &str) -> Result<Self, InvalidInput> {
        Self::parse(&format!("arn:{partition}:iam::{account}:role/{name}"))
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `aws`, `aws-cn`, …
    pub fn partition(&self) -> &str {
        &self.text[4..self.partition_end]
    }

    /// The 12-digit account id.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The role name, without its path.
    pub fn name(&self) -> &str {
        &self.text[self.name_start..]
    }
}

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Checks a 12-digit AWS account id.
pub fn check_account(
    parameter: &'static str,
    text: &str,
    account: &str,
) -> Result<(), InvalidInput> {
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            parameter,
            text,
            format!("the account id `{account}` must be 12 digits"),
        ));
    }
    Ok(())
}

/// Checks a role session name: 2 to 64 of `[\w+=,.@-]`.
pub fn session_name(value: &str) -> Result<String, InvalidInput> {
    const P: &str = "session name";
    check_len(P, value, 2, 64)?;
    check_chars(P, value, is_name_char, "letters, digits and `_+=,.@-`")?;
    Ok(value.to_owned())
}

/// Checks AssumeRole's `DurationSeconds`: 900 to 43200.
pub fn duration_seconds(value: i64) -> Result<i32, InvalidInput> {
    match i32::try_from(value) {
        Ok(v) if (900..=43_200).contains(&v) => Ok(v),
        _ => Err(invalid(
            "duration",
            &value.to_string(),
            "must be 900 to 43200 seconds (15 minutes to 12 hours)",
        )),
    }
}

/// Checks an external id: 2 to 1224 of `[\w+=,.@:/-]`.
pub fn external_id(value: &str) -> Result<String, InvalidInput> {
    const P: &str = "external id";
    check_len(P, value, 2, 1224)?;
    check_chars(
        P,
        value,
        |c| is_name_char(c) || c == ':' || c == '/',
        "letters, digits and `_+=,.@:/-`",
    )?;
    Ok(value.to_owned())
}

/// Checks an MFA device serial number or ARN: 9 to 256 of `[\w+=/:,.@-]`.
pub fn mfa_serial(value: &str) -> Result<String, InvalidInput> {
    const P: &str = "MFA serial";
    check_len(P, value, 9, 256)?;
    check_chars(
        P,
        value,
        |c| is_name_char(c) || c == ':' || c == '/',
        "letters, digits and `_+=/:,.@-`",
    )?;
    Ok(value.to_owned())
}

/// Checks an MFA token code: six digits. The code is not echoed on error.
pub fn token_code(value: &str) -> Result<Secret, InvalidInput> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "token code",
            "…",
            "must be the 6 digits the MFA device shows",
        ));
    }
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    //! Limits from <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>
    //! (Request Parameters: RoleArn 20–2048, RoleSessionName 2–64 `[\w+=,.@-]*`,
    //! DurationSeconds 900–43200, ExternalId 2–1224 `[\w+=,.@:\/-]*`,
    //! SerialNumber 9–256 `[\w+=/:,.@-]*`, TokenCode 6 digits) and role names
    //! from <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>
    //! (RoleName 1–64 `[\w+=,.@-]+`).
    use super::*;

    #[test]
    fn role_arns() {
        let arn = RoleArn::parse("arn:aws:iam::123456789012:role/path/to/Admin").unwrap();
        assert_eq!(arn.partition(), "aws");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.name(), "Admin");
        let arn = RoleArn::parse("arn:aws-us-gov:iam::123456789012:role/x").unwrap();
        assert_eq!(arn.partition(), "aws-us-gov");
        for bad in [
            "",
            "arn:aws:iam::123456789012:user/alice",
            "arn:aws:sts::123456789012:role/x",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:iam::12345678901:role/x",
            "arn:aws:iam::1234567890123:role/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/bad name",
            "arn:gcp:iam::123456789012:role/x",
            "arn:aws:iam::123456789012",
            "xrn:aws:iam::123456789012:role/x",
        ] {
            assert!(RoleArn::parse(bad).is_err(), "{bad}");
        }
        let long = format!("arn:aws:iam::123456789012:role/{}", "a".repeat(65));
        assert!(RoleArn::parse(&long).is_err());
    }

    #[test]
    fn session_names() {
        assert!(session_name("ab").is_ok());
        assert!(session_name(&"a".repeat(64)).is_ok());
        assert!(session_name("user@example.com,x=1+y.z-w_v").is_ok());
        assert!(session_name("a").is_err());
        assert!(session_name(&"a".repeat(65)).is_err());
        let e = session_name("has space").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid session name `has space`: ` ` is not allowed (only letters, digits and `_+=,.@-`)"
        );
        assert!(session_name("é-accent").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(duration_seconds(900), Ok(900));
        assert_eq!(duration_seconds(43_200), Ok(43_200));
        assert!(duration_seconds(899).is_err());
        assert!(duration_seconds(43_201).is_err());
        assert!(duration_seconds(-1).is_err());
        assert!(duration_seconds(i64::MAX).is_err());
    }

    #[test]
    fn external_ids() {
        assert!(external_id("99").is_ok());
        assert!(external_id("a:b/c=d").is_ok());
        assert!(external_id(&"x".repeat(1224)).is_ok());
        assert!(external_id("9").is_err());
        assert!(external_id(&"x".repeat(1225)).is_err());
        assert!(external_id("no spaces").is_err());
    }

    #[test]
    fn mfa() {
        assert!(mfa_serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(mfa_serial("GAHT12345678").is_ok());
        assert!(mfa_serial("short").is_err());
        assert!(token_code("123456").is_ok());
        let e = token_code("12345x").unwrap_err();
        assert!(!e.to_string().contains("12345x"));
        assert!(token_code("1234567").is_err());
    }
}
