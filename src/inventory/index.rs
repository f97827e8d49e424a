//! Merging per-file fragments into one inventory, then linking it: managed
//! policies shared by attachment, instance profiles tied to roles, providers
//! inferred from trust policies, accounts placed in their organization.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::model::*;
use super::{Inventory, PLACEHOLDER_ACCOUNT_ID};
use crate::policy::arn::ArnParts;
use crate::policy::{PolicyDocument, PolicyKind, PrincipalSpec, PrincipalType};

/// What an ARN names, with its position in the inventory's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// [`Inventory::users`]
    User(usize),
    /// [`Inventory::groups`]
    Group(usize),
    /// [`Inventory::roles`]
    Role(usize),
    /// [`Inventory::instance_profiles`]
    InstanceProfile(usize),
    /// [`Inventory::managed_policies`]
    ManagedPolicy(usize),
    /// [`Inventory::providers`]
    Provider(usize),
}

/// Facts about a role from a file other than the one declaring it
/// (`list-roles` output), applied when loading finishes.
#[derive(Debug, Clone)]
pub(crate) struct RoleFacts {
    pub arn: String,
    pub max_session_duration: u32,
}

/// A user's credentials from a credential report, applied when loading
/// finishes.
#[derive(Debug, Clone)]
pub(crate) struct CredentialFacts {
    pub arn: String,
    pub access_keys: Vec<AccessKey>,
    pub mfa_active: Option<bool>,
}

/// An entity met twice while merging; the first one is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// Its ARN.
    pub arn: String,
}

impl Inventory {
    pub(crate) fn push_user(&mut self, user: User) -> Result<(), Duplicate> {
        let at = Entity::User(self.users.len());
        self.claim(&user.common.arn, at)?;
        self.users.push(user);
        Ok(())
    }

    pub(crate) fn push_group(&mut self, group: Group) -> Result<(), Duplicate> {
        let at = Entity::Group(self.groups.len());
        self.claim(&group.common.arn, at)?;
        self.groups.push(group);
        Ok(())
    }

    pub(crate) fn push_role(&mut self, role: Role) -> Result<(), Duplicate> {
        let at = Entity::Role(self.roles.len());
        self.claim(&role.common.arn, at)?;
        self.roles.push(role);
        Ok(())
    }

    /// Instance profiles are listed again under every role holding them:
    /// a repeat merges its roles into the first.
    pub(crate) fn push_instance_profile(&mut self, profile: InstanceProfile) {
        if let Some(Entity::InstanceProfile(i)) = self.get(&profile.arn) {
            let existing = &mut self.instance_profiles[i];
            for role in profile.roles {
                if !existing.roles.contains(&role) {
                    existing.roles.push(role);
                }
            }
            return;
        }
        let at = Entity::InstanceProfile(self.instance_profiles.len());
        if self.claim(&profile.arn, at).is_ok() {
            self.instance_profiles.push(profile);
        }
    }

    /// AWS managed policies recur in every account's dump: repeats are
    /// dropped silently, keeping the first.
    pub(crate) fn push_managed_policy(&mut self, policy: ManagedPolicy) {
        let at = Entity::ManagedPolicy(self.managed_policies.len());
        if self.claim(&policy.arn, at).is_ok() {
            self.managed_policies.push(Arc::new(policy));
        }
    }

    pub(crate) fn push_provider(&mut self, provider: IdentityProvider) {
        let at = Entity::Provider(self.providers.len());
        if self.claim(&provider.arn, at).is_ok() {
            self.providers.push(provider);
        }
    }

    pub(crate) fn push_resource_policy(&mut self, policy: ResourcePolicy) {
        self.resource_policies.push(policy);
    }

    pub(crate) fn push_document(&mut self, document: Arc<crate::policy::PolicyDocument>) {
        self.documents.push(document);
    }

    /// The user, group or role `arn` names.
    pub(crate) fn principal_mut(&mut self, arn: &str) -> Option<&mut PrincipalCommon> {
        match self.get(arn)? {
            Entity::User(i) => Some(&mut self.users[i].common),
            Entity::Group(i) => Some(&mut self.groups[i].common),
            Entity::Role(i) => Some(&mut self.roles[i].common),
            _ => None,
        }
    }

    /// Gives each of `targets` (user, group and role ARNs) the inline
    /// policy `name`; a policy none of them is loaded for is kept as a
    /// document of its own, so it is still checked.
    pub(crate) fn push_inline_policy(
        &mut self,
        targets: &[String],
        name: &str,
        document: Arc<PolicyDocument>,
    ) {
        let mut attached = false;
        for target in targets {
            if let Some(common) = self.principal_mut(target) {
                common.inline_policies.push(InlinePolicy {
                    name: name.to_owned(),
                    document: document.clone(),
                });
                attached = true;
            }
        }
        if !attached {
            self.push_document(document);
        }
    }

    pub(crate) fn push_account(&mut self, account: Account) {
        if let Some(&i) = self.account_index.get(account.id.as_str()) {
            let existing = &mut self.accounts[i];
            if existing.name.is_none() {
                existing.name = account.name;
            }
            return;
        }
        self.account_index
            .insert(account.id.as_str().into(), self.accounts.len());
        self.accounts.push(account);
    }

    /// Sets the organization; a second one merges into the first.
    pub(crate) fn set_organization(&mut self, org: Organization) {
        match &mut self.organization {
            None => self.organization = Some(org),
            Some(existing) => {
                existing.id = existing.id.take().or(org.id);
                existing.management_account = existing
                    .management_account
                    .take()
                    .or(org.management_account);
                existing.units.extend(org.units);
                existing.accounts.extend(org.accounts);
                existing.policies.extend(org.policies);
            }
        }
    }

    fn claim(&mut self, arn: &str, at: Entity) -> Result<(), Duplicate> {
        if self.index.contains_key(arn) {
            return Err(Duplicate {
                arn: arn.to_owned(),
            });
        }
        self.index.insert(arn.into(), at);
        Ok(())
    }

    /// Moves everything from `other` into `self`; returns the principals
    /// that were already present (kept as first loaded).
    pub(crate) fn absorb(&mut self, other: Inventory) -> Vec<Duplicate> {
        let mut duplicates = Vec::new();
        let identity = |common: &PrincipalCommon| -> Vec<(Arc<PolicyDocument>, PolicyKind)> {
            common
                .inline_policies
                .iter()
                .map(|p| (Arc::clone(&p.document), PolicyKind::Identity))
                .collect()
        };
        for user in other.users {
            let documents = identity(&user.common);
            if let Err(duplicate) = self.push_user(user) {
                self.shadowed.extend(documents);
                duplicates.push(duplicate);
            }
        }
        for group in other.groups {
            let documents = identity(&group.common);
            if let Err(duplicate) = self.push_group(group) {
                self.shadowed.extend(documents);
                duplicates.push(duplicate);
            }
        }
        for role in other.roles {
            let mut documents = identity(&role.common);
            documents.extend(
                role.trust_policy
                    .iter()
                    .map(|d| (Arc::clone(d), PolicyKind::Trust)),
            );
            if let Err(duplicate) = self.push_role(role) {
                self.shadowed.extend(documents);
                duplicates.push(duplicate);
            }
        }
        self.shadowed.extend(other.shadowed);
        for profile in other.instance_profiles {
            self.push_instance_profile(profile);
        }
        for policy in other.managed_policies {
            let policy = Arc::unwrap_or_clone(policy);
            self.push_managed_policy(policy);
        }
        for provider in other.providers {
            self.push_provider(provider);
        }
        for account in other.accounts {
            self.push_account(account);
        }
        if let Some(org) = other.organization {
            self.set_organization(org);
        }
        self.resource_policies.extend(other.resource_policies);
        self.documents.extend(other.documents);
        self.role_facts.extend(other.role_facts);
        self.credential_facts.extend(other.credential_facts);
        duplicates
    }

    /// Links what refers to what once every input is merged.
    pub(crate) fn finish(&mut self) {
        self.apply_facts();
        self.count_policy_usage();
        self.link_attachments();
        self.link_instance_profiles();
        self.infer_providers();
        self.collect_accounts();
        self.group_names = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                (
                    (
                        g.common.account_id.as_str().into(),
                        g.common.name.as_str().into(),
                    ),
                    i,
                )
            })
            .collect();
    }

    fn apply_facts(&mut self) {
        for fact in std::mem::take(&mut self.role_facts) {
            if let Some(Entity::Role(i)) = self.get(&fact.arn) {
                self.roles[i].max_session_duration = Some(fact.max_session_duration);
            }
        }
        for fact in std::mem::take(&mut self.credential_facts) {
            if let Some(Entity::User(i)) = self.get(&fact.arn) {
                let user = &mut self.users[i];
                user.access_keys = Some(fact.access_keys);
                user.mfa_active = fact.mfa_active.or(user.mfa_active);
            }
        }
    }

    fn count_policy_usage(&mut self) {
        let mut usage: HashMap<&str, PolicyUsage> = HashMap::new();
        let commons = self
            .users
            .iter()
            .map(|u| (&u.common, u.permissions_boundary.as_deref()))
            .chain(self.groups.iter().map(|g| (&g.common, None)))
            .chain(
                self.roles
                    .iter()
                    .map(|r| (&r.common, r.permissions_boundary.as_deref())),
            );
        for (common, boundary) in commons {
            for attached in &common.attached_policies {
                usage.entry(&attached.arn).or_default().attachments += 1;
            }
            if let Some(boundary) = boundary {
                usage.entry(boundary).or_default().boundaries += 1;
            }
        }
        let found: Vec<(usize, PolicyUsage)> = usage
            .into_iter()
            .filter_map(|(arn, u)| match self.index.get(arn) {
                Some(Entity::ManagedPolicy(i)) => Some((*i, u)),
                _ => None,
            })
            .collect();
        for (i, found) in found {
            // Not yet shared: attachments are linked after this.
            let Some(policy) = self.managed_policies.get_mut(i).and_then(Arc::get_mut) else {
                continue;
            };
            policy.usage = found;
            if found.boundaries > 0
                && found.attachments == 0
                && let Some(doc) = policy.document.as_mut().and_then(Arc::get_mut)
            {
                doc.kind = Some(PolicyKind::PermissionBoundary);
            }
        }
    }

    fn link_attachments(&mut self) {
        let index = &self.index;
        let policies = &self.managed_policies;
        let lookup = |arn: &str| match index.get(arn) {
            Some(Entity::ManagedPolicy(i)) => policies.get(*i).cloned(),
            _ => None,
        };
        let commons = self
            .users
            .iter_mut()
            .map(|u| &mut u.common)
            .chain(self.groups.iter_mut().map(|g| &mut g.common))
            .chain(self.roles.iter_mut().map(|r| &mut r.common));
        for common in commons {
            for attached in &mut common.attached_policies {
                attached.policy = lookup(&attached.arn);
            }
        }
    }

    fn link_instance_profiles(&mut self) {
        let mut pairs = Vec::new();
        for profile in &self.instance_profiles {
            for role in &profile.roles {
                pairs.push((role.clone(), profile.arn.clone()));
            }
        }
        for (role_arn, profile_arn) in pairs {
            if let Some(Entity::Role(i)) = self.index.get(role_arn.as_str()).copied() {
                let role = &mut self.roles[i];
                if !role.instance_profiles.contains(&profile_arn) {
                    role.instance_profiles.push(profile_arn);
                }
            }
        }
    }

    fn infer_providers(&mut self) {
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        for role in &self.roles {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            for statement in &trust.parsed.policy.statements {
                let Some(PrincipalSpec::Map(entries)) =
                    statement.principal.as_ref().map(|p| &p.spec)
                else {
                    continue;
                };
                for entry in entries {
                    if entry.principal_type != PrincipalType::Federated {
                        continue;
                    }
                    for item in &entry.items {
                        if item.is_unknown() || self.index.contains_key(item.text.as_str()) {
                            continue;
                        }
                        if let Some(provider) = provider_from_arn(&item.text)
                            && seen.insert(item.text.clone())
                        {
                            found.push(IdentityProvider {
                                declared: role.common.declared.clone(),
                                ..provider
                            });
                        }
                    }
                }
            }
        }
        for provider in found {
            self.push_provider(provider);
        }
    }

    fn collect_accounts(&mut self) {
        let mut ids: Vec<String> = Vec::new();
        ids.extend(self.users.iter().map(|u| u.common.account_id.clone()));
        ids.extend(self.groups.iter().map(|g| g.common.account_id.clone()));
        ids.extend(self.roles.iter().map(|r| r.common.account_id.clone()));
        ids.extend(self.instance_profiles.iter().map(|p| p.account_id.clone()));
        ids.extend(self.providers.iter().map(|p| p.account_id.clone()));
        ids.extend(
            self.managed_policies
                .iter()
                .filter(|p| p.account_id != "aws")
                .map(|p| p.account_id.clone()),
        );
        let mut org_accounts = Vec::new();
        if let Some(org) = &self.organization {
            for account in &org.accounts {
                org_accounts.push(Account {
                    id: account.id.clone(),
                    name: account.name.clone(),
                    org_path: account
                        .ou_path
                        .clone()
                        .unwrap_or_else(|| org_path(org, account.parent.as_deref())),
                });
            }
        }
        for account in org_accounts {
            let path = account.org_path.clone();
            let id = account.id.clone();
            self.push_account(account);
            if let Some(&i) = self.account_index.get(id.as_str()) {
                self.accounts[i].org_path = path;
            }
        }
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if id.is_empty() || self.account_index.contains_key(id.as_str()) {
                continue;
            }
            self.push_account(Account {
                id,
                ..Account::default()
            });
        }
        self.accounts.sort_by(|a, b| a.id.cmp(&b.id));
        self.account_index = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str().into(), i))
            .collect();
    }
}

/// The units from the root down to `parent` (inclusive); stops at a cycle or
/// a unit the organization does not list.
fn org_path(org: &Organization, parent: Option<&str>) -> Vec<String> {
    let mut path = Vec::new();
    let mut next = parent;
    while let Some(id) = next {
        if path.iter().any(|p: &String| p == id) || path.len() > org.units.len() {
            break;
        }
        path.push(id.to_owned());
        next = org
            .units
            .iter()
            .find(|u| u.id == id)
            .and_then(|u| u.parent.as_deref());
    }
    path.reverse();
    path
}

/// An identity provider named by its ARN:
/// `arn:PARTITION:iam::ACCOUNT:oidc-provider/URL` or `…:saml-provider/NAME`.
pub(crate) fn provider_from_arn(arn: &str) -> Option<IdentityProvider> {
    let ArnParts {
        service: "iam",
        region: "",
        account,
        resource,
        ..
    } = ArnParts::split(arn)?
    else {
        return None;
    };
    let (kind, name) = if let Some(name) = resource.strip_prefix("oidc-provider/") {
        (ProviderKind::Oidc, name)
    } else if let Some(name) = resource.strip_prefix("saml-provider/") {
        (ProviderKind::Saml, name)
    } else {
        return None;
    };
    if name.is_empty() || account.is_empty() {
        return None;
    }
    Some(IdentityProvider {
        arn: arn.to_owned(),
        account_id: account.to_owned(),
        kind,
        name: name.to_owned(),
        inferred: true,
        declared: None,
    })
}

/// The account id in an IAM ARN, or the placeholder when there is none.
pub(crate) fn account_of(arn: &str) -> &str {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .unwrap_or(PLACEHOLDER_ACCOUNT_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_arns_are_recognised() {
        let p = provider_from_arn(
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        )
        .unwrap();
        assert_eq!(p.kind, ProviderKind::Oidc);
        assert_eq!(p.name, "token.actions.githubusercontent.com");
        assert_eq!(p.account_id, "111122223333");
        let p = provider_from_arn("arn:aws:iam::111122223333:saml-provider/Okta").unwrap();
        assert_eq!(p.kind, ProviderKind::Saml);
        assert!(provider_from_arn("cognito-identity.amazonaws.com").is_none());
        assert!(provider_from_arn("arn:aws:iam::111122223333:role/x").is_none());
    }

    #[test]
    fn org_path_walks_to_the_root_and_survives_cycles() {
        let unit = |id: &str, parent: Option<&str>| OrgUnit {
            id: id.into(),
            name: id.into(),
            parent: parent.map(Into::into),
        };
        let org = Organization {
            units: vec![
                unit("r-1", None),
                unit("ou-a", Some("r-1")),
                unit("ou-b", Some("ou-a")),
                unit("ou-x", Some("ou-y")),
                unit("ou-y", Some("ou-x")),
            ],
            ..Organization::default()
        };
        assert_eq!(org_path(&org, Some("ou-b")), ["r-1", "ou-a", "ou-b"]);
        assert_eq!(org_path(&org, Some("ou-x")).len(), 2);
        assert!(org_path(&org, None).is_empty());
    }
}
