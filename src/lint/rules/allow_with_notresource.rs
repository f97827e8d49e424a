//! `allow-with-notresource`: `Allow` with `NotResource` in an identity
//! policy grants its actions on every resource it does not list, in every
//! account.

use super::helpers::{
    PROBE_ACCOUNTS, PROBE_NAMES, grants_everything, is_resource_key, probe, quoted_list,
    sample_action, sample_resource,
};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyKind, Statement};

declare_rule! {
    /// Asks the engine whether the statement grants its actions on
    /// resources in accounts no policy names.
    AllowWithNotresource {
        id: "allow-with-notresource",
        finding_type: Security,
        category: Permissions,
        summary: "`Allow` with `NotResource` grants its actions on every resource it does not list, in every account",
        security_severity: 6.0,
    }
}

impl Rule for AllowWithNotresource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            return;
        };
        if !resources.negated
            || statement.effect() != Some(Effect::Allow)
            || doc.kind != PolicyKind::Identity
            || grants_everything(doc, statement)
        {
            return;
        }
        let Some(action) = sample_action(actions) else {
            return;
        };
        let reaches = PROBE_ACCOUNTS.iter().all(|account| {
            sample_resource(&action, account, PROBE_NAMES[0])
                .and_then(|resource| probe(account, &action, &resource, &[]))
                .is_some_and(|request| doc.grants(statement, &request, &is_resource_key))
        });
        if !reaches {
            return;
        }
        let texts = |list: &crate::policy::ItemList| -> Vec<String> {
            list.items.iter().map(|i| i.text.clone()).collect()
        };
        let what = if actions.negated {
            format!("every action but {}", quoted_list(&texts(actions)))
        } else {
            quoted_list(&texts(actions))
        };
        doc.finding(
            &Self::META,
            format!(
                "statement {} allows {what} on every resource except {}, in every account, including resources created later",
                statement.label(),
                quoted_list(&texts(resources)),
            ),
        )
        .at(resources.span, resources.path(statement), "allows everything not listed here")
        .help("list the resources the actions are for in `Resource`; to carve exceptions out of a broad grant, allow the resources it uses and add a `Deny` statement for the exceptions, or limit the accounts with a condition on `aws:ResourceAccount`")
        .statement(statement)
        .emit(out);
    }
}
