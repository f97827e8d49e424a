//! `assume-grant-without-trust`: a principal allowed `sts:AssumeRole` on a
//! role of the inventory whose trust policy does not trust it.

use std::collections::HashMap;
use std::sync::Arc;

use super::helpers::setup::{
    AssumeGrant, Evaluator, GrantIndex, comparable_accounts, declared_at, list_names,
    only_trust_lacking,
};
use crate::declare_rule;
use crate::inventory::Entity;
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::wildcard;

declare_rule! {
    /// Asks the evaluation engine, for each role a principal's identity
    /// policy names in an `sts:AssumeRole` grant, whether the role's trust
    /// policy is the only thing that stops it.
    AssumeGrantWithoutTrust {
        id: "assume-grant-without-trust",
        finding_type: Error,
        category: Setup,
        summary: "a principal is allowed `sts:AssumeRole` on a role whose trust policy does not trust it",
    }
}

/// One grant entry naming a role that does not trust the callers holding it.
struct Found<'a> {
    grant: AssumeGrant<'a>,
    role: usize,
    callers: Vec<&'a str>,
}

impl Rule for AssumeGrantWithoutTrust {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        let roles = inventory.roles();
        let mut by_resource: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            if let Some(resource) = role.common.arn.splitn(6, ':').nth(5) {
                by_resource.entry(resource).or_default().push(i);
            }
        }
        let mut evaluator = Evaluator::new(inventory);
        let mut found: Vec<Found<'_>> = Vec::new();
        let mut at: HashMap<(usize, usize, usize, usize), usize> = HashMap::new();
        for (caller, grants) in GrantIndex::of(inventory).callers {
            let mut candidates = Vec::new();
            for grant in grants {
                let Some(pattern) = grant.named_role() else {
                    continue;
                };
                let exact = match inventory.get(pattern) {
                    Some(Entity::Role(role)) => Some(role),
                    _ => None,
                };
                let across_accounts = exact.is_none() && wildcard::has_wildcard(pattern);
                let resource = pattern.splitn(6, ':').nth(5).unwrap_or_default();
                let others = by_resource
                    .get(resource)
                    .filter(|_| across_accounts)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&role| wildcard::matches(pattern, &roles[role].common.arn));
                for role in exact.into_iter().chain(others) {
                    if comparable_accounts(caller.account(), &roles[role].common.account_id) {
                        candidates.push((role, grant));
                    }
                }
            }
            if candidates.is_empty() {
                continue;
            }
            let mut side = evaluator.caller(caller);
            let mut untrusted: HashMap<usize, bool> = HashMap::new();
            for (role, grant) in candidates {
                let missing = *untrusted.entry(role).or_insert_with(|| {
                    evaluator
                        .assume(&mut side, role)
                        .is_some_and(|c| only_trust_lacking(&c))
                });
                if !missing {
                    continue;
                }
                let Some((item, _)) = grant.resource else {
                    continue;
                };
                let key = (
                    Arc::as_ptr(grant.document) as usize,
                    grant.statement.index,
                    item,
                    role,
                );
                let slot = *at.entry(key).or_insert_with(|| {
                    found.push(Found {
                        grant,
                        role,
                        callers: Vec::new(),
                    });
                    found.len() - 1
                });
                let callers = &mut found[slot].callers;
                if !callers.contains(&caller.arn()) {
                    callers.push(caller.arn());
                }
            }
        }
        for f in found {
            report(ctx, &f, out);
        }
    }
}

fn report(ctx: &InventoryContext<'_>, found: &Found<'_>, out: &mut Sink) {
    let Some(role) = ctx.inventory.roles().get(found.role) else {
        return;
    };
    let Some((index, item)) = found.grant.resource else {
        return;
    };
    let Some(resource) = &found.grant.statement.resource else {
        return;
    };
    let (who, them) = match found.callers.as_slice() {
        [one] => (format!("`{one}` is"), "it"),
        many => (format!("{} are", list_names(many)), "any of them"),
    };
    let trust_at = declared_at(role.common.declared.as_ref())
        .map(|at| format!(" (declared at {at})"))
        .unwrap_or_default();
    let quoted: Vec<String> = found
        .callers
        .iter()
        .take(3)
        .map(|c| format!("\"{c}\""))
        .collect();
    let principal = match found.callers.len() {
        1 => quoted.join(""),
        n if n <= 3 => format!("[{}]", quoted.join(", ")),
        _ => format!("[{}, …]", quoted.join(", ")),
    };
    ctx.finding(
        &AssumeGrantWithoutTrust::META,
        found.grant.document,
        format!(
            "{who} allowed `sts:AssumeRole` on `{}`, but the role's trust policy does not trust {them}: the call fails with AccessDenied",
            role.common.arn
        ),
    )
    .at(
        item.span,
        resource.item_path(found.grant.statement, index),
        "this role does not trust the caller",
    )
    .help(format!(
        "add to the trust policy of `{}`{trust_at}: {{\"Effect\": \"Allow\", \"Principal\": {{\"AWS\": {principal}}}, \"Action\": \"sts:AssumeRole\"}} (with an `sts:ExternalId` condition for a third party); or, if the role is not meant for {them}, remove it from this `Resource`",
        role.common.name
    ))
    .statement(found.grant.statement)
    .emit(out);
}
