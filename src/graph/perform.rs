//! `perform`: whether a user or role of the inventory may make one request
//! (any action, any resource), decided by the engine with the policies the
//! inventory holds, both for the context given and for any context the
//! caller could send; and [`Diagnoser`], which indexes the inventory once
//! for many diagnoses (`why` and `perform`).
//!
//! The policy set is the one "Policy evaluation logic"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
//! names: the caller's identity-based policies (its groups' included),
//! permissions boundary and SCPs; the resource's resource-based policy (for
//! `sts:` actions on a role, its trust policy); the RCPs of the resource's
//! account.

use serde::Serialize;

use crate::eval::trace::Outcome;
use crate::eval::{
    Decision, OpenEvaluation, PolicyType, Possibility, Relation, RequestError, applying_statements,
    evaluate, evaluate_open,
};
use crate::inventory::{Inventory, ResourcePolicy, Role};
use crate::policy::arn::is_account_id;

use super::build::edge_conditions;
use super::caller::{Caller, RequestBuilder};
use super::policies::{Origins, Policies, compile};
use super::why::{
    ContextEntry, Diagnosis, Site, WhyError, WhyRequest, diagnose, find_caller, miss_line,
    request_context, site,
};
use super::{EdgeCondition, Problem};

/// Indexes an inventory once and answers many diagnoses from it.
pub struct Diagnoser<'i> {
    policies: Policies<'i>,
}

impl<'i> Diagnoser<'i> {
    /// Indexes the inventory (which accounts it covers, its organization).
    pub fn new(inventory: &'i Inventory) -> Self {
        let mut policies = Policies::new(inventory);
        policies.index_accounts();
        Self { policies }
    }

    /// The inventory.
    pub fn inventory(&self) -> &'i Inventory {
        self.policies.inventory
    }

    /// Whether the inventory holds principals of `account`: when it does, a
    /// principal or role of that account it lacks does not exist.
    pub fn covers(&self, account: &str) -> bool {
        self.policies.covers(account)
    }

    /// The diagnosis of one AssumeRole, as [`super::why`] makes it.
    pub fn why(&self, request: &WhyRequest) -> Result<Diagnosis, WhyError> {
        diagnose(&self.policies, request)
    }

    /// Whether a user or role of the inventory may make one request.
    pub fn perform(&self, request: &PerformRequest) -> Result<Performance, PerformError> {
        perform(&self.policies, request)
    }
}

/// One request to decide.
#[derive(Debug, Clone, Default)]
pub struct PerformRequest {
    /// The caller: a user or role ARN of the inventory, or a session of
    /// such a role.
    pub principal: String,
    /// The action, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// Context keys given (`KEY`, `VALUE`; a key given twice is
    /// multivalued). The time, `aws:SecureTransport` and
    /// `aws:RequestedRegion` are filled in for the decision unless given.
    pub context: Vec<(String, String)>,
}

/// Why a request cannot be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum PerformError {
    /// The caller's policies are not in the inventory.
    #[error("`{0}` is not a user or role of the inventory, so its policies are unknown")]
    #[diagnostic(help("give the snapshot or authorization-details file that declares it"))]
    UnknownPrincipal(String),
    /// The caller, action, resource or a context value is invalid.
    #[error(transparent)]
    Request(#[from] RequestError),
}

impl From<WhyError> for PerformError {
    fn from(e: WhyError) -> Self {
        match e {
            WhyError::Request(r) => Self::Request(r),
            other => Self::UnknownPrincipal(other.to_string()),
        }
    }
}

/// What one policy type contributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TypeOutcome {
    /// The type (`resource` is the resource-based policy).
    pub policy_type: PolicyType,
    /// Allowed, denied, nothing applied, or not applicable.
    pub outcome: Outcome,
}

/// A statement that failed on exactly one element, in its file.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The statement.
    pub site: Site,
    /// What failed, in one line.
    pub detail: String,
}

/// The answer for one request.
#[derive(Debug, Clone, Serialize)]
pub struct Performance {
    /// The caller as evaluated.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The decision for the context given (with the defaults filled in).
    pub decision: Decision,
    /// Whether that decision allows.
    pub allowed: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// Same account or cross-account.
    pub relation: Relation,
    /// The context keys used for the decision.
    pub context: Vec<ContextEntry>,
    /// What each policy type contributed to the decision.
    pub outcomes: Vec<TypeOutcome>,
    /// Every statement that applies to the request, in evaluation order.
    pub statements: Vec<Site>,
    /// Statements that failed on one element (for an implicit deny).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<Miss>,
    /// Whether some request, every request or no request is allowed,
    /// whatever context the caller sends (the keys given stay fixed).
    pub possibility: Possibility,
    /// For a conditional possibility: what the context must meet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<EdgeCondition>,
    /// The statements holding those conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditional_statements: Vec<Site>,
    /// What the inventory does not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Performance {
    /// The outcome of one policy type, if it took part.
    pub fn outcome(&self, policy_type: PolicyType) -> Option<Outcome> {
        self.outcomes
            .iter()
            .find(|o| o.policy_type == policy_type)
            .map(|o| o.outcome)
    }
}

/// The resource-based policy of a resource the inventory holds: an exact
/// match, or for an S3 object the policy of its bucket.
fn resource_policy<'i>(inventory: &'i Inventory, resource: &str) -> Option<&'i ResourcePolicy> {
    let policies = inventory.resource_policies();
    policies
        .iter()
        .find(|p| p.resource == resource)
        .or_else(|| {
            policies.iter().find(|p| {
                p.resource.starts_with("arn:aws:s3:::")
                    && resource
                        .strip_prefix(p.resource.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        })
}

/// The account of an ARN, when it names one.
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| is_account_id(a))
}

fn perform(policies: &Policies<'_>, request: &PerformRequest) -> Result<Performance, PerformError> {
    let inventory = policies.inventory;
    let mut notes = Vec::new();
    let caller = find_caller(policies, &request.principal, &mut notes)?;
    let mut origins: Origins = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let side = match &caller {
        Caller::User(i) => {
            policies.user_side(&inventory.users()[*i], &mut problems, Some(&mut origins))
        }
        Caller::Role(i) => {
            policies.role_side(&inventory.roles()[*i], &mut problems, Some(&mut origins))
        }
        _ => return Err(PerformError::UnknownPrincipal(request.principal.clone())),
    };
    let sts = request
        .action
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("sts:"));
    let target: Option<&Role> = inventory.role(&request.resource).filter(|_| sts);
    let (resource, account) = match target {
        Some(role) => (
            policies.trust(role, &mut problems, Some(&mut origins)),
            Some(role.common.account_id.as_str()),
        ),
        None => match resource_policy(inventory, &request.resource) {
            Some(p) => {
                let name = format!("{} resource policy", p.resource);
                origins.push((name.clone(), p.document.origin.clone()));
                (
                    compile(&p.document, name, PolicyType::Resource, &mut problems),
                    arn_account(&request.resource).or(p.account_id.as_deref()),
                )
            }
            None => (None, arn_account(&request.resource)),
        },
    };
    let rcps = match account {
        Some(a) if policies.covers(a) => policies.rcps(a, &mut problems, Some(&mut origins)),
        _ => Vec::new(),
    };
    let set = side.with_role(resource, rcps);
    let builder = RequestBuilder { policies };
    let (context, entries) = request_context(&request.context, None);
    let (req, _) = builder.request(&caller, &request.action, &request.resource, target, context)?;
    let evaluation = evaluate(&set, &req);
    let applying = applying_statements(&set, &req);
    // Over every context: only the keys given are fixed.
    let (given, _) = request_context(&request.context, None);
    let mut fixed = crate::eval::RequestContext::new();
    for (key, _) in &request.context {
        if let Some(value) = given.get(key) {
            fixed.insert(key.clone(), value.clone());
        }
    }
    let (open_req, open_keys) =
        builder.request(&caller, &request.action, &request.resource, target, fixed)?;
    let open: OpenEvaluation = evaluate_open(&set, &open_req, &open_keys);
    let conditional_statements = open
        .requirements
        .iter()
        .flat_map(|r| r.alternatives.iter().map(|a| site(&origins, &a.statement)))
        .collect();
    let trace = &evaluation.trace;
    notes.extend(
        problems
            .into_iter()
            .map(|p| format!("{}: {}", p.subject, p.message)),
    );
    Ok(Performance {
        principal: req.principal.display(),
        action: request.action.clone(),
        resource: request.resource.clone(),
        decision: evaluation.decision,
        allowed: evaluation.decision == Decision::Allowed,
        reason: trace.reason.message.clone(),
        relation: trace.relation,
        context: entries,
        outcomes: trace
            .policy_types
            .iter()
            .map(|t| TypeOutcome {
                policy_type: t.policy_type,
                outcome: t.outcome,
            })
            .collect(),
        statements: applying.iter().map(|s| site(&origins, s)).collect(),
        near_misses: if evaluation.decision == Decision::ImplicitDeny {
            trace
                .near_misses
                .iter()
                .map(|m| Miss {
                    site: site(&origins, &m.statement),
                    detail: miss_line(m),
                })
                .collect()
        } else {
            Vec::new()
        },
        possibility: open.possibility,
        conditions: if open.possibility == Possibility::Conditional {
            edge_conditions(&open)
        } else {
            Vec::new()
        },
        conditional_statements: if open.possibility == Possibility::Conditional {
            conditional_statements
        } else {
            Vec::new()
        },
        notes,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::graph::testing::dump_inventory;

    const A: &str = "111111111111";

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn inventory(users: Vec<Value>, roles: Vec<Value>) -> Inventory {
        let dump = json!({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []});
        dump_inventory(A, &dump)
    }

    fn user(name: &str, policy: Value) -> Value {
        json!({
            "Path": "/", "UserName": name, "UserId": format!("AIDA{name}"),
            "Arn": format!("arn:aws:iam::{A}:user/{name}"),
            "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": policy}],
            "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
        })
    }

    fn ask(inventory: &Inventory, principal: &str, action: &str, resource: &str) -> Performance {
        Diagnoser::new(inventory)
            .perform(&PerformRequest {
                principal: principal.into(),
                action: action.into(),
                resource: resource.into(),
                context: Vec::new(),
            })
            .unwrap()
    }

    // An identity policy alone allows a same-account request without a
    // resource policy ("Policy evaluation logic",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    #[test]
    fn identity_allow_is_located() {
        let inv = inventory(
            vec![user(
                "alice",
                doc(
                    json!([{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]),
                ),
            )],
            vec![],
        );
        let p = ask(
            &inv,
            &format!("arn:aws:iam::{A}:user/alice"),
            "s3:GetObject",
            "arn:aws:s3:::bucket/key",
        );
        assert!(p.allowed);
        assert_eq!(p.possibility, Possibility::Always);
        assert_eq!(p.outcome(PolicyType::Identity), Some(Outcome::Allowed));
        let s = &p.statements[0];
        assert_eq!(s.statement.statement, "Read");
        assert_eq!(s.file, format!("{A}.authorization-details.json"));
        assert!(s.line.is_some_and(|l| l > 1), "{s:?}");
        let denied = ask(
            &inv,
            &format!("arn:aws:iam::{A}:user/alice"),
            "s3:PutObject",
            "arn:aws:s3:::bucket/key",
        );
        assert!(!denied.allowed);
        assert_eq!(denied.possibility, Possibility::Never);
        assert!(
            denied.near_misses[0].detail.contains("s3:PutObject"),
            "{:?}",
            denied.near_misses
        );
    }

    // A condition on a key the caller sends (MFA) denies the request without
    // it, but a request with it is allowed: the possibility is conditional
    // and the condition is named ("AWS global condition context keys",
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
    #[test]
    fn conditions_the_caller_controls_are_kept() {
        let inv = inventory(
            vec![user(
                "bob",
                doc(
                    json!([{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
                ),
            )],
            vec![],
        );
        let principal = format!("arn:aws:iam::{A}:user/bob");
        let p = ask(&inv, &principal, "ec2:StopInstances", "*");
        assert!(!p.allowed);
        assert_eq!(p.possibility, Possibility::Conditional);
        assert_eq!(p.conditions[0].key, "aws:MultiFactorAuthPresent");
        assert_eq!(p.conditional_statements.len(), 1);
        let with_mfa = Diagnoser::new(&inv)
            .perform(&PerformRequest {
                principal,
                action: "ec2:StopInstances".into(),
                resource: "*".into(),
                context: vec![("aws:MultiFactorAuthPresent".into(), "true".into())],
            })
            .unwrap();
        assert!(with_mfa.allowed);
        assert_eq!(with_mfa.possibility, Possibility::Always);
    }

    // For `sts:AssumeRole` on a role, the role's trust policy is the
    // resource-based policy.
    #[test]
    fn trust_policy_is_the_resource_policy_of_sts_actions() {
        let role = json!({
            "Path": "/", "RoleName": "target", "RoleId": "AROAtarget",
            "Arn": format!("arn:aws:iam::{A}:role/target"),
            "AssumeRolePolicyDocument": doc(json!([{"Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{A}:user/carol")}, "Action": "sts:AssumeRole"}])),
            "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [], "RolePolicyList": [],
        });
        let inv = inventory(
            vec![user(
                "carol",
                doc(json!([{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}])),
            )],
            vec![role],
        );
        let p = ask(
            &inv,
            &format!("arn:aws:iam::{A}:user/carol"),
            "sts:AssumeRole",
            &format!("arn:aws:iam::{A}:role/target"),
        );
        assert!(p.allowed, "{p:?}");
        assert_eq!(p.outcome(PolicyType::Resource), Some(Outcome::Allowed));
    }

    #[test]
    fn callers_outside_the_inventory_are_refused() {
        let inv = inventory(vec![], vec![]);
        let e = Diagnoser::new(&inv)
            .perform(&PerformRequest {
                principal: "arn:aws:iam::222222222222:user/x".into(),
                action: "s3:GetObject".into(),
                resource: "*".into(),
                context: Vec::new(),
            })
            .unwrap_err();
        assert!(matches!(e, PerformError::UnknownPrincipal(_)), "{e:?}");
    }
}
