//! `trust-cross-account-no-external-id`: a role that a principal of an
//! account that is not yours can assume without an external id (or MFA).
//!
//! An inventory-level rule: whether an account is "yours" depends on what
//! was loaded, not only on the document. Yours are the role's own account,
//! `trusted_accounts` from `rolecall.toml`, every account the inventory
//! covers and every member account of a loaded organization. A plain trust
//! policy file belongs to no role, so for it only `trusted_accounts` (and
//! the other loaded accounts) count.

use std::collections::HashSet;

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, allowed_principals, condition_json,
    condition_place, json_string, values_for, whole_candidates,
};
use crate::declare_rule;
use crate::eval::principal::PrincipalValue;
use crate::inventory::{PLACEHOLDER_ACCOUNT_ID, PolicyOwner};
use crate::lint::{InventoryContext, Rule, RuleMeta, Sink};
use crate::policy::arn::Arn;
use crate::policy::{PolicyDocument, PolicyKind, PrincipalType, Statement};

declare_rule! {
    /// Flags trust in a principal of a foreign account that needs neither
    /// `sts:ExternalId` nor MFA.
    TrustCrossAccountNoExternalId {
        id: "trust-cross-account-no-external-id",
        finding_type: Security,
        category: Trust,
        summary: "a principal of an account that is not yours can assume the role without `sts:ExternalId` or MFA (the confused deputy)",
        security_severity: 7.5,
    }
}

/// What the trusted party cannot supply at will on behalf of another of its
/// customers: the external id that customer was given, an MFA session.
const MODELLED: &[&str] = &[
    "sts:externalid",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
];

impl Rule for TrustCrossAccountNoExternalId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_inventory(&self, ctx: &InventoryContext<'_>, out: &mut Sink) {
        let inventory = ctx.inventory;
        let mut ours: HashSet<&str> = ctx
            .settings
            .trusted_accounts
            .iter()
            .map(String::as_str)
            .collect();
        ours.extend(inventory.accounts().iter().map(|a| a.id.as_str()));
        if let Some(org) = inventory.organization() {
            ours.extend(org.accounts.iter().map(|a| a.id.as_str()));
            ours.extend(org.management_account.as_deref());
        }
        ours.remove(PLACEHOLDER_ACCOUNT_ID);
        for entry in inventory.policies() {
            if entry.kind != PolicyKind::Trust {
                continue;
            }
            let role = match entry.owner {
                PolicyOwner::Role(role) => {
                    Some((role.common.arn.as_str(), role.common.account_id.as_str()))
                }
                _ => None,
            };
            check(ctx, entry.document, role, &ours, out);
        }
    }
}

/// The foreign account of a principal named in an `Allow` statement.
struct Foreign {
    account: String,
    /// The caller the probe plays.
    caller: String,
}

fn check(
    ctx: &InventoryContext<'_>,
    doc: &PolicyDocument,
    role: Option<(&str, &str)>,
    ours: &HashSet<&str>,
    out: &mut Sink,
) {
    let policy = &doc.parsed.policy;
    let foreign = allowed_principals(policy, |item| {
        let (account, caller) = aws_account(item)?;
        let own = role.is_some_and(|(_, a)| a == account);
        (!own && !ours.contains(account.as_str())).then_some(Foreign { account, caller })
    });
    if foreign.is_empty() {
        return;
    }
    let probe = TrustProbe::new(policy, &|key| MODELLED.contains(&key));
    let sentinels = Sentinels::for_document(doc);
    let resource = match role {
        Some((arn, account)) if account != PLACEHOLDER_ACCOUNT_ID => arn.to_owned(),
        _ => sentinels.victim_role(),
    };
    let external_ids = whole_candidates(
        &values_for(policy, "sts:ExternalId"),
        "rolecall-another-customer",
    );
    let search = Search::new()
        .with(
            std::iter::once(Choice::absent())
                .chain(
                    external_ids
                        .into_iter()
                        .map(|id| Choice::absent().key("sts:ExternalId", id)),
                )
                .collect(),
        )
        .with(vec![
            Choice::absent(),
            Choice::absent().key("aws:MultiFactorAuthPresent", "false"),
        ]);
    for (statement, item, f) in foreign {
        if probe.admits_some(
            statement.index,
            &search,
            &f.caller,
            "sts:AssumeRole",
            &resource,
        ) {
            report(ctx, doc, statement, &item, &f, ours.is_empty(), out);
        }
    }
}

/// The account of an `AWS` principal value and the caller that stands for
/// it (the principal itself, or a role of the account).
fn aws_account(item: &PrincipalItem<'_>) -> Option<(String, String)> {
    if item.principal_type != Some(PrincipalType::Aws) {
        return None;
    }
    match PrincipalValue::aws(item.text).ok()? {
        PrincipalValue::Account(id) => {
            let caller = format!("arn:aws:iam::{id}:role/rolecall-probe");
            Some((id, caller))
        }
        PrincipalValue::Arn(arn) => {
            let account = Arn::parse(&arn).ok()?.account().to_owned();
            Some((account, arn))
        }
        _ => None,
    }
}

/// Whether the value names a whole account (an id or its root ARN).
fn is_account(item: &PrincipalItem<'_>) -> bool {
    matches!(
        PrincipalValue::aws(item.text),
        Ok(PrincipalValue::Account(_))
    )
}

fn report(
    ctx: &InventoryContext<'_>,
    doc: &PolicyDocument,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    f: &Foreign,
    nothing_is_ours: bool,
    out: &mut Sink,
) {
    let (place, path, label) =
        condition_place(statement, "no `sts:ExternalId` or MFA requirement here");
    let whose = if nothing_is_ours {
        "no account is known to be yours"
    } else {
        "it is neither in `trusted_accounts` nor in the loaded inventory"
    };
    let condition = condition_json(&[(
        "StringEquals",
        "sts:ExternalId",
        json_string("<the external id the other account gave you>"),
    )]);
    let who = if is_account(item) {
        format!("account {}, named by `{}`,", f.account, item.text)
    } else {
        format!("`{}` of account {}", item.text, f.account)
    };
    ctx.finding(
        &TrustCrossAccountNoExternalId::META,
        doc,
        format!("{who} can assume this role without an external id or MFA ({whose})"),
    )
    .at(item.span, item.path(), "a principal of another account")
    .at(place, path, label)
    .help(format!(
        "when account {} belongs to a third party that assumes roles for many customers, require the external id it gave you: {condition}; when the account is yours, list it under `trusted_accounts` in rolecall.toml",
        f.account
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{self, InputSpec, LoadOptions};
    use crate::lint::{Finding, RuleSettings};

    fn lint(settings: &RuleSettings, name: &str, text: &str) -> Vec<Finding> {
        let input = InputSpec::Text {
            name: name.into(),
            text: text.into(),
        };
        let options = LoadOptions {
            kind: Some(PolicyKind::Trust),
            ..LoadOptions::default()
        };
        let outcome = inventory::load(&[input], &options);
        let ctx = InventoryContext {
            inventory: &outcome.inventory,
            settings,
        };
        let mut sink = Sink::default();
        TrustCrossAccountNoExternalId.check_inventory(&ctx, &mut sink);
        sink.into_findings()
    }

    const VENDOR: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::444455556666:role/vendor", "777788889999"]},
        "Action": "sts:AssumeRole"}]}"#;

    /// "trusted_accounts (the accounts that are ours; others count as
    /// external)" — DESIGN.md, Files.
    #[test]
    fn trusted_accounts_are_not_foreign() {
        let all = lint(&RuleSettings::default(), "t.json", VENDOR);
        assert_eq!(all.len(), 2);
        assert!(all[1].message.starts_with("account 777788889999, named by"));
        let settings = RuleSettings {
            trusted_accounts: vec!["777788889999".into()],
            ..RuleSettings::default()
        };
        let some = lint(&settings, "t.json", VENDOR);
        assert_eq!(some.len(), 1);
        assert!(some[0].message.contains("444455556666:role/vendor"));
    }

    /// The external id is the condition AWS documents for third-party
    /// access; it must be required for the principal's own statement
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html).
    #[test]
    fn external_id_or_mfa_closes_the_role() {
        for condition in [
            r#"{"StringEquals": {"sts:ExternalId": "999"}}"#,
            r#"{"StringLike": {"sts:externalid": "999"}}"#,
            r#"{"ForAnyValue:StringEquals": {"sts:ExternalId": ["999", "1000"]}}"#,
            r#"{"Bool": {"aws:MultiFactorAuthPresent": true}}"#,
            r#"{"Null": {"aws:MultiFactorAuthAge": "false"}}"#,
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::999999999999:user/test-user"}}, "Action": "sts:AssumeRole", "Condition": {condition}}}]}}"#
            );
            assert!(
                lint(&RuleSettings::default(), "t.json", &text).is_empty(),
                "{condition}"
            );
        }
        for condition in [
            r#"{"StringEqualsIfExists": {"sts:ExternalId": "999"}}"#,
            r#"{"StringNotEquals": {"sts:ExternalId": "999"}}"#,
            r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}"#,
            r#"{"StringEquals": {"aws:PrincipalAccount": "999999999999"}}"#,
        ] {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::999999999999:user/test-user"}}, "Action": "sts:AssumeRole", "Condition": {condition}}}]}}"#
            );
            assert_eq!(
                lint(&RuleSettings::default(), "t.json", &text).len(),
                1,
                "{condition}"
            );
        }
    }
}
