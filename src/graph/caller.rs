//! Who makes the request of an edge, and the request itself: the principal,
//! what the inventory says about it (tags, organization) as known context
//! keys, and which other keys stay open for the caller to choose.

use crate::eval::request::{Action, Resource};
use crate::eval::{
    ContextValue, OpenKeys, Principal, Request, RequestContext, RequestError, RequestInput,
};
use crate::inventory::{Inventory, Role, Tag};
use crate::policy::arn::is_account_id;

use super::policies::Policies;
use super::{Node, NodeKind};

/// A caller: a principal of the inventory, or what stands for principals
/// outside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Caller {
    /// [`Inventory::users`] index.
    User(usize),
    /// [`Inventory::roles`] index: a session of the role.
    Role(usize),
    /// A service principal.
    Service(String),
    /// An OIDC or SAML provider (ARN, or a well-known host).
    Provider(String),
    /// A user or role ARN in an account outside the inventory.
    ExternalPrincipal(String),
    /// Some principal of an account outside the inventory.
    ExternalAccount(String),
    /// Anyone at all (`"Principal": "*"`), outside the inventory.
    Anyone,
}

/// `"Principal": {"Federated": …}` values that are SAML providers.
fn is_saml(provider: &str) -> bool {
    provider.contains(":saml-provider/")
}

impl Caller {
    /// The node standing for the caller.
    pub(crate) fn node(&self, inventory: &Inventory) -> Node {
        let node = |id: String, kind, account: Option<String>| Node { id, kind, account };
        match self {
            Self::User(i) => {
                let u = &inventory.users()[*i];
                node(
                    u.common.arn.clone(),
                    NodeKind::User,
                    Some(u.common.account_id.clone()),
                )
            }
            Self::Role(i) => {
                let r = &inventory.roles()[*i];
                node(
                    r.common.arn.clone(),
                    NodeKind::Role,
                    Some(r.common.account_id.clone()),
                )
            }
            Self::Service(name) => node(name.clone(), NodeKind::Service, None),
            Self::Provider(p) => node(
                p.clone(),
                if is_saml(p) {
                    NodeKind::SamlProvider
                } else {
                    NodeKind::OidcProvider
                },
                arn_account(p),
            ),
            Self::ExternalPrincipal(arn) => {
                node(arn.clone(), NodeKind::ExternalPrincipal, arn_account(arn))
            }
            Self::ExternalAccount(id) => node(
                format!("arn:aws:iam::{id}:root"),
                NodeKind::Account,
                Some(id.clone()),
            ),
            Self::Anyone => node("*".into(), NodeKind::Anyone, None),
        }
    }

    /// The STS action this caller uses to assume a role: web identity and
    /// SAML callers have their own ("Requesting temporary security
    /// credentials", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html).
    pub(crate) fn assume_action(&self) -> &'static str {
        match self {
            Self::Provider(p) if is_saml(p) => "sts:AssumeRoleWithSAML",
            Self::Provider(_) => "sts:AssumeRoleWithWebIdentity",
            _ => "sts:AssumeRole",
        }
    }

    /// Whether the caller's own policies are outside the inventory.
    pub(crate) fn is_external(&self) -> bool {
        matches!(
            self,
            Self::ExternalPrincipal(_) | Self::ExternalAccount(_) | Self::Anyone
        )
    }

    /// Whether the caller holds role-session credentials, so that assuming
    /// another role is role chaining.
    pub(crate) fn is_role(&self) -> bool {
        matches!(self, Self::Role(_))
            || matches!(self, Self::ExternalPrincipal(arn) if arn.contains(":role/") || arn.contains(":assumed-role/"))
    }
}

/// The account of an ARN, when it has one.
fn arn_account(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    is_account_id(account).then(|| account.to_owned())
}

fn add_tags(context: &mut RequestContext, prefix: &str, tags: &[Tag]) {
    for tag in tags {
        context.insert(format!("{prefix}{}", tag.key), tag.value.as_str());
    }
}

/// The identity policy standing for the policies of a caller outside the
/// inventory: its own administrators decide, and are taken to allow.
pub(crate) const EXTERNAL_IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity","sts:AssumeRoleWithSAML","sts:TagSession"],"Resource":"*"}]}"#;

/// Builds requests with what the inventory knows.
pub(crate) struct RequestBuilder<'p, 'i> {
    pub policies: &'p Policies<'i>,
}

impl RequestBuilder<'_, '_> {
    /// Adds the organization keys of an account (`aws:PrincipalOrgID`,
    /// `aws:PrincipalOrgPaths`, or their `Resource` counterparts) and closes
    /// them when the inventory knows the account's organization ("AWS
    /// global condition context keys": the paths are
    /// `o-id/r-id/ou-id/…/`).
    fn org_keys(
        &self,
        context: &mut RequestContext,
        open: &mut OpenKeys,
        account: &str,
        id_key: &str,
        paths_key: &str,
    ) {
        let inventory = self.policies.inventory;
        let (Some(org), Some(acct)) = (&self.policies.org, inventory.account(account)) else {
            return;
        };
        if !self.policies.covers(account) {
            return;
        }
        if !acct.org_path.is_empty()
            && let Some(id) = &org.id
        {
            context.insert(id_key, id.as_str());
            let mut path = format!("{id}/");
            for node in &acct.org_path {
                path.push_str(node);
                path.push('/');
            }
            context.insert(paths_key, ContextValue::Multi(vec![path]));
        }
        if org.id.is_some() {
            open.close(id_key);
            open.close(paths_key);
        }
    }

    /// The request of `caller` for `action` on `resource`; `target` is the
    /// role the action is on (its tags and account are known keys).
    /// `context` holds keys given by the user; every other key the
    /// inventory cannot know stays open.
    pub(crate) fn request(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        target: Option<&Role>,
        mut context: RequestContext,
    ) -> Result<(Request, OpenKeys), RequestError> {
        let inventory = self.policies.inventory;
        let mut open = OpenKeys::new();
        if let Some(role) = target {
            add_tags(&mut context, "aws:ResourceTag/", &role.tags);
            open.close_prefix("aws:ResourceTag/");
            self.org_keys(
                &mut context,
                &mut open,
                &role.common.account_id,
                "aws:ResourceOrgID",
                "aws:ResourceOrgPaths",
            );
        }
        let own = |context: &mut RequestContext, open: &mut OpenKeys, account: &str, tags| {
            add_tags(context, "aws:PrincipalTag/", tags);
            open.close_prefix("aws:PrincipalTag/");
            self.org_keys(
                context,
                open,
                account,
                "aws:PrincipalOrgID",
                "aws:PrincipalOrgPaths",
            );
        };
        let principal = match caller {
            Caller::User(i) => {
                let u = &inventory.users()[*i];
                own(&mut context, &mut open, &u.common.account_id, &u.tags);
                u.common.arn.clone()
            }
            Caller::Role(i) => {
                let r = &inventory.roles()[*i];
                own(&mut context, &mut open, &r.common.account_id, &r.tags);
                r.common.arn.clone()
            }
            Caller::Service(name) => format!("service:{name}"),
            Caller::Provider(p) => format!("federated:{p}"),
            Caller::ExternalPrincipal(arn) => arn.clone(),
            Caller::ExternalAccount(id) => {
                // Some principal of the account: only its account is known.
                for key in ["aws:PrincipalArn", "aws:PrincipalType", "aws:username"] {
                    open.reopen(key);
                }
                context.insert("aws:PrincipalAccount", id.as_str());
                context.insert("aws:PrincipalIsAWSService", "false");
                return synthetic(
                    Principal::User {
                        arn: format!("arn:aws:iam::{id}:user/*"),
                        account: id.clone(),
                        name: "*".into(),
                    },
                    action,
                    resource,
                    context,
                    open,
                );
            }
            Caller::Anyone => {
                for key in [
                    "aws:PrincipalArn",
                    "aws:PrincipalAccount",
                    "aws:PrincipalType",
                    "aws:username",
                    "aws:PrincipalIsAWSService",
                    "aws:PrincipalServiceName",
                ] {
                    open.reopen(key);
                }
                return synthetic(
                    Principal::User {
                        arn: "*".into(),
                        account: "*".into(),
                        name: "*".into(),
                    },
                    action,
                    resource,
                    context,
                    open,
                );
            }
        };
        let request = Request::new(
            RequestInput {
                principal: &principal,
                action,
                resource,
                resource_account: None,
            },
            context,
        )?;
        Ok((request, open))
    }
}

/// A request from a principal that stands for several: no `Principal`
/// element names it by ARN, so only `*` and its account (if any) match.
fn synthetic(
    principal: Principal,
    action: &str,
    resource: &str,
    mut context: RequestContext,
    open: OpenKeys,
) -> Result<(Request, OpenKeys), RequestError> {
    let resource = Resource::parse(resource)?;
    let resource_account = match &resource {
        Resource::Arn(arn) if is_account_id(arn.account()) => Some(arn.account().to_owned()),
        _ => None,
    };
    if let Some(account) = &resource_account {
        context.insert("aws:ResourceAccount", account.as_str());
    }
    Ok((
        Request {
            principal,
            action: Action::parse(action)?,
            resource,
            resource_account_known: resource_account.is_some(),
            resource_account,
            context,
        },
        open,
    ))
}
