//! Checking assertions: `can_assume` through the checks of `why`,
//! `cannot_assume` and `only_assumable_by` through the who-can-assume graph,
//! `can_perform`/`cannot_perform` through the engine, and the setup
//! templates through those plus the facts they add (an instance profile, an
//! access key, no grant on every role).

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use petgraph::graph::NodeIndex;
use serde_json::json;

use super::file::{
    Body, CanAssume, CannotAssume, Context, Entry, InstanceProfile, IntegrationPermissions,
    Located, OnlyAssumableBy, Perform, SameRoleInAccounts, UserAccessKey,
};
use super::pattern::{PrincipalPattern, RolePattern, arn_account};
use super::{Declaration, Options, Outcome, Reason, Status};
use crate::eval::trace::Outcome as TypeOutcome;
use crate::eval::{Decision, PolicyType, Possibility};
use crate::graph::{
    BuildOptions, CheckId, CheckStatus, Diagnoser, Edge, EdgeCondition, EdgeKind, Fix, Graph, Node,
    NodeKind, PerformRequest, Performance, Reach, Site, WhyError, WhyRequest, build,
    reachable_from, who_can_assume,
};
use crate::inventory::{Declared, Entity, Inventory, Role};
use crate::policy::arn::{PrincipalArn, is_account_id, is_pattern};
use crate::policy::wildcard;
use crate::source::Span;

/// How many offending principals or actions an outcome details; the rest
/// are counted.
const LISTED: usize = 10;

/// The role name of the probe that tells a grant on every role from a grant
/// on the roles it names.
const PROBE_ROLE: &str = "rolecall-verify-probe-no-such-role";

/// Roles a pattern names, or why none.
enum Roles {
    Found(Vec<usize>),
    Missing(Status, String),
}

/// Users and roles a principal pattern names, or why none.
enum Identities {
    Found(Vec<String>),
    Missing(Status, String),
}

/// The inventory, its graph and indexes, shared by every assertion.
pub(super) struct Verifier<'i> {
    inventory: &'i Inventory,
    diagnoser: Diagnoser<'i>,
    /// Built when an assertion first needs it.
    graph: OnceCell<Graph>,
    /// What the graph could not evaluate, by subject.
    problems: OnceCell<HashMap<String, Vec<String>>>,
    /// Accounts inside the zone of trust.
    zone: HashSet<String>,
    org_id: Option<String>,
    roles_by_name: HashMap<&'i str, Vec<usize>>,
    roles_by_account: HashMap<&'i str, Vec<usize>>,
    users_by_account: HashMap<&'i str, Vec<usize>>,
    who: RefCell<HashMap<NodeIndex, Rc<Vec<Reach>>>>,
    reach: RefCell<HashMap<NodeIndex, Rc<Vec<Reach>>>>,
}

fn outcome(kind: &'static str, span: Span, subject: String) -> Outcome {
    Outcome {
        kind,
        template: None,
        entry: 0,
        description: None,
        span,
        subject,
        status: Status::Pass,
        summary: String::new(),
        reasons: Vec::new(),
        notes: Vec::new(),
    }
}

fn declaration(label: String, declared: Option<&Declared>) -> Option<Declaration> {
    let d = declared?;
    Some(Declaration {
        label,
        file: d.file.name().to_owned(),
        line: d.file.line_col(d.span.start).line,
    })
}

/// A condition as one line: `Allow: StringEquals sts:ExternalId = 999`.
fn condition_text(c: &EdgeCondition) -> String {
    let want = if c.effect == "Allow" {
        "must hold"
    } else {
        "must not hold"
    };
    format!(
        "{} {} {} ({want}; {} `{}`, statement {})",
        c.operator,
        c.key,
        c.values.join(", "),
        c.policy_type.describe(),
        c.policy,
        c.statement
    )
}

/// Lists at most [`LISTED`] items and counts the rest.
fn listed(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(LISTED)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > LISTED {
        s.push_str(&format!(" and {} more", items.len() - LISTED));
    }
    s
}

/// A failure reason per offender, at most [`LISTED`] of them, and one
/// naming the rest.
fn capped(mut reasons: Vec<Reason>, names: &[String]) -> Vec<Reason> {
    if reasons.len() > LISTED {
        reasons.truncate(LISTED);
        reasons.push(Reason::new(format!(
            "and {} more: {}",
            names.len().saturating_sub(LISTED),
            names[LISTED.min(names.len())..]
                .iter()
                .take(50)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    reasons
}

impl<'i> Verifier<'i> {
    /// Builds the graph and the indexes.
    pub(super) fn new(inventory: &'i Inventory, options: &Options) -> Self {
        let diagnoser = Diagnoser::new(inventory);
        let mut zone: HashSet<String> = inventory.accounts().iter().map(|a| a.id.clone()).collect();
        zone.extend(options.trusted_accounts.iter().cloned());
        let mut roles_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut roles_by_account: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in inventory.roles().iter().enumerate() {
            zone.insert(r.common.account_id.clone());
            roles_by_name
                .entry(r.common.name.as_str())
                .or_default()
                .push(i);
            roles_by_account
                .entry(r.common.account_id.as_str())
                .or_default()
                .push(i);
        }
        let mut users_by_account: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, u) in inventory.users().iter().enumerate() {
            zone.insert(u.common.account_id.clone());
            users_by_account
                .entry(u.common.account_id.as_str())
                .or_default()
                .push(i);
        }
        let org_id = inventory
            .organization()
            .and_then(|o| o.id.clone())
            .or_else(|| options.org_id.clone());
        Self {
            inventory,
            diagnoser,
            graph: OnceCell::new(),
            problems: OnceCell::new(),
            zone,
            org_id,
            roles_by_name,
            roles_by_account,
            users_by_account,
            who: RefCell::default(),
            reach: RefCell::default(),
        }
    }

    /// Checks one entry, appending its outcomes.
    pub(super) fn entry(&self, entry: &Entry, out: &mut Vec<Outcome>) {
        match &entry.body {
            Body::CanAssume(a) => self.can_assume_entry(a, out),
            Body::CannotAssume(a) => self.cannot_assume(a, out),
            Body::OnlyAssumableBy(a) => self.only_assumable_by(a, out),
            Body::CanPerform(p) => self.perform(p, true, out),
            Body::CannotPerform(p) => self.perform(p, false, out),
            Body::InstanceProfile(t) => self.instance_profile(t, out),
            Body::UserAccessKey(t) => self.user_access_key(t, out),
            Body::SameRoleInAccounts(t) => self.same_role_in_accounts(t, out),
            Body::IntegrationPermissions(t) => self.integration_permissions(t, out),
        }
    }

    // ----- lookups -------------------------------------------------------

    /// The who-can-assume graph, built once.
    fn graph(&self) -> &Graph {
        self.graph
            .get_or_init(|| build(self.inventory, &BuildOptions::default()))
    }

    /// What the graph could not evaluate about a role (its trust policy
    /// missing or not evaluable): whoever can assume it is then unknown.
    fn trust_problems(&self, role: &str) -> Vec<String> {
        let problems = self.problems.get_or_init(|| {
            let mut by_subject: HashMap<String, Vec<String>> = HashMap::new();
            for p in self.graph().problems() {
                by_subject
                    .entry(p.subject.clone())
                    .or_default()
                    .push(format!("{}: {}", p.subject, p.message));
            }
            by_subject
        });
        [role.to_owned(), format!("{role} trust policy")]
            .iter()
            .filter_map(|s| problems.get(s))
            .flatten()
            .cloned()
            .collect()
    }

    fn role(&self, i: usize) -> &'i Role {
        &self.inventory.roles()[i]
    }

    /// Why an exact role ARN is not in the inventory.
    fn missing_role(&self, arn: &str) -> Roles {
        match arn_account(arn) {
            Some(a) if self.diagnoser.covers(a) => Roles::Missing(
                Status::Fail,
                format!(
                    "role `{arn}` does not exist: the inventory holds account `{a}`, without such a role"
                ),
            ),
            Some(a) if is_account_id(a) => Roles::Missing(
                Status::Unknown,
                format!(
                    "account `{a}` is not in the inventory (not loaded, or its fetch failed), so whether `{arn}` exists and what it trusts is unknown"
                ),
            ),
            _ => Roles::Missing(
                Status::Unknown,
                format!("no role of the inventory matches `{arn}`"),
            ),
        }
    }

    /// The roles a pattern names.
    fn roles(&self, pattern: &RolePattern) -> Roles {
        let inventory = self.inventory;
        if pattern.is_exact() {
            return match inventory.get(pattern.as_str()) {
                Some(Entity::Role(i)) => Roles::Found(vec![i]),
                _ => self.missing_role(pattern.as_str()),
            };
        }
        let matches = |i: &usize| pattern.matches(&self.role(*i).common.arn);
        let found: Vec<usize> = if let Some(name) = pattern.name() {
            self.roles_by_name
                .get(name)
                .into_iter()
                .flatten()
                .copied()
                .filter(matches)
                .collect()
        } else if let Some(account) = pattern.account() {
            self.roles_by_account
                .get(account)
                .into_iter()
                .flatten()
                .copied()
                .filter(matches)
                .collect()
        } else {
            (0..inventory.roles().len()).filter(matches).collect()
        };
        if !found.is_empty() {
            return Roles::Found(found);
        }
        match pattern.account() {
            Some(a) if !self.diagnoser.covers(a) => self.missing_role(pattern.as_str()),
            _ => Roles::Missing(
                Status::Unknown,
                format!("no role of the inventory matches `{}`", pattern.as_str()),
            ),
        }
    }

    /// The users and roles a principal pattern names.
    fn identities(&self, pattern: &PrincipalPattern) -> Identities {
        let inventory = self.inventory;
        let of_account = |account: &str| -> Vec<String> {
            let users = self.users_by_account.get(account).into_iter().flatten();
            let roles = self.roles_by_account.get(account).into_iter().flatten();
            users
                .map(|&i| inventory.users()[i].common.arn.clone())
                .chain(roles.map(|&i| self.role(i).common.arn.clone()))
                .collect()
        };
        let (found, account) = match pattern {
            PrincipalPattern::Account(a) => (of_account(a), Some(a.as_str())),
            PrincipalPattern::Arn(p) if !is_pattern(p) => {
                let found = match inventory.get(p) {
                    Some(Entity::User(_) | Entity::Role(_)) => vec![p.clone()],
                    _ => Vec::new(),
                };
                (found, arn_account(p))
            }
            PrincipalPattern::Arn(p) => {
                let account = arn_account(p).filter(|a| !is_pattern(a));
                let all: Vec<String> = match account {
                    Some(a) => of_account(a),
                    None => inventory
                        .users()
                        .iter()
                        .map(|u| u.common.arn.clone())
                        .chain(inventory.roles().iter().map(|r| r.common.arn.clone()))
                        .collect(),
                };
                (
                    all.into_iter()
                        .filter(|arn| wildcard::matches(p, arn))
                        .collect(),
                    account,
                )
            }
            _ => (Vec::new(), None),
        };
        if !found.is_empty() {
            return Identities::Found(found);
        }
        let text = pattern.text();
        match account {
            Some(a) if self.diagnoser.covers(a) => Identities::Missing(
                Status::Fail,
                format!(
                    "no user or role of account `{a}` matches `{text}`: the inventory holds that account"
                ),
            ),
            Some(a) if is_account_id(a) => Identities::Missing(
                Status::Unknown,
                format!(
                    "account `{a}` is not in the inventory, so the policies of `{text}` are unknown"
                ),
            ),
            _ => Identities::Missing(
                Status::Unknown,
                format!("no user or role of the inventory matches `{text}`"),
            ),
        }
    }

    fn who(&self, role: NodeIndex) -> Rc<Vec<Reach>> {
        if let Some(r) = self.who.borrow().get(&role) {
            return r.clone();
        }
        let r = Rc::new(who_can_assume(self.graph(), role));
        self.who.borrow_mut().insert(role, r.clone());
        r
    }

    fn reachable(&self, from: NodeIndex) -> Rc<Vec<Reach>> {
        if let Some(r) = self.reach.borrow().get(&from) {
            return r.clone();
        }
        let r = Rc::new(reachable_from(self.graph(), from));
        self.reach.borrow_mut().insert(from, r.clone());
        r
    }

    // ----- principals and the zone of trust ------------------------------

    /// Whether a node stands for principals outside the zone of trust, as
    /// IAM Access Analyzer counts external principals (other accounts and
    /// their principals, federated identities, anyone: "IAM Access Analyzer
    /// findings", https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html).
    /// Service principals act for their own account's resources and are
    /// reached through `pass-role` edges, so they are not.
    fn is_external(&self, node: &Node) -> bool {
        match node.kind {
            NodeKind::Anyone | NodeKind::OidcProvider | NodeKind::SamlProvider => true,
            NodeKind::Account | NodeKind::ExternalPrincipal => node
                .account
                .as_deref()
                .is_none_or(|a| !self.zone.contains(a)),
            _ => false,
        }
    }

    /// Whether a condition value keeps the principal inside the zone.
    fn in_zone(&self, key: &str, value: &str) -> bool {
        match key {
            "aws:principalorgid" => self.org_id.as_deref() == Some(value),
            "aws:principalaccount" => self.zone.contains(value),
            "aws:principalorgpaths" => self
                .org_id
                .as_deref()
                .is_some_and(|o| value.starts_with(&format!("{o}/"))),
            _ => false,
        }
    }

    /// Whether a condition tests that the principal is (`inside`) or is not
    /// in the organization or the zone's accounts.
    fn zone_test(&self, c: &EdgeCondition, inside: bool) -> bool {
        let key = c.key.to_ascii_lowercase();
        let op = c.operator.to_ascii_lowercase();
        let op = op
            .strip_prefix("forallvalues:")
            .or_else(|| op.strip_prefix("foranyvalue:"))
            .unwrap_or(&op);
        let op = op.strip_suffix("ifexists").unwrap_or(op);
        let positive = matches!(op, "stringequals" | "stringlike" | "stringequalsignorecase");
        let negative = matches!(
            op,
            "stringnotequals" | "stringnotlike" | "stringnotequalsignorecase"
        );
        (if inside { positive } else { negative })
            && !c.values.is_empty()
            && c.values.iter().all(|v| self.in_zone(&key, v))
    }

    /// Whether an edge's conditions admit only principals of the zone
    /// (`aws:PrincipalOrgID` of the organization, `aws:PrincipalAccount`
    /// of its accounts, in an `Allow` every alternative requires or in a
    /// `Deny` of everyone else).
    fn zone_only(&self, edge: &Edge) -> bool {
        let mut allows: HashMap<(PolicyType, usize), bool> = HashMap::new();
        let mut denies: HashMap<(&str, &str), bool> = HashMap::new();
        for c in &edge.conditions {
            if c.effect == "Allow" {
                let slot = allows
                    .entry((c.policy_type, c.alternative.unwrap_or(0)))
                    .or_insert(false);
                *slot |= self.zone_test(c, true);
            } else {
                let slot = denies
                    .entry((c.policy.as_str(), c.statement.as_str()))
                    .or_insert(true);
                *slot &= self.zone_test(c, false);
            }
        }
        let mut types: HashMap<PolicyType, bool> = HashMap::new();
        for ((t, _), restricted) in allows {
            *types.entry(t).or_insert(true) &= restricted;
        }
        types.values().any(|r| *r) || denies.values().any(|r| *r)
    }

    /// Whether a pattern names a node that reaches a role by `first`.
    fn names(&self, pattern: &PrincipalPattern, node: &Node, first: Option<&Edge>) -> bool {
        let outside = |account: &str| !self.diagnoser.covers(account);
        match pattern {
            PrincipalPattern::Anyone => {
                node.kind == NodeKind::Anyone && !first.is_some_and(|e| self.zone_only(e))
            }
            PrincipalPattern::External => {
                self.is_external(node) && !first.is_some_and(|e| self.zone_only(e))
            }
            PrincipalPattern::Account(a) => match node.kind {
                NodeKind::Anyone => outside(a),
                NodeKind::Service => false,
                _ => node.account.as_deref() == Some(a.as_str()),
            },
            PrincipalPattern::Service(p) => {
                node.kind == NodeKind::Service && wildcard::matches(p, &node.id)
            }
            PrincipalPattern::Arn(p) => match node.kind {
                NodeKind::Anyone => arn_account(p).is_none_or(|a| is_pattern(a) || outside(a)),
                NodeKind::Account => node
                    .account
                    .as_deref()
                    .zip(arn_account(p))
                    .is_some_and(|(a, pa)| wildcard::matches(pa, a)),
                _ => wildcard::matches(p, &node.id),
            },
        }
    }

    /// What a node is called in a `why` request.
    fn caller_text(node: &Node) -> String {
        match node.kind {
            NodeKind::Anyone => "anonymous".into(),
            NodeKind::OidcProvider | NodeKind::SamlProvider => format!("federated:{}", node.id),
            _ => node.id.clone(),
        }
    }

    /// One path to a role, hop by hop, with the statements that allow each
    /// hop located in their files.
    fn path_reason(&self, reach: &Reach, message: String) -> Reason {
        let mut reason = Reason::new(message);
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for e in &reach.path {
            let Some((from, to, edge)) = self.graph().edge(*e) else {
                continue;
            };
            let how = match edge.kind {
                EdgeKind::Assume if edge.chained => "assumes (role chaining)".to_owned(),
                EdgeKind::Assume => "assumes".to_owned(),
                EdgeKind::PassRole => {
                    format!("passes it to {}", edge.service.unwrap_or("a service"))
                }
                EdgeKind::InstanceProfile => "delivers it to EC2 instances".to_owned(),
            };
            reason
                .details
                .push(format!("`{}` {how} `{}`", from.id, to.id));
            for c in &edge.conditions {
                reason.details.push(format!("  when {}", condition_text(c)));
            }
            let mut keep = |sites: Vec<Site>| {
                for s in sites {
                    if s.statement.effect == "Allow"
                        && seen.insert((s.statement.policy.clone(), s.statement.statement.clone()))
                    {
                        reason.statements.push(s);
                    }
                }
            };
            match edge.kind {
                EdgeKind::Assume => {
                    let request = WhyRequest {
                        principal: Self::caller_text(from),
                        role: to.id.clone(),
                        ..WhyRequest::default()
                    };
                    if let Ok(d) = self.diagnoser.why(&request) {
                        for c in d.checks {
                            if matches!(c.id, CheckId::Identity | CheckId::Trust) {
                                keep(c.statements);
                            }
                        }
                    }
                }
                EdgeKind::PassRole => {
                    let request = PerformRequest {
                        principal: from.id.clone(),
                        action: "iam:PassRole".into(),
                        resource: to.id.clone(),
                        context: Vec::new(),
                    };
                    if let Ok(p) = self.diagnoser.perform(&request) {
                        keep(p.statements);
                    }
                }
                EdgeKind::InstanceProfile => {
                    let declared = self
                        .inventory
                        .instance_profile(&from.id)
                        .and_then(|p| p.declared.as_ref());
                    reason.declarations.extend(declaration(
                        format!("instance profile `{}`", from.id),
                        declared,
                    ));
                }
            }
        }
        reason
    }

    // ----- can_assume ----------------------------------------------------

    fn can_assume_entry(&self, a: &CanAssume, out: &mut Vec<Outcome>) {
        for role in &a.roles {
            self.can_assume_pattern(
                &a.principal.value,
                role,
                &AssumeParams {
                    external_id: a.external_id.clone(),
                    duration_seconds: a.duration_seconds,
                    mfa: a.mfa,
                    context: a.context.clone(),
                },
                out,
            );
        }
    }

    fn can_assume_pattern(
        &self,
        principal: &str,
        role: &Located<RolePattern>,
        params: &AssumeParams,
        out: &mut Vec<Outcome>,
    ) {
        match self.roles(&role.value) {
            Roles::Found(roles) => {
                for r in roles {
                    let arn = self.role(r).common.arn.clone();
                    out.push(self.can_assume(principal, &arn, role.span, params));
                }
            }
            Roles::Missing(status, message) => {
                let mut o = outcome(
                    "can_assume",
                    role.span,
                    format!("{principal} → {}", role.value.as_str()),
                );
                o.status = status;
                o.summary = message;
                out.push(o);
            }
        }
    }

    /// Why a principal named by ARN is not in the inventory, when the
    /// inventory holds its account.
    fn absent_principal(&self, principal: &str) -> Option<String> {
        let account = match PrincipalArn::parse(principal).ok()? {
            PrincipalArn::User { account, .. } | PrincipalArn::Role { account, .. } => account,
            _ => return None,
        };
        (self.diagnoser.covers(&account) && self.inventory.get(principal).is_none()).then(|| {
            format!(
                "`{principal}` does not exist: the inventory holds account `{account}`, without such a principal"
            )
        })
    }

    /// Why the policies of a principal of the zone of trust are unknown:
    /// its account is ours but not in the inventory (a fetch that failed).
    /// A principal of another account is taken to be allowed by its own
    /// administrators, as `why` does.
    fn unfetched_principal(&self, principal: &str) -> Option<String> {
        let account = match PrincipalArn::parse(principal).ok()? {
            PrincipalArn::User { account, .. }
            | PrincipalArn::Role { account, .. }
            | PrincipalArn::AssumedRole { account, .. } => account,
            _ => return None,
        };
        (self.zone.contains(&account) && !self.diagnoser.covers(&account)).then(|| {
            format!(
                "account `{account}` is in the zone of trust and not in the inventory, so the policies of `{principal}` are unknown"
            )
        })
    }

    fn can_assume(&self, principal: &str, role: &str, span: Span, p: &AssumeParams) -> Outcome {
        let mut o = outcome("can_assume", span, format!("{principal} → {role}"));
        if let Some(message) = self.absent_principal(principal) {
            o.status = Status::Fail;
            o.summary = message;
            return o;
        }
        let request = WhyRequest {
            principal: principal.to_owned(),
            role: role.to_owned(),
            external_id: p.external_id.clone(),
            duration_seconds: p.duration_seconds,
            mfa: p.mfa,
            source_ip: None,
            session_name: None,
            context: p.context.clone(),
        };
        match self.diagnoser.why(&request) {
            Ok(d) => {
                o.notes = d.notes;
                if d.allowed {
                    o.summary = format!("{} allowed, {} s session", d.action, d.duration_seconds);
                    if let Some(message) = self.unfetched_principal(principal) {
                        o.status = Status::Unknown;
                        o.summary = format!("the role's policies allow it, but {message}");
                    }
                } else {
                    o.status = Status::Fail;
                    o.summary = d
                        .aws_error
                        .unwrap_or_else(|| format!("{} denied", d.action));
                    let target = self.inventory.role(role);
                    o.reasons = d
                        .checks
                        .into_iter()
                        .filter(|c| c.status == CheckStatus::Fail)
                        .map(|c| Reason {
                            message: format!("{}: {}", c.title, c.summary),
                            details: c.details,
                            statements: c.statements,
                            // A duration is the role's setting: point at it.
                            declarations: target
                                .filter(|_| c.id == CheckId::Duration)
                                .and_then(|r| {
                                    declaration(
                                        format!(
                                            "role `{role}` (MaxSessionDuration {} s)",
                                            r.max_session_duration_or_default()
                                        ),
                                        r.common.declared.as_ref(),
                                    )
                                })
                                .into_iter()
                                .collect(),
                            fix: c.fix,
                        })
                        .collect();
                }
            }
            Err(e) => {
                o.status = match e {
                    WhyError::Trust { .. } => Status::Unknown,
                    _ => Status::Fail,
                };
                o.summary = e.to_string();
            }
        }
        o
    }

    // ----- cannot_assume, only_assumable_by ------------------------------

    fn cannot_assume(&self, a: &CannotAssume, out: &mut Vec<Outcome>) {
        let names: Vec<&str> = a.principals.iter().map(|p| p.value.text()).collect();
        let who = names.join(", ");
        for role in &a.roles {
            let roles = match self.roles(&role.value) {
                Roles::Found(r) => r,
                Roles::Missing(status, message) => {
                    let mut o = outcome(
                        "cannot_assume",
                        role.span,
                        format!("{who} ↛ {}", role.value.as_str()),
                    );
                    o.status = status;
                    o.summary = message;
                    out.push(o);
                    continue;
                }
            };
            for r in roles {
                let arn = &self.role(r).common.arn;
                let mut o = outcome("cannot_assume", role.span, format!("{who} ↛ {arn}"));
                let Some(node) = self.graph().find(arn) else {
                    o.summary = "nothing can reach the role".into();
                    out.push(o);
                    continue;
                };
                let reach = self.who(node);
                let mut offenders = Vec::new();
                let mut reasons = Vec::new();
                for r in reach.iter() {
                    let Some(n) = self.graph().node(r.node) else {
                        continue;
                    };
                    let first = r
                        .path
                        .first()
                        .and_then(|e| self.graph().edge(*e))
                        .map(|x| x.2);
                    let Some(pattern) =
                        a.principals.iter().find(|p| self.names(&p.value, n, first))
                    else {
                        continue;
                    };
                    offenders.push(n.id.clone());
                    if reasons.len() <= LISTED {
                        reasons.push(self.path_reason(
                            r,
                            format!(
                                "`{}` ({}) can reach the role in {} hop{}",
                                n.id,
                                pattern.value.text(),
                                r.path.len(),
                                if r.path.len() == 1 { "" } else { "s" }
                            ),
                        ));
                    }
                }
                let unknown = self.trust_problems(arn);
                if offenders.is_empty() && !unknown.is_empty() {
                    o.status = Status::Unknown;
                    o.summary = "the role's trust policy cannot be evaluated, so who can reach it is unknown".into();
                    o.notes = unknown;
                } else if offenders.is_empty() {
                    o.summary = format!(
                        "no path from {who}; {} principal{} can reach it",
                        reach.len(),
                        if reach.len() == 1 { "" } else { "s" }
                    );
                } else {
                    o.status = Status::Fail;
                    o.summary = format!("reachable by {}", listed(&offenders));
                    o.reasons = capped(reasons, &offenders);
                }
                out.push(o);
            }
        }
    }

    fn only_assumable_by(&self, a: &OnlyAssumableBy, out: &mut Vec<Outcome>) {
        let roles = match self.roles(&a.role.value) {
            Roles::Found(r) => r,
            Roles::Missing(status, message) => {
                let mut o = outcome(
                    "only_assumable_by",
                    a.role.span,
                    a.role.value.as_str().into(),
                );
                o.status = status;
                o.summary = message;
                out.push(o);
                return;
            }
        };
        for r in roles {
            let arn = self.role(r).common.arn.clone();
            let mut o = outcome("only_assumable_by", a.role.span, arn.clone());
            let reach = match self.graph().find(&arn) {
                Some(node) => self.who(node),
                None => Rc::new(Vec::new()),
            };
            let mut reachers = Vec::new();
            let mut offenders = Vec::new();
            let mut reasons = Vec::new();
            for r in reach.iter() {
                let Some(n) = self.graph().node(r.node) else {
                    continue;
                };
                // Services and instance profiles only carry the role to
                // whoever passes it or launches with it, who are reachers
                // of their own.
                if matches!(n.kind, NodeKind::Service | NodeKind::InstanceProfile) {
                    continue;
                }
                reachers.push(n.id.clone());
                let first = r
                    .path
                    .first()
                    .and_then(|e| self.graph().edge(*e))
                    .map(|x| x.2);
                if a.principals.iter().any(|p| self.names(&p.value, n, first)) {
                    continue;
                }
                offenders.push(n.id.clone());
                if reasons.len() <= LISTED {
                    reasons.push(self.path_reason(
                        r,
                        format!("`{}` can reach the role and is not listed", n.id),
                    ));
                }
            }
            let mut reasons = capped(reasons, &offenders);
            let mut missing = Vec::new();
            for p in a.principals.iter().filter(|p| p.value.is_exact()) {
                let text = p.value.text();
                if reachers.iter().any(|r| r == text) {
                    continue;
                }
                missing.push(text.to_owned());
                let mut reason =
                    Reason::new(format!("`{text}` is listed but cannot reach the role"));
                let request = WhyRequest {
                    principal: text.to_owned(),
                    role: arn.clone(),
                    ..WhyRequest::default()
                };
                if let Ok(d) = self.diagnoser.why(&request) {
                    // What the request could send (an external id, MFA) does
                    // not stop a path; the checks that do are the reasons.
                    let structural = |c: &crate::graph::Check| {
                        c.status == CheckStatus::Fail
                            && c.fix.as_ref().is_none_or(|f| f.target != "request")
                    };
                    for c in d.checks.into_iter().filter(structural) {
                        reason.details.push(format!("{}: {}", c.title, c.summary));
                        reason.statements.extend(c.statements);
                        if reason.fix.is_none() {
                            reason.fix = c.fix;
                        }
                    }
                }
                reasons.push(reason);
            }
            let unknown = self.trust_problems(&arn);
            if offenders.is_empty() && missing.is_empty() && !unknown.is_empty() {
                o.status = Status::Unknown;
                o.summary =
                    "the role's trust policy cannot be evaluated, so who can reach it is unknown"
                        .into();
                o.notes = unknown;
            } else if offenders.is_empty() && missing.is_empty() {
                o.summary = if reachers.is_empty() {
                    "no principal can reach it".to_owned()
                } else {
                    format!("reachable by exactly {}", listed(&reachers))
                };
            } else {
                o.status = Status::Fail;
                let mut parts = Vec::new();
                if !offenders.is_empty() {
                    parts.push(format!("also reachable by {}", listed(&offenders)));
                }
                if !missing.is_empty() {
                    parts.push(format!("not reachable by {}", listed(&missing)));
                }
                o.summary = parts.join("; ");
                o.reasons = reasons;
            }
            out.push(o);
        }
    }

    // ----- can_perform, cannot_perform -----------------------------------

    fn ask(
        &self,
        principal: &str,
        action: &str,
        resource: &str,
        context: &Context,
    ) -> Result<Performance, String> {
        self.diagnoser
            .perform(&PerformRequest {
                principal: principal.to_owned(),
                action: action.to_owned(),
                resource: resource.to_owned(),
                context: context.clone(),
            })
            .map_err(|e| e.to_string())
    }

    /// The actions an action or action pattern stands for.
    fn actions(pattern: &str) -> Vec<String> {
        if !is_pattern(pattern) {
            return vec![pattern.to_owned()];
        }
        match crate::catalog::embedded() {
            Ok(catalog) => catalog
                .expand(pattern)
                .into_iter()
                .map(|a| format!("{}:{}", a.service().prefix(), a.name()))
                .collect(),
            Err(_) => vec![pattern.to_owned()],
        }
    }

    /// The roles a principal can become, nearest first.
    fn reached_roles(&self, principal: &str) -> Rc<Vec<Reach>> {
        match self.graph().find(principal) {
            Some(node) => self.reachable(node),
            None => Rc::new(Vec::new()),
        }
    }

    fn perform(&self, p: &Perform, can: bool, out: &mut Vec<Outcome>) {
        let kind = if can { "can_perform" } else { "cannot_perform" };
        let principals = match self.identities(&p.principal.value) {
            Identities::Found(found) => found,
            Identities::Missing(status, message) => {
                let mut o = outcome(kind, p.principal.span, p.principal.value.text().to_owned());
                o.status = status;
                o.summary = message;
                out.push(o);
                return;
            }
        };
        for action in &p.actions {
            for resource in &p.resources {
                let subject = format!(
                    "{}: {} on {}",
                    p.principal.value.text(),
                    action.value,
                    resource.value
                );
                let mut o = outcome(kind, action.span, subject);
                let actions = Self::actions(&action.value);
                if can {
                    self.can_perform(&principals, &actions, &resource.value, p, &mut o);
                } else {
                    self.cannot_perform(&principals, &actions, &resource.value, p, &mut o);
                }
                out.push(o);
            }
        }
    }

    /// The statements of one effect that applied.
    fn deciding(p: &Performance, effect: &str) -> Vec<Site> {
        p.statements
            .iter()
            .filter(|s| s.statement.effect == effect)
            .cloned()
            .collect()
    }

    /// Why a request is not allowed.
    fn denial(principal: &str, p: &Performance) -> Reason {
        let mut reason = Reason::new(format!(
            "`{principal}` is not allowed `{}` on `{}`: {}",
            p.action, p.resource, p.reason
        ));
        if p.decision == Decision::ExplicitDeny {
            reason.statements = Self::deciding(p, "Deny");
        } else {
            for m in &p.near_misses {
                reason.details.push(m.detail.clone());
                reason.statements.push(m.site.clone());
            }
            if p.outcome(PolicyType::Identity) != Some(TypeOutcome::Allowed) {
                reason.fix = Some(Fix {
                    summary: format!(
                        "add to an identity policy of `{principal}` a statement allowing `{}`",
                        p.action
                    ),
                    target: principal.to_owned(),
                    json: json!({"Effect": "Allow", "Action": p.action, "Resource": p.resource}),
                });
            }
        }
        reason.details.extend(p.notes.iter().cloned());
        reason
    }

    fn can_perform(
        &self,
        principals: &[String],
        actions: &[String],
        resource: &str,
        p: &Perform,
        o: &mut Outcome,
    ) {
        let mut failed = Vec::new();
        let mut reasons = Vec::new();
        let mut via = Vec::new();
        for principal in principals {
            for action in actions {
                let answer = match self.ask(principal, action, resource, &p.context) {
                    Ok(a) => a,
                    Err(e) => {
                        failed.push(format!("{principal} {action}"));
                        reasons.push(Reason::new(e));
                        continue;
                    }
                };
                if answer.allowed {
                    continue;
                }
                let mut reached_by = None;
                if p.via_roles {
                    for r in self.reached_roles(principal).iter() {
                        let Some(role) = self.graph().node(r.node) else {
                            continue;
                        };
                        if self
                            .ask(&role.id, action, resource, &p.context)
                            .is_ok_and(|a| a.allowed)
                        {
                            reached_by = Some(role.id.clone());
                            break;
                        }
                    }
                }
                match reached_by {
                    Some(role) => via.push(format!("{action} through `{role}`")),
                    None => {
                        failed.push(format!("{principal} {action}"));
                        if reasons.len() <= LISTED {
                            let mut reason = Self::denial(principal, &answer);
                            if p.via_roles {
                                let n = self.reached_roles(principal).len();
                                reason.details.push(format!(
                                    "none of the {n} role{} it can reach is allowed either",
                                    if n == 1 { "" } else { "s" }
                                ));
                            }
                            reasons.push(reason);
                        }
                    }
                }
            }
        }
        if failed.is_empty() {
            o.summary = if via.is_empty() {
                "allowed".to_owned()
            } else {
                format!("allowed: {}", via.join(", "))
            };
        } else {
            o.status = Status::Fail;
            o.summary = format!("not allowed: {}", listed(&failed));
            o.reasons = capped(reasons, &failed);
        }
    }

    /// Why a request is, or may be, allowed.
    fn allowance(principal: &str, p: &Performance) -> Reason {
        if p.possibility == Possibility::Conditional && !p.allowed {
            let mut reason = Reason::new(format!(
                "`{principal}` is allowed `{}` on `{}` when the request meets conditions it controls",
                p.action, p.resource
            ));
            reason.details = p.conditions.iter().map(condition_text).collect();
            reason.statements = p.conditional_statements.clone();
            reason
        } else {
            let mut reason = Reason::new(format!(
                "`{principal}` is allowed `{}` on `{}`",
                p.action, p.resource
            ));
            reason.statements = Self::deciding(p, "Allow");
            reason.details = p.conditions.iter().map(condition_text).collect();
            reason
        }
    }

    fn cannot_perform(
        &self,
        principals: &[String],
        actions: &[String],
        resource: &str,
        p: &Perform,
        o: &mut Outcome,
    ) {
        let mut allowed = Vec::new();
        let mut reasons = Vec::new();
        let mut unknown = Vec::new();
        for principal in principals {
            let reached = if p.via_roles {
                self.reached_roles(principal)
            } else {
                Rc::new(Vec::new())
            };
            for action in actions {
                match self.ask(principal, action, resource, &p.context) {
                    Ok(a) if a.possibility != Possibility::Never => {
                        allowed.push(format!("{principal} {action}"));
                        if reasons.len() <= LISTED {
                            reasons.push(Self::allowance(principal, &a));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => unknown.push(e),
                }
                for r in reached.iter() {
                    let Some(role) = self.graph().node(r.node) else {
                        continue;
                    };
                    let Ok(a) = self.ask(&role.id, action, resource, &p.context) else {
                        continue;
                    };
                    if a.possibility == Possibility::Never {
                        continue;
                    }
                    allowed.push(format!("{principal} {action} through {}", role.id));
                    if reasons.len() <= LISTED {
                        let inner = Self::allowance(&role.id, &a);
                        let mut reason = self.path_reason(
                            r,
                            format!(
                                "`{principal}` can become `{}`, and {}",
                                role.id, inner.message
                            ),
                        );
                        reason.details.extend(inner.details);
                        reason.statements.extend(inner.statements);
                        reasons.push(reason);
                    }
                }
            }
        }
        if !allowed.is_empty() {
            o.status = Status::Fail;
            o.summary = format!("allowed: {}", listed(&allowed));
            o.reasons = capped(reasons, &allowed);
        } else if !unknown.is_empty() {
            o.status = Status::Unknown;
            o.summary = unknown.join("; ");
        } else {
            o.summary = "denied whatever the request context".to_owned();
        }
    }

    // ----- setup templates -----------------------------------------------

    fn instance_profile(&self, t: &InstanceProfile, out: &mut Vec<Outcome>) {
        let server = &t.server_role.value;
        let mut o = outcome("has_instance_profile", t.server_role.span, server.clone());
        match self.inventory.role(server) {
            None => {
                if let Roles::Missing(status, message) = self.missing_role(server) {
                    o.status = status;
                    o.summary = message;
                }
            }
            Some(role) => {
                let mut profiles: BTreeSet<&str> =
                    role.instance_profiles.iter().map(String::as_str).collect();
                profiles.extend(
                    self.inventory
                        .instance_profiles()
                        .iter()
                        .filter(|p| p.roles.iter().any(|r| r == server))
                        .map(|p| p.arn.as_str()),
                );
                if profiles.is_empty() {
                    o.status = Status::Fail;
                    o.summary = "no instance profile holds the role".into();
                    let mut reason = Reason::new(
                        "EC2 delivers a role's credentials to instances only through an instance profile holding it",
                    );
                    reason.declarations.extend(declaration(
                        format!("role `{server}`"),
                        role.common.declared.as_ref(),
                    ));
                    let name = &role.common.name;
                    reason.fix = Some(Fix {
                        summary: format!(
                            "create an instance profile and add the role: `aws iam create-instance-profile --instance-profile-name {name}` then `aws iam add-role-to-instance-profile --instance-profile-name {name} --role-name {name}`"
                        ),
                        target: server.clone(),
                        json: serde_json::Value::Null,
                    });
                    o.reasons.push(reason);
                } else {
                    let names: Vec<String> = profiles.iter().map(|p| (*p).to_owned()).collect();
                    o.summary = format!("held by {}", listed(&names));
                }
            }
        }
        out.push(o);
        if let Ok(pattern) = RolePattern::parse(server) {
            let role = Located {
                value: pattern,
                span: t.server_role.span,
            };
            self.can_assume_pattern("ec2.amazonaws.com", &role, &AssumeParams::default(), out);
        }
        let mut accounts = BTreeSet::new();
        for target in &t.target_roles {
            if let Roles::Found(roles) = self.roles(&target.value) {
                accounts.extend(
                    roles
                        .iter()
                        .map(|r| self.role(*r).common.account_id.clone()),
                );
            }
            self.can_assume_pattern(server, target, &AssumeParams::default(), out);
        }
        if !t.wildcard_ok && self.inventory.role(server).is_some() {
            out.push(self.no_wildcard_assume(server, t.server_role.span, &accounts));
        }
    }

    /// Whether the role may assume roles of the accounts that nobody named:
    /// a grant on every role (`"Resource": "*"`) rather than on its targets.
    fn no_wildcard_assume(&self, server: &str, span: Span, accounts: &BTreeSet<String>) -> Outcome {
        let mut o = outcome("no_wildcard_assume", span, server.to_owned());
        let mut reasons = Vec::new();
        for account in accounts {
            let probe = format!("arn:aws:iam::{account}:role/{PROBE_ROLE}");
            let Ok(p) = self.ask(server, "sts:AssumeRole", &probe, &Vec::new()) else {
                continue;
            };
            if p.outcome(PolicyType::Identity) != Some(TypeOutcome::Allowed) {
                continue;
            }
            let mut reason = Reason::new(format!(
                "its identity policies allow `sts:AssumeRole` on every role of account `{account}`, not only on the target roles"
            ));
            reason.statements = p
                .statements
                .iter()
                .filter(|s| {
                    s.statement.policy_type == PolicyType::Identity && s.statement.effect == "Allow"
                })
                .cloned()
                .collect();
            reason.fix = Some(Fix {
                summary: "list the target role ARNs in the statement's `Resource` instead of a wildcard, or set `wildcard_ok = true`".into(),
                target: server.to_owned(),
                json: serde_json::Value::Null,
            });
            reasons.push(reason);
        }
        if reasons.is_empty() {
            o.summary = "sts:AssumeRole is granted on named roles only".into();
        } else {
            o.status = Status::Fail;
            o.summary = "sts:AssumeRole is granted on any role (`Resource: \"*\"`)".into();
            o.reasons = reasons;
        }
        o
    }

    fn user_access_key(&self, t: &UserAccessKey, out: &mut Vec<Outcome>) {
        let arn = &t.user.value;
        let mut o = outcome("has_access_key", t.user.span, arn.clone());
        match self.inventory.user(arn) {
            None => {
                let account = arn_account(arn).unwrap_or_default();
                if self.diagnoser.covers(account) {
                    o.status = Status::Fail;
                    o.summary = format!(
                        "user `{arn}` does not exist: the inventory holds account `{account}`, without such a user"
                    );
                } else {
                    o.status = Status::Unknown;
                    o.summary = format!(
                        "account `{account}` is not in the inventory, so user `{arn}` is unknown"
                    );
                }
            }
            Some(user) => match &user.access_keys {
                None => {
                    o.status = Status::Unknown;
                    o.summary = format!(
                        "the inventory does not say whether the user has an access key: give account `{}`'s credential report",
                        user.common.account_id
                    );
                }
                Some(_) if user.has_active_access_key() => {
                    o.summary = "has an active access key".into();
                }
                Some(keys) => {
                    o.status = Status::Fail;
                    o.summary = if keys.is_empty() {
                        "the user has no access key".into()
                    } else {
                        "every access key of the user is inactive".into()
                    };
                    let mut reason = Reason::new(
                        "an integration that signs in with an access key needs an active one",
                    );
                    reason.declarations.extend(declaration(
                        format!("user `{arn}`"),
                        user.common.declared.as_ref(),
                    ));
                    o.reasons.push(reason);
                }
            },
        }
        out.push(o);
        let params = AssumeParams {
            duration_seconds: Some(t.duration_seconds),
            ..AssumeParams::default()
        };
        for role in &t.integration_roles {
            self.can_assume_pattern(arn, role, &params, out);
        }
    }

    fn same_role_in_accounts(&self, t: &SameRoleInAccounts, out: &mut Vec<Outcome>) {
        let engine = &t.engine_role.value;
        let name = &t.role_name.value;
        for account in &t.accounts {
            let arn = format!("arn:aws:iam::{}:role/{name}", account.value);
            // A role with a path has it in its ARN; the name is what matters.
            let found = match self.inventory.get(&arn) {
                Some(Entity::Role(i)) => Some(i),
                _ => self
                    .roles_by_name
                    .get(name.as_str())
                    .into_iter()
                    .flatten()
                    .copied()
                    .find(|i| self.role(*i).common.account_id == account.value),
            };
            match found {
                Some(i) => {
                    let role = self.role(i).common.arn.clone();
                    out.push(self.can_assume(
                        engine,
                        &role,
                        account.span,
                        &AssumeParams::default(),
                    ));
                }
                None => {
                    let mut o = outcome("can_assume", account.span, format!("{engine} → {arn}"));
                    if let Roles::Missing(status, message) = self.missing_role(&arn) {
                        o.status = status;
                        o.summary = message;
                    }
                    out.push(o);
                }
            }
        }
    }

    fn integration_permissions(&self, t: &IntegrationPermissions, out: &mut Vec<Outcome>) {
        let role = &t.role.value;
        let exists = self.inventory.role(role).is_some();
        for (command, actions) in &t.commands {
            let needed: Vec<&str> = actions.iter().map(|a| a.value.as_str()).collect();
            let mut o = outcome(
                "can_perform",
                command.span,
                format!(
                    "{role}: command `{}` ({})",
                    command.value,
                    needed.join(", ")
                ),
            );
            if !exists {
                if let Roles::Missing(status, message) = self.missing_role(role) {
                    o.status = status;
                    o.summary = message;
                }
                out.push(o);
                continue;
            }
            let mut missing = Vec::new();
            let mut reasons = Vec::new();
            for action in actions {
                for a in Self::actions(&action.value) {
                    for resource in &t.resources {
                        match self.ask(role, &a, &resource.value, &Vec::new()) {
                            Ok(p) if p.allowed => {}
                            Ok(p) => {
                                missing.push(a.clone());
                                reasons.push(Self::denial(role, &p));
                            }
                            Err(e) => {
                                missing.push(a.clone());
                                reasons.push(Reason::new(e));
                            }
                        }
                    }
                }
            }
            if missing.is_empty() {
                o.summary = "every action it needs is allowed".into();
            } else {
                o.status = Status::Fail;
                o.summary = format!(
                    "the command needs {}, which the role is not allowed",
                    listed(&missing)
                );
                o.reasons = capped(reasons, &missing);
            }
            out.push(o);
        }
    }
}

/// The parameters of an AssumeRole.
#[derive(Debug, Clone, Default)]
struct AssumeParams {
    external_id: Option<String>,
    duration_seconds: Option<u32>,
    mfa: bool,
    context: Context,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::{Options, Status, parse, verify};
    use crate::graph::testing::dump_inventory;
    use crate::inventory::{InputSpec, Inventory, LoadOptions, load};
    use crate::source::SourceFile;

    const A: &str = "111111111111";
    const OUTSIDE: &str = "999999999999";

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn user(name: &str, statements: Value) -> Value {
        json!({
            "Path": "/", "UserName": name, "UserId": format!("AIDA{name}"),
            "Arn": format!("arn:aws:iam::{A}:user/{name}"),
            "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": doc(statements)}],
            "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
        })
    }

    fn role(name: &str, trust: Value, statements: Value) -> Value {
        json!({
            "Path": "/", "RoleName": name, "RoleId": format!("AROA{name}"),
            "Arn": format!("arn:aws:iam::{A}:role/{name}"),
            "AssumeRolePolicyDocument": doc(trust),
            "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
            "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": doc(statements)}],
        })
    }

    fn trusting(principal: Value) -> Value {
        json!([{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}])
    }

    fn arn(kind: &str, name: &str) -> String {
        format!("arn:aws:iam::{A}:{kind}/{name}")
    }

    /// `dev` may assume `first`, which may assume `second`; `builder` may
    /// pass `fn-role` to Lambda; `third` trusts an account outside.
    fn inventory() -> Inventory {
        let users = vec![
            user(
                "dev",
                json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn("role", "first")}]),
            ),
            user(
                "builder",
                json!([
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                    {"Effect": "Allow", "Action": "lambda:*", "Resource": "*"},
                ]),
            ),
            user(
                "ops",
                json!([{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
            ),
        ];
        let roles = vec![
            role(
                "first",
                trusting(json!({"AWS": arn("user", "dev")})),
                json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arn("role", "second")}]),
            ),
            role(
                "second",
                trusting(json!({"AWS": arn("role", "first")})),
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]),
            ),
            role(
                "fn-role",
                trusting(json!({"Service": "lambda.amazonaws.com"})),
                json!([{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]),
            ),
            role(
                "third",
                trusting(json!({"AWS": format!("arn:aws:iam::{OUTSIDE}:root")})),
                json!([{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]),
            ),
            role(
                "org-only",
                json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]),
                json!([{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]),
            ),
        ];
        let dump = json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []});
        dump_inventory(A, &dump)
    }

    fn run(inventory: &Inventory, text: &str, options: &Options) -> Vec<(Status, String, String)> {
        let e = parse(SourceFile::new("e.toml", text)).unwrap();
        verify(inventory, &e, options)
            .outcomes
            .into_iter()
            .map(|o| {
                let reasons: Vec<String> = o
                    .reasons
                    .iter()
                    .flat_map(|r| std::iter::once(r.message.clone()).chain(r.details.clone()))
                    .collect();
                (
                    o.status,
                    o.kind.to_owned(),
                    format!("{} | {}", o.summary, reasons.join(" | ")),
                )
            })
            .collect()
    }

    // Role chaining is a path ("Methods to assume a role", role chaining,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html).
    #[test]
    fn cannot_assume_follows_chaining() {
        let inv = inventory();
        let text = format!(
            "[[cannot_assume]]\nprincipals = [\"{}\"]\nroles = [\"{}\"]\n",
            arn("user", "dev"),
            arn("role", "second")
        );
        let out = run(&inv, &text, &Options::default());
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(out[0].2.contains("in 2 hops"), "{out:?}");
        assert!(out[0].2.contains("assumes (role chaining)"), "{out:?}");
    }

    // Passing a role to a service that runs code as it is a path
    // ("Granting a user permissions to pass a role to an AWS service",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    #[test]
    fn cannot_assume_counts_pass_role() {
        let inv = inventory();
        let text = format!(
            "[[cannot_assume]]\nprincipals = [\"arn:aws:iam::{A}:user/*\"]\nroles = [\"{}\"]\n",
            arn("role", "fn-role")
        );
        let out = run(&inv, &text, &Options::default());
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(
            out[0].2.contains("passes it to lambda.amazonaws.com"),
            "{out:?}"
        );
    }

    #[test]
    fn only_assumable_by_is_the_complete_set() {
        let inv = inventory();
        let second = arn("role", "second");
        let only = |principals: &str| {
            run(
                &inv,
                &format!(
                    "[[only_assumable_by]]\nrole = \"{second}\"\nprincipals = [{principals}]\n"
                ),
                &Options::default(),
            )
        };
        // `dev` reaches `second` through `first`: not listed.
        let out = only(&format!("\"{}\"", arn("role", "first")));
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(
            out[0]
                .2
                .contains("also reachable by `arn:aws:iam::111111111111:user/dev`"),
            "{out:?}"
        );
        let out = only(&format!(
            "\"{}\", \"{}\"",
            arn("role", "first"),
            arn("user", "dev")
        ));
        assert_eq!(out[0].0, Status::Pass, "{out:?}");
        // A listed principal that cannot reach the role fails too.
        let out = only(&format!(
            "\"{}\", \"{}\", \"{}\"",
            arn("role", "first"),
            arn("user", "dev"),
            arn("user", "ops")
        ));
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(
            out[0]
                .2
                .contains("not reachable by `arn:aws:iam::111111111111:user/ops`"),
            "{out:?}"
        );
    }

    // External principals as IAM Access Analyzer counts them
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html):
    // other accounts, anyone; a `aws:PrincipalOrgID` condition on the
    // organization keeps them out.
    #[test]
    fn external_principals_and_the_zone_of_trust() {
        let inv = inventory();
        let text = format!(
            "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"{}\", \"{}\", \"{}\"]\n",
            arn("role", "third"),
            arn("role", "org-only"),
            arn("role", "second")
        );
        let out = run(&inv, &text, &Options::default());
        let statuses: Vec<Status> = out.iter().map(|o| o.0).collect();
        // Without the organization id, `*` with an org condition is open.
        assert_eq!(
            statuses,
            [Status::Fail, Status::Fail, Status::Pass],
            "{out:?}"
        );
        assert!(out[0].2.contains(OUTSIDE), "{out:?}");
        let options = Options {
            trusted_accounts: vec![OUTSIDE.into()],
            org_id: Some("o-abc123".into()),
        };
        let out = run(&inv, &text, &options);
        let statuses: Vec<Status> = out.iter().map(|o| o.0).collect();
        assert_eq!(
            statuses,
            [Status::Pass, Status::Pass, Status::Pass],
            "{out:?}"
        );
        let anyone = format!(
            "[[cannot_assume]]\nprincipals = [\"anyone\"]\nroles = [\"{}\"]\n",
            arn("role", "org-only")
        );
        assert_eq!(run(&inv, &anyone, &Options::default())[0].0, Status::Fail);
        assert_eq!(run(&inv, &anyone, &options)[0].0, Status::Pass);
    }

    #[test]
    fn can_perform_via_roles() {
        let inv = inventory();
        let text = |via: bool| {
            format!(
                "[[can_perform]]\nprincipal = \"{}\"\nactions = [\"s3:GetObject\"]\nresources = [\"arn:aws:s3:::b/k\"]\nvia_roles = {via}\n",
                arn("user", "dev")
            )
        };
        let out = run(&inv, &text(false), &Options::default());
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        let out = run(&inv, &text(true), &Options::default());
        assert_eq!(out[0].0, Status::Pass, "{out:?}");
        assert!(out[0].2.contains("second"), "{out:?}");
        let cannot = format!(
            "[[cannot_perform]]\nprincipal = \"{}\"\nactions = [\"s3:GetObject\"]\nresources = [\"*\"]\nvia_roles = true\n",
            arn("user", "dev")
        );
        let out = run(&inv, &cannot, &Options::default());
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(out[0].2.contains("can become"), "{out:?}");
    }

    // `cannot_perform` holds for every context the caller could send: an
    // MFA condition the caller can meet does not make it hold
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
    #[test]
    fn cannot_perform_considers_every_context() {
        let inv = inventory();
        let text = format!(
            "[[cannot_perform]]\nprincipal = \"{}\"\nactions = [\"ec2:StopInstances\", \"ec2:Terminate*\"]\nresources = [\"*\"]\n\n[[can_perform]]\nprincipal = \"{}\"\nactions = [\"ec2:StopInstances\"]\nresources = [\"*\"]\ncontext = {{ \"aws:MultiFactorAuthPresent\" = true }}\n",
            arn("user", "ops"),
            arn("user", "ops")
        );
        let out = run(&inv, &text, &Options::default());
        assert_eq!(out[0].0, Status::Fail, "{out:?}");
        assert!(out[0].2.contains("aws:MultiFactorAuthPresent"), "{out:?}");
        assert_eq!(out[1].0, Status::Pass, "{out:?}");
        assert_eq!(out[2].0, Status::Pass, "{out:?}");
    }

    // A principal of another account is taken to be allowed by its own
    // administrators (as `why` does); one of an account of the zone of
    // trust that the inventory lacks is unknown.
    #[test]
    fn principals_of_unfetched_accounts_are_unknown() {
        let inv = inventory();
        let text = format!(
            "[[can_assume]]\nprincipal = \"arn:aws:iam::{OUTSIDE}:user/vendor\"\nroles = [\"{}\"]\n",
            arn("role", "third")
        );
        let out = run(&inv, &text, &Options::default());
        assert_eq!(out[0].0, Status::Pass, "{out:?}");
        let ours = Options {
            trusted_accounts: vec![OUTSIDE.into()],
            org_id: None,
        };
        let out = run(&inv, &text, &ours);
        assert_eq!(out[0].0, Status::Unknown, "{out:?}");
        assert!(out[0].2.contains("zone of trust"), "{out:?}");
    }

    // Without its trust policy, who can assume a role is unknown, not
    // "nobody".
    #[test]
    fn roles_without_a_trust_policy_are_unknown() {
        let mut bare = role("bare", json!([]), json!([]));
        if let Some(map) = bare.as_object_mut() {
            map.remove("AssumeRolePolicyDocument");
        }
        let dump = json!({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [bare], "Policies": []});
        let outcome = load(
            &[InputSpec::Text {
                name: "a.json".into(),
                text: dump.to_string(),
            }],
            &LoadOptions::default(),
        );
        let text = format!(
            "[[cannot_assume]]\nprincipals = [\"external\"]\nroles = [\"{0}\"]\n\n[[only_assumable_by]]\nrole = \"{0}\"\nprincipals = []\n",
            arn("role", "bare")
        );
        let out = run(&outcome.inventory, &text, &Options::default());
        let statuses: Vec<Status> = out.iter().map(|o| o.0).collect();
        assert_eq!(statuses, [Status::Unknown, Status::Unknown], "{out:?}");
    }

    #[test]
    fn missing_roles_fail_or_are_unknown() {
        let inv = inventory();
        let text = format!(
            "[[can_assume]]\nprincipal = \"{}\"\nroles = [\"{}\", \"arn:aws:iam::{OUTSIDE}:role/x\", \"arn:aws:iam::*:role/nothing-*\"]\n",
            arn("user", "dev"),
            arn("role", "gone")
        );
        let out = run(&inv, &text, &Options::default());
        let statuses: Vec<Status> = out.iter().map(|o| o.0).collect();
        assert_eq!(
            statuses,
            [Status::Fail, Status::Unknown, Status::Unknown],
            "{out:?}"
        );
        assert!(out[0].2.contains("does not exist"), "{out:?}");
        assert!(out[1].2.contains("not in the inventory"), "{out:?}");
    }
}
