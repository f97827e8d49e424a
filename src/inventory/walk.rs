//! Walking every policy document of an inventory with its kind and owner:
//! what lint runs its rules over.

use std::sync::Arc;

use super::Inventory;
use super::model::*;
use crate::policy::{PolicyDocument, PolicyKind};

/// What holds a policy document.
#[derive(Debug, Clone, Copy)]
pub enum PolicyOwner<'a> {
    /// An inline policy of a user.
    User(&'a User),
    /// An inline policy of a group.
    Group(&'a Group),
    /// A role's trust policy or inline policy.
    Role(&'a Role),
    /// A managed policy's default version.
    ManagedPolicy(&'a ManagedPolicy),
    /// An SCP or RCP.
    Organization(&'a OrgPolicy),
    /// A resource policy.
    Resource(&'a ResourcePolicy),
    /// A stand-alone policy file, or a policy of an entity declared again
    /// after its first declaration (linted, not evaluated).
    File,
}

/// One policy document, what it is used as and what holds it.
#[derive(Debug, Clone, Copy)]
pub struct PolicyEntry<'a> {
    /// The document (its `kind` agrees with [`PolicyEntry::kind`] except for
    /// stand-alone files of no given kind, whose kind here is inferred).
    pub document: &'a Arc<PolicyDocument>,
    /// The kind it is evaluated as.
    pub kind: PolicyKind,
    /// What holds it.
    pub owner: PolicyOwner<'a>,
}

impl Inventory {
    /// Every policy document exactly once: trust and inline policies of
    /// roles, inline policies of users and groups, managed policies (as
    /// boundaries when used only as one), SCPs and RCPs, resource policies
    /// and stand-alone files.
    pub fn policies(&self) -> impl Iterator<Item = PolicyEntry<'_>> + '_ {
        fn entry<'a>(
            document: &'a Arc<PolicyDocument>,
            kind: PolicyKind,
            owner: PolicyOwner<'a>,
        ) -> PolicyEntry<'a> {
            PolicyEntry {
                document,
                kind: document.kind.unwrap_or(kind),
                owner,
            }
        }
        let users = self.users.iter().flat_map(move |u| {
            u.common
                .inline_policies
                .iter()
                .map(move |p| entry(&p.document, PolicyKind::Identity, PolicyOwner::User(u)))
        });
        let groups = self.groups.iter().flat_map(move |g| {
            g.common
                .inline_policies
                .iter()
                .map(move |p| entry(&p.document, PolicyKind::Identity, PolicyOwner::Group(g)))
        });
        let roles =
            self.roles.iter().flat_map(move |r| {
                r.trust_policy
                    .iter()
                    .map(move |d| entry(d, PolicyKind::Trust, PolicyOwner::Role(r)))
                    .chain(r.common.inline_policies.iter().map(move |p| {
                        entry(&p.document, PolicyKind::Identity, PolicyOwner::Role(r))
                    }))
            });
        let managed = self.managed_policies.iter().flat_map(move |m| {
            m.document
                .iter()
                .map(move |d| entry(d, PolicyKind::Identity, PolicyOwner::ManagedPolicy(m)))
        });
        let org = self
            .organization
            .iter()
            .flat_map(|o| o.policies.iter())
            .map(move |p| {
                let kind = match p.policy_type {
                    OrgPolicyType::ServiceControl => PolicyKind::ServiceControl,
                    OrgPolicyType::ResourceControl => PolicyKind::ResourceControl,
                };
                entry(&p.document, kind, PolicyOwner::Organization(p))
            });
        let resources = self
            .resource_policies
            .iter()
            .map(move |p| entry(&p.document, PolicyKind::Resource, PolicyOwner::Resource(p)));
        let files = self.documents.iter().map(|d| PolicyEntry {
            document: d,
            kind: d.effective_kind(),
            owner: PolicyOwner::File,
        });
        let shadowed = self.shadowed.iter().map(|(d, kind)| PolicyEntry {
            document: d,
            kind: d.kind.unwrap_or(*kind),
            owner: PolicyOwner::File,
        });
        users
            .chain(groups)
            .chain(roles)
            .chain(managed)
            .chain(org)
            .chain(resources)
            .chain(files)
            .chain(shadowed)
    }
}
