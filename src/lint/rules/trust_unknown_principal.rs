//! `trust-unknown-principal`: a trust policy names a user or role that
//! does not exist in an account the inventory lists completely.

use std::collections::{HashMap, HashSet};

use super::helpers::setup::{Caller, listed_accounts, named_principal};
use crate::declare_rule;
use crate::inventory::{Entity, Inventory};
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::{PrincipalSpec, PrincipalType, did_you_mean};

declare_rule! {
    /// Checks each user and role ARN of a trust policy against the
    /// principals of its account.
    TrustUnknownPrincipal {
        id: "trust-unknown-principal",
        finding_type: Error,
        category: Setup,
        summary: "a trust policy names a user or role that does not exist in an account the inventory lists",
    }
}

impl Rule for TrustUnknownPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        let listed = listed_accounts(inventory);
        if listed.is_empty() {
            return;
        }
        // Built on the first principal not found by its exact ARN: IAM
        // names are unique without regard to case.
        let mut names: Option<Names<'_>> = None;
        for role in inventory.roles() {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            for statement in &trust.parsed.policy.statements {
                let Some(block) = &statement.principal else {
                    continue;
                };
                let PrincipalSpec::Map(entries) = &block.spec else {
                    continue;
                };
                for entry in entries
                    .iter()
                    .filter(|e| e.principal_type == PrincipalType::Aws)
                {
                    for (i, item) in entry.items.iter().enumerate() {
                        if item.is_unknown() {
                            continue;
                        }
                        let Some((account, kind, name)) = named_principal(&item.text) else {
                            continue;
                        };
                        if !listed.contains(account)
                            || matches!(
                                inventory.get(&item.text),
                                Some(Entity::User(_) | Entity::Role(_))
                            )
                        {
                            continue;
                        }
                        let Names {
                            exists,
                            by_name,
                            in_account,
                        } = names.get_or_insert_with(|| Names::of(inventory));
                        if exists.contains(&(account, kind, name.to_lowercase())) {
                            continue;
                        }
                        let elsewhere = by_name
                            .get(&(kind, name.to_lowercase()))
                            .map(Vec::as_slice)
                            .unwrap_or_default();
                        let help = match elsewhere {
                            [arn, ..] => format!(
                                "{kind} `{name}` exists as `{arn}`: if that is the principal meant, write its ARN; otherwise remove the entry"
                            ),
                            [] => {
                                let names = in_account
                                    .get(&(account, kind))
                                    .map(Vec::as_slice)
                                    .unwrap_or_default();
                                let suggestion = did_you_mean(name, names);
                                if suggestion.is_empty() {
                                    format!(
                                        "remove the entry, or create the {kind} `{name}` in account `{account}` before the trust policy names it"
                                    )
                                } else {
                                    format!("fix the name{suggestion}")
                                }
                            }
                        };
                        ctx.finding(
                            &Self::META,
                            trust,
                            format!(
                                "the trust policy of role `{}` names `{}`, but account `{account}` has no {kind} `{name}`: AWS rejects a trust policy naming a principal that does not exist (\"Invalid principal in policy\")",
                                role.common.name, item.text
                            ),
                        )
                        .at(
                            item.span,
                            entry.item_path(block, statement, i),
                            format!("no such {kind} in `{account}`"),
                        )
                        .help(help)
                        .statement(statement)
                        .emit(out);
                    }
                }
            }
        }
    }
}

/// The principals of an inventory by name, without regard to case.
struct Names<'a> {
    exists: HashSet<(&'a str, &'static str, String)>,
    by_name: HashMap<(&'static str, String), Vec<&'a str>>,
    in_account: HashMap<(&'a str, &'static str), Vec<&'a str>>,
}

impl<'a> Names<'a> {
    fn of(inventory: &'a Inventory) -> Self {
        let mut names = Names {
            exists: HashSet::new(),
            by_name: HashMap::new(),
            in_account: HashMap::new(),
        };
        for caller in Caller::all(inventory) {
            let kind = match caller {
                Caller::User(_) => "user",
                Caller::Role(_) => "role",
            };
            let common = caller.common();
            let lower = common.name.to_lowercase();
            names.exists.insert((caller.account(), kind, lower.clone()));
            names
                .by_name
                .entry((kind, lower))
                .or_default()
                .push(caller.arn());
            names
                .in_account
                .entry((caller.account(), kind))
                .or_default()
                .push(&common.name);
        }
        names
    }
}
