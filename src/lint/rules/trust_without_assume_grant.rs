//! `trust-without-assume-grant`: a role trusts a principal of another
//! account (by ARN, or the whole account) that no identity policy allows to
//! assume it.

use std::collections::{HashMap, HashSet};

use super::helpers::setup::{
    Caller, CallerSide, Evaluator, GrantIndex, TrustedPrincipal, comparable_accounts,
    listed_accounts, named_account, named_principal, only_caller_lacking, principal_values,
};
use crate::declare_rule;
use crate::eval::engine::TypeSet;
use crate::eval::{Decision, PolicyType};
use crate::inventory::Role;
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PrincipalType};

declare_rule! {
    /// Asks the evaluation engine whether each principal of another account
    /// that a trust policy names can actually call `sts:AssumeRole` on the
    /// role.
    TrustWithoutAssumeGrant {
        id: "trust-without-assume-grant",
        finding_type: Warning,
        category: Setup,
        summary: "a role trusts a principal of another account that no identity policy allows to assume it",
    }
}

impl Rule for TrustWithoutAssumeGrant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        let listed = listed_accounts(inventory);
        let grant_index = GrantIndex::of(inventory);
        let grants = &grant_index.callers;
        let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (caller, _)) in grants.iter().enumerate() {
            by_account.entry(caller.account()).or_default().push(i);
        }
        let mut evaluator = Evaluator::new(inventory);
        let mut sides: HashMap<&str, CallerSide> = HashMap::new();
        for (index, role) in inventory.roles().iter().enumerate() {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            let own = role.common.account_id.as_str();
            let mut seen = HashSet::new();
            for trusted in principal_values(trust, Effect::Allow) {
                let text = trusted.item.text.as_str();
                if trusted.entry.principal_type != PrincipalType::Aws
                    || trusted.item.is_unknown()
                    || !seen.insert(text)
                {
                    continue;
                }
                if let Some((account, _, _)) = named_principal(text) {
                    if account == own || !comparable_accounts(account, own) {
                        continue; // in its own account, the trust alone suffices
                    }
                    let Some(caller) = Caller::find(inventory, text) else {
                        continue; // unknown principals are trust-unknown-principal's
                    };
                    let side = sides
                        .entry(caller.arn())
                        .or_insert_with(|| evaluator.caller(caller));
                    if !side.complete {
                        continue;
                    }
                    let Some(conclusion) = evaluator.assume(side, index) else {
                        continue;
                    };
                    if only_caller_lacking(&conclusion) {
                        report_principal(ctx, role, &trusted, conclusion.lacking, out);
                    }
                } else if let Some(account) = named_account(text) {
                    if account == own
                        || !listed.contains(account)
                        || grant_index.incomplete_accounts.contains(account)
                    {
                        continue;
                    }
                    let candidates = by_account.get(account).into_iter().flatten();
                    let mut allowed = false;
                    for &i in candidates {
                        let (caller, caller_grants) = &grants[i];
                        if !caller_grants.iter().any(|g| g.may_cover(&role.common.arn)) {
                            continue;
                        }
                        let side = sides
                            .entry(caller.arn())
                            .or_insert_with(|| evaluator.caller(*caller));
                        let decision = evaluator.assume(side, index).map(|c| c.decision);
                        if !side.complete || decision == Some(Decision::Allowed) {
                            allowed = true;
                            break;
                        }
                    }
                    if !allowed {
                        report_account(ctx, role, &trusted, account, out);
                    }
                }
            }
        }
    }
}

/// What withholds the grant, from the policy types lacking an `Allow`.
fn withheld_by(lacking: TypeSet) -> String {
    let parts: Vec<&str> = lacking
        .iter()
        .map(|t| match t {
            PolicyType::Identity => "no identity policy allows it",
            PolicyType::Boundary => "its permissions boundary does not allow it",
            PolicyType::Scp => "a service control policy of its account does not allow it",
            PolicyType::Session => "its session policy does not allow it",
            PolicyType::Rcp => "a resource control policy does not allow it",
            PolicyType::Resource => "the trust policy does not allow it",
        })
        .collect();
    parts.join(", and ")
}

fn report_principal(
    ctx: &InventoryContext<'_>,
    role: &Role,
    trusted: &TrustedPrincipal<'_>,
    lacking: TypeSet,
    out: &mut Sink,
) {
    let Some(trust) = &role.trust_policy else {
        return;
    };
    let caller = trusted.item.text.as_str();
    let places: Vec<String> = lacking
        .iter()
        .filter_map(|t| match t {
            PolicyType::Identity => Some(format!("an identity policy of `{caller}`")),
            PolicyType::Boundary => Some("its permissions boundary".to_owned()),
            PolicyType::Scp => Some("the service control policies of its account".to_owned()),
            PolicyType::Session => Some("its session policy".to_owned()),
            PolicyType::Rcp | PolicyType::Resource => None,
        })
        .collect();
    let fix = format!(
        "allow it in {}: {{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"{}\"}}",
        places.join(" and "),
        role.common.arn
    );
    ctx.finding(
        &TrustWithoutAssumeGrant::META,
        trust,
        format!(
            "role `{}` trusts `{caller}` of another account, but {} to call `sts:AssumeRole` on the role: across accounts the trust alone is not enough, the call fails with AccessDenied",
            role.common.name,
            withheld_by(lacking)
        ),
    )
    .at(
        trusted.item.span,
        trusted.path(),
        "trusted, but not allowed to assume the role",
    )
    .help(format!(
        "{fix}; or, if `{caller}` no longer needs the role, remove it from the trust policy"
    ))
    .statement(trusted.statement)
    .emit(out);
}

fn report_account(
    ctx: &InventoryContext<'_>,
    role: &Role,
    trusted: &TrustedPrincipal<'_>,
    account: &str,
    out: &mut Sink,
) {
    let Some(trust) = &role.trust_policy else {
        return;
    };
    ctx.finding(
        &TrustWithoutAssumeGrant::META,
        trust,
        format!(
            "role `{}` trusts account `{account}`, but no user or role of that account is allowed to call `sts:AssumeRole` on it: the trust delegates to the account's identity policies, and none grants it",
            role.common.name
        ),
    )
    .at(
        trusted.item.span,
        trusted.path(),
        "no principal of this account may assume the role",
    )
    .help(format!(
        "allow it in an identity policy of the principal in `{account}` meant to use the role: {{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"{}\"}}; or remove the account from the trust policy",
        role.common.arn
    ))
    .statement(trusted.statement)
    .emit(out);
}
