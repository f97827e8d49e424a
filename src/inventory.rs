//! The normalised inventory every later layer reads: accounts, principals,
//! managed policies, identity providers, organization policies and resource
//! policies, indexed by ARN, from any mix of inputs.
//!
//! [`load`] reads the inputs; [`Inventory::policies`] walks every policy
//! document with its kind and owner, so one set of rules checks documents
//! from raw files, snapshots, templates and plans alike.

mod index;
pub mod load;
mod model;
mod walk;

pub use index::Entity;
pub use load::{
    InputSpec, LoadIssue, LoadOptions, LoadOutcome, LoadProblem, Severity, SnapshotManifest, load,
    nested_snapshots,
};
pub use model::*;
pub use walk::{PolicyEntry, PolicyOwner};

use std::collections::HashMap;
use std::sync::Arc;

use crate::policy::{PolicyDocument, PolicyKind};

/// The account id given to entities of a template when no `--account-id`
/// is known: every entity of one template shares it, so same-template
/// references stay consistent, and it matches no real account.
pub const PLACEHOLDER_ACCOUNT_ID: &str = "000000000000";

/// Everything loaded, indexed by ARN.
#[derive(Debug, Default)]
pub struct Inventory {
    accounts: Vec<Account>,
    users: Vec<User>,
    groups: Vec<Group>,
    roles: Vec<Role>,
    instance_profiles: Vec<InstanceProfile>,
    managed_policies: Vec<Arc<ManagedPolicy>>,
    providers: Vec<IdentityProvider>,
    organization: Option<Organization>,
    resource_policies: Vec<ResourcePolicy>,
    documents: Vec<Arc<PolicyDocument>>,
    /// Documents of entities dropped as duplicates, with their kinds: still
    /// linted, never evaluated.
    shadowed: Vec<(Arc<PolicyDocument>, PolicyKind)>,
    role_facts: Vec<index::RoleFacts>,
    credential_facts: Vec<index::CredentialFacts>,
    index: HashMap<Box<str>, Entity>,
    account_index: HashMap<Box<str>, usize>,
    group_names: HashMap<(Box<str>, Box<str>), usize>,
}

impl Inventory {
    /// Accounts (every account any entity lives in, plus the organization's).
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// IAM users.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// IAM groups.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// IAM roles.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Instance profiles.
    pub fn instance_profiles(&self) -> &[InstanceProfile] {
        &self.instance_profiles
    }

    /// Managed policies (each once, however many principals attach it).
    pub fn managed_policies(&self) -> &[Arc<ManagedPolicy>] {
        &self.managed_policies
    }

    /// OIDC and SAML providers, declared or inferred from trust policies.
    pub fn providers(&self) -> &[IdentityProvider] {
        &self.providers
    }

    /// The organization, when an `organization.json` was loaded.
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref()
    }

    /// Resource policies (bucket, key, queue, topic policies, Lambda permissions).
    pub fn resource_policies(&self) -> &[ResourcePolicy] {
        &self.resource_policies
    }

    /// Stand-alone policy documents (plain policy files).
    pub fn documents(&self) -> &[Arc<PolicyDocument>] {
        &self.documents
    }

    /// Whether nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
            && self.groups.is_empty()
            && self.roles.is_empty()
            && self.instance_profiles.is_empty()
            && self.managed_policies.is_empty()
            && self.providers.is_empty()
            && self.organization.is_none()
            && self.resource_policies.is_empty()
            && self.documents.is_empty()
    }

    /// The entity with this exact ARN.
    pub fn get(&self, arn: &str) -> Option<Entity> {
        self.index.get(arn).copied()
    }

    /// The user with this ARN.
    pub fn user(&self, arn: &str) -> Option<&User> {
        match self.get(arn)? {
            Entity::User(i) => self.users.get(i),
            _ => None,
        }
    }

    /// The group with this ARN.
    pub fn group(&self, arn: &str) -> Option<&Group> {
        match self.get(arn)? {
            Entity::Group(i) => self.groups.get(i),
            _ => None,
        }
    }

    /// The role with this ARN.
    pub fn role(&self, arn: &str) -> Option<&Role> {
        match self.get(arn)? {
            Entity::Role(i) => self.roles.get(i),
            _ => None,
        }
    }

    /// The instance profile with this ARN.
    pub fn instance_profile(&self, arn: &str) -> Option<&InstanceProfile> {
        match self.get(arn)? {
            Entity::InstanceProfile(i) => self.instance_profiles.get(i),
            _ => None,
        }
    }

    /// The managed policy with this ARN.
    pub fn managed_policy(&self, arn: &str) -> Option<&Arc<ManagedPolicy>> {
        match self.get(arn)? {
            Entity::ManagedPolicy(i) => self.managed_policies.get(i),
            _ => None,
        }
    }

    /// The identity provider with this ARN.
    pub fn provider(&self, arn: &str) -> Option<&IdentityProvider> {
        match self.get(arn)? {
            Entity::Provider(i) => self.providers.get(i),
            _ => None,
        }
    }

    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.account_index
            .get(id)
            .and_then(|&i| self.accounts.get(i))
    }

    /// The group named `name` in `account_id` (user records name their
    /// groups without path).
    pub fn group_by_name(&self, account_id: &str, name: &str) -> Option<&Group> {
        self.group_names
            .get(&(Box::from(account_id), Box::from(name)))
            .and_then(|&i| self.groups.get(i))
    }

    /// The groups a user belongs to that the inventory holds.
    pub fn user_groups<'a>(&'a self, user: &'a User) -> impl Iterator<Item = &'a Group> + 'a {
        user.groups
            .iter()
            .filter_map(|g| self.group_by_name(&user.common.account_id, g))
    }

    /// The roles an instance profile holds that the inventory knows.
    pub fn profile_roles<'a>(
        &'a self,
        profile: &'a InstanceProfile,
    ) -> impl Iterator<Item = &'a Role> + 'a {
        profile.roles.iter().filter_map(|arn| self.role(arn))
    }

    /// The SCPs or RCPs that apply to an account, level by level as AWS
    /// evaluates them: the root first, then each OU down the path, then
    /// the account itself; each level is `(node id, policies attached there)`.
    /// Empty when no organization is known or the account is not in it.
    pub fn org_policy_levels(
        &self,
        account_id: &str,
        policy_type: OrgPolicyType,
    ) -> Vec<(&str, Vec<&OrgPolicy>)> {
        let (Some(org), Some(account)) = (&self.organization, self.account(account_id)) else {
            return Vec::new();
        };
        if account.org_path.is_empty() {
            return Vec::new();
        }
        account
            .org_path
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(account.id.as_str()))
            .map(|node| {
                let attached = org
                    .policies
                    .iter()
                    .filter(|p| p.policy_type == policy_type && p.targets.iter().any(|t| t == node))
                    .collect();
                (node, attached)
            })
            .collect()
    }
}
