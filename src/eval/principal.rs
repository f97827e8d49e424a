//! Who makes a request, and how a `Principal` element names them.
//!
//! Principal kinds and ARN formats from "AWS JSON policy elements: Principal"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
//! and "IAM identifiers — IAM ARNs"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).

use serde::Serialize;

use crate::policy::arn::{Arn, ArnError, is_account_id};

/// Why a principal text is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum PrincipalError {
    /// The ARN itself is malformed.
    #[error(transparent)]
    Arn(#[from] ArnError),
    /// An ARN that names no principal (a bucket, a group, a policy …).
    #[error(
        "`{0}` does not name a principal: use a user, role, assumed-role session, federated user or account root ARN"
    )]
    NotAPrincipal(String),
    /// An IAM/STS ARN without an account id.
    #[error("principal ARN `{0}` has no account id")]
    NoAccount(String),
    /// Empty text or a name with a wildcard.
    #[error("`{0}` is not a principal")]
    Unrecognised(String),
}

/// The principal that makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An IAM user: `arn:aws:iam::ACCOUNT:user/path/name`.
    User {
        /// The user ARN.
        arn: String,
        /// Its account.
        account: String,
        /// The friendly name (last path element).
        name: String,
    },
    /// A role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`), or
    /// a session of a role whose session name is not known (given as the
    /// role ARN).
    RoleSession {
        /// The role ARN, with its path when known.
        role_arn: String,
        /// The role's account.
        account: String,
        /// The role name.
        role_name: String,
        /// The session name, when known.
        session_name: Option<String>,
        /// The session ARN, when the session name is known.
        session_arn: Option<String>,
    },
    /// A federated user session from `GetFederationToken`:
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The session ARN.
        arn: String,
        /// Its account.
        account: String,
        /// The caller-given name.
        name: String,
    },
    /// The account root user: `arn:aws:iam::ACCOUNT:root`.
    Root {
        /// The account.
        account: String,
    },
    /// An AWS service principal, e.g. `ec2.amazonaws.com`.
    Service {
        /// The service principal name.
        name: String,
    },
    /// A web identity (OIDC) caller of `AssumeRoleWithWebIdentity`,
    /// identified by its provider.
    WebIdentity {
        /// `accounts.google.com`, `arn:aws:iam::ACCOUNT:oidc-provider/HOST`, …
        provider: String,
    },
    /// A SAML caller of `AssumeRoleWithSAML`, identified by its provider ARN.
    Saml {
        /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
        provider: String,
    },
    /// An unauthenticated caller.
    Anonymous,
}

/// Web identity providers that are named by host rather than by an
/// `oidc-provider` ARN ("Web identity session principals" on the Principal page).
const WELL_KNOWN_WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "cognito-identity.amazonaws.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// The kind of a principal, as the trace and `aws:PrincipalType` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// IAM user.
    User,
    /// Role session.
    RoleSession,
    /// Federated user session.
    FederatedUser,
    /// Account root user.
    Root,
    /// Service principal.
    Service,
    /// Web identity caller.
    WebIdentity,
    /// SAML caller.
    Saml,
    /// Unauthenticated caller.
    Anonymous,
}

impl Principal {
    /// Parses the principal of a request (see `tests/conformance/README.md`
    /// for the accepted forms). `role_arn_hint` is the value of
    /// `aws:PrincipalArn` when the request gives one: for an assumed-role
    /// session it supplies the role ARN with its path.
    pub fn parse(text: &str, role_arn_hint: Option<&str>) -> Result<Self, PrincipalError> {
        let text = text.trim();
        if text.is_empty() || text.contains(['*', '?']) {
            return Err(PrincipalError::Unrecognised(text.to_owned()));
        }
        if text == "anonymous" {
            return Ok(Self::Anonymous);
        }
        if is_account_id(text) {
            return Ok(Self::Root {
                account: text.to_owned(),
            });
        }
        if let Some(name) = text.strip_prefix("service:") {
            return Ok(Self::Service {
                name: name.to_owned(),
            });
        }
        if let Some(provider) = text.strip_prefix("federated:") {
            return Ok(if provider.contains(":saml-provider/") {
                Self::Saml {
                    provider: provider.to_owned(),
                }
            } else {
                Self::WebIdentity {
                    provider: provider.to_owned(),
                }
            });
        }
        if !text.starts_with("arn:") {
            if WELL_KNOWN_WEB_IDENTITY_PROVIDERS.contains(&text) {
                return Ok(Self::WebIdentity {
                    provider: text.to_owned(),
                });
            }
            if text.contains('.') && !text.contains([' ', '/', ':']) {
                return Ok(Self::Service {
                    name: text.to_owned(),
                });
            }
            return Err(PrincipalError::Unrecognised(text.to_owned()));
        }
        let arn = Arn::parse(text)?;
        let account = arn.account().to_owned();
        let resource = arn.resource();
        let not_a_principal = || PrincipalError::NotAPrincipal(text.to_owned());
        if !is_account_id(&account) {
            return Err(PrincipalError::NoAccount(text.to_owned()));
        }
        match arn.service() {
            "iam" => {
                if resource == "root" {
                    return Ok(Self::Root { account });
                }
                let (kind, rest) = resource.split_once('/').ok_or_else(not_a_principal)?;
                let name = rest.rsplit('/').next().unwrap_or(rest);
                if name.is_empty() {
                    return Err(not_a_principal());
                }
                match kind {
                    "user" => Ok(Self::User {
                        arn: text.to_owned(),
                        account,
                        name: name.to_owned(),
                    }),
                    "role" => Ok(Self::RoleSession {
                        role_arn: text.to_owned(),
                        account,
                        role_name: name.to_owned(),
                        session_name: None,
                        session_arn: None,
                    }),
                    "oidc-provider" => Ok(Self::WebIdentity {
                        provider: text.to_owned(),
                    }),
                    "saml-provider" => Ok(Self::Saml {
                        provider: text.to_owned(),
                    }),
                    _ => Err(not_a_principal()),
                }
            }
            "sts" => {
                if let Some(rest) = resource.strip_prefix("assumed-role/") {
                    let (role_name, session) = rest.split_once('/').ok_or_else(not_a_principal)?;
                    if role_name.is_empty() || session.is_empty() || session.contains('/') {
                        return Err(not_a_principal());
                    }
                    let role_arn = match role_arn_hint {
                        Some(hint) if role_hint_fits(hint, &account, role_name) => hint.to_owned(),
                        _ => format!("arn:{}:iam::{account}:role/{role_name}", arn.partition()),
                    };
                    Ok(Self::RoleSession {
                        role_arn,
                        account,
                        role_name: role_name.to_owned(),
                        session_name: Some(session.to_owned()),
                        session_arn: Some(text.to_owned()),
                    })
                } else if let Some(name) = resource.strip_prefix("federated-user/") {
                    if name.is_empty() || name.contains('/') {
                        return Err(not_a_principal());
                    }
                    Ok(Self::FederatedUser {
                        arn: text.to_owned(),
                        account,
                        name: name.to_owned(),
                    })
                } else {
                    Err(not_a_principal())
                }
            }
            _ => Err(not_a_principal()),
        }
    }

    /// The kind.
    pub fn kind(&self) -> PrincipalKind {
        match self {
            Self::User { .. } => PrincipalKind::User,
            Self::RoleSession { .. } => PrincipalKind::RoleSession,
            Self::FederatedUser { .. } => PrincipalKind::FederatedUser,
            Self::Root { .. } => PrincipalKind::Root,
            Self::Service { .. } => PrincipalKind::Service,
            Self::WebIdentity { .. } => PrincipalKind::WebIdentity,
            Self::Saml { .. } => PrincipalKind::Saml,
            Self::Anonymous => PrincipalKind::Anonymous,
        }
    }

    /// The account the principal belongs to; `None` for services, web
    /// identity and SAML callers and anonymous callers.
    pub fn account(&self) -> Option<&str> {
        match self {
            Self::User { account, .. }
            | Self::RoleSession { account, .. }
            | Self::FederatedUser { account, .. }
            | Self::Root { account } => Some(account),
            _ => None,
        }
    }

    /// Whether this is a session principal (role session or federated user):
    /// the only principals session policies apply to.
    pub fn is_session(&self) -> bool {
        matches!(self, Self::RoleSession { .. } | Self::FederatedUser { .. })
    }

    /// Whether identity-based policies and permissions boundaries can be
    /// attached to this principal (users, and roles for their sessions;
    /// federated users carry the policies of the user who federated).
    pub fn has_identity_policies(&self) -> bool {
        matches!(
            self,
            Self::User { .. } | Self::RoleSession { .. } | Self::FederatedUser { .. }
        )
    }

    /// The value AWS puts in `aws:PrincipalArn`: the role ARN for a role
    /// session ("aws:PrincipalArn" in "AWS global condition context keys").
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            Self::User { arn, .. } | Self::FederatedUser { arn, .. } => Some(arn.clone()),
            Self::RoleSession { role_arn, .. } => Some(role_arn.clone()),
            Self::Root { account } => Some(format!("arn:aws:iam::{account}:root")),
            _ => None,
        }
    }

    /// The principal as text: its own ARN, service or provider name.
    pub fn display(&self) -> String {
        match self {
            Self::User { arn, .. } | Self::FederatedUser { arn, .. } => arn.clone(),
            Self::RoleSession {
                session_arn,
                role_arn,
                ..
            } => session_arn.clone().unwrap_or_else(|| role_arn.clone()),
            Self::Root { account } => format!("arn:aws:iam::{account}:root"),
            Self::Service { name } => name.clone(),
            Self::WebIdentity { provider } | Self::Saml { provider } => provider.clone(),
            Self::Anonymous => "anonymous".to_owned(),
        }
    }

    /// How one compiled `Principal` value names this principal, if at all.
    pub(crate) fn matched_by(&self, value: &PrincipalValue) -> Option<Grant> {
        match value {
            PrincipalValue::Everyone => Some(Grant::Direct),
            PrincipalValue::Account(id) => (self.account() == Some(id.as_str())).then_some(Grant::Account),
            PrincipalValue::Arn(arn) => match self {
                Self::User { arn: own, .. } | Self::FederatedUser { arn: own, .. } => {
                    (own == arn).then_some(Grant::Direct)
                }
                Self::RoleSession {
                    role_arn,
                    session_arn,
                    ..
                } => {
                    if session_arn.as_deref() == Some(arn.as_str()) {
                        Some(Grant::Direct)
                    } else if role_arn == arn {
                        Some(Grant::RoleArn)
                    } else {
                        None
                    }
                }
                _ => None,
            },
            PrincipalValue::Service(name) => {
                matches!(self, Self::Service { name: own } if own == name).then_some(Grant::Direct)
            }
            PrincipalValue::Federated(provider) => matches!(
                self,
                Self::WebIdentity { provider: own } | Self::Saml { provider: own } if own == provider
            )
            .then_some(Grant::Direct),
            PrincipalValue::Unmatchable(_) => None,
        }
    }

    /// Whether a `NotPrincipal` list exempts this principal: every identity
    /// AWS may check for it (the account, then the role or user, then the
    /// session) must be listed. From "NotPrincipal with Deny": AWS "might
    /// validate the account first, then the role, and then the assumed-role
    /// user", so naming only the user leaves its account denied.
    pub(crate) fn exempted_by(&self, values: &[PrincipalValue]) -> bool {
        if values.contains(&PrincipalValue::Everyone) {
            return true;
        }
        let account_named = |id: &str| {
            values
                .iter()
                .any(|v| matches!(v, PrincipalValue::Account(a) if a == id))
        };
        let arn_named = |arn: &str| {
            values
                .iter()
                .any(|v| matches!(v, PrincipalValue::Arn(a) if a == arn))
        };
        match self {
            Self::User { arn, account, .. } | Self::FederatedUser { arn, account, .. } => {
                account_named(account) && arn_named(arn)
            }
            Self::RoleSession {
                role_arn,
                account,
                session_arn,
                ..
            } => {
                account_named(account)
                    && arn_named(role_arn)
                    && session_arn.as_deref().is_none_or(arn_named)
            }
            Self::Root { account } => account_named(account),
            Self::Service { name } => values
                .iter()
                .any(|v| matches!(v, PrincipalValue::Service(s) if s == name)),
            Self::WebIdentity { provider } | Self::Saml { provider } => values
                .iter()
                .any(|v| matches!(v, PrincipalValue::Federated(f) if f == provider)),
            Self::Anonymous => false,
        }
    }
}

/// Whether an `aws:PrincipalArn` hint is the ARN of role `name` in `account`.
fn role_hint_fits(hint: &str, account: &str, name: &str) -> bool {
    Arn::parse(hint).is_ok_and(|arn| {
        arn.service() == "iam"
            && arn.account() == account
            && arn
                .resource()
                .strip_prefix("role/")
                .is_some_and(|rest| rest.rsplit('/').next() == Some(name))
    })
}

/// How strongly a resource-based policy statement names the caller; the
/// order is from weakest to strongest.
///
/// From "Determining whether a request is allowed or denied within an
/// account" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-denyallow):
/// a grant to the caller's own user, session or federated-user ARN is not
/// limited by implicit denies elsewhere; a grant to the role ARN is limited
/// by a permissions boundary or session policy; a grant to the account only
/// delegates to the account ("AWS account principals" on the Principal page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// The statement names the caller's account.
    Account,
    /// The statement names the role whose session calls.
    RoleArn,
    /// The statement names the caller itself (or everyone).
    Direct,
}

/// One value of a `Principal`/`NotPrincipal` element, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalValue {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
    Everyone,
    /// An account id or `arn:…:iam::ACCOUNT:root`.
    Account(String),
    /// A user, role, assumed-role session or federated-user ARN (exact).
    Arn(String),
    /// A `Service` value.
    Service(String),
    /// A `Federated` value (provider name or ARN).
    Federated(String),
    /// A value that names nobody a request can carry: a unique id left by a
    /// deleted principal, or a `CanonicalUser`.
    Unmatchable(String),
}

impl PrincipalValue {
    /// Compiles an `AWS` value. Wildcards are only allowed as `*` alone
    /// ("You cannot use a wildcard to match part of a principal name or ARN").
    pub fn aws(text: &str) -> Result<Self, String> {
        if text == "*" {
            return Ok(Self::Everyone);
        }
        if text.contains(['*', '?']) {
            return Err(format!(
                "principal `{text}` uses a wildcard: only `*` alone may name every principal"
            ));
        }
        if is_account_id(text) {
            return Ok(Self::Account(text.to_owned()));
        }
        if text.starts_with("arn:") {
            let arn = Arn::parse(text).map_err(|e| format!("invalid principal: {e}"))?;
            if arn.service() == "iam" && arn.resource() == "root" {
                return Ok(Self::Account(arn.account().to_owned()));
            }
            return Ok(Self::Arn(text.to_owned()));
        }
        if text.len() == 21
            && text.starts_with(['A'])
            && text.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Ok(Self::Unmatchable(text.to_owned()));
        }
        Err(format!(
            "principal `{text}` is neither an account id, an ARN nor `*`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Principal {
        Principal::parse(text, None).unwrap()
    }

    #[test]
    fn parses_every_kind() {
        assert_eq!(
            p("arn:aws:iam::111122223333:user/dev/alice").kind(),
            PrincipalKind::User
        );
        assert_eq!(p("111122223333").kind(), PrincipalKind::Root);
        assert_eq!(
            p("arn:aws:iam::111122223333:root").kind(),
            PrincipalKind::Root
        );
        assert_eq!(p("ec2.amazonaws.com").kind(), PrincipalKind::Service);
        assert_eq!(
            p("cognito-identity.amazonaws.com").kind(),
            PrincipalKind::WebIdentity
        );
        assert_eq!(
            p("service:cognito-identity.amazonaws.com").kind(),
            PrincipalKind::Service
        );
        assert_eq!(
            p("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com").kind(),
            PrincipalKind::WebIdentity
        );
        assert_eq!(
            p("arn:aws:iam::111122223333:saml-provider/Okta").kind(),
            PrincipalKind::Saml
        );
        assert_eq!(p("anonymous").kind(), PrincipalKind::Anonymous);
        assert_eq!(
            p("arn:aws:sts::111122223333:federated-user/bob").kind(),
            PrincipalKind::FederatedUser
        );
    }

    #[test]
    fn session_role_arn_from_hint_keeps_the_path() {
        let s = Principal::parse(
            "arn:aws:sts::111122223333:assumed-role/Admin/alice",
            Some("arn:aws:iam::111122223333:role/ops/Admin"),
        )
        .unwrap();
        let Principal::RoleSession {
            role_arn,
            session_name,
            ..
        } = &s
        else {
            panic!()
        };
        assert_eq!(role_arn, "arn:aws:iam::111122223333:role/ops/Admin");
        assert_eq!(session_name.as_deref(), Some("alice"));
        // A hint for another role is ignored.
        let s = Principal::parse(
            "arn:aws:sts::111122223333:assumed-role/Admin/alice",
            Some("arn:aws:iam::111122223333:role/Other"),
        )
        .unwrap();
        assert_eq!(
            s.principal_arn().unwrap(),
            "arn:aws:iam::111122223333:role/Admin"
        );
    }

    #[test]
    fn rejects_non_principals() {
        for bad in [
            "arn:aws:s3:::bucket",
            "arn:aws:iam::111122223333:group/devs",
            "arn:aws:sts::111122223333:assumed-role/OnlyRole",
            "arn:aws:iam:::user/x",
            "",
            "alice",
            "arn:aws:iam::*:root",
        ] {
            assert!(Principal::parse(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn grants() {
        let session = p("arn:aws:sts::111122223333:assumed-role/R/s");
        let v = |t: &str| PrincipalValue::aws(t).unwrap();
        assert_eq!(session.matched_by(&v("*")), Some(Grant::Direct));
        assert_eq!(session.matched_by(&v("111122223333")), Some(Grant::Account));
        assert_eq!(
            session.matched_by(&v("arn:aws:iam::111122223333:root")),
            Some(Grant::Account)
        );
        assert_eq!(
            session.matched_by(&v("arn:aws:iam::111122223333:role/R")),
            Some(Grant::RoleArn)
        );
        assert_eq!(
            session.matched_by(&v("arn:aws:sts::111122223333:assumed-role/R/s")),
            Some(Grant::Direct)
        );
        assert_eq!(session.matched_by(&v("444455556666")), None);
        assert_eq!(
            p("ec2.amazonaws.com").matched_by(&PrincipalValue::Service("ec2.amazonaws.com".into())),
            Some(Grant::Direct)
        );
        assert_eq!(p("anonymous").matched_by(&v("111122223333")), None);
    }

    #[test]
    fn not_principal_needs_the_whole_chain() {
        let v = |t: &str| PrincipalValue::aws(t).unwrap();
        let bob = p("arn:aws:iam::444455556666:user/Bob");
        assert!(!bob.exempted_by(&[v("arn:aws:iam::444455556666:user/Bob")]));
        assert!(bob.exempted_by(&[
            v("arn:aws:iam::444455556666:user/Bob"),
            v("arn:aws:iam::444455556666:root")
        ]));
        let s = p("arn:aws:sts::444455556666:assumed-role/R/app");
        assert!(!s.exempted_by(&[
            v("arn:aws:sts::444455556666:assumed-role/R/app"),
            v("444455556666")
        ]));
        assert!(s.exempted_by(&[
            v("arn:aws:sts::444455556666:assumed-role/R/app"),
            v("arn:aws:iam::444455556666:role/R"),
            v("444455556666")
        ]));
        assert!(p("anonymous").exempted_by(&[v("*")]));
    }

    #[test]
    fn aws_values() {
        assert!(PrincipalValue::aws("arn:aws:iam::111122223333:role/*").is_err());
        assert!(PrincipalValue::aws("bob").is_err());
        assert_eq!(
            PrincipalValue::aws("AIDACKCEVSQ6C2EXAMPLE").unwrap(),
            PrincipalValue::Unmatchable("AIDACKCEVSQ6C2EXAMPLE".into())
        );
    }
}
