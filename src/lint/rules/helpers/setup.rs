//! What the setup rules share.
//!
//! The setup rules (`instance-profile-role-untrusted`,
//! `assume-grant-without-trust`, …) ask the evaluation engine whether a
//! caller can assume a role, with every policy the inventory holds for the
//! pair: the caller's identity policies, permissions boundary and SCPs, the
//! role's trust policy and its account's RCPs. A lint knows who calls, not
//! the rest of the request (external id, MFA, source IP), so conditions on
//! keys that describe the caller are evaluated and the others are taken as
//! satisfiable: an `Allow` is kept without them and a `Deny` that depends on
//! them is dropped. A finding "X cannot assume R" therefore holds for every
//! request X can make. Statements that cannot apply to `sts:AssumeRole`
//! are left out before compiling. See [`Evaluator`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::catalog::{Coverage, covers};
use crate::eval::{
    CompiledPolicy, Conclusion, ContextValue, Decision, Evaluation, PolicySet, PolicyType, Request,
    RequestContext, RequestInput, conclusion, evaluate,
};
use crate::inventory::{
    Declared, Entity, Inventory, OrgPolicyType, PLACEHOLDER_ACCOUNT_ID, PrincipalCommon, Role, Tag,
    User,
};
use crate::lint::RequestedSession;
use crate::policy::arn::ArnParts;
use crate::policy::{
    Effect, Item, Policy, PolicyDocument, PrincipalBlock, PrincipalEntry, PrincipalSpec,
    PrincipalType, Statement, wildcard,
};

/// The action the setup rules reason about.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

/// The service principal of EC2 instance profiles.
pub const EC2_SERVICE: &str = "ec2.amazonaws.com";

/// Condition keys whose values a setup knows for a caller: those AWS sets
/// from the principal and resource on every request, the principal's tags,
/// and its organization when one is loaded ("AWS global condition context
/// keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
#[derive(Debug, Clone)]
pub struct KnownKeys {
    org_id: Option<String>,
}

/// Keys the request always carries (see `eval::request::add_implied_keys`).
const IMPLIED_KEYS: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:username",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:resourceaccount",
];

impl KnownKeys {
    /// The keys known for callers of `inventory`.
    pub fn of(inventory: &Inventory) -> Self {
        Self {
            org_id: inventory.organization().and_then(|o| o.id.clone()),
        }
    }

    /// Whether a condition on `key` can be evaluated.
    pub fn contains(&self, key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        IMPLIED_KEYS.contains(&key.as_str())
            || key.starts_with("aws:principaltag/")
            || (self.org_id.is_some() && key == "aws:principalorgid")
    }

    /// `policy` as the setup rules evaluate it: only the statements that
    /// can apply to `sts:AssumeRole` (the others cannot decide such a
    /// request), with what cannot be known taken as satisfiable — `Allow`
    /// statements lose the condition entries on unknown keys, `Deny`
    /// statements with such an entry are dropped. `None` when nothing
    /// changes.
    pub fn relax(&self, policy: &Policy) -> Option<Policy> {
        let relevant = |s: &Statement| {
            s.action
                .as_ref()
                .is_none_or(|a| covers(a, ASSUME_ROLE) != Coverage::NotCovered)
        };
        let unknown = |s: &Statement| {
            s.condition.as_ref().is_some_and(|c| {
                c.operators
                    .iter()
                    .flat_map(|b| &b.entries)
                    .any(|e| !self.contains(&e.key.value))
            })
        };
        if policy.statements.iter().all(|s| relevant(s) && !unknown(s)) {
            return None;
        }
        let mut relaxed = Policy {
            span: policy.span,
            version: policy.version.clone(),
            id: policy.id.clone(),
            statement_key: policy.statement_key,
            statements: policy
                .statements
                .iter()
                .filter(|s| relevant(s))
                .cloned()
                .collect(),
        };
        relaxed.statements.retain_mut(|s| {
            if !unknown(s) {
                return true;
            }
            if s.effect() == Some(Effect::Deny) {
                return false;
            }
            if let Some(condition) = &mut s.condition {
                for block in &mut condition.operators {
                    block.entries.retain(|e| self.contains(&e.key.value));
                }
                condition.operators.retain(|b| !b.entries.is_empty());
                if condition.operators.is_empty() {
                    s.condition = None;
                }
            }
            true
        });
        Some(relaxed)
    }

    /// Compiles a document relaxed ([`KnownKeys::relax`]); `None` when
    /// evaluation cannot use it.
    pub fn compile(&self, doc: &PolicyDocument, policy_type: PolicyType) -> Option<CompiledPolicy> {
        let policy = &doc.parsed.policy;
        match self.relax(policy) {
            Some(relaxed) => CompiledPolicy::compile(&relaxed, doc.name.clone(), policy_type, None),
            None => CompiledPolicy::compile(policy, doc.name.clone(), policy_type, None),
        }
        .ok()
    }
}

/// A principal that makes requests: an IAM user, or a role (its sessions).
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// A user.
    User(&'a User),
    /// A role.
    Role(&'a Role),
}

impl<'a> Caller<'a> {
    /// Name, ARN, policies.
    pub fn common(self) -> &'a PrincipalCommon {
        match self {
            Self::User(u) => &u.common,
            Self::Role(r) => &r.common,
        }
    }

    /// The ARN.
    pub fn arn(self) -> &'a str {
        &self.common().arn
    }

    /// The account.
    pub fn account(self) -> &'a str {
        &self.common().account_id
    }

    fn tags(self) -> &'a [Tag] {
        match self {
            Self::User(u) => &u.tags,
            Self::Role(r) => &r.tags,
        }
    }

    fn boundary(self) -> Option<&'a str> {
        match self {
            Self::User(u) => u.permissions_boundary.as_deref(),
            Self::Role(r) => r.permissions_boundary.as_deref(),
        }
    }

    /// The caller with this ARN, if the inventory holds it.
    pub fn find(inventory: &'a Inventory, arn: &str) -> Option<Self> {
        match inventory.get(arn)? {
            Entity::User(i) => inventory.users().get(i).map(Self::User),
            Entity::Role(i) => inventory.roles().get(i).map(Self::Role),
            _ => None,
        }
    }

    /// Every user and role of the inventory.
    pub fn all(inventory: &'a Inventory) -> impl Iterator<Item = Caller<'a>> + 'a {
        inventory
            .users()
            .iter()
            .map(Self::User)
            .chain(inventory.roles().iter().map(Self::Role))
    }

    /// The caller's identity-based policy documents (its own, and for a
    /// user its groups'), and whether the inventory holds all of them.
    pub fn identity_documents(
        self,
        inventory: &'a Inventory,
    ) -> (Vec<&'a Arc<PolicyDocument>>, bool) {
        let mut docs = Vec::new();
        let complete = self.visit_identity_documents(inventory, |doc, _| docs.push(doc));
        (docs, complete)
    }

    /// Calls `visit` with each of the caller's identity-based policy
    /// documents (its own, and for a user its groups') and whether it is an
    /// inline policy (managed ones may be shared); returns whether the
    /// inventory holds all of them.
    pub fn visit_identity_documents(
        self,
        inventory: &'a Inventory,
        mut visit: impl FnMut(&'a Arc<PolicyDocument>, bool),
    ) -> bool {
        let mut complete = true;
        let mut add = |common: &'a PrincipalCommon| {
            for inline in &common.inline_policies {
                visit(&inline.document, true);
            }
            for attached in &common.attached_policies {
                match attached.policy.as_ref().and_then(|p| p.document.as_ref()) {
                    Some(doc) => visit(doc, false),
                    None => complete = false,
                }
            }
        };
        add(self.common());
        if let Self::User(user) = self {
            let mut found = 0;
            for group in inventory.user_groups(user) {
                add(&group.common);
                found += 1;
            }
            complete &= found == user.groups.len();
        }
        complete
    }
}

/// A caller's side of an `sts:AssumeRole` request, compiled once and used
/// for every role it may assume.
pub struct CallerSide {
    /// As the request names it.
    principal: String,
    /// Identity policies, boundary and SCP levels (the trust and RCPs are
    /// swapped in per role).
    set: PolicySet,
    /// The keys known about the caller beyond those every request carries.
    context: RequestContext,
    /// Whether every policy of the caller is in the inventory: when not, an
    /// implicit deny may be an unknown policy's doing.
    pub complete: bool,
}

/// Asks the evaluation engine about `sts:AssumeRole` requests between the
/// principals of one inventory, compiling each policy once.
pub struct Evaluator<'a> {
    inventory: &'a Inventory,
    known: KnownKeys,
    /// Per role: `None` until compiled, then the relaxed trust policy if usable.
    trusts: Vec<Option<Option<CompiledPolicy>>>,
    /// Managed policies and boundaries by document address and type.
    managed: HashMap<(usize, PolicyType), Option<CompiledPolicy>>,
    scps: HashMap<&'a str, Vec<Vec<CompiledPolicy>>>,
    rcps: HashMap<&'a str, Vec<Vec<CompiledPolicy>>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over `inventory`.
    pub fn new(inventory: &'a Inventory) -> Self {
        Self {
            inventory,
            known: KnownKeys::of(inventory),
            trusts: vec![None; inventory.roles().len()],
            managed: HashMap::new(),
            scps: HashMap::new(),
            rcps: HashMap::new(),
        }
    }

    /// The caller's side, compiled.
    pub fn caller(&mut self, caller: Caller<'a>) -> CallerSide {
        let (docs, mut complete) = caller.identity_documents(self.inventory);
        let mut identity = Vec::with_capacity(docs.len());
        for doc in docs {
            match self.shared(doc, PolicyType::Identity) {
                Some(p) => identity.push(p),
                None => complete = false,
            }
        }
        let mut boundaries = Vec::new();
        if let Some(arn) = caller.boundary() {
            let doc = self
                .inventory
                .managed_policy(arn)
                .and_then(|p| p.document.as_ref());
            match doc.and_then(|d| self.shared(d, PolicyType::Boundary)) {
                Some(p) => boundaries.push(p),
                None => complete = false,
            }
        }
        let scps = self
            .levels(caller.account(), OrgPolicyType::ServiceControl)
            .clone();
        let mut context = RequestContext::new();
        for tag in caller.tags() {
            context.insert(
                format!("aws:PrincipalTag/{}", tag.key),
                ContextValue::Single(tag.value.clone()),
            );
        }
        if let Some(org) = &self.known.org_id {
            let in_org = self
                .inventory
                .account(caller.account())
                .is_some_and(|a| !a.org_path.is_empty());
            if in_org {
                context.insert("aws:PrincipalOrgID", ContextValue::Single(org.clone()));
            }
        }
        CallerSide {
            principal: caller.arn().to_owned(),
            set: PolicySet {
                identity,
                boundaries,
                scps,
                ..PolicySet::default()
            },
            context,
            complete,
        }
    }

    /// A service principal's side (no identity policies, no SCPs).
    pub fn service(&self, service: &str) -> CallerSide {
        CallerSide {
            principal: service.to_owned(),
            set: PolicySet::default(),
            context: RequestContext::new(),
            complete: true,
        }
    }

    /// How the engine decides `caller` calling `sts:AssumeRole` on the role
    /// at `role` (its index in [`Inventory::roles`]); `None` when the role's
    /// trust policy is unknown or unusable, or the request cannot be made.
    pub fn assume(&mut self, caller: &mut CallerSide, role: usize) -> Option<Conclusion> {
        self.with_request(caller, role, conclusion)
    }

    /// [`Evaluator::assume`] with the statements that decided.
    pub fn explain(&mut self, caller: &mut CallerSide, role: usize) -> Option<Evaluation> {
        self.with_request(caller, role, evaluate)
    }

    fn with_request<T>(
        &mut self,
        caller: &mut CallerSide,
        role: usize,
        decide: impl FnOnce(&PolicySet, &Request) -> T,
    ) -> Option<T> {
        let inventory = self.inventory;
        let target = inventory.roles().get(role)?;
        let trust = self.take_trust(role)?;
        let account = target.common.account_id.as_str();
        self.levels(account, OrgPolicyType::ResourceControl);
        let rcps = self.rcps.get_mut(account).map(std::mem::take);
        caller.set.resource = Some(trust);
        caller.set.rcps = rcps.unwrap_or_default();
        let request = Request::new(
            RequestInput {
                principal: &caller.principal,
                action: ASSUME_ROLE,
                resource: &target.common.arn,
                resource_account: None,
            },
            caller.context.clone(),
        );
        let decided = request.ok().map(|r| decide(&caller.set, &r));
        self.trusts[role] = Some(caller.set.resource.take());
        self.rcps
            .insert(account, std::mem::take(&mut caller.set.rcps));
        decided
    }

    /// The relaxed trust of the role at `role`, taken out of the cache
    /// (put back by [`Evaluator::assume`]).
    fn take_trust(&mut self, role: usize) -> Option<CompiledPolicy> {
        let slot = self.trusts.get_mut(role)?;
        if slot.is_none() {
            let doc = self.inventory.roles().get(role)?.trust_policy.as_ref();
            *slot = Some(doc.and_then(|d| self.known.compile(d, PolicyType::Resource)));
        }
        slot.as_mut().and_then(Option::take)
    }

    fn shared(&mut self, doc: &Arc<PolicyDocument>, t: PolicyType) -> Option<CompiledPolicy> {
        let key = (Arc::as_ptr(doc) as usize, t);
        let known = &self.known;
        self.managed
            .entry(key)
            .or_insert_with(|| known.compile(doc, t))
            .clone()
    }

    /// SCP or RCP levels of an account, compiled (cached).
    fn levels(&mut self, account: &'a str, t: OrgPolicyType) -> &Vec<Vec<CompiledPolicy>> {
        let (cache, policy_type) = match t {
            OrgPolicyType::ServiceControl => (&mut self.scps, PolicyType::Scp),
            OrgPolicyType::ResourceControl => (&mut self.rcps, PolicyType::Rcp),
        };
        let inventory = self.inventory;
        let known = &self.known;
        cache.entry(account).or_insert_with(|| {
            inventory
                .org_policy_levels(account, t)
                .into_iter()
                .map(|(_, policies)| {
                    policies
                        .iter()
                        .filter_map(|p| known.compile(&p.document, policy_type))
                        .collect()
                })
                .collect()
        })
    }
}

/// Whether a decision is an implicit deny for want of the trust policy
/// alone: the caller's own side (identity policies, boundary, SCPs) allows.
pub fn only_trust_lacking(c: &Conclusion) -> bool {
    c.decision == Decision::ImplicitDeny && c.lacking.iter().eq([PolicyType::Resource])
}

/// Whether a decision is an implicit deny although the trust policy allows:
/// the caller's side lacks an `Allow` (its identity policies, boundary or
/// SCPs).
pub fn only_caller_lacking(c: &Conclusion) -> bool {
    c.decision == Decision::ImplicitDeny
        && !c.lacking.is_empty()
        && !c.lacking.contains(PolicyType::Resource)
}

/// `file:line` of a declaration, for messages that name another file.
pub fn declared_at(declared: Option<&Declared>) -> Option<String> {
    let declared = declared?;
    let line = declared.file.line_col(declared.span.start).line;
    Some(format!("{}:{line}", declared.file.name()))
}

/// Accounts whose principals the inventory lists completely: those read
/// from `get-account-authorization-details`, recognised by principals that
/// carry their unique ids (`AIDA…`, `AROA…`), which templates and plans do
/// not know. A principal missing from such an account does not exist.
pub fn listed_accounts(inventory: &Inventory) -> HashSet<&str> {
    Caller::all(inventory)
        .filter(|c| c.common().id.is_some())
        .map(Caller::account)
        .filter(|a| *a != PLACEHOLDER_ACCOUNT_ID)
        .collect()
}

/// Whether two accounts can be compared: the placeholder of an undeployed
/// template stands for an unknown account, equal to none but itself.
pub fn comparable_accounts(a: &str, b: &str) -> bool {
    (a == PLACEHOLDER_ACCOUNT_ID) == (b == PLACEHOLDER_ACCOUNT_ID)
}

/// One statement of an identity policy that allows `sts:AssumeRole`
/// (through any spelling: wildcards, `sts:*`, `NotAction`), with the
/// `Resource` entry it names, if it names one.
#[derive(Debug, Clone, Copy)]
pub struct AssumeGrant<'a> {
    /// The policy.
    pub document: &'a Arc<PolicyDocument>,
    /// The statement.
    pub statement: &'a Statement,
    /// The `Resource` entry and its index; `None` for `NotResource`.
    pub resource: Option<(usize, &'a Item)>,
}

impl AssumeGrant<'_> {
    /// The role ARN this entry names exactly (the account may be a
    /// wildcard): what the grant is meant for, as opposed to a pattern that
    /// covers roles wholesale.
    pub fn named_role(&self) -> Option<&str> {
        let (_, item) = self.resource?;
        let text = item.text.as_str();
        let resource = text.splitn(6, ':').nth(5)?;
        (!item.is_unknown() && resource.starts_with("role/") && !wildcard::has_wildcard(resource))
            .then_some(text)
    }

    /// Whether the grant may cover `role_arn` (`NotResource` always may; the
    /// engine decides).
    pub fn may_cover(&self, role_arn: &str) -> bool {
        match self.resource {
            Some((_, item)) => item.is_unknown() || wildcard::matches(&item.text, role_arn),
            None => true,
        }
    }
}

/// The `sts:AssumeRole` grants of an identity policy document.
pub fn assume_grants(document: &Arc<PolicyDocument>) -> Vec<AssumeGrant<'_>> {
    let mut out = Vec::new();
    for statement in &document.parsed.policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(action) = &statement.action else {
            continue;
        };
        if covers(action, ASSUME_ROLE) == Coverage::NotCovered {
            continue;
        }
        match &statement.resource {
            Some(list) if !list.negated => {
                out.extend(list.items.iter().enumerate().map(|(i, item)| AssumeGrant {
                    document,
                    statement,
                    resource: Some((i, item)),
                }));
            }
            Some(_) => out.push(AssumeGrant {
                document,
                statement,
                resource: None,
            }),
            None => {}
        }
    }
    out
}

/// The `sts:AssumeRole` grants of an inventory's callers.
pub struct GrantIndex<'a> {
    /// Every caller with at least one grant, with its grants.
    pub callers: Vec<(Caller<'a>, Vec<AssumeGrant<'a>>)>,
    /// Accounts with a caller whose policies the inventory does not all
    /// hold: one of them might grant what the others do not.
    pub incomplete_accounts: HashSet<&'a str>,
}

impl<'a> GrantIndex<'a> {
    /// Lists the grants of every user and role, reading each managed
    /// policy once however many principals attach it.
    pub fn of(inventory: &'a Inventory) -> Self {
        let mut shared: HashMap<usize, Vec<AssumeGrant<'a>>> = HashMap::new();
        let mut callers = Vec::new();
        let mut incomplete_accounts = HashSet::new();
        for caller in Caller::all(inventory) {
            let mut grants = Vec::new();
            let complete = caller.visit_identity_documents(inventory, |doc, inline| {
                if inline {
                    grants.extend(assume_grants(doc));
                } else {
                    grants.extend_from_slice(
                        shared
                            .entry(Arc::as_ptr(doc) as usize)
                            .or_insert_with(|| assume_grants(doc)),
                    );
                }
            });
            if !complete {
                incomplete_accounts.insert(caller.account());
            }
            if !grants.is_empty() {
                callers.push((caller, grants));
            }
        }
        Self {
            callers,
            incomplete_accounts,
        }
    }
}

/// One value of a `Principal` element of a trust policy.
#[derive(Debug, Clone, Copy)]
pub struct TrustedPrincipal<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// Its `Principal` element.
    pub block: &'a PrincipalBlock,
    /// The principal type entry.
    pub entry: &'a PrincipalEntry,
    /// The value's index in the entry.
    pub index: usize,
    /// The value.
    pub item: &'a Item,
}

impl TrustedPrincipal<'_> {
    /// The value's path in the document.
    pub fn path(&self) -> String {
        self.entry.item_path(self.block, self.statement, self.index)
    }
}

/// Every value of the `Principal` elements (not `NotPrincipal`) of the
/// statements with `effect`.
pub fn principal_values(
    doc: &PolicyDocument,
    effect: Effect,
) -> impl Iterator<Item = TrustedPrincipal<'_>> {
    doc.parsed
        .policy
        .statements
        .iter()
        .filter(move |s| s.effect() == Some(effect))
        .filter_map(|s| Some((s, s.principal.as_ref().filter(|b| !b.negated)?)))
        .flat_map(|(statement, block)| {
            let entries: &[PrincipalEntry] = match &block.spec {
                PrincipalSpec::Map(entries) => entries,
                PrincipalSpec::Wildcard => &[],
            };
            entries.iter().flat_map(move |entry| {
                entry
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(index, item)| TrustedPrincipal {
                        statement,
                        block,
                        entry,
                        index,
                        item,
                    })
            })
        })
}

/// The statement of `doc` at `index` (as traces number them).
pub fn statement_at(doc: &PolicyDocument, index: usize) -> Option<&Statement> {
    doc.parsed
        .policy
        .statements
        .iter()
        .find(|s| s.index == index)
}

/// The statements of `policy_type` that decided an evaluation, in `doc`.
pub fn deciding_statements<'a>(
    doc: &'a PolicyDocument,
    evaluation: &Evaluation,
    policy_type: PolicyType,
) -> Vec<&'a Statement> {
    evaluation
        .trace
        .deciding
        .iter()
        .filter(|s| s.policy_type == policy_type)
        .filter_map(|s| statement_at(doc, s.index))
        .collect()
}

/// The service principal value naming `service` in an `Allow` statement
/// of a trust policy, if one does (for locating findings).
pub fn trusted_service<'a>(doc: &'a PolicyDocument, service: &str) -> Option<TrustedPrincipal<'a>> {
    principal_values(doc, Effect::Allow).find(|p| {
        p.entry.principal_type == PrincipalType::Service
            && !p.item.is_unknown()
            && p.item.text.eq_ignore_ascii_case(service)
    })
}

/// An IAM principal named by ARN in a policy: its account, `user` or
/// `role`, and its name (without path). Assumed-role session ARNs name
/// their role.
pub fn named_principal(arn: &str) -> Option<(&str, &'static str, &str)> {
    let ArnParts {
        service,
        region: "",
        account,
        resource,
        ..
    } = ArnParts::split(arn)?
    else {
        return None;
    };
    if account.is_empty() || wildcard::has_wildcard(arn) {
        return None;
    }
    let (kind, name) = match service {
        "iam" => {
            let (kind, rest) = resource.split_once('/')?;
            let kind = match kind {
                "user" => "user",
                "role" => "role",
                _ => return None,
            };
            (kind, rest.rsplit('/').next()?)
        }
        "sts" => {
            let rest = resource.strip_prefix("assumed-role/")?;
            ("role", rest.split('/').next()?)
        }
        _ => return None,
    };
    (!name.is_empty()).then_some((account, kind, name))
}

/// The account an `AWS` principal value names as a whole (an account id or
/// its `root` ARN).
pub fn named_account(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    match ArnParts::split(value)? {
        ArnParts {
            service: "iam",
            region: "",
            account,
            resource: "root",
            ..
        } => Some(account),
        _ => None,
    }
}

/// Roles whose ARN matches `pattern` (`*` and `?` wildcards).
pub fn roles_matching<'a>(inventory: &'a Inventory, pattern: &str) -> Vec<&'a Role> {
    if wildcard::has_wildcard(pattern) {
        inventory
            .roles()
            .iter()
            .filter(|r| wildcard::matches(pattern, &r.common.arn))
            .collect()
    } else {
        inventory.role(pattern).into_iter().collect()
    }
}

/// Whether every principal the trust policy of `role` lets assume it is a
/// role (so any session of it is role chaining); `false` when it names
/// none, or anyone else.
pub fn trusted_only_by_roles(role: &Role) -> bool {
    let Some(trust) = &role.trust_policy else {
        return false;
    };
    let mut any = false;
    for p in principal_values(trust, Effect::Allow) {
        if p.statement
            .action
            .as_ref()
            .is_none_or(|a| covers(a, ASSUME_ROLE) == Coverage::NotCovered)
        {
            continue;
        }
        let is_role = p.entry.principal_type == PrincipalType::Aws
            && named_principal(&p.item.text).is_some_and(|(_, kind, _)| kind == "role");
        if !is_role {
            return false;
        }
        any = true;
    }
    any && trust.parsed.policy.statements.iter().all(|s| {
        s.principal
            .as_ref()
            .is_none_or(|b| !b.negated && b.spec != PrincipalSpec::Wildcard)
    })
}

/// Requested sessions grouped by where they are written (an expectations
/// entry requests one duration of several roles), with the roles of each
/// that the inventory holds, in order.
pub fn requested_roles<'a>(
    inventory: &'a Inventory,
    sessions: &'a [RequestedSession],
) -> Vec<(&'a RequestedSession, Vec<&'a Role>)> {
    let mut groups: Vec<(&RequestedSession, Vec<&Role>)> = Vec::new();
    for request in sessions {
        let roles = roles_matching(inventory, &request.role);
        let same = |g: &&mut (&RequestedSession, Vec<&Role>)| {
            Arc::ptr_eq(&g.0.file, &request.file) && g.0.span == request.span
        };
        match groups.iter_mut().find(same) {
            Some(group) => {
                for role in roles {
                    if !group.1.iter().any(|r| std::ptr::eq(*r, role)) {
                        group.1.push(role);
                    }
                }
            }
            None => groups.push((request, roles)),
        }
    }
    groups.retain(|(_, roles)| !roles.is_empty());
    groups
}

/// How messages name `roles`: by name, or by ARN when two share a name
/// (the same role in several accounts).
pub fn role_labels<'a>(roles: &[&'a Role]) -> Vec<&'a str> {
    let names: Vec<&str> = roles.iter().map(|r| r.common.name.as_str()).collect();
    let repeated = names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n));
    if repeated {
        roles.iter().map(|r| r.common.arn.as_str()).collect()
    } else {
        names
    }
}

/// `names` joined for a message: the first few in backticks, then how many
/// more.
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    join_list(&quoted)
}

/// Phrases joined for a message: `a`, `a and b`, `a, b and c`, or the
/// first three and how many more.
pub fn join_list(items: &[String]) -> String {
    const SHOWN: usize = 3;
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() <= SHOWN => format!(
            "{} and {}",
            items[..items.len() - 1].join(", "),
            items[items.len() - 1]
        ),
        _ => format!(
            "{}, and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{InputSpec, LoadOptions, load};
    use crate::policy::parse_policy;

    fn inventory(json: &str) -> Inventory {
        let input = InputSpec::Text {
            name: "dump.json".into(),
            text: json.into(),
        };
        load(&[input], &LoadOptions::default()).inventory
    }

    fn role(name: &str, account: &str, trust: &str, policies: &str) -> String {
        format!(
            r#"{{"Path":"/","RoleName":"{name}","RoleId":"AROA{name}","Arn":"arn:aws:iam::{account}:role/{name}",
            "AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{trust}]}},
            "InstanceProfileList":[],"RolePolicyList":[{policies}],"AttachedManagedPolicies":[],"Tags":[]}}"#
        )
    }

    fn dump(roles: &[String]) -> String {
        format!(
            r#"{{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[{}],"Policies":[]}}"#,
            roles.join(",")
        )
    }

    // Conditions on keys a lint cannot know (an external id) are taken as
    // satisfiable in an Allow; a Deny that depends on one may not apply.
    // Keys describing the caller stay ("aws:PrincipalArn" and the others
    // AWS sets on every request: reference_policies_condition-keys.html).
    #[test]
    fn relaxing_keeps_what_describes_the_caller() {
        let known = KnownKeys { org_id: None };
        let policy = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
                 "Condition":{"StringEquals":{"sts:ExternalId":"x","aws:PrincipalArn":"arn:aws:iam::111122223333:role/a"}}},
                {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
                 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
                {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
                 "Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}},
                {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}"#,
        )
        .unwrap()
        .policy;
        let relaxed = known.relax(&policy).unwrap();
        assert_eq!(relaxed.statements.len(), 2);
        let kept = &relaxed.statements[0].condition.as_ref().unwrap().operators[0].entries;
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].key.value, "aws:PrincipalArn");
        assert!(relaxed.statements[1].condition.is_some());
        assert!(known.contains("AWS:PrincipalTag/team"));
        assert!(!known.contains("aws:PrincipalOrgID"));
        let plain =
            parse_policy(r#"{"Statement":{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}}"#)
                .unwrap()
                .policy;
        assert!(known.relax(&plain).is_none());
    }

    // Cross-account AssumeRole needs both the trust policy and the caller's
    // identity policy ("Cross-account policy evaluation logic",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
    #[test]
    fn evaluator_asks_the_engine_for_both_sides() {
        let inv = inventory(&dump(&[
            role(
                "caller",
                "111122223333",
                r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
                r#"{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:Assume*","Resource":"arn:aws:iam::*:role/target"}}}"#,
            ),
            role(
                "target",
                "444455556666",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/caller"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}"#,
                "",
            ),
            role(
                "other",
                "444455556666",
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#,
                "",
            ),
        ]));
        let mut ev = Evaluator::new(&inv);
        let caller = Caller::find(&inv, "arn:aws:iam::111122223333:role/caller").unwrap();
        let mut side = ev.caller(caller);
        assert!(side.complete);
        let c = ev.assume(&mut side, 1).unwrap();
        assert_eq!(c.decision, Decision::Allowed);
        let c = ev.assume(&mut side, 2).unwrap();
        assert_eq!(c.decision, Decision::ImplicitDeny);
        assert!(c.lacking.contains(PolicyType::Identity));
        assert!(!c.lacking.contains(PolicyType::Resource));
        // Asked again: the cached trust is back in place.
        assert_eq!(ev.assume(&mut side, 1).unwrap().decision, Decision::Allowed);
        let mut ec2 = ev.service(EC2_SERVICE);
        assert_eq!(ev.assume(&mut ec2, 0).unwrap().decision, Decision::Allowed);
        let c = ev.assume(&mut ec2, 1).unwrap();
        assert_eq!(c.decision, Decision::ImplicitDeny);

        let index = GrantIndex::of(&inv);
        assert_eq!(index.callers.len(), 1);
        assert!(index.incomplete_accounts.is_empty());
        let grant = index.callers[0].1[0];
        assert_eq!(grant.named_role(), Some("arn:aws:iam::*:role/target"));
        assert!(grant.may_cover("arn:aws:iam::444455556666:role/target"));
        assert!(!grant.may_cover("arn:aws:iam::444455556666:role/other"));
        assert_eq!(listed_accounts(&inv).len(), 2);
        assert!(trusted_only_by_roles(&inv.roles()[1]));
        assert!(!trusted_only_by_roles(&inv.roles()[0]));
        assert!(!trusted_only_by_roles(&inv.roles()[2]));
    }

    #[test]
    fn principal_arns() {
        assert_eq!(
            named_principal("arn:aws:iam::111122223333:user/path/bob"),
            Some(("111122223333", "user", "bob"))
        );
        assert_eq!(
            named_principal("arn:aws:sts::111122223333:assumed-role/R/s"),
            Some(("111122223333", "role", "R"))
        );
        assert_eq!(named_principal("arn:aws:iam::111122223333:root"), None);
        assert_eq!(named_principal("arn:aws:iam::111122223333:role/*"), None);
        assert_eq!(named_account("111122223333"), Some("111122223333"));
        assert_eq!(
            named_account("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(named_account("arn:aws:iam::111122223333:user/x"), None);
        assert!(comparable_accounts("111122223333", "444455556666"));
        assert!(!comparable_accounts(PLACEHOLDER_ACCOUNT_ID, "444455556666"));
    }

    #[test]
    fn names_are_listed_briefly() {
        assert_eq!(list_names(&["a"]), "`a`");
        assert_eq!(list_names(&["a", "b"]), "`a` and `b`");
        assert_eq!(list_names(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(
            list_names(&["a", "b", "c", "d"]),
            "`a`, `b`, `c`, and 1 more"
        );
    }
}
