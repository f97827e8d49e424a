//! One request to evaluate: who, what, on which resource, in which context.
//!
//! The parts follow "Processing the request context" in "Policy evaluation
//! logic" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-reqcontext).

use super::principal::{Principal, PrincipalError, PrincipalKind};
use super::{ContextValue, RequestContext};
use crate::policy::arn::{Arn, ArnError, is_account_id};

/// Why a request cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum RequestError {
    /// The principal is not usable.
    #[error("invalid principal: {0}")]
    Principal(#[from] PrincipalError),
    /// The action is not `service:Action`.
    #[error(
        "invalid action `{0}`: a request names one action as `service:ActionName`, without wildcards"
    )]
    Action(String),
    /// The resource is neither an ARN nor `*`.
    #[error("invalid resource: {0}")]
    Resource(#[source] ArnError),
    /// `resource_account` is not twelve digits.
    #[error("invalid resource account `{0}`: an account id is twelve digits")]
    ResourceAccount(String),
    /// The resource ARN and `resource_account` disagree.
    #[error("resource account `{given}` differs from the account `{in_arn}` in the resource ARN")]
    ResourceAccountMismatch {
        /// `resource_account` as given.
        given: String,
        /// The account in the ARN.
        in_arn: String,
    },
}

/// The requested action, split and lowercased once (action names compare
/// case-insensitively: "IAM JSON policy elements: Action").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    text: String,
    lower: String,
    colon: usize,
}

impl Action {
    /// Parses `service:ActionName`.
    pub fn parse(text: &str) -> Result<Self, RequestError> {
        let bad = || RequestError::Action(text.to_owned());
        let colon = text.find(':').ok_or_else(bad)?;
        let (service, name) = (&text[..colon], &text[colon + 1..]);
        let valid = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        };
        if !valid(service) || !valid(name) {
            return Err(bad());
        }
        Ok(Self {
            text: text.to_owned(),
            lower: text.to_ascii_lowercase(),
            colon,
        })
    }

    /// As given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The whole action, lowercased.
    pub fn lower(&self) -> &str {
        &self.lower
    }

    /// The service prefix, lowercased.
    pub fn service(&self) -> &str {
        &self.lower[..self.colon]
    }

    /// The action name, lowercased.
    pub fn name(&self) -> &str {
        &self.lower[self.colon + 1..]
    }
}

/// The requested resource: an ARN, or `*` for actions without resource types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `*`.
    Any,
    /// A concrete ARN.
    Arn(Arn),
}

impl Resource {
    /// Parses `*` or an ARN.
    pub fn parse(text: &str) -> Result<Self, RequestError> {
        if text == "*" {
            Ok(Self::Any)
        } else {
            Arn::parse(text)
                .map(Self::Arn)
                .map_err(RequestError::Resource)
        }
    }

    /// As text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Any => "*",
            Self::Arn(arn) => arn.as_str(),
        }
    }
}

/// A request, ready to evaluate many times.
#[derive(Debug, Clone)]
pub struct Request {
    /// Who asks.
    pub principal: Principal,
    /// What.
    pub action: Action,
    /// On what.
    pub resource: Resource,
    /// The account owning the resource, when known.
    pub resource_account: Option<String>,
    /// Whether `resource_account` was given or found in the ARN (`false`:
    /// unknown, so the resource is taken to be in the principal's account).
    pub resource_account_known: bool,
    /// Context keys.
    pub context: RequestContext,
}

/// The request as text, before validation.
#[derive(Debug, Clone, Default)]
pub struct RequestInput<'a> {
    /// `principal`.
    pub principal: &'a str,
    /// `action`.
    pub action: &'a str,
    /// `resource`.
    pub resource: &'a str,
    /// `resource_account`.
    pub resource_account: Option<&'a str>,
}

impl Request {
    /// Validates a request with no context keys but those AWS sets, and
    /// the resource's account taken from its ARN.
    pub fn without_context(
        principal: &str,
        action: &str,
        resource: &str,
    ) -> Result<Self, RequestError> {
        let input = RequestInput {
            principal,
            action,
            resource,
            resource_account: None,
        };
        Self::new(input, RequestContext::new())
    }

    /// Validates a request. Context keys AWS always sets from the principal
    /// and resource (`aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:username`, `aws:PrincipalIsAWSService`,
    /// `aws:PrincipalServiceName`, `aws:ResourceAccount`; "AWS global
    /// condition context keys") are added unless `context` already has them.
    pub fn new(input: RequestInput<'_>, mut context: RequestContext) -> Result<Self, RequestError> {
        let hint = match context.get("aws:PrincipalArn") {
            Some(ContextValue::Single(v)) => Some(v.as_str()),
            _ => None,
        };
        let principal = Principal::parse(input.principal, hint)?;
        let action = Action::parse(input.action)?;
        let resource = Resource::parse(input.resource)?;
        let in_arn = match &resource {
            Resource::Arn(arn) if is_account_id(arn.account()) => Some(arn.account().to_owned()),
            _ => None,
        };
        let resource_account = match (input.resource_account, in_arn) {
            (Some(given), _) if !is_account_id(given) => {
                return Err(RequestError::ResourceAccount(given.to_owned()));
            }
            (Some(given), Some(in_arn)) if given != in_arn => {
                return Err(RequestError::ResourceAccountMismatch {
                    given: given.to_owned(),
                    in_arn,
                });
            }
            (Some(given), _) => Some(given.to_owned()),
            (None, in_arn) => in_arn,
        };
        let resource_account_known = resource_account.is_some();
        add_implied_keys(&mut context, &principal, resource_account.as_deref());
        Ok(Self {
            principal,
            action,
            resource,
            resource_account,
            resource_account_known,
            context,
        })
    }

    /// The account the resource is in: as given or in its ARN, else the
    /// principal's.
    pub fn effective_resource_account(&self) -> Option<&str> {
        self.resource_account
            .as_deref()
            .or_else(|| self.principal.account())
    }
}

/// Adds the principal and resource keys AWS sets on every request.
/// Values per "Principal key values" in "IAM policy elements: Variables and
/// tags" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable).
fn add_implied_keys(
    context: &mut RequestContext,
    principal: &Principal,
    resource_account: Option<&str>,
) {
    let mut set = |key: &str, value: Option<String>| {
        if let Some(value) = value
            && context.get(key).is_none()
        {
            context.insert(key.to_owned(), ContextValue::Single(value));
        }
    };
    set("aws:PrincipalArn", principal.principal_arn());
    set(
        "aws:PrincipalAccount",
        principal.account().map(str::to_owned),
    );
    let principal_type = match principal.kind() {
        PrincipalKind::User => Some("User"),
        PrincipalKind::RoleSession => Some("AssumedRole"),
        PrincipalKind::FederatedUser => Some("FederatedUser"),
        PrincipalKind::Root => Some("Account"),
        PrincipalKind::Anonymous => Some("Anonymous"),
        PrincipalKind::WebIdentity => Some("WebIdentityUser"),
        PrincipalKind::Saml => Some("SAMLUser"),
        PrincipalKind::Service => None,
    };
    set("aws:PrincipalType", principal_type.map(str::to_owned));
    if let Principal::User { name, .. } = principal {
        set("aws:username", Some(name.clone()));
    }
    if let Principal::Root { account } = principal {
        set("aws:userid", Some(account.clone()));
    }
    let is_service = matches!(principal, Principal::Service { .. });
    if !matches!(principal, Principal::Anonymous) {
        set("aws:PrincipalIsAWSService", Some(is_service.to_string()));
    }
    if let Principal::Service { name } = principal {
        set("aws:PrincipalServiceName", Some(name.clone()));
    }
    set("aws:ResourceAccount", resource_account.map(str::to_owned));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(principal: &'a str, action: &'a str, resource: &'a str) -> RequestInput<'a> {
        RequestInput {
            principal,
            action,
            resource,
            resource_account: None,
        }
    }

    #[test]
    fn action_is_split_and_lowercased() {
        let a = Action::parse("S3:GetObject").unwrap();
        assert_eq!(a.service(), "s3");
        assert_eq!(a.name(), "getobject");
        assert_eq!(a.as_str(), "S3:GetObject");
        for bad in ["s3", ":x", "s3:", "s3:Get*", "s3:Get Object"] {
            assert!(Action::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn implied_keys_are_added_unless_given() {
        let mut ctx = RequestContext::new();
        ctx.insert(
            "aws:username".to_owned(),
            ContextValue::Single("given".into()),
        );
        let r = Request::new(
            input(
                "arn:aws:iam::111122223333:user/alice",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            ),
            ctx,
        )
        .unwrap();
        let single = |k: &str| match r.context.get(k) {
            Some(ContextValue::Single(v)) => v.clone(),
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!(single("aws:username"), "given");
        assert_eq!(
            single("AWS:PrincipalArn"),
            "arn:aws:iam::111122223333:user/alice"
        );
        assert_eq!(single("aws:PrincipalType"), "User");
        assert_eq!(single("aws:PrincipalIsAWSService"), "false");
        assert!(r.context.get("aws:ResourceAccount").is_none());
        assert!(!r.resource_account_known);
        assert_eq!(r.effective_resource_account(), Some("111122223333"));
    }

    #[test]
    fn resource_account_from_arn_or_input() {
        let r = Request::new(
            input(
                "111122223333",
                "sts:AssumeRole",
                "arn:aws:iam::444455556666:role/R",
            ),
            RequestContext::new(),
        )
        .unwrap();
        assert_eq!(r.resource_account.as_deref(), Some("444455556666"));
        let mut i = input(
            "111122223333",
            "s3:GetObject",
            "arn:aws:iam::444455556666:role/R",
        );
        i.resource_account = Some("111122223333");
        assert!(matches!(
            Request::new(i, RequestContext::new()),
            Err(RequestError::ResourceAccountMismatch { .. })
        ));
        let mut i = input("111122223333", "s3:GetObject", "*");
        i.resource_account = Some("12");
        assert!(matches!(
            Request::new(i, RequestContext::new()),
            Err(RequestError::ResourceAccount(_))
        ));
    }
}
