//! The explanation of a decision: what each policy type contributed, the
//! statements that decided, and the statements that nearly applied.

use serde::Serialize;

use super::compile::{
    ActionPattern, CompiledPolicy, CompiledStatement, Element, PolicyType, ResourcePattern,
};
use super::condition::ConditionMiss;
use super::engine::{
    Conclusion, Decision, Observer, PolicySet, Reason, Relation, TypeSet, conclude, scps_apply,
    summarise,
};
use super::principal::{Grant, PrincipalKind};
use super::request::Request;
use crate::policy::Effect;
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// A decision with its trace.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// Why.
    pub trace: Trace,
}

/// Why a request got its decision.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// The principal as given.
    pub principal: String,
    /// Its kind.
    pub principal_kind: PrincipalKind,
    /// The action as given.
    pub action: String,
    /// The resource as given.
    pub resource: String,
    /// The account of the resource used for the decision.
    pub resource_account: Option<String>,
    /// Set when the resource account was neither given nor in the ARN, so
    /// the principal's account was assumed.
    pub resource_account_assumed: bool,
    /// Same account, cross-account, or a principal outside any account.
    pub relation: Relation,
    /// The rule that decided.
    pub reason: ReasonTrace,
    /// For an implicit deny: the policy types that did not allow.
    pub lacking: TypeSet,
    /// One entry per policy type given (and the implicit RCPs' full access).
    pub policy_types: Vec<TypeTrace>,
    /// The statements that decided.
    pub deciding: Vec<StatementRef>,
    /// Statements that failed on exactly one element.
    pub near_misses: Vec<NearMiss>,
}

/// The deciding rule, as a code and a sentence.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonTrace {
    /// The code (and its data).
    #[serde(flatten)]
    pub reason: Reason,
    /// For humans.
    pub message: String,
}

/// What a policy type, a level or a policy contributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// An `Allow` applied and no `Deny`.
    Allowed,
    /// A `Deny` applied.
    Denied,
    /// Nothing applied.
    NoMatch,
    /// The type does not apply to this principal (SCPs for a service).
    NotApplicable,
}

/// One policy type's contribution.
#[derive(Debug, Clone, Serialize)]
pub struct TypeTrace {
    /// The type.
    pub policy_type: PolicyType,
    /// Overall.
    pub outcome: Outcome,
    /// For SCPs and RCPs: each level, organization root first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<LevelTrace>>,
    /// Each policy.
    pub policies: Vec<PolicyTrace>,
}

/// One SCP or RCP level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelTrace {
    /// 0 = organization root.
    pub level: usize,
    /// The level's outcome.
    pub outcome: Outcome,
    /// RCPs: the level allows through the implicit RCPFullAWSAccess.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implicit_full_access: bool,
}

/// One policy's contribution.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyTrace {
    /// Its name.
    pub name: String,
    /// Its SCP/RCP level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Where a statement stands in its policy's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of the start, when the source is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of the start, when the source is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A statement named in a trace.
#[derive(Debug, Clone, Serialize)]
pub struct StatementRef {
    /// The policy type.
    pub policy_type: PolicyType,
    /// The policy's name.
    pub policy: String,
    /// The SCP/RCP level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// `Sid`, or `#index`.
    pub statement: String,
    /// 0-based index in the policy.
    pub index: usize,
    /// `Allow` or `Deny`.
    pub effect: &'static str,
    /// How a resource-based policy statement names the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    /// Where.
    pub location: Location,
    /// The statement's span in `source` (for renderers).
    #[serde(skip)]
    pub span: Span,
    /// The text the policy's spans index, when known.
    #[serde(skip)]
    pub source: Option<Arc<SourceFile>>,
}

impl StatementRef {
    /// `<policy>/<statement>`, as corpus files name it.
    pub fn key(&self) -> String {
        format!("{}/{}", self.policy, self.statement)
    }
}

/// A statement that failed on exactly one element.
#[derive(Debug, Clone, Serialize)]
pub struct NearMiss {
    /// The statement.
    #[serde(flatten)]
    pub statement: StatementRef,
    /// The element that failed.
    pub element: Element,
    /// What was compared.
    pub detail: MissDetail,
}

/// The values compared by the failing element.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MissDetail {
    /// `Action`/`NotAction`.
    Action {
        /// The requested action.
        requested: String,
        /// The patterns.
        patterns: Vec<String>,
        /// `NotAction`.
        negated: bool,
    },
    /// `Resource`/`NotResource`.
    Resource {
        /// The requested resource.
        requested: String,
        /// The patterns.
        patterns: Vec<String>,
        /// `NotResource`.
        negated: bool,
    },
    /// `Principal`/`NotPrincipal`.
    Principal {
        /// The caller.
        requested: String,
        /// The values, as `TYPE:value`.
        values: Vec<String>,
        /// `NotPrincipal`.
        negated: bool,
    },
    /// `Condition`.
    Condition(ConditionFailure),
}

/// The condition operator and key that failed, with the values compared.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionFailure {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The policy's values.
    pub policy_values: Vec<String>,
    /// The request's values; `None` when the key is absent.
    pub request_values: Option<Vec<String>>,
    /// One line saying why.
    pub reason: String,
    /// Where the key stands in the policy.
    pub location: Location,
}

impl ConditionFailure {
    /// Copies what a trace needs out of a borrowed miss (no line numbers yet).
    pub(crate) fn from_miss(miss: &ConditionMiss<'_>) -> Self {
        Self {
            operator: miss.operator_name.to_owned(),
            key: miss.key.to_owned(),
            policy_values: miss.policy_values.iter().map(|i| i.text.clone()).collect(),
            request_values: miss.request.map(|v| v.values().to_vec()),
            reason: miss.reason(),
            location: Location {
                start: miss.key_span.start,
                end: miss.key_span.end,
                line: None,
                column: None,
            },
        }
    }
}

/// One checked statement.
struct Record<'p> {
    policy: &'p CompiledPolicy,
    level: Option<usize>,
    statement: &'p CompiledStatement,
    grant: Option<Grant>,
    failed: Option<(Element, Option<ConditionFailure>)>,
}

/// Records every statement, fully checked.
#[derive(Default)]
struct Recorder<'p> {
    records: Vec<Record<'p>>,
}

impl<'p> Observer<'p> for Recorder<'p> {
    const EXHAUSTIVE: bool = true;

    fn check(
        &mut self,
        policy: &'p CompiledPolicy,
        level: Option<usize>,
        statement: &'p CompiledStatement,
        request: &Request,
        has_boundary: bool,
    ) -> Option<Grant> {
        let checks = statement.check_all(request, has_boundary);
        let mut failed = checks.failed();
        let first = failed.next();
        let single = first.filter(|_| failed.next().is_none());
        let grant = match first {
            None => checks.principal,
            Some(_) => None,
        };
        let miss = checks.condition_miss.clone();
        self.records.push(Record {
            policy,
            level,
            statement,
            grant,
            failed: single.map(|e| (e, if e == Element::Condition { miss } else { None })),
        });
        grant
    }
}

/// Decides a request and explains the decision.
pub fn evaluate(set: &PolicySet, request: &Request) -> Evaluation {
    let mut recorder = Recorder::default();
    let summaries = summarise(set, request, &mut recorder);
    let conclusion = conclude(set, request, &summaries);
    let trace = build_trace(set, request, &conclusion, &recorder.records);
    Evaluation {
        decision: conclusion.decision,
        trace,
    }
}

fn statement_ref(record: &Record<'_>) -> StatementRef {
    statement_ref_of(record.policy, record.level, record.statement, record.grant)
}

/// Every statement that applies to the request, in evaluation order, with
/// how it names the caller: what each policy type contributed, statement by
/// statement (the trace names only the deciding ones).
pub fn applying_statements(set: &PolicySet, request: &Request) -> Vec<StatementRef> {
    let mut recorder = Recorder::default();
    summarise(set, request, &mut recorder);
    recorder
        .records
        .iter()
        .filter(|r| r.grant.is_some())
        .map(statement_ref)
        .collect()
}

/// Names one statement of a policy for traces.
pub(crate) fn statement_ref_of(
    policy: &CompiledPolicy,
    level: Option<usize>,
    s: &CompiledStatement,
    grant: Option<Grant>,
) -> StatementRef {
    let line_col = policy.source.as_ref().map(|src| src.line_col(s.span.start));
    StatementRef {
        policy_type: policy.policy_type,
        policy: policy.name.clone(),
        level,
        statement: s.label(),
        index: s.index,
        effect: match s.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        },
        grant: if policy.policy_type.has_principal() {
            grant
        } else {
            None
        },
        location: Location {
            start: s.span.start,
            end: s.span.end,
            line: line_col.map(|lc| lc.line),
            column: line_col.map(|lc| lc.column),
        },
        span: s.span,
        source: policy.source.clone(),
    }
}

fn build_trace(
    set: &PolicySet,
    request: &Request,
    c: &Conclusion,
    records: &[Record<'_>],
) -> Trace {
    let deciding = records
        .iter()
        .filter(|r| {
            r.grant.is_some()
                && match (c.decision, r.statement.effect) {
                    (Decision::ExplicitDeny, Effect::Deny) => true,
                    (Decision::Allowed, Effect::Allow) => c.relied.contains(r.policy.policy_type),
                    _ => false,
                }
        })
        .map(statement_ref)
        .collect();
    let near_misses = records
        .iter()
        .filter_map(|r| {
            let (element, miss) = r.failed.clone()?;
            Some(NearMiss {
                statement: statement_ref(r),
                element,
                detail: miss_detail(r, element, miss, request),
            })
        })
        .collect();
    Trace {
        principal: request.principal.display(),
        principal_kind: request.principal.kind(),
        action: request.action.as_str().to_owned(),
        resource: request.resource.as_str().to_owned(),
        resource_account: request.effective_resource_account().map(str::to_owned),
        resource_account_assumed: !request.resource_account_known
            && request.principal.account().is_some(),
        relation: c.relation,
        reason: ReasonTrace {
            reason: c.reason,
            message: c.reason.message(),
        },
        lacking: c.lacking,
        policy_types: type_traces(set, request, records),
        deciding,
        near_misses,
    }
}

fn miss_detail(
    record: &Record<'_>,
    element: Element,
    miss: Option<ConditionFailure>,
    request: &Request,
) -> MissDetail {
    let s = record.statement;
    match element {
        Element::Action => MissDetail::Action {
            requested: request.action.as_str().to_owned(),
            patterns: s
                .actions
                .items
                .iter()
                .map(|p| match p {
                    ActionPattern::Any => "*".to_owned(),
                    ActionPattern::Service { text, .. } | ActionPattern::Glob { text, .. } => {
                        text.clone()
                    }
                })
                .collect(),
            negated: s.actions.negated,
        },
        Element::Resource => MissDetail::Resource {
            requested: request.resource.as_str().to_owned(),
            patterns: s
                .resources
                .iter()
                .flat_map(|r| r.items.iter())
                .map(|p| match p {
                    ResourcePattern::Any => "*".to_owned(),
                    ResourcePattern::Arn { arn, .. } => arn.as_str().to_owned(),
                })
                .collect(),
            negated: s.resources.as_ref().is_some_and(|r| r.negated),
        },
        Element::Principal => MissDetail::Principal {
            requested: request.principal.display(),
            values: s
                .principal
                .as_ref()
                .map(|p| p.texts.clone())
                .unwrap_or_default(),
            negated: s.principal.as_ref().is_some_and(|p| p.negated),
        },
        Element::Condition => match miss {
            Some(mut failure) => {
                if let Some(src) = &record.policy.source {
                    let lc = src.line_col(failure.location.start);
                    failure.location.line = Some(lc.line);
                    failure.location.column = Some(lc.column);
                }
                MissDetail::Condition(failure)
            }
            // A condition fails only with a miss; keep the element anyway.
            None => MissDetail::Condition(ConditionFailure {
                operator: String::new(),
                key: String::new(),
                policy_values: Vec::new(),
                request_values: None,
                reason: "the condition does not hold".to_owned(),
                location: Location {
                    start: s.span.start,
                    end: s.span.end,
                    line: None,
                    column: None,
                },
            }),
        },
    }
}

fn outcome_of<'a>(records: impl Iterator<Item = &'a Record<'a>>) -> Outcome {
    let mut outcome = Outcome::NoMatch;
    for r in records.filter(|r| r.grant.is_some()) {
        match r.statement.effect {
            Effect::Deny => return Outcome::Denied,
            Effect::Allow => outcome = Outcome::Allowed,
        }
    }
    outcome
}

fn type_traces(set: &PolicySet, request: &Request, records: &[Record<'_>]) -> Vec<TypeTrace> {
    let of_policy = |p: &CompiledPolicy, level: Option<usize>| {
        outcome_of(
            records
                .iter()
                .filter(move |r| std::ptr::eq(r.policy, p) && r.level == level),
        )
    };
    let policy_trace = |p: &CompiledPolicy, level: Option<usize>, applicable: bool| PolicyTrace {
        name: p.name.clone(),
        level,
        outcome: if applicable {
            of_policy(p, level)
        } else {
            Outcome::NotApplicable
        },
    };
    let combine = |outcomes: &mut dyn Iterator<Item = Outcome>| {
        let mut all = Outcome::NoMatch;
        for o in outcomes {
            match o {
                Outcome::Denied => return Outcome::Denied,
                Outcome::Allowed => all = Outcome::Allowed,
                _ => {}
            }
        }
        all
    };
    let flat = |t: PolicyType, policies: &[&CompiledPolicy]| {
        let traces: Vec<PolicyTrace> = policies
            .iter()
            .map(|p| policy_trace(p, None, true))
            .collect();
        let outcome = match t {
            // A boundary allows only when every boundary does.
            PolicyType::Boundary if traces.iter().all(|p| p.outcome == Outcome::Allowed) => {
                Outcome::Allowed
            }
            PolicyType::Boundary if traces.iter().any(|p| p.outcome == Outcome::Denied) => {
                Outcome::Denied
            }
            PolicyType::Boundary => Outcome::NoMatch,
            _ => combine(&mut traces.iter().map(|p| p.outcome)),
        };
        TypeTrace {
            policy_type: t,
            outcome,
            levels: None,
            policies: traces,
        }
    };
    let leveled = |t: PolicyType, levels: &[Vec<CompiledPolicy>], applicable: bool| {
        let mut policies = Vec::new();
        let mut level_traces = Vec::new();
        for (i, level) in levels.iter().enumerate() {
            let traces: Vec<PolicyTrace> = level
                .iter()
                .map(|p| policy_trace(p, Some(i), applicable))
                .collect();
            let mut outcome = combine(&mut traces.iter().map(|p| p.outcome));
            let implicit = t == PolicyType::Rcp && outcome == Outcome::NoMatch;
            if implicit {
                outcome = Outcome::Allowed;
            }
            level_traces.push(LevelTrace {
                level: i,
                outcome: if applicable {
                    outcome
                } else {
                    Outcome::NotApplicable
                },
                implicit_full_access: implicit && applicable,
            });
            policies.extend(traces);
        }
        let outcome = if !applicable {
            Outcome::NotApplicable
        } else if level_traces.iter().any(|l| l.outcome == Outcome::Denied) {
            Outcome::Denied
        } else if level_traces.iter().all(|l| l.outcome == Outcome::Allowed) {
            Outcome::Allowed
        } else {
            Outcome::NoMatch
        };
        TypeTrace {
            policy_type: t,
            outcome,
            levels: Some(level_traces),
            policies,
        }
    };
    let mut out = Vec::new();
    if !set.rcps.is_empty() {
        out.push(leveled(PolicyType::Rcp, &set.rcps, true));
    }
    if !set.scps.is_empty() {
        out.push(leveled(
            PolicyType::Scp,
            &set.scps,
            scps_apply(&request.principal),
        ));
    }
    if let Some(p) = &set.resource {
        out.push(flat(PolicyType::Resource, &[p]));
    }
    if !set.identity.is_empty() {
        out.push(flat(
            PolicyType::Identity,
            &set.identity.iter().collect::<Vec<_>>(),
        ));
    }
    if !set.boundaries.is_empty() {
        out.push(flat(
            PolicyType::Boundary,
            &set.boundaries.iter().collect::<Vec<_>>(),
        ));
    }
    if let Some(p) = &set.session {
        out.push(flat(PolicyType::Session, &[p]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_support::{compile, request};

    fn policy(t: PolicyType, name: &str, text: &str) -> CompiledPolicy {
        compile(text, t, name).unwrap()
    }

    #[test]
    fn deciding_statements_and_near_misses() {
        let id = policy(
            PolicyType::Identity,
            "dev",
            "{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::bucket/*\"},\n{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::other/*\"}]}",
        );
        let set = PolicySet {
            identity: vec![id],
            ..PolicySet::default()
        };
        let alice = "arn:aws:iam::111122223333:user/alice";
        let e = evaluate(
            &set,
            &request(alice, "s3:GetObject", "arn:aws:s3:::bucket/k"),
        );
        assert_eq!(e.decision, Decision::Allowed);
        assert_eq!(e.trace.deciding.len(), 1);
        assert_eq!(e.trace.deciding[0].key(), "dev/Read");
        assert_eq!(e.trace.deciding[0].location.line, Some(2));
        assert_eq!(e.trace.policy_types[0].outcome, Outcome::Allowed);

        let e = evaluate(
            &set,
            &request(alice, "s3:PutObject", "arn:aws:s3:::bucket/k"),
        );
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.trace.deciding.is_empty());
        // Statement #1 fails only on its resource; Read fails on its action.
        let misses: Vec<_> = e
            .trace
            .near_misses
            .iter()
            .map(|m| (m.statement.key(), m.element))
            .collect();
        assert_eq!(
            misses,
            vec![
                ("dev/Read".to_owned(), Element::Action),
                ("dev/#1".to_owned(), Element::Resource)
            ]
        );
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["decision"], "implicit_deny");
        assert_eq!(json["trace"]["reason"]["code"], "identity_lacks_allow");
        assert_eq!(json["trace"]["lacking"], serde_json::json!(["identity"]));
        assert_eq!(
            json["trace"]["near_misses"][1]["detail"]["kind"],
            "resource"
        );
        assert_eq!(
            json["trace"]["near_misses"][1]["detail"]["patterns"],
            serde_json::json!(["arn:aws:s3:::other/*"])
        );
    }

    #[test]
    fn condition_near_miss_names_operator_key_and_values() {
        let id = policy(
            PolicyType::Identity,
            "mfa",
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"NeedsMfa","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
        );
        let set = PolicySet {
            identity: vec![id],
            ..PolicySet::default()
        };
        let e = evaluate(
            &set,
            &request(
                "arn:aws:iam::111122223333:user/a",
                "s3:GetObject",
                "arn:aws:s3:::b/k",
            ),
        );
        assert_eq!(e.decision, Decision::ImplicitDeny);
        let json = serde_json::to_value(&e.trace.near_misses).unwrap();
        assert_eq!(json[0]["element"], "condition");
        assert_eq!(json[0]["detail"]["kind"], "condition");
        assert_eq!(json[0]["detail"]["operator"], "Bool");
        assert_eq!(json[0]["detail"]["key"], "aws:MultiFactorAuthPresent");
        assert_eq!(json[0]["detail"]["request_values"], serde_json::Value::Null);
        assert_eq!(json[0]["detail"]["location"]["line"], 1);
    }

    #[test]
    fn explicit_deny_lists_every_applicable_deny_and_rcp_levels() {
        let rcp = policy(
            PolicyType::Rcp,
            "perimeter",
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"s3:Delete*","Resource":"*"}]}"#,
        );
        let id = policy(
            PolicyType::Identity,
            "dev",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"D","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#,
        );
        let set = PolicySet {
            identity: vec![id],
            rcps: vec![vec![], vec![rcp]],
            ..PolicySet::default()
        };
        let e = evaluate(
            &set,
            &request(
                "arn:aws:iam::111122223333:user/a",
                "s3:DeleteObject",
                "arn:aws:s3:::b/k",
            ),
        );
        assert_eq!(e.decision, Decision::ExplicitDeny);
        let keys: Vec<_> = e.trace.deciding.iter().map(StatementRef::key).collect();
        assert_eq!(keys, vec!["perimeter/NoDelete", "dev/D"]);
        let rcp_trace = &e.trace.policy_types[0];
        let levels = rcp_trace.levels.as_ref().unwrap();
        assert!(levels[0].implicit_full_access);
        assert_eq!(levels[1].outcome, Outcome::Denied);
    }
}
