//! `instance-profile-role-untrusted`: a role in an instance profile whose
//! trust policy does not let `ec2.amazonaws.com` assume it.

use std::collections::HashSet;

use super::helpers::setup::{EC2_SERVICE, Evaluator, deciding_statements, trusted_service};
use crate::declare_rule;
use crate::eval::{Decision, PolicyType};
use crate::inventory::Entity;
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyDocument, Statement};
use crate::source::Span;

declare_rule! {
    /// Asks the evaluation engine whether EC2 may assume each role held by
    /// an instance profile.
    InstanceProfileRoleUntrusted {
        id: "instance-profile-role-untrusted",
        finding_type: Error,
        category: Setup,
        summary: "a role in an instance profile whose trust policy does not let `ec2.amazonaws.com` assume it",
    }
}

impl Rule for InstanceProfileRoleUntrusted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        let mut evaluator = Evaluator::new(inventory);
        let mut ec2 = evaluator.service(EC2_SERVICE);
        let mut seen = HashSet::new();
        for profile in inventory.instance_profiles() {
            for arn in &profile.roles {
                let Some(Entity::Role(index)) = inventory.get(arn) else {
                    continue;
                };
                if !seen.insert(index) {
                    continue;
                }
                let Some(role) = inventory.roles().get(index) else {
                    continue;
                };
                let Some(trust) = &role.trust_policy else {
                    continue;
                };
                let Some(evaluation) = evaluator.explain(&mut ec2, index) else {
                    continue;
                };
                if evaluation.decision == Decision::Allowed {
                    continue;
                }
                let denied_by = deciding_statements(trust, &evaluation, PolicyType::Resource);
                let why = match (evaluation.decision, denied_by.first()) {
                    (Decision::ExplicitDeny, Some(_)) => "a `Deny` statement applies to it",
                    (Decision::ExplicitDeny, None) => {
                        "a resource control policy of its account denies it"
                    }
                    _ => "no statement allows it",
                };
                let (span, path, label) = anchor(trust, denied_by.first().copied());
                ctx.finding(
                    &Self::META,
                    trust,
                    format!(
                        "role `{}` is in instance profile `{}`, but its trust policy does not let `{EC2_SERVICE}` assume it ({why}): instances launched with the profile get no credentials",
                        role.common.name, profile.name
                    ),
                )
                .at(span, path, label)
                .help(match denied_by.first() {
                    Some(deny) => format!(
                        "narrow the `Deny` statement `{}` so that it does not apply to `{EC2_SERVICE}`, or take the role out of the instance profile",
                        deny.label()
                    ),
                    None => format!(
                        "add to the trust policy of `{}`: {{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"{EC2_SERVICE}\"}}, \"Action\": \"sts:AssumeRole\"}}, or take the role out of the instance profile",
                        role.common.name
                    ),
                })
                .emit(out);
            }
        }
    }
}

/// Where to point in a trust policy that does not let EC2 in: the `Deny`
/// statement that stops it; else the action of a statement naming EC2;
/// else the principal of the first `Allow` statement (what it trusts
/// instead); else the statements, or the document.
fn anchor(trust: &PolicyDocument, deny: Option<&Statement>) -> (Span, String, &'static str) {
    if let Some(statement) = deny {
        return (statement.span, statement.path.clone(), "denies EC2");
    }
    if let Some(named) = trusted_service(trust, EC2_SERVICE)
        && let Some(action) = &named.statement.action
    {
        return (
            action.span,
            action.path(named.statement),
            "names EC2, but does not allow it `sts:AssumeRole`",
        );
    }
    let policy = &trust.parsed.policy;
    let allow = policy.statements.iter().find_map(|s| {
        s.principal
            .as_ref()
            .filter(|_| s.effect() == Some(Effect::Allow))
            .map(|b| (s, b))
    });
    match (allow, policy.statement_key) {
        (Some((statement, block)), _) => (
            block.span,
            block.path(statement),
            "trusts these principals, not EC2",
        ),
        (None, Some(key)) => (key, "/Statement".into(), "no statement trusts EC2"),
        (None, None) => (policy.span, String::new(), "no statement trusts EC2"),
    }
}
