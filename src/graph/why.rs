//! `why`: the diagnosis of one AssumeRole — every check AWS makes, in
//! order, each passed, failed or not applicable, with the statement that
//! decided it in its source, and for each failure the smallest change that
//! makes it pass.
//!
//! The checks follow "Policy evaluation logic"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
//! for the policies and the `AssumeRole` API reference
//! (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
//! for the parameters. The engine decides; the checks say which part of the
//! decision each policy type played.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::eval::trace::{MissDetail, NearMiss, Outcome, StatementRef, TypeTrace};
use crate::eval::{ContextValue, Principal};
use crate::eval::{
    Decision, Grant, PolicyType, PrincipalKind, Relation, RequestContext, RequestError,
    applying_statements, evaluate,
};
use crate::inventory::{DEFAULT_MAX_SESSION_DURATION, Entity, Inventory, Role};
use crate::policy::Origin;
use crate::source::SourceFile;

use super::caller::{Caller, EXTERNAL_IDENTITY, RequestBuilder};
use super::fix::{self, Fix};
use super::policies::{CallerSide, Origins, Policies, compile};

/// What to diagnose.
#[derive(Debug, Clone, Default)]
pub struct WhyRequest {
    /// The caller: a user or role ARN, an assumed-role session ARN, a
    /// service principal, an OIDC or SAML provider.
    pub principal: String,
    /// The role ARN.
    pub role: String,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `DurationSeconds` (AWS's default: 3600).
    pub duration_seconds: Option<u32>,
    /// Whether the caller signed in with MFA.
    pub mfa: bool,
    /// The caller's source IP address.
    pub source_ip: Option<String>,
    /// `RoleSessionName` (default `rolecall`).
    pub session_name: Option<String>,
    /// More context keys (`KEY=VALUE`; a key given twice is multivalued).
    pub context: Vec<(String, String)>,
}

/// Why a diagnosis cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum WhyError {
    /// The role is not in the inventory.
    #[error("role `{0}` is not in the inventory")]
    #[diagnostic(help("give the snapshot, auth-details file, template or plan that declares it"))]
    UnknownRole(String),
    /// The caller or a context value is invalid.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The trust policy cannot be evaluated.
    #[error("the trust policy of `{role}` cannot be evaluated: {message}")]
    Trust {
        /// The role.
        role: String,
        /// Why.
        message: String,
    },
}

/// One check, in the order AWS makes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    /// The caller's identity-based policies.
    Identity,
    /// The caller's permissions boundary.
    Boundary,
    /// The caller's session policy.
    SessionPolicy,
    /// The SCPs of the caller's account.
    Scp,
    /// The role's trust policy.
    Trust,
    /// The RCPs of the role's account.
    Rcp,
    /// `DurationSeconds` against `MaxSessionDuration` and role chaining.
    Duration,
    /// `RoleSessionName` (and `ExternalId`) syntax.
    SessionName,
}

impl CheckId {
    /// A title for people.
    pub fn title(self) -> &'static str {
        match self {
            Self::Identity => "identity-based policies of the caller",
            Self::Boundary => "permissions boundary of the caller",
            Self::SessionPolicy => "session policy of the caller",
            Self::Scp => "service control policies of the caller's account",
            Self::Trust => "trust policy of the role",
            Self::Rcp => "resource control policies of the role's account",
            Self::Duration => "session duration",
            Self::SessionName => "session name and external id syntax",
        }
    }
}

/// A check's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check lets the assume through.
    Pass,
    /// The check stops it.
    Fail,
    /// The check does not apply to this caller and role (or is not needed).
    NotApplicable,
}

/// A statement with where it is: the file the user gave and the line there.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// The file holding the policy.
    pub file: String,
    /// The line in that file (for a policy held as an encoded string, the
    /// string's line; `statement.location` is then within the decoded
    /// document).
    pub line: Option<usize>,
    /// Whether the policy is held as an encoded string in the file.
    pub embedded: bool,
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its title.
    pub title: &'static str,
    /// Pass, fail or not applicable.
    pub status: CheckStatus,
    /// One sentence.
    pub summary: String,
    /// More lines (a failing condition's values, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// The statements that decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Site>,
    /// For a failure: the smallest change that makes it pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A context key the diagnosis used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextEntry {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: String,
    /// Whether rolecall chose it (AWS sets it on every request; override
    /// with `--context`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

/// The diagnosis.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// The caller as evaluated.
    pub principal: String,
    /// Its kind.
    pub principal_kind: PrincipalKind,
    /// The role.
    pub role: String,
    /// The STS action.
    pub action: &'static str,
    /// Whether the assume would succeed.
    pub allowed: bool,
    /// The engine's decision on the policies.
    pub decision: Decision,
    /// Why, in a sentence.
    pub reason: String,
    /// Same account, cross-account, or a caller outside any account.
    pub relation: Relation,
    /// What AWS would answer when it fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
    /// The context keys given or assumed.
    pub context: Vec<ContextEntry>,
    /// `DurationSeconds` requested.
    pub duration_seconds: u32,
    /// `RoleSessionName` requested.
    pub session_name: String,
    /// The checks, in AWS's order.
    pub checks: Vec<Check>,
    /// What the inventory does not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The role named, or an error.
fn find_role<'i>(inventory: &'i Inventory, arn: &str) -> Result<(usize, &'i Role), WhyError> {
    match inventory.get(arn) {
        Some(Entity::Role(i)) => Ok((i, &inventory.roles()[i])),
        _ => Err(WhyError::UnknownRole(arn.to_owned())),
    }
}

/// The caller named: an inventory principal (a session resolves to its
/// role), or what stands for it.
pub(crate) fn find_caller(
    policies: &Policies<'_>,
    text: &str,
    notes: &mut Vec<String>,
) -> Result<Caller, WhyError> {
    let inventory = policies.inventory;
    match inventory.get(text) {
        Some(Entity::User(i)) => return Ok(Caller::User(i)),
        Some(Entity::Role(i)) => return Ok(Caller::Role(i)),
        _ => {}
    }
    let principal = Principal::parse(text, None).map_err(RequestError::from)?;
    Ok(match principal {
        Principal::RoleSession {
            account, role_name, ..
        } => match inventory
            .roles()
            .iter()
            .position(|r| r.common.account_id == account && r.common.name == role_name)
        {
            Some(i) => Caller::Role(i),
            None => outside(policies, text, &account, notes),
        },
        Principal::User { account, .. } | Principal::FederatedUser { account, .. } => {
            outside(policies, text, &account, notes)
        }
        Principal::Root { account } => outside(
            policies,
            &format!("arn:aws:iam::{account}:root"),
            &account,
            notes,
        ),
        Principal::Service { name } => Caller::Service(name),
        Principal::WebIdentity { provider } | Principal::Saml { provider } => {
            Caller::Provider(provider)
        }
        Principal::Anonymous => Caller::Anyone,
    })
}

fn outside(policies: &Policies<'_>, arn: &str, account: &str, notes: &mut Vec<String>) -> Caller {
    if policies.covers(account) {
        notes.push(format!(
            "`{arn}` is not in the inventory, which covers account `{account}`: it has no policies here"
        ));
    } else {
        notes.push(format!(
            "`{arn}` is outside the inventory: its own account's policies are unknown and taken to allow"
        ));
    }
    Caller::ExternalPrincipal(arn.to_owned())
}

/// Today's date and time as ISO 8601 (`aws:CurrentTime`) and epoch seconds.
fn now() -> (String, String) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        ),
        secs.to_string(),
    )
}

/// The request context: what the user gave, and what AWS sets on every
/// AssumeRole call that rolecall fills in unless given.
fn context(request: &WhyRequest, session_name: &str) -> (RequestContext, Vec<ContextEntry>) {
    let mut given: Vec<(String, String)> = Vec::new();
    if let Some(id) = &request.external_id {
        given.push(("sts:ExternalId".into(), id.clone()));
    }
    if request.mfa {
        given.push(("aws:MultiFactorAuthPresent".into(), "true".into()));
        given.push(("aws:MultiFactorAuthAge".into(), "0".into()));
    }
    if let Some(ip) = &request.source_ip {
        given.push(("aws:SourceIp".into(), ip.clone()));
    }
    given.extend(request.context.iter().cloned());
    let session = (session_name, request.session_name.is_none());
    request_context(&given, Some(session))
}

/// A request context from the keys given (a key given twice is
/// multivalued) and the keys AWS sets on every request, filled in unless
/// given: the time, `aws:SecureTransport`, `aws:RequestedRegion`, and for
/// an AssumeRole `sts:RoleSessionName` (`session`: the name, and whether
/// rolecall chose it).
pub(crate) fn request_context(
    given: &[(String, String)],
    session: Option<(&str, bool)>,
) -> (RequestContext, Vec<ContextEntry>) {
    let mut context = RequestContext::new();
    let mut entries = Vec::new();
    for (key, value) in given {
        let merged = match context.get(key) {
            Some(existing) => {
                let mut values = existing.values().to_vec();
                values.push(value.clone());
                ContextValue::Multi(values)
            }
            None => ContextValue::Single(value.clone()),
        };
        context.insert(key.clone(), merged);
        entries.push(ContextEntry {
            key: key.clone(),
            value: value.clone(),
            default: false,
        });
    }
    let (time, epoch) = now();
    let defaults = [
        (
            "sts:RoleSessionName",
            session.map(|(name, _)| name.to_owned()),
        ),
        ("aws:CurrentTime", Some(time)),
        ("aws:EpochTime", Some(epoch)),
        ("aws:SecureTransport", Some("true".to_owned())),
        ("aws:RequestedRegion", Some("us-east-1".to_owned())),
    ];
    for (key, value) in defaults {
        let Some(value) = value else {
            continue;
        };
        if context.get(key).is_none() {
            context.insert(key, value.as_str());
            entries.push(ContextEntry {
                key: key.to_owned(),
                value,
                default: key != "sts:RoleSessionName" || session.is_some_and(|(_, chosen)| chosen),
            });
        }
    }
    (context, entries)
}

/// A statement with the file and line of its policy, found by the name
/// the policy was compiled under.
pub(crate) fn site(origins: &Origins, s: &StatementRef) -> Site {
    let origin: Option<&Origin> = origins
        .iter()
        .find(|(name, _)| *name == s.policy)
        .map(|(_, o)| o);
    let (file, line, embedded) = match origin {
        Some(o) => match &o.embedded {
            Some((_, literal)) => (
                o.file.name().to_owned(),
                Some(o.file.line_col(literal.start).line),
                true,
            ),
            None => (o.file.name().to_owned(), s.location.line, false),
        },
        None => (String::new(), s.location.line, false),
    };
    Site {
        statement: s.clone(),
        file,
        line,
        embedded,
    }
}

/// Everything the checks read.
struct Facts<'a> {
    outcomes: &'a [TypeTrace],
    applying: &'a [StatementRef],
    near: &'a [NearMiss],
    origins: &'a Origins,
    decision: Decision,
    relation: Relation,
    role: &'a str,
    action: &'static str,
    caller: &'a Caller,
    caller_id: &'a str,
    caller_has_policies: bool,
}

impl Facts<'_> {
    fn outcome(&self, t: PolicyType) -> Option<Outcome> {
        self.outcomes
            .iter()
            .find(|o| o.policy_type == t)
            .map(|o| o.outcome)
    }

    fn site(&self, s: &StatementRef) -> Site {
        site(self.origins, s)
    }

    fn statements(&self, t: PolicyType, effect: &str) -> Vec<Site> {
        self.applying
            .iter()
            .filter(|s| s.policy_type == t && s.effect == effect)
            .map(|s| self.site(s))
            .collect()
    }

    fn near(&self, t: PolicyType) -> impl Iterator<Item = &NearMiss> {
        self.near
            .iter()
            .filter(move |m| m.statement.policy_type == t)
    }

    /// The strongest grant of the trust policy's applicable `Allow`s.
    fn trust_grant(&self) -> Option<Grant> {
        self.applying
            .iter()
            .filter(|s| s.policy_type == PolicyType::Resource && s.effect == "Allow")
            .filter_map(|s| s.grant)
            .max()
    }

    /// Whether the identity side must allow: cross-account always; in the
    /// same account unless the trust policy names the caller itself.
    fn identity_needed(&self) -> bool {
        match self.relation {
            Relation::NoAccount => false,
            Relation::CrossAccount => true,
            Relation::SameAccount => {
                self.decision != Decision::Allowed && self.trust_grant() != Some(Grant::Direct)
            }
        }
    }
}

fn check(id: CheckId, status: CheckStatus, summary: impl Into<String>) -> Check {
    Check {
        id,
        title: id.title(),
        status,
        summary: summary.into(),
        details: Vec::new(),
        statements: Vec::new(),
        fix: None,
    }
}

/// The deny statements of a type, as a failed check.
fn denied(f: &Facts<'_>, id: CheckId, t: PolicyType, what: &str) -> Check {
    let statements = f.statements(t, "Deny");
    let fix = statements.first().map(|s| {
        fix::not_action_exception(&s.statement, f.action)
            .unwrap_or_else(|| fix::deny(&s.statement, f.action))
    });
    Check {
        statements,
        fix,
        ..check(
            id,
            CheckStatus::Fail,
            format!("{what} denies `{}` explicitly", f.action),
        )
    }
}

fn allowed(f: &Facts<'_>, id: CheckId, t: PolicyType, summary: String) -> Check {
    Check {
        statements: f.statements(t, "Allow"),
        ..check(id, CheckStatus::Pass, summary)
    }
}

/// The identity side (identity policies, or the boundary): allows, denies,
/// or lacks an allow that is needed.
fn identity_like(f: &Facts<'_>, id: CheckId, t: PolicyType, what: &str) -> Check {
    match f.outcome(t) {
        Some(Outcome::Denied) => denied(f, id, t, what),
        Some(Outcome::Allowed) => allowed(
            f,
            id,
            t,
            format!("{what} allows `{}` on the role", f.action),
        ),
        _ if !f.identity_needed() => check(
            id,
            CheckStatus::NotApplicable,
            format!(
                "not needed: the role is in the caller's account and its trust policy names the caller itself, so {what} need not allow"
            ),
        ),
        _ => {
            let near = f
                .near(t)
                .find(|m| matches!(m.detail, MissDetail::Resource { negated: false, .. }));
            let fix = near
                .and_then(|m| fix::add_to(&m.statement, "Resource", f.role))
                .unwrap_or_else(|| {
                    let target = match (t, f.caller) {
                        (PolicyType::Boundary, _) => f
                            .outcomes
                            .iter()
                            .find(|o| o.policy_type == t)
                            .and_then(|o| o.policies.first())
                            .map_or_else(|| "the boundary".to_owned(), |p| p.name.clone()),
                        _ => f.caller_id.to_owned(),
                    };
                    let kind = if t == PolicyType::Boundary {
                        "the permissions boundary"
                    } else {
                        "an identity policy of"
                    };
                    fix::identity_statement(f.action, f.role, &target, kind)
                });
            let why = if f.relation == Relation::CrossAccount {
                "the role is in another account, so the caller's own account must allow too"
            } else {
                "the trust policy names the caller's account, not the caller, so the caller's own policies must allow"
            };
            Check {
                statements: near.map(|m| f.site(&m.statement)).into_iter().collect(),
                details: near.map(miss_line).into_iter().collect(),
                fix: Some(fix),
                ..check(
                    id,
                    CheckStatus::Fail,
                    format!("{what} does not allow `{}` on the role: {why}", f.action),
                )
            }
        }
    }
}

/// A near miss in one line.
pub(crate) fn miss_line(m: &NearMiss) -> String {
    let s = &m.statement;
    let what = match &m.detail {
        MissDetail::Action {
            requested,
            patterns,
            ..
        } => {
            format!(
                "its `Action` lists {} but not `{requested}`",
                patterns.join(", ")
            )
        }
        MissDetail::Resource {
            requested,
            patterns,
            negated,
        } => {
            if *negated {
                format!("its `NotResource` excludes `{requested}`")
            } else {
                format!(
                    "its `Resource` lists {} but not `{requested}`",
                    patterns.join(", ")
                )
            }
        }
        MissDetail::Principal {
            requested, values, ..
        } => format!(
            "its `Principal` names {} but not `{requested}`",
            values.join(", ")
        ),
        MissDetail::Condition(c) => c.reason.clone(),
    };
    format!(
        "statement {} of `{}` nearly applies: {what}",
        s.statement, s.policy
    )
}

fn trust_check(f: &Facts<'_>, external_id: Option<&str>) -> Check {
    let id = CheckId::Trust;
    match f.outcome(PolicyType::Resource) {
        Some(Outcome::Denied) => denied(f, id, PolicyType::Resource, "the trust policy"),
        Some(Outcome::Allowed) => {
            let how = match f.trust_grant() {
                Some(Grant::Account) => {
                    "names the caller's account (which delegates to the caller's own policies)"
                }
                Some(Grant::RoleArn) => "names the caller's role",
                _ => "names the caller",
            };
            allowed(
                f,
                id,
                PolicyType::Resource,
                format!("the trust policy allows `{}` and {how}", f.action),
            )
        }
        _ => {
            let trust_name = f
                .outcomes
                .iter()
                .find(|o| o.policy_type == PolicyType::Resource)
                .and_then(|o| o.policies.first())
                .map_or_else(|| format!("{} trust policy", f.role), |p| p.name.clone());
            let key = principal_key(f.caller);
            // The nearest miss: a condition first (the trust is right, the
            // request is not), then a principal, then an action.
            let order = |m: &&NearMiss| match m.detail {
                MissDetail::Condition(_) => 0,
                MissDetail::Principal { negated: false, .. } => 1,
                MissDetail::Action { negated: false, .. } => 2,
                _ => 3,
            };
            let mut near: Vec<&NearMiss> = f.near(PolicyType::Resource).collect();
            near.sort_by_key(order);
            let best = near.first().copied().filter(|m| order(m) < 3);
            let fix = best
                .and_then(|m| match &m.detail {
                    MissDetail::Condition(c) => Some(fix::request_condition(c)),
                    MissDetail::Principal { .. } => {
                        fix::add_principal(&m.statement, key, f.caller_id)
                    }
                    MissDetail::Action { .. } => fix::add_to(&m.statement, "Action", f.action),
                    _ => None,
                })
                .unwrap_or_else(|| {
                    fix::trust_statement(key, f.caller_id, f.action, external_id, &trust_name)
                });
            let summary = match best.map(|m| &m.detail) {
                Some(MissDetail::Condition(c)) => format!(
                    "the trust policy names the caller, but its condition `{}` on `{}` does not hold",
                    c.operator, c.key
                ),
                Some(MissDetail::Principal { .. }) => {
                    "the trust policy allows the action to other principals, not to the caller"
                        .to_owned()
                }
                Some(MissDetail::Action { .. }) => format!(
                    "the trust policy names the caller for other actions, not `{}`",
                    f.action
                ),
                _ => "no statement of the trust policy allows the caller".to_owned(),
            };
            Check {
                statements: best.map(|m| f.site(&m.statement)).into_iter().collect(),
                details: best.map(miss_line).into_iter().collect(),
                fix: Some(fix),
                ..check(id, CheckStatus::Fail, summary)
            }
        }
    }
}

/// The `Principal` key that names a caller.
fn principal_key(caller: &Caller) -> &'static str {
    match caller {
        Caller::Service(_) => "Service",
        Caller::Provider(_) => "Federated",
        _ => "AWS",
    }
}

fn scp_check(f: &Facts<'_>, policies: &Policies<'_>, account: Option<&str>) -> Check {
    let id = CheckId::Scp;
    let Some(account) = account else {
        return check(
            id,
            CheckStatus::NotApplicable,
            "SCPs apply only to principals of member accounts; this caller belongs to no account",
        );
    };
    if policies.is_management_account(account) {
        return check(
            id,
            CheckStatus::NotApplicable,
            format!(
                "`{account}` is the organization's management account, which SCPs do not affect"
            ),
        );
    }
    let Some(trace) = f.outcomes.iter().find(|o| o.policy_type == PolicyType::Scp) else {
        return check(
            id,
            CheckStatus::NotApplicable,
            if policies.org.is_some() {
                format!("account `{account}` is not in the loaded organization")
            } else {
                "no organization is loaded (organization.json), so no SCPs are known".to_owned()
            },
        );
    };
    match trace.outcome {
        Outcome::Denied => denied(f, id, PolicyType::Scp, "a service control policy"),
        Outcome::Allowed => allowed(
            f,
            id,
            PolicyType::Scp,
            "every level of the organization allows it".to_owned(),
        ),
        _ => {
            let level = trace
                .levels
                .iter()
                .flatten()
                .find(|l| l.outcome != Outcome::Allowed)
                .map_or(0, |l| l.level);
            Check {
                fix: Some(Fix {
                    summary: format!(
                        "attach to level {level} of the organization (root = 0) an SCP with this statement"
                    ),
                    target: format!("SCPs of level {level}"),
                    json: serde_json::json!({"Effect": "Allow", "Action": f.action, "Resource": "*"}),
                }),
                ..check(
                    id,
                    CheckStatus::Fail,
                    format!(
                        "no SCP at level {level} allows `{}`: every level from the root down must",
                        f.action
                    ),
                )
            }
        }
    }
}

fn rcp_check(f: &Facts<'_>, policies: &Policies<'_>, account: &str) -> Check {
    let id = CheckId::Rcp;
    if policies.is_management_account(account) {
        return check(
            id,
            CheckStatus::NotApplicable,
            format!(
                "`{account}` is the organization's management account, which RCPs do not affect"
            ),
        );
    }
    match f.outcome(PolicyType::Rcp) {
        None => check(
            id,
            CheckStatus::NotApplicable,
            "no RCPs are known for the role's account",
        ),
        Some(Outcome::Denied) => denied(f, id, PolicyType::Rcp, "a resource control policy"),
        Some(_) => check(
            id,
            CheckStatus::Pass,
            "no RCP denies it (RCPFullAWSAccess allows at every level)",
        ),
    }
}

/// `DurationSeconds`: 900 to 43200, at most the role's `MaxSessionDuration`,
/// and at most one hour when chaining ("Role chaining" in "Methods to
/// assume a role", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html).
fn duration_check(requested: u32, role: &Role, chained: bool, notes: &mut Vec<String>) -> Check {
    let id = CheckId::Duration;
    let max = role.max_session_duration.unwrap_or_else(|| {
        notes.push(format!(
            "the inventory does not give `{}`'s MaxSessionDuration (add list-roles output): AWS's default of 3600 s is assumed",
            role.common.arn
        ));
        DEFAULT_MAX_SESSION_DURATION
    });
    let reduce = |to: u32, why: &str| Fix {
        summary: format!("request at most {to} seconds ({why})"),
        target: "request".into(),
        json: serde_json::json!({"DurationSeconds": to}),
    };
    if !(900..=43_200).contains(&requested) {
        return Check {
            fix: Some(reduce(
                requested.clamp(900, max.min(43_200)),
                "the API accepts 900 to 43200",
            )),
            ..check(
                id,
                CheckStatus::Fail,
                format!("DurationSeconds {requested} is outside 900–43200"),
            )
        };
    }
    if chained && requested > 3600 {
        let also = if requested > max {
            format!(", and the role's MaxSessionDuration is {max} s as well")
        } else {
            format!(" (the role's MaxSessionDuration of {max} s does not matter here)")
        };
        return Check {
            fix: Some(reduce(3600, "role chaining")),
            ..check(
                id,
                CheckStatus::Fail,
                format!(
                    "the caller holds role-session credentials, so this is role chaining, which AWS limits to 3600 s; {requested} s requested{also}"
                ),
            )
        };
    }
    if requested > max {
        return Check {
            fix: Some(Fix {
                summary: format!(
                    "request at most {max} seconds, or raise the role's MaxSessionDuration to {requested} (`aws iam update-role --max-session-duration {requested}`)"
                ),
                target: "request".into(),
                json: serde_json::json!({"DurationSeconds": max}),
            }),
            ..check(
                id,
                CheckStatus::Fail,
                format!("{requested} s requested, but the role's MaxSessionDuration is {max} s"),
            )
        };
    }
    let limit = if chained { max.min(3600) } else { max };
    check(
        id,
        CheckStatus::Pass,
        format!(
            "{requested} s is within {limit} s{}",
            if chained { " (role chaining)" } else { "" }
        ),
    )
}

/// `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`; `ExternalId`: 2–1224
/// of `[\w+=,.@:/-]` (AssumeRole API reference, "Request Parameters").
fn session_name_check(name: &str, external_id: Option<&str>) -> Check {
    let id = CheckId::SessionName;
    let valid = |s: &str, min: usize, max: usize, extra: &str| {
        (min..=max).contains(&s.chars().count())
            && s.chars().all(|c| {
                c.is_ascii_alphanumeric() || c == '_' || "+=,.@-".contains(c) || extra.contains(c)
            })
    };
    if !valid(name, 2, 64, "") {
        let fixed: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .chain(std::iter::repeat('-'))
            .take(name.chars().count().clamp(2, 64))
            .collect();
        return Check {
            fix: Some(Fix {
                summary: format!("use a session name such as `{fixed}`"),
                target: "request".into(),
                json: serde_json::json!({"RoleSessionName": fixed}),
            }),
            ..check(
                id,
                CheckStatus::Fail,
                format!(
                    "RoleSessionName `{name}` must be 2–64 characters of letters, digits and _+=,.@-"
                ),
            )
        };
    }
    if let Some(external) = external_id
        && !valid(external, 2, 1224, ":/")
    {
        return check(
            id,
            CheckStatus::Fail,
            format!(
                "ExternalId `{external}` must be 2–1224 characters of letters, digits and _+=,.@:/-"
            ),
        );
    }
    check(
        id,
        CheckStatus::Pass,
        format!("RoleSessionName `{name}` is valid"),
    )
}

/// Diagnoses one AssumeRole from the inventory. To diagnose many, build a
/// [`super::Diagnoser`] once.
pub fn why(inventory: &Inventory, request: &WhyRequest) -> Result<Diagnosis, WhyError> {
    diagnose(&Policies::new(inventory), request)
}

/// Diagnoses one AssumeRole with the inventory's policies indexed.
pub(crate) fn diagnose(
    policies: &Policies<'_>,
    request: &WhyRequest,
) -> Result<Diagnosis, WhyError> {
    let inventory = policies.inventory;
    let (_, role) = find_role(inventory, &request.role)?;
    let mut notes = Vec::new();
    let caller = find_caller(policies, &request.principal, &mut notes)?;
    let mut origins: Origins = Vec::new();
    let mut problems = Vec::new();
    let side = match &caller {
        Caller::User(i) => {
            policies.user_side(&inventory.users()[*i], &mut problems, Some(&mut origins))
        }
        Caller::Role(i) => {
            policies.role_side(&inventory.roles()[*i], &mut problems, Some(&mut origins))
        }
        Caller::ExternalPrincipal(arn)
            if !arn.split(':').nth(4).is_some_and(|a| policies.covers(a)) =>
        {
            external_side(&mut origins)
        }
        Caller::Anyone => external_side(&mut origins),
        _ => CallerSide::default(),
    };
    let mut trust_problems = Vec::new();
    let trust = policies
        .trust(role, &mut trust_problems, Some(&mut origins))
        .ok_or_else(|| WhyError::Trust {
            role: role.common.arn.clone(),
            message: trust_problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        })?;
    problems.extend(trust_problems);
    let rcps = policies.rcps(&role.common.account_id, &mut problems, Some(&mut origins));
    let set = side.with_role(Some(trust), rcps);
    let session_name = request
        .session_name
        .clone()
        .unwrap_or_else(|| "rolecall".into());
    let (context, entries) = context(request, &session_name);
    let action = caller.assume_action();
    let builder = RequestBuilder { policies };
    let (req, _) = builder.request(&caller, action, &role.common.arn, Some(role), context)?;
    let evaluation = evaluate(&set, &req);
    let applying = applying_statements(&set, &req);
    let trace = &evaluation.trace;
    let caller_id = match &caller {
        Caller::Role(i) => inventory.roles()[*i].common.arn.clone(),
        _ => caller.node(inventory).id,
    };
    let caller_has_policies = matches!(caller, Caller::User(_) | Caller::Role(_));
    let facts = Facts {
        outcomes: &trace.policy_types,
        applying: &applying,
        near: &trace.near_misses,
        origins: &origins,
        decision: evaluation.decision,
        relation: trace.relation,
        role: &role.common.arn,
        action,
        caller: &caller,
        caller_id: &caller_id,
        caller_has_policies,
    };
    let chained = caller.is_role();
    let requested = request.duration_seconds.unwrap_or(3600);
    let mut checks = Vec::new();
    checks.push(if !facts.caller_has_policies {
        check(
            CheckId::Identity,
            CheckStatus::NotApplicable,
            match &caller {
                Caller::Service(_) | Caller::Provider(_) => {
                    "a service or federated caller has no identity-based policies: the trust policy alone decides".to_owned()
                }
                _ => "the caller's identity-based policies are not in the inventory (see notes)".to_owned(),
            },
        )
    } else if facts.outcome(PolicyType::Identity).is_none() && facts.identity_needed() {
        Check {
            fix: Some(fix::identity_statement(action, &role.common.arn, &caller_id, "an identity policy of")),
            ..check(
                CheckId::Identity,
                CheckStatus::Fail,
                "the caller has no identity-based policies, and the role's account needs one to allow",
            )
        }
    } else {
        identity_like(&facts, CheckId::Identity, PolicyType::Identity, "an identity-based policy")
    });
    checks.push(if set.boundaries.is_empty() {
        check(
            CheckId::Boundary,
            CheckStatus::NotApplicable,
            "the caller has no permissions boundary",
        )
    } else {
        identity_like(
            &facts,
            CheckId::Boundary,
            PolicyType::Boundary,
            "the permissions boundary",
        )
    });
    checks.push(check(
        CheckId::SessionPolicy,
        CheckStatus::NotApplicable,
        if chained {
            "no session policy is known for the caller's session (one passed when it was created would limit it too)"
        } else {
            "the caller is not a session, so no session policy applies"
        },
    ));
    checks.push(scp_check(
        &facts,
        policies,
        req.principal.account().filter(|_| caller_has_policies),
    ));
    checks.push(trust_check(&facts, request.external_id.as_deref()));
    checks.push(rcp_check(&facts, policies, &role.common.account_id));
    checks.push(duration_check(requested, role, chained, &mut notes));
    checks.push(session_name_check(
        &session_name,
        request.external_id.as_deref(),
    ));
    let policy_allowed = evaluation.decision == Decision::Allowed;
    if !policy_allowed && !checks[..6].iter().any(|c| c.status == CheckStatus::Fail) {
        // The engine denies for a reason no single check shows (the root
        // user, say): keep the verdict honest.
        if let Some(c) = checks.iter_mut().find(|c| c.id == CheckId::Trust) {
            c.status = CheckStatus::Fail;
            c.summary = trace.reason.message.clone();
        }
    }
    let allowed = policy_allowed && checks.iter().all(|c| c.status != CheckStatus::Fail);
    // AWS names a role caller by its session ARN (the session name is
    // the caller's own, unknown here).
    let shown = match &caller {
        Caller::Role(i) => {
            let r = &inventory.roles()[*i];
            format!(
                "arn:aws:sts::{}:assumed-role/{}/SESSION",
                r.common.account_id, r.common.name
            )
        }
        _ => req.principal.display(),
    };
    let aws_error = (!allowed).then(|| aws_error(&checks, &shown, action, &role.common.arn));
    notes.extend(
        problems
            .into_iter()
            .map(|p| format!("{}: {}", p.subject, p.message)),
    );
    Ok(Diagnosis {
        principal: req.principal.display(),
        principal_kind: req.principal.kind(),
        role: role.common.arn.clone(),
        action,
        allowed,
        decision: evaluation.decision,
        reason: trace.reason.message.clone(),
        relation: trace.relation,
        aws_error,
        context: entries,
        duration_seconds: requested,
        session_name,
        checks,
        notes,
    })
}

/// The identity side of a caller outside the inventory.
fn external_side(origins: &mut Origins) -> CallerSide {
    let file: Arc<SourceFile> = SourceFile::new("(outside the inventory)", EXTERNAL_IDENTITY);
    let identity = crate::policy::PolicyDocument::from_file(file.clone(), None)
        .ok()
        .and_then(|d| {
            let name = "(identity policies outside the inventory)".to_owned();
            origins.push((name.clone(), Origin::direct(file)));
            compile(&d, name, PolicyType::Identity, &mut Vec::new())
        });
    CallerSide {
        identity: identity.into_iter().collect(),
        ..CallerSide::default()
    }
}

/// The error AWS would return for the first failing check.
fn aws_error(checks: &[Check], principal: &str, action: &str, role: &str) -> String {
    let first = checks.iter().find(|c| c.status == CheckStatus::Fail);
    match first.map(|c| c.id) {
        Some(CheckId::Duration) => {
            let chained = first.is_some_and(|c| c.summary.contains("chaining"));
            if chained {
                "ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".to_owned()
            } else {
                "ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.".to_owned()
            }
        }
        Some(CheckId::SessionName) => {
            "ValidationError: 1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint".to_owned()
        }
        _ => {
            let explicit = first
                .filter(|c| c.summary.contains("explicitly"))
                .and_then(|c| c.statements.first())
                .map(|s| {
                    format!(
                        " with an explicit deny in a {}",
                        s.statement.policy_type.describe()
                    )
                })
                .unwrap_or_default();
            format!(
                "AccessDenied: User: {principal} is not authorized to perform: {action} on resource: {role}{explicit}"
            )
        }
    }
}
