//! The decision: AWS's policy evaluation logic over a compiled policy set.
//!
//! Sources, cited again where each rule is applied:
//! * "Policy evaluation logic" and its section "Determining whether a request
//!   is allowed or denied within an account"
//!   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
//!   now also published as "How AWS enforcement code logic evaluates requests
//!   to allow or deny access"
//!   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html);
//! * "Cross-account policy evaluation logic"
//!   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html);
//! * "Permissions boundaries for IAM entities"
//!   (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
//! * "Session policies" in "Policies and permissions in IAM"
//!   (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session);
//! * the STS `AssumeRole` API reference
//!   (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).

use serde::Serialize;

use super::compile::{CompiledPolicy, CompiledStatement, PolicyType};
use super::principal::{Grant, Principal};
use super::request::{Request, Resource};
use crate::policy::Effect;

/// The final answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Some policy allows and nothing denies or withholds.
    Allowed,
    /// A `Deny` statement applies.
    ExplicitDeny,
    /// No `Deny` applies, but a required `Allow` is missing.
    ImplicitDeny,
}

impl Decision {
    /// The name used in JSON and corpus files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::ExplicitDeny => "explicit_deny",
            Self::ImplicitDeny => "implicit_deny",
        }
    }
}

/// Why a request is or is not allowed set in a way that fits every policy
/// set: the rule of the evaluation logic that decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum Reason {
    /// A `Deny` statement applies.
    ExplicitDeny,
    /// An SCP level has no applicable `Allow`.
    ScpLacksAllow {
        /// The level (0 = organization root).
        level: usize,
    },
    /// The root user called `sts:AssumeRole`.
    RootCannotAssumeRole,
    /// The role trust policy (or KMS key policy) does not allow the caller.
    ResourcePolicyRequired,
    /// Cross-account, and the resource-based policy does not allow the caller.
    CrossAccountResourcePolicyLacksAllow,
    /// A caller outside any account (service, web identity, SAML,
    /// anonymous) and no resource-based policy allows it.
    ResourcePolicyLacksAllow,
    /// No identity-based policy allows the request.
    IdentityLacksAllow,
    /// A permissions boundary does not allow the request.
    BoundaryLacksAllow,
    /// The session policy does not allow the request.
    SessionPolicyLacksAllow,
    /// A federated user session without a session policy.
    FederatedUserWithoutSessionPolicy,
    /// The resource-based policy grants the caller itself.
    ResourcePolicyAllowsCaller,
    /// The resource-based policy grants the caller's role, within its
    /// boundary and session policy.
    ResourcePolicyAllowsRole,
    /// Same account: identity-based policies allow, within boundary and
    /// session policy.
    IdentityAllows,
    /// Cross-account: both the resource-based policy and the caller's
    /// identity side allow.
    CrossAccountBothAllow,
    /// The account root user, which has full access in its own account.
    RootUser,
}

impl Reason {
    /// A sentence for humans.
    pub fn message(self) -> String {
        match self {
            Self::ExplicitDeny => "an explicit `Deny` statement applies to the request".into(),
            Self::ScpLacksAllow { level } => format!(
                "no service control policy at level {level} allows the request (every level from the organization root down must allow)"
            ),
            Self::RootCannotAssumeRole => {
                "the account root user cannot call `sts:AssumeRole`".into()
            }
            Self::ResourcePolicyRequired => "the role trust policy (or KMS key policy) does not allow the caller, and it must: an identity-based policy cannot stand in for it".into(),
            Self::CrossAccountResourcePolicyLacksAllow => "the resource is in another account and its resource-based policy does not allow the caller".into(),
            Self::ResourcePolicyLacksAllow => "no resource-based policy allows this caller, which has no identity-based policies".into(),
            Self::IdentityLacksAllow => "no identity-based policy allows the request".into(),
            Self::BoundaryLacksAllow => "the permissions boundary does not allow the request".into(),
            Self::SessionPolicyLacksAllow => "the session policy does not allow the request".into(),
            Self::FederatedUserWithoutSessionPolicy => "a federated user session without a session policy has no permissions from identity-based policies".into(),
            Self::ResourcePolicyAllowsCaller => "the resource-based policy allows the caller directly".into(),
            Self::ResourcePolicyAllowsRole => "the resource-based policy allows the caller's role, and its permissions boundary and session policy do not withhold it".into(),
            Self::IdentityAllows => "an identity-based policy allows the request and nothing withholds it".into(),
            Self::CrossAccountBothAllow => "the resource-based policy allows the caller and so does the caller's own account".into(),
            Self::RootUser => "the account root user has full access in its own account".into(),
        }
    }
}

/// A set of policy types (a small bit set; no allocation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeSet(u8);

impl TypeSet {
    fn bit(t: PolicyType) -> u8 {
        1 << (t as u8)
    }

    /// Adds a type.
    pub fn insert(&mut self, t: PolicyType) {
        self.0 |= Self::bit(t);
    }

    /// Whether it holds `t`.
    pub fn contains(self, t: PolicyType) -> bool {
        self.0 & Self::bit(t) != 0
    }

    /// Whether it is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The types, in evaluation order.
    pub fn iter(self) -> impl Iterator<Item = PolicyType> {
        PolicyType::ALL
            .into_iter()
            .filter(move |t| self.contains(*t))
    }

    fn with(mut self, t: PolicyType) -> Self {
        self.insert(t);
        self
    }
}

impl Serialize for TypeSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Every policy that applies to one request, compiled.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Identity-based policies (inline, managed, group).
    pub identity: Vec<CompiledPolicy>,
    /// The resource-based policy; for `sts:AssumeRole*` the role's trust policy.
    pub resource: Option<CompiledPolicy>,
    /// Permissions boundaries (an entity has at most one; several must all allow).
    pub boundaries: Vec<CompiledPolicy>,
    /// SCPs by level, organization root first.
    pub scps: Vec<Vec<CompiledPolicy>>,
    /// RCPs by level, organization root first (RCPFullAWSAccess is implied
    /// at every level).
    pub rcps: Vec<Vec<CompiledPolicy>>,
    /// The session policy.
    pub session: Option<CompiledPolicy>,
}

/// A policy set that does not fit its principal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum PolicySetError {
    /// Policies of a type the principal cannot have.
    #[error("{what} cannot apply to {principal}: {why}")]
    NotApplicable {
        /// Which policies.
        what: &'static str,
        /// The principal as text.
        principal: String,
        /// Why not.
        why: &'static str,
    },
    /// A context value that a condition cannot read as its operator's type.
    #[error(
        "context value cannot be compared: {message} (in policy `{policy}`, statement {statement})"
    )]
    ContextType {
        /// What is wrong with the value.
        message: String,
        /// The policy holding the condition.
        policy: String,
        /// The statement.
        statement: String,
    },
}

impl PolicySet {
    /// Checks that every policy given can apply to `principal`: only IAM
    /// users and roles (and sessions from them) have identity-based policies
    /// and boundaries ("Policies and the root user": none can be attached to
    /// the root user), and only sessions have session policies.
    pub fn check(&self, principal: &Principal) -> Result<(), PolicySetError> {
        let err = |what, why| {
            Err(PolicySetError::NotApplicable {
                what,
                principal: principal.display(),
                why,
            })
        };
        let identity_why = "only IAM users, roles and their sessions carry identity-based policies";
        if !principal.has_identity_policies() {
            if !self.identity.is_empty() {
                return err("identity-based policies", identity_why);
            }
            if !self.boundaries.is_empty() {
                return err("permissions boundaries", identity_why);
            }
        }
        if self.session.is_some() && !principal.is_session() {
            return err(
                "a session policy",
                "session policies apply to role sessions and federated user sessions only",
            );
        }
        Ok(())
    }

    /// Every policy, in evaluation order.
    pub fn policies(&self) -> impl Iterator<Item = &CompiledPolicy> {
        self.rcps
            .iter()
            .flatten()
            .chain(self.scps.iter().flatten())
            .chain(&self.resource)
            .chain(&self.identity)
            .chain(&self.boundaries)
            .chain(&self.session)
    }

    /// Rejects request context values that a condition compares but cannot
    /// read as its operator's type (an IP address that is not one, a date
    /// that is not one): a malformed request, not a failed condition.
    pub fn check_context(&self, request: &Request) -> Result<(), PolicySetError> {
        for policy in self.policies() {
            for statement in policy.statements.iter() {
                let Some(condition) = &statement.condition else {
                    continue;
                };
                if let Some(e) = condition.check_context(&request.context).first() {
                    return Err(PolicySetError::ContextType {
                        message: e.to_string(),
                        policy: policy.name.clone(),
                        statement: statement.label(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Whether the action needs the resource-based policy itself to allow,
/// whatever identity-based policies say: role trust policies and KMS key
/// policies ("For most resources … IAM role trust policies and KMS key
/// policies are exceptions to this logic, because they must explicitly allow
/// access for principals").
pub(crate) fn requires_resource_policy(request: &Request) -> bool {
    let Resource::Arn(arn) = &request.resource else {
        return false;
    };
    match request.action.service() {
        "sts" => {
            arn.service() == "iam"
                && arn.resource().starts_with("role/")
                && matches!(
                    request.action.name(),
                    "assumerole"
                        | "assumerolewithsaml"
                        | "assumerolewithwebidentity"
                        | "tagsession"
                        | "setsourceidentity"
                        | "setcontext"
                )
        }
        "kms" => arn.service() == "kms" && arn.resource().starts_with("key/"),
        _ => false,
    }
}

/// How the principal and resource accounts relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Principal and resource in one account.
    SameAccount,
    /// Different accounts.
    CrossAccount,
    /// The principal belongs to no account (service, web identity, SAML, anonymous).
    NoAccount,
}

/// Whether SCPs apply to a principal: they limit principals in member
/// accounts, root users included, and nobody else.
pub(crate) fn scps_apply(principal: &Principal) -> bool {
    principal.account().is_some()
}

/// What one policy type contributed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Summary {
    /// Some applicable `Deny`.
    pub(crate) deny: bool,
    /// The strongest applicable `Allow` (for resource-based policies, how it
    /// names the caller).
    pub(crate) allow: Option<Grant>,
}

impl Summary {
    fn merge(&mut self, other: Summary) {
        self.deny |= other.deny;
        self.allow = self.allow.max(other.allow);
    }
}

/// Sees every statement checked; the trace records them, the fast path
/// only matches.
pub(crate) trait Observer<'p> {
    /// Whether to check every statement (traces) instead of stopping at the
    /// first explicit deny.
    const EXHAUSTIVE: bool;

    /// Checks one statement and returns how it applies, if it does.
    fn check(
        &mut self,
        policy: &'p CompiledPolicy,
        level: Option<usize>,
        statement: &'p CompiledStatement,
        request: &Request,
        has_boundary: bool,
    ) -> Option<Grant>;
}

/// The fast path: no records.
pub(crate) struct Quiet;

impl<'p> Observer<'p> for Quiet {
    const EXHAUSTIVE: bool = false;

    fn check(
        &mut self,
        _policy: &'p CompiledPolicy,
        _level: Option<usize>,
        statement: &'p CompiledStatement,
        request: &Request,
        has_boundary: bool,
    ) -> Option<Grant> {
        statement.applies(request, has_boundary)
    }
}

/// What every policy type contributed to one request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Summaries {
    pub(crate) denied: TypeSet,
    pub(crate) identity_allows: bool,
    pub(crate) resource: Option<Grant>,
    /// Every boundary allows (true when there is none).
    pub(crate) boundaries_allow: bool,
    /// `None` without a session policy.
    pub(crate) session_allows: Option<bool>,
    /// The first SCP level without an applicable `Allow`.
    pub(crate) scp_failed_level: Option<usize>,
}

fn scan<'p, O: Observer<'p>>(
    policy: &'p CompiledPolicy,
    level: Option<usize>,
    request: &Request,
    has_boundary: bool,
    observer: &mut O,
) -> Summary {
    let mut summary = Summary::default();
    for statement in policy.statements.iter() {
        let Some(grant) = observer.check(policy, level, statement, request, has_boundary) else {
            continue;
        };
        match statement.effect {
            Effect::Deny => {
                summary.deny = true;
                if !O::EXHAUSTIVE {
                    return summary;
                }
            }
            Effect::Allow => summary.allow = summary.allow.max(Some(grant)),
        }
    }
    summary
}

/// Scans every applicable policy. On the fast path it stops at the first
/// explicit deny, since nothing can overturn it.
pub(crate) fn summarise<'p, O: Observer<'p>>(
    set: &'p PolicySet,
    request: &Request,
    observer: &mut O,
) -> Summaries {
    let has_boundary = !set.boundaries.is_empty();
    let mut out = Summaries {
        boundaries_allow: true,
        ..Summaries::default()
    };
    let deny = |out: &mut Summaries, t: PolicyType, s: &Summary| {
        if s.deny {
            out.denied.insert(t);
        }
        !O::EXHAUSTIVE && s.deny
    };
    for (level, policies) in set.rcps.iter().enumerate() {
        for p in policies {
            let s = scan(p, Some(level), request, has_boundary, observer);
            if deny(&mut out, PolicyType::Rcp, &s) {
                return out;
            }
        }
    }
    if scps_apply(&request.principal) {
        for (level, policies) in set.scps.iter().enumerate() {
            let mut level_summary = Summary::default();
            for p in policies {
                let s = scan(p, Some(level), request, has_boundary, observer);
                if deny(&mut out, PolicyType::Scp, &s) {
                    return out;
                }
                level_summary.merge(s);
            }
            if level_summary.allow.is_none() && out.scp_failed_level.is_none() {
                out.scp_failed_level = Some(level);
            }
        }
    }
    if let Some(p) = &set.resource {
        let s = scan(p, None, request, has_boundary, observer);
        if deny(&mut out, PolicyType::Resource, &s) {
            return out;
        }
        out.resource = s.allow;
    }
    for p in &set.identity {
        let s = scan(p, None, request, has_boundary, observer);
        if deny(&mut out, PolicyType::Identity, &s) {
            return out;
        }
        out.identity_allows |= s.allow.is_some();
    }
    for p in &set.boundaries {
        let s = scan(p, None, request, has_boundary, observer);
        if deny(&mut out, PolicyType::Boundary, &s) {
            return out;
        }
        out.boundaries_allow &= s.allow.is_some();
    }
    if let Some(p) = &set.session {
        let s = scan(p, None, request, has_boundary, observer);
        if deny(&mut out, PolicyType::Session, &s) {
            return out;
        }
        out.session_allows = Some(s.allow.is_some());
    }
    out
}

/// The decision with the rule that made it and the policy types involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conclusion {
    /// The decision.
    pub decision: Decision,
    /// The rule that decided.
    pub reason: Reason,
    /// For an implicit deny: the policy types whose `Allow` was missing.
    pub lacking: TypeSet,
    /// For an allow: the policy types whose `Allow` statements it rests on;
    /// for an explicit deny: the types holding the `Deny`.
    pub relied: TypeSet,
    /// How the principal and resource accounts relate.
    pub relation: Relation,
}

/// Applies the evaluation logic to the summaries.
pub(crate) fn conclude(set: &PolicySet, request: &Request, s: &Summaries) -> Conclusion {
    let principal = &request.principal;
    let relation = match (principal.account(), request.effective_resource_account()) {
        (None, _) => Relation::NoAccount,
        (Some(p), Some(r)) if p != r => Relation::CrossAccount,
        _ => Relation::SameAccount,
    };
    let done = |decision, reason, lacking: TypeSet, relied: TypeSet| Conclusion {
        decision,
        reason,
        lacking,
        relied,
        relation,
    };
    let none = TypeSet::default();
    let deny = |reason, lacking| done(Decision::ImplicitDeny, reason, lacking, none);

    // "Deny evaluation": one applicable explicit deny in any policy decides.
    if !s.denied.is_empty() {
        return done(Decision::ExplicitDeny, Reason::ExplicitDeny, none, s.denied);
    }
    // RCPs: RCPFullAWSAccess is attached at every level and cannot be
    // detached, so every level always has an `Allow`; only denies matter.
    // SCPs: every level must allow; "no implicit FullAWSAccess" here, the
    // levels given are the levels there are.
    let mut gates = TypeSet::default();
    if scps_apply(principal) && !set.scps.is_empty() {
        if let Some(level) = s.scp_failed_level {
            return deny(Reason::ScpLacksAllow { level }, none.with(PolicyType::Scp));
        }
        gates.insert(PolicyType::Scp);
    }
    let rp = s.resource;
    if relation == Relation::NoAccount {
        // Services, web identity and SAML callers and anonymous callers have
        // no identity side: only the resource-based policy can allow them.
        return match rp {
            Some(_) => done(
                Decision::Allowed,
                Reason::ResourcePolicyAllowsCaller,
                none,
                gates.with(PolicyType::Resource),
            ),
            None => deny(
                Reason::ResourcePolicyLacksAllow,
                none.with(PolicyType::Resource),
            ),
        };
    }
    if matches!(principal, Principal::Root { .. })
        && request.action.service() == "sts"
        && request.action.name() == "assumerole"
    {
        // AssumeRole API reference: "You cannot use AWS account root user
        // credentials to call AssumeRole."
        return deny(Reason::RootCannotAssumeRole, none);
    }
    let needs_rp = requires_resource_policy(request);
    let identity_side = identity_side(set, principal, s);
    if relation == Relation::CrossAccount || needs_rp {
        // Cross-account: both accounts must allow. Trust and key policies:
        // the resource-based policy must always allow.
        let Some(grant) = rp else {
            let reason = if needs_rp {
                Reason::ResourcePolicyRequired
            } else {
                Reason::CrossAccountResourcePolicyLacksAllow
            };
            let lacking = identity_side.err().map_or(none, |(_, l)| l);
            return deny(reason, lacking.with(PolicyType::Resource));
        };
        if relation == Relation::SameAccount
            && grant > Grant::Account
            && let Some(c) =
                same_account_resource_grant(set, s, grant, gates, relation, &identity_side)
        {
            return c;
        }
        return match identity_side {
            Ok(relied) => done(
                Decision::Allowed,
                if relation == Relation::CrossAccount {
                    Reason::CrossAccountBothAllow
                } else if matches!(principal, Principal::Root { .. }) {
                    Reason::RootUser
                } else {
                    Reason::IdentityAllows
                },
                none,
                gates.with(PolicyType::Resource) | relied,
            ),
            Err((reason, lacking)) => deny(reason, lacking),
        };
    }
    // Same account, ordinary resource: the resource-based policy may allow
    // on its own, depending on how it names the caller.
    if let Some(grant) = rp.filter(|g| *g > Grant::Account)
        && let Some(c) = same_account_resource_grant(set, s, grant, gates, relation, &identity_side)
    {
        return c;
    }
    match identity_side {
        Ok(relied) => done(
            Decision::Allowed,
            if matches!(principal, Principal::Root { .. }) {
                Reason::RootUser
            } else {
                Reason::IdentityAllows
            },
            none,
            gates | relied,
        ),
        Err((reason, lacking)) => deny(reason, lacking),
    }
}

/// A same-account resource-based policy grant to the caller itself or to
/// its role. "If a resource-based policy grants permission directly to the
/// IAM user or the session principal that is making the request, then an
/// implicit deny in an identity-based policy, a permissions boundary, or a
/// session policy does not impact the final decision"; "resource-based
/// policies that grant permissions to an IAM role ARN are limited by an
/// implicit deny in a permissions boundary or session policy". `None` when
/// the grant is withheld and the identity side decides. When the identity
/// side allows as well, its policies are relied on too (both grant).
fn same_account_resource_grant(
    set: &PolicySet,
    s: &Summaries,
    grant: Grant,
    gates: TypeSet,
    relation: Relation,
    identity_side: &Result<TypeSet, (Reason, TypeSet)>,
) -> Option<Conclusion> {
    let mut relied = gates.with(PolicyType::Resource);
    if let Ok(identity) = identity_side {
        relied = relied | *identity;
    }
    let reason = match grant {
        Grant::Direct => Reason::ResourcePolicyAllowsCaller,
        Grant::RoleArn => {
            if !s.boundaries_allow || s.session_allows == Some(false) {
                return None;
            }
            if !set.boundaries.is_empty() {
                relied.insert(PolicyType::Boundary);
            }
            if s.session_allows.is_some() {
                relied.insert(PolicyType::Session);
            }
            Reason::ResourcePolicyAllowsRole
        }
        Grant::Account => return None,
    };
    Some(Conclusion {
        decision: Decision::Allowed,
        reason,
        lacking: TypeSet::default(),
        relied,
        relation,
    })
}

/// The principal's own account: identity-based policies, limited by the
/// permissions boundary and the session policy. `Ok` with the types relied
/// on, or the rule that withholds and every type lacking an `Allow`.
fn identity_side(
    set: &PolicySet,
    principal: &Principal,
    s: &Summaries,
) -> Result<TypeSet, (Reason, TypeSet)> {
    if matches!(principal, Principal::Root { .. }) {
        // "all requests are implicitly denied with the exception of the AWS
        // account root user, which has full access".
        return Ok(TypeSet::default());
    }
    let mut lacking = TypeSet::default();
    let mut reason = None;
    let mut relied = TypeSet::default().with(PolicyType::Identity);
    if !s.identity_allows {
        lacking.insert(PolicyType::Identity);
        reason.get_or_insert(Reason::IdentityLacksAllow);
    }
    if !set.boundaries.is_empty() {
        if s.boundaries_allow {
            relied.insert(PolicyType::Boundary);
        } else {
            lacking.insert(PolicyType::Boundary);
            reason.get_or_insert(Reason::BoundaryLacksAllow);
        }
    }
    if principal.is_session() {
        // "If there is no session policy, the code checks whether the
        // principal is a role session. If the principal is a role session,
        // then the request is Allowed. Otherwise, the request is implicitly
        // denied."
        match s.session_allows {
            Some(true) => relied.insert(PolicyType::Session),
            Some(false) => {
                lacking.insert(PolicyType::Session);
                reason.get_or_insert(Reason::SessionPolicyLacksAllow);
            }
            None if matches!(principal, Principal::FederatedUser { .. }) => {
                lacking.insert(PolicyType::Session);
                reason.get_or_insert(Reason::FederatedUserWithoutSessionPolicy);
            }
            None => {}
        }
    }
    match reason {
        None => Ok(relied),
        Some(reason) => Err((reason, lacking)),
    }
}

impl std::ops::BitOr for TypeSet {
    type Output = TypeSet;

    fn bitor(self, rhs: TypeSet) -> TypeSet {
        TypeSet(self.0 | rhs.0)
    }
}

/// Decides a request without building a trace: the hot path, which
/// allocates nothing for policies without variables.
pub fn decide(set: &PolicySet, request: &Request) -> Decision {
    let summaries = summarise(set, request, &mut Quiet);
    conclude(set, request, &summaries).decision
}

/// Decides a request and says which rule decided (no statement records).
pub fn conclusion(set: &PolicySet, request: &Request) -> Conclusion {
    let summaries = summarise(set, request, &mut Quiet);
    conclude(set, request, &summaries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::request::RequestInput;
    use crate::eval::test_support::{policy_of, request};
    use crate::eval::{CompiledPolicy, RequestContext};

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/R/s";
    const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/R";
    const BUCKET: &str = "arn:aws:s3:::bucket/key";

    fn policy(t: PolicyType, name: &str, statement: &str) -> CompiledPolicy {
        policy_of(t, name, statement)
    }

    fn allow(action: &str) -> String {
        format!(r#"{{"Effect":"Allow","Action":"{action}","Resource":"*"}}"#)
    }

    fn deny(action: &str) -> String {
        format!(r#"{{"Effect":"Deny","Action":"{action}","Resource":"*"}}"#)
    }

    fn grant(principal: &str, action: &str) -> String {
        format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"{action}","Resource":"*"}}"#
        )
    }

    fn id(statement: &str) -> CompiledPolicy {
        policy(PolicyType::Identity, "id", statement)
    }

    fn res(statement: &str) -> CompiledPolicy {
        policy(PolicyType::Resource, "res", statement)
    }

    fn run(set: &PolicySet, r: &Request) -> Conclusion {
        let c = conclusion(set, r);
        assert_eq!(decide(set, r), c.decision);
        c
    }

    // "Determining whether a request is allowed or denied within an account":
    // implicit deny by default; an identity allow suffices; explicit deny wins.
    #[test]
    fn identity_allow_and_explicit_deny() {
        let r = request(ALICE, "s3:GetObject", BUCKET);
        assert_eq!(
            run(&PolicySet::default(), &r).decision,
            Decision::ImplicitDeny
        );
        let mut set = PolicySet {
            identity: vec![id(&allow("s3:*"))],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &r).reason, Reason::IdentityAllows);
        // A deny in a boundary is an explicit deny too.
        let mut with_boundary = set.clone();
        with_boundary.boundaries = vec![policy(PolicyType::Boundary, "b", &deny("s3:Get*"))];
        assert_eq!(run(&with_boundary, &r).decision, Decision::ExplicitDeny);
        set.resource = Some(res(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
        ));
        let c = run(&set, &r);
        assert_eq!(c.decision, Decision::ExplicitDeny);
        assert!(c.relied.contains(PolicyType::Resource));
    }

    // Same account: identity OR resource policy ("Example identity-based and
    // resource-based policy evaluation").
    #[test]
    fn same_account_resource_policy_alone() {
        let r = request(ALICE, "s3:GetObject", BUCKET);
        let set = PolicySet {
            resource: Some(res(&grant(ALICE, "s3:GetObject"))),
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &r).reason, Reason::ResourcePolicyAllowsCaller);
        // Naming only the account delegates to it: identity must allow too.
        let set = PolicySet {
            resource: Some(res(&grant("111122223333", "s3:GetObject"))),
            ..PolicySet::default()
        };
        let c = run(&set, &r);
        assert_eq!(c.decision, Decision::ImplicitDeny);
        assert_eq!(c.reason, Reason::IdentityLacksAllow);
    }

    // Boundaries limit identity grants but not a same-account resource grant
    // to the user ARN; they do limit a grant to the role ARN, not to the
    // session ARN.
    #[test]
    fn boundaries_and_resource_grants() {
        let boundary = policy(PolicyType::Boundary, "b", &allow("ec2:*"));
        let user = request(ALICE, "s3:GetObject", BUCKET);
        let set = PolicySet {
            identity: vec![id(&allow("s3:*"))],
            boundaries: vec![boundary.clone()],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &user).reason, Reason::BoundaryLacksAllow);
        let set = PolicySet {
            resource: Some(res(&grant(ALICE, "s3:*"))),
            boundaries: vec![boundary.clone()],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &user).decision, Decision::Allowed);

        let session = request(SESSION, "s3:GetObject", BUCKET);
        let set = PolicySet {
            resource: Some(res(&grant(ROLE_ARN, "s3:*"))),
            boundaries: vec![boundary.clone()],
            ..PolicySet::default()
        };
        let c = run(&set, &session);
        assert_eq!(c.decision, Decision::ImplicitDeny);
        assert_eq!(
            c.lacking.iter().collect::<Vec<_>>(),
            vec![PolicyType::Identity, PolicyType::Boundary]
        );
        let set = PolicySet {
            resource: Some(res(&grant(ROLE_ARN, "s3:*"))),
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &session).reason, Reason::ResourcePolicyAllowsRole);
        let set = PolicySet {
            resource: Some(res(&grant(SESSION, "s3:*"))),
            boundaries: vec![boundary],
            session: Some(policy(PolicyType::Session, "sp", &allow("ec2:*"))),
            ..PolicySet::default()
        };
        assert_eq!(
            run(&set, &session).reason,
            Reason::ResourcePolicyAllowsCaller
        );
    }

    // Session policies: intersection with identity; federated users need one.
    #[test]
    fn session_policies() {
        let session = request(SESSION, "s3:GetObject", BUCKET);
        let mut set = PolicySet {
            identity: vec![id(&allow("s3:*"))],
            session: Some(policy(PolicyType::Session, "sp", &allow("ec2:*"))),
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &session).reason, Reason::SessionPolicyLacksAllow);
        set.session = None;
        assert_eq!(run(&set, &session).decision, Decision::Allowed);
        let fed = request(
            "arn:aws:sts::111122223333:federated-user/bob",
            "s3:GetObject",
            BUCKET,
        );
        assert_eq!(
            run(&set, &fed).reason,
            Reason::FederatedUserWithoutSessionPolicy
        );
        set.session = Some(policy(PolicyType::Session, "sp", &allow("s3:Get*")));
        assert_eq!(run(&set, &fed).decision, Decision::Allowed);
    }

    // SCPs: AND across levels, OR within; an absent allow is an implicit deny.
    #[test]
    fn scp_levels() {
        let r = request(ALICE, "s3:GetObject", BUCKET);
        let scp = |name: &str, a: &str| policy(PolicyType::Scp, name, &allow(a));
        let mut set = PolicySet {
            identity: vec![id(&allow("*"))],
            scps: vec![
                vec![scp("root", "*")],
                vec![scp("ou-a", "ec2:*"), scp("ou-b", "s3:*")],
            ],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &r).decision, Decision::Allowed);
        set.scps.push(vec![scp("acct", "ec2:*")]);
        assert_eq!(run(&set, &r).reason, Reason::ScpLacksAllow { level: 2 });
        // SCPs do not apply to service principals.
        let svc = request("cloudtrail.amazonaws.com", "s3:PutObject", BUCKET);
        set.identity.clear();
        set.resource = Some(res(
            r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#,
        ));
        assert_eq!(run(&set, &svc).decision, Decision::Allowed);
    }

    // RCPs: RCPFullAWSAccess at every level, so only denies matter.
    #[test]
    fn rcps_only_deny() {
        let r = request(ALICE, "s3:GetObject", BUCKET);
        let rcp = |s: &str| policy(PolicyType::Rcp, "rcp", s);
        let mut set = PolicySet {
            identity: vec![id(&allow("s3:*"))],
            rcps: vec![vec![rcp(
                r#"{"Effect":"Deny","Principal":"*","Action":"ec2:*","Resource":"*"}"#,
            )]],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &r).decision, Decision::Allowed);
        set.rcps[0].push(rcp(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#,
        ));
        assert_eq!(run(&set, &r).decision, Decision::ExplicitDeny);
    }

    // Cross-account: both sides must allow.
    #[test]
    fn cross_account() {
        let r = Request::new(
            RequestInput {
                principal: ALICE,
                action: "s3:GetObject",
                resource: BUCKET,
                resource_account: Some("444455556666"),
            },
            RequestContext::new(),
        )
        .unwrap();
        let mut set = PolicySet {
            identity: vec![id(&allow("s3:*"))],
            ..PolicySet::default()
        };
        let c = run(&set, &r);
        assert_eq!(c.reason, Reason::CrossAccountResourcePolicyLacksAllow);
        assert_eq!(c.relation, Relation::CrossAccount);
        set.resource = Some(res(&grant("111122223333", "s3:GetObject")));
        assert_eq!(run(&set, &r).reason, Reason::CrossAccountBothAllow);
        set.identity.clear();
        set.resource = Some(res(&grant(ALICE, "s3:GetObject")));
        assert_eq!(run(&set, &r).reason, Reason::IdentityLacksAllow);
    }

    // AssumeRole: the trust policy is always required; same account, naming
    // the caller's ARN suffices; naming the account needs an identity allow.
    #[test]
    fn assume_role_trust() {
        let target = "arn:aws:iam::111122223333:role/Target";
        let r = request(ALICE, "sts:AssumeRole", target);
        let mut set = PolicySet {
            identity: vec![id(&allow("sts:AssumeRole"))],
            ..PolicySet::default()
        };
        assert_eq!(run(&set, &r).reason, Reason::ResourcePolicyRequired);
        set.resource = Some(res(&grant("111122223333", "sts:AssumeRole")));
        assert_eq!(run(&set, &r).reason, Reason::IdentityAllows);
        set.identity.clear();
        assert_eq!(run(&set, &r).reason, Reason::IdentityLacksAllow);
        set.resource = Some(res(&grant(ALICE, "sts:AssumeRole")));
        assert_eq!(run(&set, &r).reason, Reason::ResourcePolicyAllowsCaller);
        let root = request("111122223333", "sts:AssumeRole", target);
        assert_eq!(run(&set, &root).reason, Reason::RootCannotAssumeRole);
    }

    #[test]
    fn policy_set_must_fit_the_principal() {
        let set = PolicySet {
            identity: vec![id(&allow("*"))],
            ..PolicySet::default()
        };
        assert!(
            set.check(&Principal::parse("111122223333", None).unwrap())
                .is_err()
        );
        assert!(set.check(&Principal::parse(ALICE, None).unwrap()).is_ok());
        let set = PolicySet {
            session: Some(policy(PolicyType::Session, "sp", &allow("*"))),
            ..PolicySet::default()
        };
        assert!(set.check(&Principal::parse(ALICE, None).unwrap()).is_err());
        assert!(set.check(&Principal::parse(SESSION, None).unwrap()).is_ok());
    }
}
