//! STS calls on the caller's behalf: who am I, AssumeRole, GetSessionToken.

use std::time::{SystemTime, UNIX_EPOCH};

use super::client::Clients;
use super::credentials::{Secret, TemporaryCredentials};
use super::error::LiveError;
use super::validate::{self, InvalidInput, RoleArn};

/// The identity that signs the calls (sts:GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The account id.
    pub account: String,
    /// The principal's ARN (`…:user/alice`, `…:assumed-role/R/session`).
    pub arn: String,
    /// The unique id (`AIDA…`, `AROA…:session`).
    pub user_id: String,
}

impl CallerIdentity {
    /// The partition of the caller's ARN (`aws` when it cannot be told).
    pub fn partition(&self) -> &str {
        self.arn
            .split(':')
            .nth(1)
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }
}

/// An AssumeRole request, checked against AWS's limits.
#[derive(Debug, Clone)]
pub struct AssumeRoleRequest {
    /// The role to assume.
    pub role: RoleArn,
    /// The role session name.
    pub session_name: String,
    /// `DurationSeconds` (AWS's default, one hour, when absent).
    pub duration_seconds: Option<i32>,
    /// `ExternalId`.
    pub external_id: Option<String>,
}

impl AssumeRoleRequest {
    /// Checks every parameter; the session name defaults to
    /// `rolecall-<unix seconds>`.
    pub fn new(
        role: &str,
        session_name: Option<&str>,
        duration_seconds: Option<i64>,
        external_id: Option<&str>,
    ) -> Result<Self, InvalidInput> {
        RequestParams::new(session_name, duration_seconds, external_id)?.request(role)
    }
}

/// AssumeRole's parameters other than the role, checked against AWS's
/// limits: the same for every role a probe asks for.
#[derive(Debug, Clone)]
pub struct RequestParams {
    /// The role session name.
    pub session_name: String,
    /// `DurationSeconds` (AWS's default, one hour, when absent).
    pub duration_seconds: Option<i32>,
    /// `ExternalId`.
    pub external_id: Option<String>,
}

impl RequestParams {
    /// Checks every parameter; the session name defaults to
    /// `rolecall-<unix seconds>`.
    pub fn new(
        session_name: Option<&str>,
        duration_seconds: Option<i64>,
        external_id: Option<&str>,
    ) -> Result<Self, InvalidInput> {
        Ok(Self {
            session_name: match session_name {
                Some(name) => validate::session_name(name)?,
                None => default_session_name(),
            },
            duration_seconds: duration_seconds
                .map(validate::duration_seconds)
                .transpose()?,
            external_id: external_id.map(validate::external_id).transpose()?,
        })
    }

    /// The request for one role (its ARN checked).
    pub fn request(&self, role: &str) -> Result<AssumeRoleRequest, InvalidInput> {
        Ok(AssumeRoleRequest {
            role: RoleArn::parse(role)?,
            session_name: self.session_name.clone(),
            duration_seconds: self.duration_seconds,
            external_id: self.external_id.clone(),
        })
    }
}

/// `rolecall-<unix seconds>`: unique enough to tell sessions apart in CloudTrail.
pub fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("rolecall-{secs}")
}

/// An MFA device and the code it shows now.
#[derive(Debug, Clone)]
pub struct Mfa {
    /// The device's serial number or ARN.
    pub serial: String,
    /// The current code.
    pub token_code: Secret,
}

impl Mfa {
    /// Checks both parts.
    pub fn new(serial: &str, token_code: &str) -> Result<Self, InvalidInput> {
        Ok(Self {
            serial: validate::mfa_serial(serial)?,
            token_code: validate::token_code(token_code)?,
        })
    }
}

/// What AssumeRole returned.
#[derive(Debug, Clone)]
pub struct AssumedRole {
    /// The session's credentials.
    pub credentials: TemporaryCredentials,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
    /// `AROA…:SESSION`.
    pub assumed_role_id: String,
    /// The source identity, when one was set.
    pub source_identity: Option<String>,
}

/// Calls sts:GetCallerIdentity.
pub async fn caller_identity(clients: &Clients) -> Result<CallerIdentity, LiveError> {
    const OP: &str = "sts:GetCallerIdentity";
    let out = clients
        .sts()
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| clients.site().error(OP, e))?;
    Ok(CallerIdentity {
        account: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
        user_id: out.user_id().unwrap_or_default().to_owned(),
    })
}

/// Calls sts:AssumeRole.
pub async fn assume_role(
    clients: &Clients,
    request: &AssumeRoleRequest,
) -> Result<AssumedRole, LiveError> {
    const OP: &str = "sts:AssumeRole";
    let out = clients
        .sts()
        .assume_role()
        .role_arn(request.role.as_str())
        .role_session_name(&request.session_name)
        .set_duration_seconds(request.duration_seconds)
        .set_external_id(request.external_id.clone())
        .send()
        .await
        .map_err(|e| clients.site().error(OP, e))?;
    let (Some(credentials), Some(user)) = (out.credentials(), out.assumed_role_user()) else {
        return Err(LiveError::Other {
            operation: OP,
            detail: "the answer has no credentials".into(),
        });
    };
    Ok(AssumedRole {
        credentials: TemporaryCredentials::from_sts(credentials),
        arn: user.arn().to_owned(),
        assumed_role_id: user.assumed_role_id().to_owned(),
        source_identity: out.source_identity().map(str::to_owned),
    })
}

/// Calls sts:GetSessionToken with an MFA code: credentials that carry
/// `aws:MultiFactorAuthPresent`.
pub async fn session_token(
    clients: &Clients,
    mfa: &Mfa,
) -> Result<TemporaryCredentials, LiveError> {
    const OP: &str = "sts:GetSessionToken";
    let out = clients
        .sts()
        .get_session_token()
        .serial_number(&mfa.serial)
        .token_code(mfa.token_code.expose())
        .send()
        .await
        .map_err(|e| clients.site().error(OP, e))?;
    out.credentials()
        .map(TemporaryCredentials::from_sts)
        .ok_or_else(|| LiveError::Other {
            operation: OP,
            detail: "the answer has no credentials".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_before_any_call() {
        let ok = AssumeRoleRequest::new(
            "arn:aws:iam::123456789012:role/R",
            Some("probe"),
            Some(3600),
            Some("999"),
        )
        .unwrap();
        assert_eq!(ok.duration_seconds, Some(3600));
        assert!(
            AssumeRoleRequest::new("arn:aws:iam::123456789012:role/R", None, Some(60), None)
                .is_err()
        );
        assert!(
            AssumeRoleRequest::new("arn:aws:iam::123456789012:role/R", Some("x"), None, None)
                .is_err()
        );
        assert!(
            AssumeRoleRequest::new("arn:aws:iam::123456789012:role/R", None, None, Some("1"))
                .is_err()
        );
        let default =
            AssumeRoleRequest::new("arn:aws:iam::123456789012:role/R", None, None, None).unwrap();
        assert!(validate::session_name(&default.session_name).is_ok());
    }

    #[test]
    fn caller_partition() {
        let id = CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws-cn:iam::123456789012:user/a".into(),
            user_id: "AIDA".into(),
        };
        assert_eq!(id.partition(), "aws-cn");
    }
}
