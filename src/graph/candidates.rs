//! The (caller, role) pairs worth asking the engine about. Asking about
//! every pair would be quadratic; a role's trust policy must name the caller
//! for any assume to succeed (it is "required" for `sts:AssumeRole*`,
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
//! so the trust policies' `Allow` principals are indexed:
//!
//! * an exact user or role ARN → that principal (outside the inventory when
//!   its account is; nobody when the inventory covers its account and
//!   holds no such principal, since AWS does not accept a trust policy
//!   naming a principal that does not exist);
//! * an account (`ACCOUNT`, `arn:aws:iam::ACCOUNT:root`) → the principals of
//!   that account whose identity policies may grant `sts:AssumeRole` (the
//!   account only delegates: an identity policy must allow too), or the
//!   account itself when the inventory does not cover it;
//! * `*` → every principal of the role's account, every principal elsewhere
//!   whose identity policies may grant `sts:AssumeRole`, and anyone outside;
//! * a service or a federated provider → that service or provider.
//!
//! The engine then decides every pair; this only keeps impossible ones out.

use std::collections::HashMap;

use crate::eval::principal::PrincipalValue;
use crate::inventory::Entity;
use crate::policy::{Effect, PrincipalSpec, PrincipalType};

use super::caller::Caller;
use super::policies::Policies;

/// The pairs, grouped by caller (sorted), each with its roles (sorted).
pub(crate) fn candidates(policies: &Policies<'_>) -> Vec<(Caller, Vec<usize>)> {
    let inventory = policies.inventory;
    let mut everyone_by_account: HashMap<&str, Vec<Caller>> = HashMap::new();
    let mut assumers_by_account: HashMap<&str, Vec<Caller>> = HashMap::new();
    for (i, user) in inventory.users().iter().enumerate() {
        let account = user.common.account_id.as_str();
        everyone_by_account
            .entry(account)
            .or_default()
            .push(Caller::User(i));
        if policies.user_may_allow(user, "sts:AssumeRole") {
            assumers_by_account
                .entry(account)
                .or_default()
                .push(Caller::User(i));
        }
    }
    for (i, role) in inventory.roles().iter().enumerate() {
        let account = role.common.account_id.as_str();
        everyone_by_account
            .entry(account)
            .or_default()
            .push(Caller::Role(i));
        if policies.principal_may_allow(&role.common, "sts:AssumeRole") {
            assumers_by_account
                .entry(account)
                .or_default()
                .push(Caller::Role(i));
        }
    }
    let mut pairs: Vec<(Caller, usize)> = Vec::new();
    for (r, role) in inventory.roles().iter().enumerate() {
        let Some(document) = &role.trust_policy else {
            continue;
        };
        let mut everyone = false;
        for statement in &document.parsed.policy.statements {
            if statement.effect() != Some(Effect::Allow) {
                continue;
            }
            let Some(block) = &statement.principal else {
                continue;
            };
            let entries = match &block.spec {
                _ if block.negated => {
                    everyone = true;
                    continue;
                }
                PrincipalSpec::Wildcard => {
                    everyone = true;
                    continue;
                }
                PrincipalSpec::Map(entries) => entries,
            };
            for entry in entries {
                for item in entry.items.iter().filter(|i| !i.is_unknown()) {
                    let text = item.text.as_str();
                    match entry.principal_type {
                        PrincipalType::Service => pairs.push((Caller::Service(text.to_owned()), r)),
                        PrincipalType::Federated => {
                            pairs.push((Caller::Provider(text.to_owned()), r));
                        }
                        PrincipalType::CanonicalUser => {}
                        PrincipalType::Aws => match PrincipalValue::aws(text) {
                            Ok(PrincipalValue::Everyone) => everyone = true,
                            Ok(PrincipalValue::Account(id)) => {
                                if policies.covers(id.as_str()) {
                                    for c in
                                        assumers_by_account.get(id.as_str()).into_iter().flatten()
                                    {
                                        pairs.push((c.clone(), r));
                                    }
                                } else {
                                    pairs.push((Caller::ExternalAccount(id), r));
                                }
                            }
                            Ok(PrincipalValue::Arn(arn)) => match inventory.get(&arn) {
                                Some(Entity::User(i)) => pairs.push((Caller::User(i), r)),
                                Some(Entity::Role(i)) => pairs.push((Caller::Role(i), r)),
                                _ => {
                                    let account = arn.split(':').nth(4).unwrap_or_default();
                                    if !policies.covers(account) {
                                        pairs.push((Caller::ExternalPrincipal(arn), r));
                                    }
                                }
                            },
                            _ => {}
                        },
                    }
                }
            }
        }
        if everyone {
            let own = role.common.account_id.as_str();
            pairs.push((Caller::Anyone, r));
            for c in everyone_by_account.get(own).into_iter().flatten() {
                pairs.push((c.clone(), r));
            }
            for (account, callers) in &assumers_by_account {
                if *account != own {
                    pairs.extend(callers.iter().map(|c| (c.clone(), r)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut groups: Vec<(Caller, Vec<usize>)> = Vec::new();
    for (caller, role) in pairs {
        match groups.last_mut() {
            Some((last, roles)) if *last == caller => roles.push(role),
            _ => groups.push((caller, vec![role])),
        }
    }
    groups
}
