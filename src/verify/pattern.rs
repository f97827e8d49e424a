//! What the values of an expectations file may be: role and principal
//! patterns (IAM wildcards `*` and `?`, as in policies), exact principals,
//! actions, resources, account ids and role names. Each parser returns the
//! message and the help of its error.

use crate::policy::arn::{ArnContext, PrincipalArn, is_account_id, is_pattern, validate};
use crate::policy::wildcard;

/// A parse error: the message and how to fix it.
pub(crate) type Invalid = (String, &'static str);

/// The segments of an ARN or ARN pattern: partition, service, region,
/// account, resource (the resource keeps its own colons).
fn segments(arn: &str) -> Option<[&str; 5]> {
    let mut parts = arn.strip_prefix("arn:")?.splitn(5, ':');
    Some([
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ])
}

/// The account segment of an ARN or ARN pattern.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    segments(arn).map(|s| s[3])
}

/// The ARN syntax problems of `value`, as one message.
fn arn_syntax(value: &str) -> Result<[&str; 5], Invalid> {
    if let Some(first) = validate(value, ArnContext::Resource).into_iter().next() {
        return Err((
            first.to_string(),
            "write an ARN such as arn:aws:iam::111122223333:role/name (`*` and `?` are wildcards)",
        ));
    }
    segments(value).ok_or_else(|| {
        (
            format!("`{value}` is not an ARN"),
            "write arn:aws:iam::ACCOUNT:role/NAME",
        )
    })
}

/// Whether a resource pattern of an IAM ARN can name an entity of `kind`
/// (`role`, `user`): `role/x`, `role/*`, `ro*`, `*`.
fn can_name(resource: &str, kind: &str) -> bool {
    let literal = &resource[..resource.find(['*', '?']).unwrap_or(resource.len())];
    let prefix = format!("{kind}/");
    if literal.len() >= prefix.len() {
        literal.starts_with(&prefix)
    } else {
        prefix.starts_with(literal) && literal.len() < resource.len()
    }
}

/// A literal account segment that is not an account id.
fn check_account(value: &str, account: &str) -> Result<(), Invalid> {
    if !is_pattern(account) && !is_account_id(account) {
        return Err((
            format!("`{value}` names account `{account}`, which is not a 12-digit account id"),
            "write the account id, or `*` for any account",
        ));
    }
    Ok(())
}

/// Roles named by an ARN or an ARN pattern; `*` is every role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePattern(String);

impl RolePattern {
    /// Parses a role ARN or pattern.
    pub(crate) fn parse(value: &str) -> Result<Self, Invalid> {
        if value == "*" {
            return Ok(Self(value.to_owned()));
        }
        let [_, service, _, account, resource] = arn_syntax(value)?;
        if service != "iam" || !can_name(resource, "role") {
            return Err((
                format!("`{value}` is not a role ARN or pattern"),
                "write arn:aws:iam::ACCOUNT:role/NAME (`*` and `?` are wildcards)",
            ));
        }
        check_account(value, account)?;
        Ok(Self(value.to_owned()))
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it names one role, without wildcards.
    pub fn is_exact(&self) -> bool {
        !is_pattern(&self.0)
    }

    /// Whether it names the role with this ARN.
    pub fn matches(&self, arn: &str) -> bool {
        wildcard::matches(&self.0, arn)
    }

    /// The account, when written without wildcards.
    pub fn account(&self) -> Option<&str> {
        arn_account(&self.0).filter(|a| !is_pattern(a))
    }

    /// The role name, when the resource is `role/…/NAME` without wildcards.
    pub fn name(&self) -> Option<&str> {
        let resource = segments(&self.0)?[4];
        if is_pattern(resource) {
            return None;
        }
        resource.strip_prefix("role/")?.rsplit('/').next()
    }
}

/// Principals named in `cannot_assume`, `only_assumable_by` and the
/// `principal` of `can_perform`/`cannot_perform`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalPattern {
    /// `external`: any principal outside the zone of trust (the accounts
    /// of the inventory and of its organization, and `trusted_accounts`).
    External,
    /// `anyone`: `"Principal": "*"`, anybody at all.
    Anyone,
    /// A 12-digit account id: every principal of the account.
    Account(String),
    /// An IAM or STS ARN, or a pattern over them.
    Arn(String),
    /// A service principal (`ec2.amazonaws.com`), or a pattern over them.
    Service(String),
}

impl PrincipalPattern {
    /// Parses a principal pattern.
    pub(crate) fn parse(value: &str) -> Result<Self, Invalid> {
        const HELP: &str = "write a principal ARN (`*` and `?` are wildcards), a 12-digit account id, a service such as ec2.amazonaws.com, \"external\" or \"anyone\"";
        match value {
            "external" => return Ok(Self::External),
            "anyone" => return Ok(Self::Anyone),
            "*" => {
                return Err((
                    "`*` is ambiguous as a principal here".to_owned(),
                    "write \"anyone\" for `\"Principal\": \"*\"`, or arn:aws:iam::*:* for every principal",
                ));
            }
            _ => {}
        }
        if is_account_id(value) {
            return Ok(Self::Account(value.to_owned()));
        }
        if value.starts_with("arn:") {
            let [_, service, _, account, _] = arn_syntax(value)?;
            if service != "iam" && service != "sts" {
                return Err((format!("`{value}` is not an IAM or STS principal"), HELP));
            }
            check_account(value, account)?;
            if !is_pattern(value) {
                PrincipalArn::parse(value).map_err(|e| (e.to_string(), HELP))?;
            }
            return Ok(Self::Arn(value.to_owned()));
        }
        if value.contains('.')
            && !value.contains([':', '/'])
            && !value.contains(char::is_whitespace)
        {
            return Ok(Self::Service(value.to_owned()));
        }
        Err((format!("`{value}` is not a principal"), HELP))
    }

    /// Parses the principal of `can_perform`/`cannot_perform`: users and
    /// roles by ARN or pattern, or every one of an account.
    pub(crate) fn parse_identity(value: &str) -> Result<Self, Invalid> {
        const HELP: &str = "write a user or role ARN (`*` and `?` are wildcards) or a 12-digit account id: only users and roles carry identity policies";
        match Self::parse(value).map_err(|(m, _)| (m, HELP))? {
            Self::Arn(arn) => {
                let resource = segments(&arn).map_or("", |s| s[4]);
                if !(can_name(resource, "user") || can_name(resource, "role")) {
                    return Err((format!("`{value}` names no user or role"), HELP));
                }
                Ok(Self::Arn(arn))
            }
            account @ Self::Account(_) => Ok(account),
            _ => Err((format!("`{value}` is not a user or role"), HELP)),
        }
    }

    /// Whether it names one principal, without wildcards.
    pub fn is_exact(&self) -> bool {
        matches!(self, Self::Arn(p) | Self::Service(p) if !is_pattern(p))
    }

    /// The pattern as written.
    pub fn text(&self) -> &str {
        match self {
            Self::External => "external",
            Self::Anyone => "anyone",
            Self::Account(a) => a,
            Self::Arn(p) | Self::Service(p) => p,
        }
    }
}

/// One principal of `can_assume`: an ARN, a service or a web identity
/// provider, without wildcards.
pub(crate) fn exact_principal(value: &str) -> Result<String, Invalid> {
    const HELP: &str = "can_assume names one principal: a user or role ARN, a session ARN, a service such as ec2.amazonaws.com, or an OIDC/SAML provider ARN; use cannot_assume or only_assumable_by for patterns";
    if is_pattern(value) {
        return Err((format!("`{value}` is a pattern, not one principal"), HELP));
    }
    if value.starts_with("arn:") {
        PrincipalArn::parse(value).map_err(|e| (e.to_string(), HELP))?;
        return Ok(value.to_owned());
    }
    match PrincipalPattern::parse(value) {
        Ok(PrincipalPattern::Service(s)) => Ok(s),
        _ => Err((format!("`{value}` is not a principal"), HELP)),
    }
}

/// One role ARN.
pub(crate) fn role_arn(value: &str) -> Result<String, Invalid> {
    match PrincipalArn::parse(value) {
        Ok(PrincipalArn::Role { .. }) => Ok(value.to_owned()),
        Ok(_) => Err((
            format!("`{value}` is not a role ARN"),
            "write arn:aws:iam::ACCOUNT:role/NAME",
        )),
        Err(e) => Err((e.to_string(), "write arn:aws:iam::ACCOUNT:role/NAME")),
    }
}

/// One user ARN.
pub(crate) fn user_arn(value: &str) -> Result<String, Invalid> {
    match PrincipalArn::parse(value) {
        Ok(PrincipalArn::User { .. }) => Ok(value.to_owned()),
        Ok(_) => Err((
            format!("`{value}` is not a user ARN"),
            "write arn:aws:iam::ACCOUNT:user/NAME",
        )),
        Err(e) => Err((e.to_string(), "write arn:aws:iam::ACCOUNT:user/NAME")),
    }
}

/// An action (`s3:GetObject`) or a pattern matching some action of the
/// catalog (`s3:Get*`).
pub(crate) fn action(value: &str) -> Result<String, Invalid> {
    const HELP: &str = "write SERVICE:Action, such as s3:GetObject (`*` and `?` are wildcards)";
    let Some((service, name)) = value.split_once(':') else {
        return Err((format!("`{value}` is not an action"), HELP));
    };
    let service_ok = !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?');
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?' || b == b'-');
    if !service_ok || !name_ok {
        return Err((format!("`{value}` is not an action"), HELP));
    }
    if is_pattern(value)
        && let Ok(catalog) = crate::catalog::embedded()
        && !catalog.matches_any(value)
    {
        return Err((
            format!("`{value}` matches no action of the AWS service catalog"),
            "`rolecall rules invalid-action` says which catalog version is embedded",
        ));
    }
    Ok(value.to_owned())
}

/// The resource of a request: `*` or an ARN.
pub(crate) fn resource(value: &str) -> Result<String, Invalid> {
    if value == "*" {
        return Ok(value.to_owned());
    }
    arn_syntax(value)?;
    Ok(value.to_owned())
}

/// An IAM role name: 1 to 64 letters, digits and `+=,.@_-`
/// ("IAM and AWS STS quotas", name requirements).
pub(crate) fn role_name(value: &str) -> Result<String, Invalid> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !ok {
        return Err((
            format!("`{value}` is not a role name"),
            "a role name is 1 to 64 letters, digits and +=,.@_- (no path, no ARN)",
        ));
    }
    Ok(value.to_owned())
}

/// A 12-digit account id.
pub(crate) fn account_id(value: &str) -> Result<String, Invalid> {
    if !is_account_id(value) {
        return Err((
            format!("`{value}` is not a 12-digit account id"),
            "write account ids as strings of 12 digits, such as \"111122223333\"",
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_patterns() {
        for ok in [
            "*",
            "arn:aws:iam::111122223333:role/Admin",
            "arn:aws:iam::*:role/XSOARIntegrationRole",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::111122223333:ro*",
            "arn:aws:iam::1111*:role/a",
        ] {
            assert!(RolePattern::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "arn:aws:iam::111122223333:user/a",
            "arn:aws:s3:::bucket",
            "arn:aws:iam:role/x",
            "arn:aws:iam::12345:role/x",
            "Admin",
        ] {
            assert!(RolePattern::parse(bad).is_err(), "{bad}");
        }
        let p = RolePattern::parse("arn:aws:iam::*:role/ops/Admin").unwrap();
        assert_eq!((p.account(), p.name()), (None, Some("Admin")));
        assert!(p.matches("arn:aws:iam::444455556666:role/ops/Admin"));
        assert!(!p.is_exact());
    }

    #[test]
    fn principal_patterns() {
        assert_eq!(
            PrincipalPattern::parse("external"),
            Ok(PrincipalPattern::External)
        );
        assert_eq!(
            PrincipalPattern::parse("anyone"),
            Ok(PrincipalPattern::Anyone)
        );
        assert!(matches!(
            PrincipalPattern::parse("111122223333"),
            Ok(PrincipalPattern::Account(_))
        ));
        assert!(matches!(
            PrincipalPattern::parse("ec2.amazonaws.com"),
            Ok(PrincipalPattern::Service(_))
        ));
        assert!(matches!(
            PrincipalPattern::parse("arn:aws:sts::111122223333:assumed-role/r/s"),
            Ok(PrincipalPattern::Arn(_))
        ));
        for bad in [
            "*",
            "nobody",
            "arn:aws:s3:::b",
            "arn:aws:iam::111122223333:gizmo/x",
        ] {
            assert!(PrincipalPattern::parse(bad).is_err(), "{bad}");
        }
        assert!(PrincipalPattern::parse_identity("arn:aws:iam::111122223333:user/*").is_ok());
        assert!(PrincipalPattern::parse_identity("ec2.amazonaws.com").is_err());
        assert!(PrincipalPattern::parse_identity("external").is_err());
    }

    #[test]
    fn exact_values() {
        assert!(exact_principal("arn:aws:iam::111122223333:user/a").is_ok());
        assert!(exact_principal("ec2.amazonaws.com").is_ok());
        assert!(exact_principal("arn:aws:iam::111122223333:user/*").is_err());
        assert!(role_arn("arn:aws:iam::111122223333:user/a").is_err());
        assert!(user_arn("arn:aws:iam::111122223333:user/a").is_ok());
        assert!(action("s3:GetObject").is_ok());
        assert!(action("s3:Get*").is_ok());
        assert!(action("s3:Nope*").is_err());
        assert!(action("GetObject").is_err());
        assert!(resource("*").is_ok());
        assert!(resource("arn:aws:s3:::bucket/key").is_ok());
        assert!(resource("bucket").is_err());
        assert!(role_name("XSOARIntegrationRole").is_ok());
        assert!(role_name("ops/Admin").is_err());
        assert!(account_id("111122223333").is_ok());
        assert!(account_id("11112222333").is_err());
    }
}
