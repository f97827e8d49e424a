//! The normalised inventory types: what every loader produces.

use std::sync::Arc;

use crate::policy::PolicyDocument;
use crate::source::{SourceFile, Span};

/// The default `MaxSessionDuration` of a role, in seconds (one hour): what
/// AWS sets when the role's creator does not say.
pub const DEFAULT_MAX_SESSION_DURATION: u32 = 3600;

/// Where an entity was declared: the file and the span of its declaration
/// (a `RoleDetailList` element, a template resource, a plan resource).
#[derive(Debug, Clone)]
pub struct Declared {
    /// The file.
    pub file: Arc<SourceFile>,
    /// The span of the declaration inside it.
    pub span: Span,
}

/// An AWS account and where it sits in its organization.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// The 12-digit account id (or the placeholder of an undeployed template).
    pub id: String,
    /// The account name, when an `organization.json` names it.
    pub name: Option<String>,
    /// The organization units above the account, root first (ids such as
    /// `r-ab12`, `ou-ab12-cdef3456`); empty when no organization is known.
    pub org_path: Vec<String>,
}

/// A `Key`/`Value` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// An inline policy embedded in a user, group or role.
#[derive(Debug, Clone)]
pub struct InlinePolicy {
    /// The policy name (`PolicyName`).
    pub name: String,
    /// The document.
    pub document: Arc<PolicyDocument>,
}

/// A managed policy attached to a principal: its ARN, and the policy itself
/// once the inventory holds it (AWS managed policies are often absent).
#[derive(Debug, Clone)]
pub struct AttachedPolicy {
    /// The policy ARN, or a description when it is unknown until deployment.
    pub arn: Arc<str>,
    /// The policy, shared by every principal it is attached to.
    pub policy: Option<Arc<ManagedPolicy>>,
}

impl AttachedPolicy {
    /// An attachment not yet linked to its policy.
    pub fn new(arn: impl Into<Arc<str>>) -> Self {
        Self {
            arn: arn.into(),
            policy: None,
        }
    }
}

/// An access key of a user (only its presence and status matter here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// `AKIA…`, when known.
    pub id: Option<String>,
    /// `Active` or `Inactive` as given; `None` when the input does not say.
    pub status: Option<String>,
}

impl AccessKey {
    /// Whether the key can be used (AWS's default status is `Active`).
    pub fn is_active(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "Active")
    }
}

/// What a principal's fields have in common.
#[derive(Debug, Clone)]
pub struct PrincipalCommon {
    /// The ARN (the inventory's key).
    pub arn: String,
    /// The account it lives in.
    pub account_id: String,
    /// The friendly name.
    pub name: String,
    /// The IAM path, `/` by default.
    pub path: String,
    /// The unique id (`AIDA…`, `AROA…`, `AGPA…`), when known.
    pub id: Option<String>,
    /// Whether the name is generated at deployment (a template resource
    /// without an explicit name): `name` is then the logical id or address.
    pub generated_name: bool,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policies.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Where it was declared.
    pub declared: Option<Declared>,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    /// Name, ARN, policies.
    pub common: PrincipalCommon,
    /// Names of the groups it belongs to.
    pub groups: Vec<String>,
    /// The permissions boundary's policy ARN.
    pub permissions_boundary: Option<String>,
    /// Access keys; `None` when the input does not say (an
    /// authorization-details dump without a credential report).
    pub access_keys: Option<Vec<AccessKey>>,
    /// MFA device serial numbers / ARNs, when the input lists them.
    pub mfa_devices: Vec<String>,
    /// Whether the user has an MFA device (credential report `mfa_active`);
    /// `None` when the input does not say.
    pub mfa_active: Option<bool>,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl User {
    /// Whether the user is known to hold an active access key.
    pub fn has_active_access_key(&self) -> bool {
        self.access_keys
            .as_ref()
            .is_some_and(|keys| keys.iter().any(AccessKey::is_active))
    }
}

/// An IAM group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Name, ARN, policies.
    pub common: PrincipalCommon,
}

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    /// Name, ARN, policies.
    pub common: PrincipalCommon,
    /// The trust policy (`AssumeRolePolicyDocument`); `None` when unknown
    /// until deployment or absent from the input.
    pub trust_policy: Option<Arc<PolicyDocument>>,
    /// The permissions boundary's policy ARN.
    pub permissions_boundary: Option<String>,
    /// `MaxSessionDuration` in seconds; `None` when the input does not say
    /// (authorization-details output never does; `list-roles` output,
    /// templates and plans do, a template's absent property meaning the
    /// default).
    pub max_session_duration: Option<u32>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// ARNs of the instance profiles holding the role.
    pub instance_profiles: Vec<String>,
}

impl Role {
    /// `MaxSessionDuration`, or AWS's default of one hour when unknown.
    pub fn max_session_duration_or_default(&self) -> u32 {
        self.max_session_duration
            .unwrap_or(DEFAULT_MAX_SESSION_DURATION)
    }
}

/// An EC2 instance profile.
#[derive(Debug, Clone)]
pub struct InstanceProfile {
    /// The ARN.
    pub arn: String,
    /// The account.
    pub account_id: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// ARNs of its roles (at most one in practice).
    pub roles: Vec<String>,
    /// Where it was declared.
    pub declared: Option<Declared>,
}

/// A customer or AWS managed policy, with its default version's document.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// The ARN.
    pub arn: String,
    /// The account (`aws` for AWS managed policies).
    pub account_id: String,
    /// The name.
    pub name: String,
    /// The path.
    pub path: String,
    /// The default version id (`v3`), when known.
    pub default_version: Option<String>,
    /// The default version's document; `None` when unknown until deployment.
    pub document: Option<Arc<PolicyDocument>>,
    /// Where it was declared.
    pub declared: Option<Declared>,
    /// How many principals attach it and how many use it as a boundary
    /// (counted over the loaded inventory when loading finishes).
    pub usage: PolicyUsage,
}

/// How a managed policy is used by the principals of the inventory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyUsage {
    /// Attachments to users, groups and roles.
    pub attachments: u32,
    /// Uses as a permissions boundary.
    pub boundaries: u32,
}

/// The protocol of an identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// OpenID Connect (`oidc-provider/…`).
    Oidc,
    /// SAML 2.0 (`saml-provider/…`).
    Saml,
}

/// An OIDC or SAML identity provider.
#[derive(Debug, Clone)]
pub struct IdentityProvider {
    /// The ARN.
    pub arn: String,
    /// The account.
    pub account_id: String,
    /// OIDC or SAML.
    pub kind: ProviderKind,
    /// The provider's name: the OIDC URL without scheme, or the SAML name.
    pub name: String,
    /// Whether the provider is only known from a trust policy naming it
    /// (authorization-details output does not list providers).
    pub inferred: bool,
    /// Where it was declared (or first named).
    pub declared: Option<Declared>,
}

/// Which organization policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgPolicyType {
    /// `SERVICE_CONTROL_POLICY`
    ServiceControl,
    /// `RESOURCE_CONTROL_POLICY`
    ResourceControl,
}

/// An SCP or RCP and the organization nodes it is attached to.
#[derive(Debug, Clone)]
pub struct OrgPolicy {
    /// The policy id (`p-…`).
    pub id: String,
    /// The name.
    pub name: String,
    /// SCP or RCP.
    pub policy_type: OrgPolicyType,
    /// The document.
    pub document: Arc<PolicyDocument>,
    /// Targets: root ids, OU ids and account ids.
    pub targets: Vec<String>,
}

/// A node of the organization tree: the root or an OU.
#[derive(Debug, Clone)]
pub struct OrgUnit {
    /// `r-…` or `ou-…`.
    pub id: String,
    /// The name.
    pub name: String,
    /// The parent's id; `None` for a root.
    pub parent: Option<String>,
}

/// A member account as the organization lists it.
#[derive(Debug, Clone)]
pub struct OrgAccount {
    /// The account id.
    pub id: String,
    /// The account name.
    pub name: Option<String>,
    /// The id of the root or OU holding it.
    pub parent: Option<String>,
    /// The path from the root down to the account's parent, when the input
    /// gives it whole (else it is walked from `parent`).
    pub ou_path: Option<Vec<String>>,
}

/// The AWS Organizations part of a snapshot.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// The organization id (`o-…`), when given.
    pub id: Option<String>,
    /// The management account id, when given.
    pub management_account: Option<String>,
    /// Roots and OUs.
    pub units: Vec<OrgUnit>,
    /// Member accounts.
    pub accounts: Vec<OrgAccount>,
    /// SCPs and RCPs.
    pub policies: Vec<OrgPolicy>,
}

/// A resource-based policy that is not a trust policy: a bucket policy, a
/// key policy, a queue or topic policy, a Lambda permission.
#[derive(Debug, Clone)]
pub struct ResourcePolicy {
    /// The resource's ARN or, when unknown before deployment, a description.
    pub resource: String,
    /// The resource type as the input names it (`AWS::S3::BucketPolicy`,
    /// `aws_kms_key`, …).
    pub resource_type: String,
    /// The account, when known.
    pub account_id: Option<String>,
    /// The document.
    pub document: Arc<PolicyDocument>,
}
