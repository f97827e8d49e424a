//! Evaluation with an open request context: can *some* request from this
//! principal on this resource be allowed, and what must its context hold?
//!
//! A who-can-assume graph asks this for a principal and a role before any
//! request exists. The principal and the role are known, and with them the
//! keys AWS derives from them (`aws:PrincipalArn`, `aws:PrincipalAccount`,
//! `aws:ResourceAccount`, tags, …); what the caller sends is not: an
//! external id, MFA, its source address, the time, session tags, the claims
//! of a web identity token. A condition on such an *open* key must neither
//! drop the answer (a trust policy that asks for an external id still lets
//! in whoever has the id) nor be ignored: it is kept, as data.
//!
//! Under the known keys, a statement whose elements match is applicable,
//! not applicable, or applicable when the request also satisfies its tests
//! on open keys. The evaluation logic is monotone — one more applicable
//! `Allow` never turns an allowed request into a denied one, one more
//! applicable `Deny` never the reverse — so two evaluations bound every
//! request: optimistic (open `Allow`s apply, open `Deny`s do not) and
//! pessimistic (the reverse). When the optimistic one denies, no request is
//! allowed; when the pessimistic one allows, every request is. In between,
//! the request is allowed when it satisfies the open `Allow`s of the policy
//! types listed as requirements (one statement of each) and none of the
//! open `Deny`s listed as exceptions. The requirements are a sufficient set,
//! found by dropping the open `Allow`s of one policy type after another
//! while the optimistic decision still allows; when two types are
//! alternatives (a same-account role trusting the caller's ARN, and an
//! identity policy), the trust policy's conditions are the ones kept.

use serde::Serialize;

use super::compile::{CompiledPolicy, CompiledStatement, PolicyType};
use super::condition::OpenTest;
use super::context::ContextKey;
use super::engine::{Conclusion, Decision, Observer, PolicySet, TypeSet, conclude, summarise};
use super::principal::Grant;
use super::request::Request;
use super::trace::{StatementRef, statement_ref_of};
use crate::policy::Effect;

/// Keys AWS derives from the principal and the resource: when a request
/// context lacks one, the request does not carry it. From "AWS global
/// condition context keys"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
/// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
/// `aws:username` ("users only"), `aws:PrincipalIsAWSService`,
/// `aws:PrincipalServiceName` ("service principals only") and
/// `aws:ResourceAccount` are set by AWS, never by the caller.
const DERIVED_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principaltype",
    "aws:resourceaccount",
    "aws:username",
];

/// Which condition keys absent from a request context the request may still
/// carry. Every key is open except those closed: by default the keys AWS
/// derives from the principal and resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenKeys {
    /// Folded names, sorted.
    closed: Vec<String>,
    /// Folded prefixes (`aws:principaltag/`).
    closed_prefixes: Vec<String>,
}

impl Default for OpenKeys {
    fn default() -> Self {
        Self {
            closed: DERIVED_KEYS.iter().map(|k| (*k).to_owned()).collect(),
            closed_prefixes: Vec::new(),
        }
    }
}

impl OpenKeys {
    /// The keys AWS derives from the principal and resource are closed;
    /// every other key is open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Closes `key` (any case): when the context lacks it, the request does
    /// not carry it.
    pub fn close(&mut self, key: &str) {
        let key = ContextKey::new(key).as_str().to_owned();
        if let Err(i) = self.closed.binary_search(&key) {
            self.closed.insert(i, key);
        }
    }

    /// Closes every key starting with `prefix` (any case), such as
    /// `aws:PrincipalTag/` when the context holds all the principal's tags.
    pub fn close_prefix(&mut self, prefix: &str) {
        let prefix = ContextKey::new(prefix).as_str().to_owned();
        if !self.closed_prefixes.contains(&prefix) {
            self.closed_prefixes.push(prefix);
        }
    }

    /// Opens `key` (any case) again: for a principal known only by its
    /// account, `aws:PrincipalArn` is not known.
    pub fn reopen(&mut self, key: &str) {
        let key = ContextKey::new(key);
        if let Ok(i) = self
            .closed
            .binary_search_by(|k| k.as_str().cmp(key.as_str()))
        {
            self.closed.remove(i);
        }
    }

    /// Whether a key absent from the context may still be carried.
    pub fn is_open(&self, key: &ContextKey) -> bool {
        let key = key.as_str();
        self.closed
            .binary_search_by(|k| k.as_str().cmp(key))
            .is_err()
            && !self.closed_prefixes.iter().any(|p| key.starts_with(p))
    }
}

/// Whether some request is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Possibility {
    /// No request is allowed, whatever its context.
    Never,
    /// Every request is allowed, whatever the open keys hold.
    Always,
    /// A request is allowed when its context meets the requirements and
    /// none of the exceptions.
    Conditional,
}

/// One test on an open key, as written in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenCondition {
    /// The operator.
    pub operator: String,
    /// The key.
    pub key: String,
    /// The policy's values.
    pub values: Vec<String>,
}

/// A statement that applies when the request satisfies its open tests.
#[derive(Debug, Clone, Serialize)]
pub struct OpenStatement {
    /// The statement.
    pub statement: StatementRef,
    /// Its tests on open keys, all of which must hold for it to apply.
    pub conditions: Vec<OpenCondition>,
}

/// Open `Allow` statements of one policy type, one of which must apply.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    /// The policy type.
    pub policy_type: PolicyType,
    /// The statements; any one suffices.
    pub alternatives: Vec<OpenStatement>,
}

/// What an open evaluation found.
#[derive(Debug, Clone, Serialize)]
pub struct OpenEvaluation {
    /// Whether some request, every request or no request is allowed.
    pub possibility: Possibility,
    /// The decision when the requirements hold and the exceptions do not
    /// (for [`Possibility::Never`], the most permissive decision, which
    /// still denies).
    #[serde(skip)]
    pub conclusion: Conclusion,
    /// For [`Possibility::Conditional`]: what the request must satisfy.
    pub requirements: Vec<Requirement>,
    /// Open `Deny` statements: the request must not satisfy all the tests
    /// of any of them.
    pub exceptions: Vec<OpenStatement>,
}

/// A statement found open in the optimistic run.
struct Found<'p> {
    policy: &'p CompiledPolicy,
    level: Option<usize>,
    statement: &'p CompiledStatement,
    grant: Grant,
    tests: Vec<OpenTest<'p>>,
}

/// Decides statements with open keys in one direction per policy type.
struct Bound<'p, 'o> {
    open: &'o OpenKeys,
    /// Types whose open `Allow`s are taken not to apply.
    allows_off: TypeSet,
    /// Whether open `Deny`s are taken to apply.
    denies_on: bool,
    /// Records open statements (first run only).
    found: Option<Vec<Found<'p>>>,
}

impl<'p> Observer<'p> for Bound<'p, '_> {
    const EXHAUSTIVE: bool = false;

    fn check(
        &mut self,
        policy: &'p CompiledPolicy,
        level: Option<usize>,
        statement: &'p CompiledStatement,
        request: &Request,
        has_boundary: bool,
    ) -> Option<Grant> {
        let open = |k: &ContextKey| self.open.is_open(k);
        let (grant, tests) = statement.applies_open(request, has_boundary, &open)?;
        if tests.is_empty() {
            return Some(grant);
        }
        let applies = match statement.effect {
            Effect::Allow => !self.allows_off.contains(policy.policy_type),
            Effect::Deny => self.denies_on,
        };
        if let Some(found) = &mut self.found {
            found.push(Found {
                policy,
                level,
                statement,
                grant,
                tests,
            });
        }
        applies.then_some(grant)
    }
}

fn run<'p>(set: &'p PolicySet, request: &Request, observer: &mut Bound<'p, '_>) -> Conclusion {
    let summaries = summarise(set, request, observer);
    conclude(set, request, &summaries)
}

fn open_statement(f: &Found<'_>) -> OpenStatement {
    OpenStatement {
        statement: statement_ref_of(f.policy, f.level, f.statement, Some(f.grant)),
        conditions: f
            .tests
            .iter()
            .map(|t| OpenCondition {
                operator: t.operator.to_owned(),
                key: t.key.to_owned(),
                values: t.values.iter().map(|i| i.text.clone()).collect(),
            })
            .collect(),
    }
}

/// Evaluates a request whose context is only partly known: `request.context`
/// holds the known keys, `open` says which absent keys the request may still
/// carry. Allocates nothing more than [`super::decide`] unless a condition
/// tests an open key.
pub fn evaluate_open(set: &PolicySet, request: &Request, open: &OpenKeys) -> OpenEvaluation {
    let mut observer = Bound {
        open,
        allows_off: TypeSet::default(),
        denies_on: false,
        found: Some(Vec::new()),
    };
    let optimistic = run(set, request, &mut observer);
    let found = observer.found.take().unwrap_or_default();
    let answer = |possibility, conclusion| OpenEvaluation {
        possibility,
        conclusion,
        requirements: Vec::new(),
        exceptions: Vec::new(),
    };
    if optimistic.decision != Decision::Allowed {
        return answer(Possibility::Never, optimistic);
    }
    if found.is_empty() {
        return answer(Possibility::Always, optimistic);
    }
    let mut all = TypeSet::default();
    for t in PolicyType::ALL {
        all.insert(t);
    }
    observer.allows_off = all;
    observer.denies_on = true;
    let pessimistic = run(set, request, &mut observer);
    if pessimistic.decision == Decision::Allowed {
        return answer(Possibility::Always, pessimistic);
    }
    // Drop the open allows of one type after another, trust policies last,
    // keeping those the decision cannot do without.
    observer.denies_on = false;
    observer.allows_off = TypeSet::default();
    let mut needed = Vec::new();
    for t in PolicyType::ALL.into_iter().rev() {
        let has_open_allow = found
            .iter()
            .any(|f| f.policy.policy_type == t && f.statement.effect == Effect::Allow);
        if !has_open_allow {
            continue;
        }
        let before = observer.allows_off;
        observer.allows_off.insert(t);
        if run(set, request, &mut observer).decision != Decision::Allowed {
            observer.allows_off = before;
            needed.push(t);
        }
    }
    let requirements = PolicyType::ALL
        .into_iter()
        .filter(|t| needed.contains(t))
        .map(|t| Requirement {
            policy_type: t,
            alternatives: found
                .iter()
                .filter(|f| f.policy.policy_type == t && f.statement.effect == Effect::Allow)
                .map(open_statement)
                .collect(),
        })
        .collect();
    let exceptions = found
        .iter()
        .filter(|f| f.statement.effect == Effect::Deny)
        .map(open_statement)
        .collect();
    OpenEvaluation {
        possibility: Possibility::Conditional,
        conclusion: optimistic,
        requirements,
        exceptions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::request::RequestInput;
    use crate::eval::test_support::policy_of;
    use crate::eval::{RequestContext, decide};

    const USER: &str = "arn:aws:iam::111122223333:user/alice";
    const ROLE: &str = "arn:aws:iam::444455556666:role/Target";
    const SAME_ACCOUNT_ROLE: &str = "arn:aws:iam::111122223333:role/Target";

    fn policy(t: PolicyType, statements: &str) -> CompiledPolicy {
        policy_of(t, t.name(), statements)
    }

    fn request(principal: &str, resource: &str, context: RequestContext) -> Request {
        Request::new(
            RequestInput {
                principal,
                action: "sts:AssumeRole",
                resource,
                resource_account: None,
            },
            context,
        )
        .unwrap()
    }

    fn trust(principal: &str, condition: &str) -> CompiledPolicy {
        policy(
            PolicyType::Resource,
            &format!(
                r#"{{"Sid":"Trust","Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"{condition}}}"#
            ),
        )
    }

    fn identity(condition: &str) -> CompiledPolicy {
        policy(
            PolicyType::Identity,
            &format!(
                r#"{{"Sid":"Assume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"{condition}}}"#
            ),
        )
    }

    const EXTERNAL_ID: &str = r#","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}"#;

    fn keys(e: &OpenEvaluation) -> Vec<(PolicyType, Vec<String>)> {
        e.requirements
            .iter()
            .map(|r| {
                (
                    r.policy_type,
                    r.alternatives
                        .iter()
                        .flat_map(|a| a.conditions.iter().map(|c| c.key.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    // "IAM JSON policy elements: Condition" — a key absent from the request
    // fails a non-negated operator; here the external id is not known yet,
    // so the trust applies *if* the caller sends it
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html).
    #[test]
    fn external_id_is_a_requirement_not_a_dead_end() {
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(trust(USER, EXTERNAL_ID)),
            ..PolicySet::default()
        };
        let r = request(USER, ROLE, RequestContext::new());
        let e = evaluate_open(&set, &r, &OpenKeys::new());
        assert_eq!(e.possibility, Possibility::Conditional);
        assert_eq!(
            keys(&e),
            vec![(PolicyType::Resource, vec!["sts:ExternalId".to_owned()])]
        );
        let c = &e.requirements[0].alternatives[0];
        assert_eq!(c.statement.statement, "Trust");
        assert_eq!(c.conditions[0].operator, "StringEquals");
        assert_eq!(c.conditions[0].values, ["abc"]);
        assert!(e.exceptions.is_empty());
        // The plain engine agrees once the key is known.
        let mut ctx = RequestContext::new();
        ctx.insert("sts:ExternalId", "abc");
        assert_eq!(decide(&set, &request(USER, ROLE, ctx)), Decision::Allowed);
        let mut ctx = RequestContext::new();
        ctx.insert("sts:ExternalId", "other");
        assert_ne!(decide(&set, &request(USER, ROLE, ctx)), Decision::Allowed);
    }

    #[test]
    fn no_condition_is_always_and_a_known_key_decides() {
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(trust(USER, "")),
            ..PolicySet::default()
        };
        let r = request(USER, ROLE, RequestContext::new());
        let e = evaluate_open(&set, &r, &OpenKeys::new());
        assert_eq!(e.possibility, Possibility::Always);
        assert_eq!(e.conclusion.decision, Decision::Allowed);
        // aws:PrincipalArn is derived from the principal: a condition on it
        // is decided now, not left open.
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(trust(
                "111122223333",
                r#","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ops-*"}}"#,
            )),
            ..PolicySet::default()
        };
        assert_eq!(
            evaluate_open(&set, &r, &OpenKeys::new()).possibility,
            Possibility::Never
        );
        let ops = "arn:aws:iam::111122223333:role/ops-admin";
        let e = evaluate_open(
            &set,
            &request(ops, ROLE, RequestContext::new()),
            &OpenKeys::new(),
        );
        assert_eq!(e.possibility, Possibility::Always);
    }

    // Cross-account: "the identity-based policy in the trusted account and
    // the resource-based policy in the trusting account" must both allow
    // (reference_policies_evaluation-logic-cross-account.html): no context
    // can stand in for a missing identity grant.
    #[test]
    fn a_missing_grant_is_never_rescued_by_context() {
        let set = PolicySet {
            resource: Some(trust(USER, EXTERNAL_ID)),
            ..PolicySet::default()
        };
        let r = request(USER, ROLE, RequestContext::new());
        let e = evaluate_open(&set, &r, &OpenKeys::new());
        assert_eq!(e.possibility, Possibility::Never);
        assert_eq!(e.conclusion.decision, Decision::ImplicitDeny);
    }

    /// An identity grant that needs MFA and a trust that needs an external
    /// id.
    fn mfa_and_external_id() -> PolicySet {
        PolicySet {
            identity: vec![identity(
                r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
            )],
            resource: Some(trust(USER, EXTERNAL_ID)),
            ..PolicySet::default()
        }
    }

    // Both sides conditional: both are requirements (MFA on the identity
    // side, "Configuring MFA-protected API access", and the external id).
    #[test]
    fn requirements_from_both_sides() {
        let set = mfa_and_external_id();
        let r = request(USER, ROLE, RequestContext::new());
        let e = evaluate_open(&set, &r, &OpenKeys::new());
        assert_eq!(e.possibility, Possibility::Conditional);
        assert_eq!(
            keys(&e),
            vec![
                (PolicyType::Resource, vec!["sts:ExternalId".to_owned()]),
                (
                    PolicyType::Identity,
                    vec!["aws:MultiFactorAuthPresent".to_owned()]
                ),
            ]
        );
    }

    // Two trust statements with different external ids: either one will do.
    #[test]
    fn alternatives_within_a_policy() {
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(policy(
                PolicyType::Resource,
                &format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"{USER}"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"a"}}}}}},
                       {{"Effect":"Allow","Principal":{{"AWS":"{USER}"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"b"}}}}}}"#
                ),
            )),
            ..PolicySet::default()
        };
        let e = evaluate_open(
            &set,
            &request(USER, ROLE, RequestContext::new()),
            &OpenKeys::new(),
        );
        assert_eq!(e.requirements.len(), 1);
        let values: Vec<&str> = e.requirements[0]
            .alternatives
            .iter()
            .map(|a| a.conditions[0].values[0].as_str())
            .collect();
        assert_eq!(values, ["a", "b"]);
    }

    // A conditional Deny (an SCP region lock, "Deny access to AWS based on
    // the requested AWS Region") is an exception, not a requirement.
    #[test]
    fn conditional_deny_is_an_exception() {
        let scp = policy(
            PolicyType::Scp,
            r#"{"Effect":"Allow","Action":"*","Resource":"*"},
               {"Sid":"RegionLock","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}}"#,
        );
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(trust(USER, "")),
            scps: vec![vec![scp]],
            ..PolicySet::default()
        };
        let e = evaluate_open(
            &set,
            &request(USER, ROLE, RequestContext::new()),
            &OpenKeys::new(),
        );
        assert_eq!(e.possibility, Possibility::Conditional);
        assert!(e.requirements.is_empty());
        assert_eq!(e.exceptions.len(), 1);
        assert_eq!(e.exceptions[0].statement.statement, "RegionLock");
        assert_eq!(e.exceptions[0].conditions[0].key, "aws:RequestedRegion");
    }

    // Same account, the trust names the user: the identity side is an
    // alternative ("Determining whether a request is allowed or denied
    // within an account"); one sufficient requirement is kept, the trust's.
    #[test]
    fn alternatives_across_types_keep_the_trust() {
        let set = mfa_and_external_id();
        let r = request(USER, SAME_ACCOUNT_ROLE, RequestContext::new());
        let e = evaluate_open(&set, &r, &OpenKeys::new());
        assert_eq!(e.possibility, Possibility::Conditional);
        assert_eq!(
            keys(&e),
            vec![(PolicyType::Resource, vec!["sts:ExternalId".to_owned()])]
        );
    }

    #[test]
    fn closed_keys_are_known_absent() {
        let set = PolicySet {
            identity: vec![identity("")],
            resource: Some(trust(
                USER,
                r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ops"}}"#,
            )),
            ..PolicySet::default()
        };
        let r = request(USER, ROLE, RequestContext::new());
        let mut open = OpenKeys::new();
        assert_eq!(
            evaluate_open(&set, &r, &open).possibility,
            Possibility::Conditional
        );
        open.close_prefix("AWS:PrincipalTag/");
        assert_eq!(
            evaluate_open(&set, &r, &open).possibility,
            Possibility::Never
        );
        let mut ctx = RequestContext::new();
        ctx.insert("aws:PrincipalTag/team", "ops");
        assert_eq!(
            evaluate_open(&set, &request(USER, ROLE, ctx), &open).possibility,
            Possibility::Always
        );
        open.close("sts:ExternalId");
        assert!(!open.is_open(&ContextKey::new("STS:externalid")));
        open.reopen("aws:PrincipalArn");
        assert!(open.is_open(&ContextKey::new("aws:principalarn")));
        assert!(!open.is_open(&ContextKey::new("aws:ResourceAccount")));
    }
}
