//! `ec2-role-without-instance-profile`: a role whose trust policy lets
//! `ec2.amazonaws.com` assume it, held by no instance profile.

use std::collections::HashSet;

use super::helpers::setup::{EC2_SERVICE, Evaluator, principal_values, trusted_service};
use crate::declare_rule;
use crate::eval::Decision;
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PrincipalSpec};

declare_rule! {
    /// Looks for roles EC2 may assume (the evaluation engine decides) that
    /// no instance profile holds.
    Ec2RoleWithoutInstanceProfile {
        id: "ec2-role-without-instance-profile",
        finding_type: Warning,
        category: Setup,
        summary: "a role trusting `ec2.amazonaws.com` that no instance profile holds",
    }
}

impl Rule for Ec2RoleWithoutInstanceProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        // A profile whose role the inputs do not name (a template reference
        // that cannot be resolved) may hold any role of its account.
        let unresolved: HashSet<&str> = inventory
            .instance_profiles()
            .iter()
            .filter(|p| p.roles.is_empty())
            .map(|p| p.account_id.as_str())
            .collect();
        let mut evaluator = Evaluator::new(inventory);
        let mut ec2 = evaluator.service(EC2_SERVICE);
        for (index, role) in inventory.roles().iter().enumerate() {
            if !role.instance_profiles.is_empty()
                || unresolved.contains(role.common.account_id.as_str())
            {
                continue;
            }
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            // Only a trust that names EC2 is meant for it (`"*"` is another
            // rule's concern); the engine then says whether EC2 gets in.
            let Some(named) = trusted_service(trust, EC2_SERVICE) else {
                continue;
            };
            let allowed = evaluator
                .assume(&mut ec2, index)
                .is_some_and(|c| c.decision == Decision::Allowed);
            if !allowed {
                continue;
            }
            // Does the trust name anybody besides EC2?
            let others = principal_values(trust, Effect::Allow).count() > 1
                || trust.parsed.policy.statements.iter().any(|s| {
                    s.principal
                        .as_ref()
                        .is_some_and(|b| b.spec == PrincipalSpec::Wildcard)
                });
            let help = if others {
                format!(
                    "if instances should use `{}`, create an instance profile for it (`aws iam create-instance-profile`, then `aws iam add-role-to-instance-profile`, or `AWS::IAM::InstanceProfile`); otherwise remove `{EC2_SERVICE}` from its trust policy",
                    role.common.name
                )
            } else {
                format!(
                    "if instances should use `{}`, create an instance profile for it (`aws iam create-instance-profile`, then `aws iam add-role-to-instance-profile`, or `AWS::IAM::InstanceProfile`); if `{EC2_SERVICE}` was a placeholder (the console's \"EC2\" use case), replace it with the principal meant to assume the role",
                    role.common.name
                )
            };
            ctx.finding(
                &Self::META,
                trust,
                format!(
                    "role `{}` trusts `{EC2_SERVICE}`, but no instance profile holds it: EC2 hands a role to instances only through an instance profile, so this trust serves nobody",
                    role.common.name
                ),
            )
            .at(named.item.span, named.path(), "EC2 may assume the role")
            .help(help)
            .statement(named.statement)
            .emit(out);
        }
    }
}
