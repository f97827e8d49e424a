//! Policies compiled once for many evaluations: action patterns split at the
//! service prefix and lowercased, resource patterns split into ARN segments,
//! principal values classified, conditions compiled.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::condition::{CompiledCondition, OpenTest};
use super::context::ContextKey;
use super::principal::{Grant, PrincipalValue};
use super::request::{Request, Resource};
use super::trace::ConditionFailure;
use super::variables::Template;
use crate::policy::arn::Arn;
use crate::policy::{
    Effect, Item, ItemList, Parsed, Policy, PrincipalSpec, PrincipalType, Statement, wildcard,
};
use crate::source::{SourceFile, Span};

/// The policy types of "Policy evaluation logic".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyType {
    /// AWS Organizations resource control policies.
    Rcp,
    /// AWS Organizations service control policies.
    Scp,
    /// The resource-based policy (a role's trust policy for `sts:AssumeRole*`).
    Resource,
    /// Identity-based policies (inline, managed, group).
    Identity,
    /// Permissions boundaries.
    Boundary,
    /// The session policy.
    Session,
}

impl PolicyType {
    /// Every type, in the order AWS evaluates them.
    pub const ALL: [PolicyType; 6] = [
        Self::Rcp,
        Self::Scp,
        Self::Resource,
        Self::Identity,
        Self::Boundary,
        Self::Session,
    ];

    /// The name used in traces and corpus files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rcp => "rcp",
            Self::Scp => "scp",
            Self::Resource => "resource",
            Self::Identity => "identity",
            Self::Boundary => "boundary",
            Self::Session => "session",
        }
    }

    /// How a sentence names it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Rcp => "resource control policy",
            Self::Scp => "service control policy",
            Self::Resource => "resource-based policy",
            Self::Identity => "identity-based policy",
            Self::Boundary => "permissions boundary",
            Self::Session => "session policy",
        }
    }

    /// Whether statements carry `Principal`/`NotPrincipal` (resource-based
    /// policies and RCPs) rather than applying to the attached identity.
    pub fn has_principal(self) -> bool {
        matches!(self, Self::Resource | Self::Rcp)
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One reason a policy cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    /// What is wrong (lowercase, no final period).
    pub message: String,
    /// Where in the policy's source.
    #[serde(skip)]
    pub span: Span,
}

/// A policy that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy `{name}` is invalid: {}", problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; "))]
pub struct InvalidPolicy {
    /// The policy's name.
    pub name: String,
    /// Its problems, in source order.
    pub problems: Vec<PolicyProblem>,
}

/// A compiled policy document.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// How traces name it.
    pub name: String,
    /// Which policy type it plays.
    pub policy_type: PolicyType,
    /// The text its spans index, when known (for snippets and line numbers).
    pub source: Option<Arc<SourceFile>>,
    /// Shared, so that cloning a compiled policy into many policy sets is cheap.
    pub(crate) statements: Arc<[CompiledStatement]>,
}

impl CompiledPolicy {
    /// Compiles a parsed policy, reporting its grammar problems and anything
    /// evaluation cannot use.
    pub fn compile_parsed(
        parsed: &Parsed,
        name: impl Into<String>,
        policy_type: PolicyType,
        source: Option<Arc<SourceFile>>,
    ) -> Result<Self, InvalidPolicy> {
        let name = name.into();
        let mut problems: Vec<PolicyProblem> = parsed
            .problems
            .iter()
            .map(|p| PolicyProblem {
                message: p.message.clone(),
                span: p.span,
            })
            .collect();
        match Self::compile(&parsed.policy, name.clone(), policy_type, source) {
            Ok(policy) if problems.is_empty() => Ok(policy),
            Ok(_) => Err(InvalidPolicy { name, problems }),
            Err(invalid) => {
                problems.extend(invalid.problems);
                problems.sort_by_key(|p| p.span.start);
                problems.dedup();
                Err(InvalidPolicy { name, problems })
            }
        }
    }

    /// Compiles a policy model.
    pub fn compile(
        policy: &Policy,
        name: impl Into<String>,
        policy_type: PolicyType,
        source: Option<Arc<SourceFile>>,
    ) -> Result<Self, InvalidPolicy> {
        let name = name.into();
        let mut problems = Vec::new();
        let variables = policy.supports_variables();
        let statements: Vec<CompiledStatement> = policy
            .statements
            .iter()
            .filter_map(|s| compile_statement(s, policy_type, variables, &mut problems))
            .collect();
        if policy_type == PolicyType::Rcp && !variables {
            // "Every RCP must include a Version element with the value
            // 2012-10-17" ("RCP syntax").
            problems.push(PolicyProblem {
                message: "a resource control policy must have `\"Version\": \"2012-10-17\"`"
                    .to_owned(),
                span: policy.version.as_ref().map_or(policy.span, |v| v.span),
            });
        }
        if policy.statement_key.is_none() && problems.is_empty() {
            problems.push(PolicyProblem {
                message: "the policy has no `Statement`".to_owned(),
                span: policy.span,
            });
        }
        if problems.is_empty() {
            Ok(Self {
                name,
                policy_type,
                source,
                statements: statements.into(),
            })
        } else {
            problems.sort_by_key(|p| p.span.start);
            Err(InvalidPolicy { name, problems })
        }
    }

    /// The statements, in source order.
    pub fn statements(&self) -> &[CompiledStatement] {
        &self.statements
    }
}

/// A compiled statement.
#[derive(Debug, Clone)]
pub struct CompiledStatement {
    /// Position in the policy (0-based).
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// The statement's span.
    pub span: Span,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    pub(crate) actions: Patterns<ActionPattern>,
    pub(crate) resources: Option<Patterns<ResourcePattern>>,
    pub(crate) principal: Option<PrincipalMatcher>,
    pub(crate) condition: Option<CompiledCondition>,
}

/// `Action`/`NotAction`, `Resource`/`NotResource`: patterns and whether negated.
#[derive(Debug, Clone)]
pub(crate) struct Patterns<P> {
    pub(crate) negated: bool,
    pub(crate) items: Vec<P>,
}

/// `Principal`/`NotPrincipal`.
#[derive(Debug, Clone)]
pub(crate) struct PrincipalMatcher {
    pub(crate) negated: bool,
    pub(crate) values: Vec<PrincipalValue>,
    /// The values as written, for traces.
    pub(crate) texts: Vec<String>,
}

/// One action pattern.
#[derive(Debug, Clone)]
pub(crate) enum ActionPattern {
    /// `*`.
    Any,
    /// `service:namepattern`, both lowercased.
    Service {
        service: String,
        name: String,
        text: String,
    },
    /// A pattern with a wildcard in the service prefix, lowercased.
    Glob { lower: String, text: String },
}

/// One resource pattern.
#[derive(Debug, Clone)]
pub(crate) enum ResourcePattern {
    /// `*`.
    Any,
    /// An ARN pattern matched segment by segment ("Using wildcards in
    /// resource ARNs": wildcards stay within a segment); the resource part
    /// may hold policy variables.
    Arn {
        arn: Arn,
        template: Option<Template>,
    },
}

/// Which element of a statement failed to match a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// `Action`/`NotAction`.
    Action,
    /// `Resource`/`NotResource`.
    Resource,
    /// `Principal`/`NotPrincipal`.
    Principal,
    /// `Condition`.
    Condition,
}

/// Every element of a statement checked against a request (for traces).
#[derive(Debug, Clone)]
pub(crate) struct Checks {
    pub(crate) action: bool,
    pub(crate) resource: bool,
    pub(crate) principal: Option<Grant>,
    pub(crate) condition: bool,
    pub(crate) condition_miss: Option<ConditionFailure>,
}

impl Checks {
    /// The elements that failed.
    pub(crate) fn failed(&self) -> impl Iterator<Item = Element> + '_ {
        [
            (!self.action).then_some(Element::Action),
            (!self.resource).then_some(Element::Resource),
            self.principal.is_none().then_some(Element::Principal),
            (!self.condition).then_some(Element::Condition),
        ]
        .into_iter()
        .flatten()
    }
}

impl CompiledStatement {
    /// Compiles one statement on its own, whatever its neighbours hold (a
    /// linter looks at each statement of a policy that may not evaluate as
    /// a whole). `supports_variables` is
    /// [`crate::policy::Policy::supports_variables`]. Fails with the
    /// problems that keep the statement from being evaluated (none when it
    /// lacks `Effect` or `Action`, which the grammar reports).
    pub fn compile_alone(
        statement: &Statement,
        policy_type: PolicyType,
        supports_variables: bool,
    ) -> Result<Self, Vec<PolicyProblem>> {
        let mut problems = Vec::new();
        compile_statement(statement, policy_type, supports_variables, &mut problems).ok_or(problems)
    }

    /// Whether the action, resource and principal elements match the
    /// request, the condition aside (see [`CompiledStatement::condition`]).
    pub fn matches_elements(&self, request: &Request) -> bool {
        self.action_matches(request)
            && self.resource_matches(request)
            && self.principal_grant(request, false).is_some()
    }

    /// The ARN patterns of the `Resource` element (`NotResource` and `*`
    /// give none) when the action element matches the request's action,
    /// with policy variables replaced by their values in the request's
    /// context (a pattern with a variable that has none is left out). A
    /// pattern matches its own text, so a request naming one of these in
    /// place of `request`'s resource meets this statement's `Resource`:
    /// how a caller finds the resources a scoped grant can allow.
    pub fn resource_patterns(&self, request: &Request) -> Vec<String> {
        let Some(resources) = &self.resources else {
            return Vec::new();
        };
        if resources.negated || !self.action_matches(request) {
            return Vec::new();
        }
        resources
            .items
            .iter()
            .filter_map(|p| match p {
                ResourcePattern::Any => None,
                ResourcePattern::Arn {
                    arn,
                    template: None,
                } => Some(arn.as_str().to_owned()),
                ResourcePattern::Arn {
                    arn,
                    template: Some(t),
                } => {
                    let text = arn.as_str();
                    let prefix = &text[..text.len() - arn.resource().len()];
                    t.resolve(&request.context).map(|r| format!("{prefix}{r}"))
                }
            })
            .collect()
    }

    /// The compiled `Condition`, if any.
    pub fn condition(&self) -> Option<&CompiledCondition> {
        self.condition.as_ref()
    }

    /// `Sid`, or `#index`: how traces and corpus files name the statement.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => sid.clone(),
            _ => format!("#{}", self.index),
        }
    }

    /// Whether the statement applies to the request, and how strongly its
    /// principal element names the caller. Checks the cheapest elements
    /// first and allocates nothing unless the resource holds variables.
    pub(crate) fn applies(&self, request: &Request, has_boundary: bool) -> Option<Grant> {
        if !self.action_matches(request) || !self.resource_matches(request) {
            return None;
        }
        let grant = self.principal_grant(request, has_boundary)?;
        match &self.condition {
            Some(c) if !c.evaluate(&request.context).satisfied => None,
            _ => Some(grant),
        }
    }

    /// Like [`Self::applies`] when some condition keys are not known in
    /// advance (see [`CompiledCondition::evaluate_open`]): `None` when an
    /// element or a test on a known key fails, else the grant and the tests
    /// on open keys the request must also satisfy.
    pub(crate) fn applies_open<'s>(
        &'s self,
        request: &Request,
        has_boundary: bool,
        open: &dyn Fn(&ContextKey) -> bool,
    ) -> Option<(Grant, Vec<OpenTest<'s>>)> {
        if !self.action_matches(request) || !self.resource_matches(request) {
            return None;
        }
        let grant = self.principal_grant(request, has_boundary)?;
        let tests = match &self.condition {
            Some(c) => c.evaluate_open(&request.context, open)?,
            None => Vec::new(),
        };
        Some((grant, tests))
    }

    /// Checks every element (for traces and near misses).
    pub(crate) fn check_all(&self, request: &Request, has_boundary: bool) -> Checks {
        let outcome = self
            .condition
            .as_ref()
            .map(|c| c.evaluate(&request.context));
        Checks {
            action: self.action_matches(request),
            resource: self.resource_matches(request),
            principal: self.principal_grant(request, has_boundary),
            condition: outcome.as_ref().is_none_or(|o| o.satisfied),
            condition_miss: outcome
                .and_then(|o| o.miss)
                .map(|m| ConditionFailure::from_miss(&m)),
        }
    }

    fn action_matches(&self, request: &Request) -> bool {
        let action = &request.action;
        let any = self.actions.items.iter().any(|p| match p {
            ActionPattern::Any => true,
            ActionPattern::Service { service, name, .. } => {
                service == action.service() && wildcard::matches(name, action.name())
            }
            ActionPattern::Glob { lower, .. } => wildcard::matches(lower, action.lower()),
        });
        any != self.actions.negated
    }

    fn resource_matches(&self, request: &Request) -> bool {
        let Some(resources) = &self.resources else {
            return true;
        };
        let any = resources
            .items
            .iter()
            .any(|p| resource_pattern_matches(p, request));
        any != resources.negated
    }

    /// `Some(grant)` when the principal element names the caller (statements
    /// without one, in identity-side policies, apply to the attached identity).
    fn principal_grant(&self, request: &Request, has_boundary: bool) -> Option<Grant> {
        let Some(matcher) = &self.principal else {
            return Some(Grant::Direct);
        };
        let principal = &request.principal;
        if matcher.negated {
            // "NotPrincipal with Deny … will always deny any IAM principal
            // that has a permissions boundary policy attached"
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
            let boundary_quirk =
                has_boundary && self.effect == Effect::Deny && principal.has_identity_policies();
            return (boundary_quirk || !principal.exempted_by(&matcher.values))
                .then_some(Grant::Direct);
        }
        matcher
            .values
            .iter()
            .filter_map(|v| principal.matched_by(v))
            .max()
    }
}

fn resource_pattern_matches(pattern: &ResourcePattern, request: &Request) -> bool {
    let ResourcePattern::Arn { arn, template } = pattern else {
        return true;
    };
    let prefix = [arn.partition(), arn.service(), arn.region(), arn.account()];
    let (prefix_matches, target) = match &request.resource {
        // A request on `*` is matched as plain text: only patterns that
        // cover the text `*` itself (in practice `*`) apply.
        Resource::Any => (false, "*"),
        Resource::Arn(target) => {
            let t = [
                target.partition(),
                target.service(),
                target.region(),
                target.account(),
            ];
            (
                prefix.iter().zip(t).all(|(p, t)| wildcard::matches(p, t)),
                target.resource(),
            )
        }
    };
    if !prefix_matches {
        return false;
    }
    match template {
        // "a resource that includes a policy variable with no value will not
        // match any resource" (reference_policies_variables.html#policy-vars-no-value);
        // substituted values are literal text, not wildcards.
        Some(t) => t
            .resolve(&request.context)
            .is_some_and(|r| r.matches(target)),
        None => wildcard::matches(arn.resource(), target),
    }
}

fn problem(problems: &mut Vec<PolicyProblem>, span: Span, message: impl Into<String>) {
    problems.push(PolicyProblem {
        message: message.into(),
        span,
    });
}

/// Items whose value is only known after deployment cannot be evaluated.
fn known<'i>(
    items: &'i [Item],
    problems: &mut Vec<PolicyProblem>,
) -> impl Iterator<Item = &'i Item> + use<'i> {
    for item in items.iter().filter(|i| i.is_unknown()) {
        problem(
            problems,
            item.span,
            format!(
                "`{}` is unknown until deployment and cannot be evaluated",
                item.text
            ),
        );
    }
    items.iter().filter(|i| !i.is_unknown())
}

fn compile_statement(
    s: &Statement,
    policy_type: PolicyType,
    variables: bool,
    problems: &mut Vec<PolicyProblem>,
) -> Option<CompiledStatement> {
    let before = problems.len();
    let effect = s.effect();
    let actions = s
        .action
        .as_ref()
        .map(|list| compile_actions(list, problems));
    let resources = match &s.resource {
        Some(list) => Some(compile_resources(list, variables, problems)),
        None if matches!(
            policy_type,
            PolicyType::Identity | PolicyType::Boundary | PolicyType::Session
        ) =>
        {
            problem(
                problems,
                s.span,
                format!(
                    "statement {} has neither `Resource` nor `NotResource`, which a {} requires",
                    s.label(),
                    policy_type.describe()
                ),
            );
            None
        }
        None => None,
    };
    let principal = match (&s.principal, policy_type.has_principal()) {
        (Some(block), true) => Some(compile_principal(block, problems)),
        (Some(block), false) => {
            problem(
                problems,
                block.key_span,
                format!(
                    "`{}` cannot appear in a {}",
                    block.key(),
                    policy_type.describe()
                ),
            );
            None
        }
        (None, true) => {
            problem(
                problems,
                s.span,
                format!(
                    "statement {} has neither `Principal` nor `NotPrincipal`, which a {} requires",
                    s.label(),
                    policy_type.describe()
                ),
            );
            None
        }
        (None, false) => None,
    };
    if policy_type == PolicyType::Rcp {
        check_rcp_statement(s, problems);
    }
    let condition = match &s.condition {
        Some(c) => match CompiledCondition::compile(c, variables) {
            Ok(compiled) => Some(compiled),
            Err(errors) => {
                for e in errors {
                    problem(problems, e.span, e.message);
                }
                None
            }
        },
        None => None,
    };
    if problems.len() > before {
        return None;
    }
    // Statements missing `Effect` or `Action` were reported by the grammar.
    Some(CompiledStatement {
        index: s.index,
        sid: s.sid.as_ref().map(|sid| sid.value.clone()),
        span: s.span,
        effect: effect?,
        actions: actions?,
        resources,
        principal,
        condition,
    })
}

/// RCP syntax ("RCP syntax", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html):
/// `Allow` is only supported for `RCPFullAWSAccess`, `NotAction` and
/// `NotPrincipal` are not supported, and the principal is always `"*"`.
fn check_rcp_statement(s: &Statement, problems: &mut Vec<PolicyProblem>) {
    let star = |list: &Option<ItemList>| {
        list.as_ref()
            .is_some_and(|l| !l.negated && l.items.len() == 1 && l.items[0].text == "*")
    };
    let everyone = |block: &crate::policy::PrincipalBlock| match &block.spec {
        PrincipalSpec::Wildcard => true,
        PrincipalSpec::Map(entries) => {
            entries.len() == 1
                && entries[0].principal_type == PrincipalType::Aws
                && entries[0].items.len() == 1
                && entries[0].items[0].text == "*"
        }
    };
    if let Some(list) = s.action.as_ref().filter(|l| l.negated) {
        problem(
            problems,
            list.key_span,
            "`NotAction` is not supported in a resource control policy",
        );
    }
    match &s.principal {
        Some(block) if block.negated => {
            problem(
                problems,
                block.key_span,
                "`NotPrincipal` is not supported in a resource control policy",
            );
        }
        Some(block) if !everyone(block) => problem(
            problems,
            block.span,
            "the principal of a resource control policy must be `\"*\"` (narrow it with `Condition`)",
        ),
        _ => {}
    }
    if let Some(effect) = s.effect.as_ref().filter(|e| e.value == Effect::Allow) {
        let full_access = star(&s.action) && star(&s.resource) && s.condition.is_none();
        if !full_access {
            problem(
                problems,
                effect.span,
                "a resource control policy can only `Deny`: `Allow` is reserved for RCPFullAWSAccess (`*` on `*`), which applies at every level anyway",
            );
        }
    }
}

fn compile_actions(list: &ItemList, problems: &mut Vec<PolicyProblem>) -> Patterns<ActionPattern> {
    let items = known(&list.items, problems)
        .filter_map(|item| {
            let text = item.text.as_str();
            if text == "*" {
                return Some(ActionPattern::Any);
            }
            let Some((service, name)) = text.split_once(':') else {
                problem(
                    problems,
                    item.span,
                    format!("action `{text}` must be `service:action` or `*`"),
                );
                return None;
            };
            if service.is_empty() || name.is_empty() {
                problem(
                    problems,
                    item.span,
                    format!("action `{text}` must be `service:action` or `*`"),
                );
                return None;
            }
            Some(if wildcard::has_wildcard(service) {
                ActionPattern::Glob {
                    lower: text.to_ascii_lowercase(),
                    text: text.to_owned(),
                }
            } else {
                ActionPattern::Service {
                    service: service.to_ascii_lowercase(),
                    name: name.to_ascii_lowercase(),
                    text: text.to_owned(),
                }
            })
        })
        .collect::<Vec<_>>();
    Patterns {
        negated: list.negated,
        items,
    }
}

fn compile_resources(
    list: &ItemList,
    variables: bool,
    problems: &mut Vec<PolicyProblem>,
) -> Patterns<ResourcePattern> {
    let items = known(&list.items, problems)
        .filter_map(|item| {
            let text = item.text.as_str();
            if text == "*" {
                return Some(ResourcePattern::Any);
            }
            match Arn::parse(text) {
                Ok(arn) => {
                    // Variables only in the resource part, after the fifth
                    // colon ("Where you can use policy variables").
                    let template = if variables && arn.resource().contains("${") {
                        match Template::parse(arn.resource()) {
                            Ok(t) => Some(t),
                            Err(e) => {
                                problem(problems, item.span, e.to_string());
                                return None;
                            }
                        }
                    } else {
                        None
                    };
                    Some(ResourcePattern::Arn { arn, template })
                }
                Err(e) => {
                    problem(
                        problems,
                        item.span,
                        format!("resource must be an ARN or `*`: {e}"),
                    );
                    None
                }
            }
        })
        .collect();
    Patterns {
        negated: list.negated,
        items,
    }
}

fn compile_principal(
    block: &crate::policy::PrincipalBlock,
    problems: &mut Vec<PolicyProblem>,
) -> PrincipalMatcher {
    let mut values = Vec::new();
    let mut texts = Vec::new();
    match &block.spec {
        PrincipalSpec::Wildcard => {
            values.push(PrincipalValue::Everyone);
            texts.push("*".to_owned());
        }
        PrincipalSpec::Map(entries) => {
            for entry in entries {
                for item in known(&entry.items, problems) {
                    let text = item.text.clone();
                    let value = match entry.principal_type {
                        PrincipalType::Aws => match PrincipalValue::aws(&text) {
                            Ok(v) => v,
                            Err(message) => {
                                problem(problems, item.span, message);
                                continue;
                            }
                        },
                        PrincipalType::Service => PrincipalValue::Service(text.clone()),
                        PrincipalType::Federated => PrincipalValue::Federated(text.clone()),
                        PrincipalType::CanonicalUser => PrincipalValue::Unmatchable(text.clone()),
                    };
                    values.push(value);
                    texts.push(format!("{}:{text}", entry.principal_type.key()));
                }
            }
        }
    }
    PrincipalMatcher {
        negated: block.negated,
        values,
        texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_support::{self, request};
    use crate::policy::parse_policy;

    fn compile(text: &str, policy_type: PolicyType) -> Result<CompiledPolicy, InvalidPolicy> {
        test_support::compile(text, policy_type, "p")
    }

    #[test]
    fn actions_are_case_insensitive_and_split() {
        let p = compile(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["S3:get*","iam:*Report"],"Resource":"*"}}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let s = &p.statements[0];
        let alice = "arn:aws:iam::111122223333:user/alice";
        assert!(
            s.applies(&request(alice, "s3:GetObject", "*"), false)
                .is_some()
        );
        assert!(
            s.applies(&request(alice, "iam:GetCredentialReport", "*"), false)
                .is_some()
        );
        assert!(
            s.applies(&request(alice, "s3:PutObject", "*"), false)
                .is_none()
        );
        assert!(
            s.applies(&request(alice, "s3express:GetObject", "*"), false)
                .is_none()
        );
    }

    #[test]
    fn resources_match_segment_by_segment() {
        let p = compile(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":["arn:aws:s3:::b/*/test/*","arn:aws:iam::*:role/a*"]}}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let s = &p.statements[0];
        let alice = "arn:aws:iam::111122223333:user/alice";
        let hit = |r: &str| {
            s.applies(&request(alice, "s3:GetObject", r), false)
                .is_some()
        };
        assert!(hit("arn:aws:s3:::b/1/2/test/3/o.jpg"));
        assert!(hit("arn:aws:s3:::b//test/o.jpg"));
        assert!(!hit("arn:aws:s3:::b/1-test/o.jpg"));
        assert!(hit("arn:aws:iam::444455556666:role/admin"));
        assert!(!hit("arn:aws:iam::444455556666:user/admin"));
        assert!(!hit("*"));
    }

    // A request naming a resource pattern of the statement is matched by
    // it ("Using wildcards in resource ARNs"); variables take the
    // request's values ("IAM policy elements: Variables and tags",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
    #[test]
    fn resource_patterns_name_what_the_statement_matches() {
        let p = compile(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"lambda:Create*","Resource":["*","arn:aws:lambda:*:*:function:${aws:username}-*","arn:aws:lambda:us-east-1:111122223333:function:app-*","arn:aws:lambda:*:*:function:${aws:PrincipalTag/team}-*"]},
                {"Effect":"Allow","Action":"lambda:*","NotResource":"arn:aws:lambda:*:*:function:x"}]}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let alice = "arn:aws:iam::111122223333:user/alice";
        let generic = "arn:aws:lambda:*:111122223333:function:*";
        let create = request(alice, "lambda:CreateFunction", generic);
        let patterns = p.statements[0].resource_patterns(&create);
        assert_eq!(
            patterns,
            [
                "arn:aws:lambda:*:*:function:alice-*",
                "arn:aws:lambda:us-east-1:111122223333:function:app-*",
            ]
        );
        for pattern in &patterns {
            let named = request(alice, "lambda:CreateFunction", pattern);
            assert!(p.statements[0].applies(&named, false).is_some());
        }
        let invoke = request(alice, "lambda:InvokeFunction", generic);
        assert!(p.statements[0].resource_patterns(&invoke).is_empty());
        assert!(p.statements[1].resource_patterns(&create).is_empty());
    }

    #[test]
    fn invalid_policies_point_at_the_problem() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"bucket"},{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        let err = compile(text, PolicyType::Identity).unwrap_err();
        let messages: Vec<_> = err.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("action `s3` must be"));
        assert!(messages[1].contains("resource must be an ARN"));
        assert!(
            messages[2].contains("`Principal` cannot appear in a identity-based policy")
                || messages[2].contains("`Principal` cannot appear")
        );
        assert_eq!(
            &text[err.problems[0].span.start..err.problems[0].span.end],
            "\"s3\""
        );
        let err = compile(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            PolicyType::Resource,
        )
        .unwrap_err();
        assert!(
            err.problems[0]
                .message
                .contains("neither `Principal` nor `NotPrincipal`")
        );
        let err = compile(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*"}}"#,
            PolicyType::Identity,
        )
        .unwrap_err();
        assert!(
            err.problems[0]
                .message
                .contains("neither `Resource` nor `NotResource`")
        );
        // grammar problems are reported too
        let err = compile(
            r#"{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}"#,
            PolicyType::Identity,
        )
        .unwrap_err();
        assert!(err.problems[0].message.contains("`Effect` must be exactly"));
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = compile(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::keep/*"}}"#,
            PolicyType::Identity,
        )
        .unwrap();
        let s = &p.statements[0];
        let alice = "arn:aws:iam::111122223333:user/alice";
        assert!(
            s.applies(
                &request(alice, "s3:GetObject", "arn:aws:s3:::other/x"),
                false
            )
            .is_some()
        );
        assert!(
            s.applies(
                &request(alice, "s3:GetObject", "arn:aws:s3:::keep/x"),
                false
            )
            .is_none()
        );
        assert!(
            s.applies(&request(alice, "iam:ListUsers", "*"), false)
                .is_none()
        );
    }

    #[test]
    fn principal_grants_take_the_strongest_match() {
        let p = compile(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/R"]},"Action":"s3:*","Resource":"*"}}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let s = &p.statements[0];
        assert_eq!(
            s.applies(
                &request(
                    "arn:aws:sts::111122223333:assumed-role/R/x",
                    "s3:GetObject",
                    "*"
                ),
                false
            ),
            Some(Grant::RoleArn)
        );
        assert_eq!(
            s.applies(
                &request("arn:aws:iam::111122223333:user/u", "s3:GetObject", "*"),
                false
            ),
            Some(Grant::Account)
        );
        assert_eq!(
            s.applies(&request("anonymous", "s3:GetObject", "*"), false),
            None
        );
    }

    #[test]
    fn statements_compile_alone_and_match_without_their_condition() {
        let policy = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"},{"Effect":"Allow","Action":"STS:assume*","Resource":"arn:aws:iam::*:role/x","Condition":{"StringEquals":{"aws:ResourceAccount":"111122223333"}}}]}"#,
        )
        .unwrap()
        .policy;
        let bad =
            CompiledStatement::compile_alone(&policy.statements[0], PolicyType::Identity, true);
        assert!(bad.unwrap_err()[0].message.contains("action `s3` must be"));
        let s = CompiledStatement::compile_alone(&policy.statements[1], PolicyType::Identity, true)
            .unwrap();
        let alice = "arn:aws:iam::111122223333:user/alice";
        let foreign = request(alice, "sts:AssumeRole", "arn:aws:iam::444455556666:role/x");
        assert!(s.matches_elements(&foreign));
        assert!(s.applies(&foreign, false).is_none());
        let condition = s.condition().unwrap();
        let pins = |k: &str| k.eq_ignore_ascii_case("aws:ResourceAccount");
        assert!(!condition.evaluate_keys(&foreign.context, pins).holds);
        assert!(!s.matches_elements(&request(
            alice,
            "sts:AssumeRole",
            "arn:aws:iam::444455556666:role/y"
        )));
    }

    #[test]
    fn not_principal_deny_always_applies_with_a_boundary() {
        let p = compile(
            r#"{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/u","111122223333"]},"Action":"s3:*","Resource":"*"}}"#,
            PolicyType::Resource,
        )
        .unwrap();
        let s = &p.statements[0];
        let r = request("arn:aws:iam::111122223333:user/u", "s3:GetObject", "*");
        assert_eq!(s.applies(&r, false), None);
        assert_eq!(s.applies(&r, true), Some(Grant::Direct));
    }
}
