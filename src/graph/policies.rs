//! The inventory's policy documents compiled for the engine, and the policy
//! set of one request: the caller's identity policies, boundary and SCPs,
//! the role's trust policy and RCPs.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::catalog::{Coverage, covers};
use crate::eval::{CompiledPolicy, PolicySet, PolicyType};
use crate::inventory::{AttachedPolicy, Inventory, OrgPolicyType, PrincipalCommon, Role, User};
use crate::policy::{Effect, Origin, PolicyDocument};

use super::Problem;

/// Compiles a document for the engine under `name`. Grammar problems that
/// do not stop evaluation (lint reports them) are not held against it; a
/// statement that cannot be evaluated (a value unknown until deployment, a
/// malformed ARN) is left out and reported, the rest is kept.
pub(crate) fn compile(
    document: &PolicyDocument,
    name: String,
    policy_type: PolicyType,
    problems: &mut Vec<Problem>,
) -> Option<CompiledPolicy> {
    let source = Some(document.origin.document_source().clone());
    let policy = &document.parsed.policy;
    let invalid = match CompiledPolicy::compile(policy, name.clone(), policy_type, source.clone()) {
        Ok(c) => return Some(c),
        Err(invalid) => invalid,
    };
    let messages = invalid
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let bad: Vec<usize> = invalid
        .problems
        .iter()
        .filter_map(|p| {
            policy
                .statements
                .iter()
                .find(|s| s.span.start <= p.span.start && p.span.end <= s.span.end)
                .map(|s| s.index)
        })
        .collect();
    let partial = (bad.len() == invalid.problems.len()).then(|| {
        let mut kept = policy.clone();
        kept.statements.retain(|s| !bad.contains(&s.index));
        CompiledPolicy::compile(&kept, name.clone(), policy_type, source).ok()
    });
    match partial.flatten() {
        Some(c) => {
            let mut labels: Vec<String> = policy
                .statements
                .iter()
                .filter(|s| bad.contains(&s.index))
                .map(|s| s.label())
                .collect();
            labels.dedup();
            problems.push(Problem {
                subject: name,
                message: format!(
                    "statement {} left out, it cannot be evaluated: {messages}",
                    labels.join(", ")
                ),
            });
            Some(c)
        }
        None => {
            problems.push(Problem {
                subject: name,
                message: format!("cannot be evaluated: {messages}"),
            });
            None
        }
    }
}

/// Whether some `Allow` statement of a document may grant `action`
/// (`Resource` and conditions are left to the engine): the cheap filter
/// that keeps implausible pairs away from it.
pub(crate) fn may_allow(document: &PolicyDocument, action: &str) -> bool {
    document.parsed.policy.statements.iter().any(|s| {
        s.effect() == Some(Effect::Allow)
            && s.action
                .as_ref()
                .is_some_and(|a| covers(a, action) != Coverage::NotCovered)
    })
}

/// Where each compiled policy came from, by the name it was compiled under
/// (for `why`, which shows statements in their files).
pub(crate) type Origins = Vec<(String, Origin)>;

/// The organization facts a request context carries.
#[derive(Debug, Clone)]
pub(crate) struct OrgFacts {
    /// `o-…`, when known.
    pub id: Option<String>,
    /// The management account, where SCPs and RCPs do not apply.
    pub management_account: Option<String>,
}

/// The caller's side of a policy set.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallerSide {
    pub identity: Vec<CompiledPolicy>,
    pub boundaries: Vec<CompiledPolicy>,
    pub scps: Vec<Vec<CompiledPolicy>>,
}

impl CallerSide {
    /// The policy set for a request on a role with `trust` and `rcps`.
    pub(crate) fn with_role(
        &self,
        trust: Option<CompiledPolicy>,
        rcps: Vec<Vec<CompiledPolicy>>,
    ) -> PolicySet {
        PolicySet {
            identity: self.identity.clone(),
            resource: trust,
            boundaries: self.boundaries.clone(),
            scps: self.scps.clone(),
            rcps,
            session: None,
        }
    }
}

/// The inventory's policies, compiled once (for the graph) or on demand
/// (for one diagnosis).
pub(crate) struct Policies<'i> {
    pub inventory: &'i Inventory,
    /// Accounts whose principals the inventory holds, once precompiled
    /// (see [`Policies::covers`]).
    covered: HashSet<&'i str>,
    pub org: Option<OrgFacts>,
    /// Managed policies as identity policies, by ARN.
    managed: HashMap<&'i str, Arc<CompiledPolicy>>,
    /// Managed policies as boundaries, by ARN.
    boundaries: HashMap<&'i str, Arc<CompiledPolicy>>,
    /// SCP and RCP levels per account.
    scps: HashMap<&'i str, Vec<Vec<CompiledPolicy>>>,
    rcps: HashMap<&'i str, Vec<Vec<CompiledPolicy>>>,
    /// Managed policies that may grant an action, by (ARN, action).
    grants: HashMap<(&'i str, &'static str), bool>,
    /// What could not be compiled while precompiling.
    pub problems: Vec<Problem>,
}

impl<'i> Policies<'i> {
    /// Indexes the inventory; compiles nothing yet.
    pub(crate) fn new(inventory: &'i Inventory) -> Self {
        let org = inventory.organization().map(|o| OrgFacts {
            id: o.id.clone(),
            management_account: o.management_account.clone(),
        });
        Self {
            inventory,
            covered: HashSet::new(),
            org,
            managed: HashMap::new(),
            boundaries: HashMap::new(),
            scps: HashMap::new(),
            rcps: HashMap::new(),
            grants: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// Indexes the accounts whose principals the inventory holds, so that
    /// [`Policies::covers`] is a lookup (for many diagnoses).
    pub(crate) fn index_accounts(&mut self) {
        let inventory = self.inventory;
        self.covered = inventory
            .users()
            .iter()
            .map(|u| u.common.account_id.as_str())
            .chain(
                inventory
                    .roles()
                    .iter()
                    .map(|r| r.common.account_id.as_str()),
            )
            .chain(
                inventory
                    .groups()
                    .iter()
                    .map(|g| g.common.account_id.as_str()),
            )
            .collect();
    }

    /// Compiles every managed policy, boundary, SCP and RCP level, and
    /// notes which managed policies may grant `actions`.
    pub(crate) fn precompile(&mut self, actions: &[&'static str]) {
        let inventory = self.inventory;
        self.index_accounts();
        let boundary_arns: HashSet<&str> = inventory
            .users()
            .iter()
            .filter_map(|u| u.permissions_boundary.as_deref())
            .chain(
                inventory
                    .roles()
                    .iter()
                    .filter_map(|r| r.permissions_boundary.as_deref()),
            )
            .collect();
        for policy in inventory.managed_policies() {
            let Some(document) = &policy.document else {
                continue;
            };
            for action in actions {
                self.grants
                    .insert((policy.arn.as_str(), action), may_allow(document, action));
            }
            if let Some(c) = compile(
                document,
                policy.arn.clone(),
                PolicyType::Identity,
                &mut self.problems,
            ) {
                self.managed.insert(policy.arn.as_str(), Arc::new(c));
            }
            if boundary_arns.contains(policy.arn.as_str())
                && let Some(c) = compile(
                    document,
                    policy.arn.clone(),
                    PolicyType::Boundary,
                    &mut self.problems,
                )
            {
                self.boundaries.insert(policy.arn.as_str(), Arc::new(c));
            }
        }
        let accounts: Vec<&'i str> = self.covered.iter().copied().collect();
        for account in accounts {
            let mut problems = Vec::new();
            let scps = self.org_levels(account, OrgPolicyType::ServiceControl, &mut problems, None);
            let rcps =
                self.org_levels(account, OrgPolicyType::ResourceControl, &mut problems, None);
            self.scps.insert(account, scps);
            self.rcps.insert(account, rcps);
            self.problems.extend(problems);
        }
        self.problems.sort_by(|a, b| a.subject.cmp(&b.subject));
        self.problems.dedup();
    }

    /// Whether the inventory holds principals of `account` (so that a
    /// principal of it the inventory lacks does not exist). Looked up in
    /// the set [`Policies::precompile`] builds, else by a scan (one
    /// diagnosis asks a few times; a graph asks for every trust).
    pub(crate) fn covers(&self, account: &str) -> bool {
        if !self.covered.is_empty() {
            return self.covered.contains(account);
        }
        let inventory = self.inventory;
        inventory
            .users()
            .iter()
            .any(|u| u.common.account_id == account)
            || inventory
                .roles()
                .iter()
                .any(|r| r.common.account_id == account)
            || inventory
                .groups()
                .iter()
                .any(|g| g.common.account_id == account)
    }

    /// Whether `account` is the organization's management account, where
    /// neither SCPs ("SCPs don't affect users or roles in the management
    /// account", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)
    /// nor RCPs ("RCPs don't affect resources in the management account",
    /// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)
    /// apply.
    pub(crate) fn is_management_account(&self, account: &str) -> bool {
        self.org
            .as_ref()
            .and_then(|o| o.management_account.as_deref())
            == Some(account)
    }

    /// The SCP or RCP levels that apply to an account, compiled.
    fn org_levels(
        &self,
        account: &str,
        policy_type: OrgPolicyType,
        problems: &mut Vec<Problem>,
        mut origins: Option<&mut Origins>,
    ) -> Vec<Vec<CompiledPolicy>> {
        if self.is_management_account(account) {
            return Vec::new();
        }
        let (engine_type, label) = match policy_type {
            OrgPolicyType::ServiceControl => (PolicyType::Scp, "SCP"),
            OrgPolicyType::ResourceControl => (PolicyType::Rcp, "RCP"),
        };
        self.inventory
            .org_policy_levels(account, policy_type)
            .into_iter()
            .map(|(_, policies)| {
                policies
                    .into_iter()
                    .filter_map(|p| {
                        let name = format!("{label} {} ({})", p.name, p.id);
                        if let Some(origins) = origins.as_deref_mut() {
                            origins.push((name.clone(), p.document.origin.clone()));
                        }
                        compile(&p.document, name, engine_type, problems)
                    })
                    .collect()
            })
            .collect()
    }

    /// The SCP levels of a caller's account.
    pub(crate) fn scps(
        &self,
        account: &str,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> Vec<Vec<CompiledPolicy>> {
        match (self.scps.get(account), &origins) {
            (Some(levels), None) => levels.clone(),
            _ => self.org_levels(account, OrgPolicyType::ServiceControl, problems, origins),
        }
    }

    /// The RCP levels of a role's account.
    pub(crate) fn rcps(
        &self,
        account: &str,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> Vec<Vec<CompiledPolicy>> {
        match (self.rcps.get(account), &origins) {
            (Some(levels), None) => levels.clone(),
            _ => self.org_levels(account, OrgPolicyType::ResourceControl, problems, origins),
        }
    }

    /// A role's trust policy, compiled.
    pub(crate) fn trust(
        &self,
        role: &Role,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> Option<CompiledPolicy> {
        let Some(document) = &role.trust_policy else {
            problems.push(Problem {
                subject: role.common.arn.clone(),
                message: "the trust policy is not in the inventory (unknown until deployment or absent from the input)".into(),
            });
            return None;
        };
        let name = format!("{} trust policy", role.common.arn);
        if let Some(origins) = origins {
            origins.push((name.clone(), document.origin.clone()));
        }
        compile(document, name, PolicyType::Resource, problems)
    }

    /// A managed policy attached to a principal, compiled as `policy_type`.
    fn attached(
        &self,
        attached: &AttachedPolicy,
        policy_type: PolicyType,
        owner: &str,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> Option<CompiledPolicy> {
        let cache = match policy_type {
            PolicyType::Boundary => &self.boundaries,
            _ => &self.managed,
        };
        if let (Some(c), None) = (cache.get(&*attached.arn), &origins) {
            return Some(CompiledPolicy::clone(c));
        }
        let found = attached
            .policy
            .clone()
            .or_else(|| self.inventory.managed_policy(&attached.arn).cloned());
        let Some(document) = found.as_ref().and_then(|p| p.document.as_ref()) else {
            problems.push(Problem {
                subject: owner.to_owned(),
                message: format!(
                    "the managed policy `{}` is not in the inventory: evaluated without it",
                    attached.arn
                ),
            });
            return None;
        };
        if let Some(origins) = origins {
            origins.push((attached.arn.to_string(), document.origin.clone()));
        }
        compile(document, attached.arn.to_string(), policy_type, problems)
    }

    /// A principal's inline and attached policies.
    fn own_policies(
        &self,
        common: &PrincipalCommon,
        owner: &str,
        identity: &mut Vec<CompiledPolicy>,
        problems: &mut Vec<Problem>,
        mut origins: Option<&mut Origins>,
    ) {
        for inline in &common.inline_policies {
            let name = format!("{} inline policy {}", common.arn, inline.name);
            if let Some(origins) = origins.as_deref_mut() {
                origins.push((name.clone(), inline.document.origin.clone()));
            }
            identity.extend(compile(
                &inline.document,
                name,
                PolicyType::Identity,
                problems,
            ));
        }
        for attached in &common.attached_policies {
            identity.extend(self.attached(
                attached,
                PolicyType::Identity,
                owner,
                problems,
                origins.as_deref_mut(),
            ));
        }
    }

    /// The permissions boundary of a principal.
    fn boundary(
        &self,
        arn: Option<&str>,
        owner: &str,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> Vec<CompiledPolicy> {
        let Some(arn) = arn else {
            return Vec::new();
        };
        let attached = AttachedPolicy::new(arn);
        match self.attached(&attached, PolicyType::Boundary, owner, problems, origins) {
            Some(c) => vec![c],
            None => Vec::new(),
        }
    }

    /// A user's side: inline, attached and group policies, boundary, SCPs.
    pub(crate) fn user_side(
        &self,
        user: &User,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> CallerSide {
        let groups = self.inventory.user_groups(user).map(|g| &g.common);
        let boundary = user.permissions_boundary.as_deref();
        self.side(&user.common, groups, boundary, problems, origins)
    }

    /// A role's side, for its sessions.
    pub(crate) fn role_side(
        &self,
        role: &Role,
        problems: &mut Vec<Problem>,
        origins: Option<&mut Origins>,
    ) -> CallerSide {
        let boundary = role.permissions_boundary.as_deref();
        self.side(
            &role.common,
            std::iter::empty(),
            boundary,
            problems,
            origins,
        )
    }

    /// A caller's side: its own and its `groups`' inline and attached
    /// policies, its `boundary` and its account's SCPs.
    fn side<'a>(
        &self,
        caller: &'a PrincipalCommon,
        groups: impl Iterator<Item = &'a PrincipalCommon>,
        boundary: Option<&str>,
        problems: &mut Vec<Problem>,
        mut origins: Option<&mut Origins>,
    ) -> CallerSide {
        let owner = caller.arn.as_str();
        let mut identity = Vec::new();
        for holder in std::iter::once(caller).chain(groups) {
            self.own_policies(
                holder,
                owner,
                &mut identity,
                problems,
                origins.as_deref_mut(),
            );
        }
        CallerSide {
            identity,
            boundaries: self.boundary(boundary, owner, problems, origins.as_deref_mut()),
            scps: self.scps(&caller.account_id, problems, origins),
        }
    }

    /// Whether some identity policy of a principal may grant `action`.
    pub(crate) fn principal_may_allow(
        &self,
        common: &PrincipalCommon,
        action: &'static str,
    ) -> bool {
        common
            .inline_policies
            .iter()
            .any(|p| may_allow(&p.document, action))
            || common
                .attached_policies
                .iter()
                .any(|a| match self.grants.get(&(&*a.arn, action)) {
                    Some(grants) => *grants,
                    None => a
                        .policy
                        .as_ref()
                        .and_then(|p| p.document.as_ref())
                        .is_some_and(|d| may_allow(d, action)),
                })
    }

    /// Whether some identity policy of a user (its groups' included) may
    /// grant `action`.
    pub(crate) fn user_may_allow(&self, user: &User, action: &'static str) -> bool {
        self.principal_may_allow(&user.common, action)
            || self
                .inventory
                .user_groups(user)
                .any(|g| self.principal_may_allow(&g.common, action))
    }
}
