//! `allow-with-notaction`: `Allow` with `NotAction` grants every action
//! it does not list, in every service, including actions AWS adds later.

use super::helpers::{
    PROBE_ACCOUNTS, PROBE_NAMES, covers_every_resource, grants_everything, quoted_list,
};
use crate::catalog;
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyKind, Statement};

declare_rule! {
    /// Counts through the catalog what an `Allow` with `NotAction` grants.
    AllowWithNotaction {
        id: "allow-with-notaction",
        finding_type: Security,
        category: Permissions,
        summary: "`Allow` with `NotAction` grants every action it does not list, including future ones",
        security_severity: 6.5,
    }
}

impl Rule for AllowWithNotaction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(actions) = statement.action.as_ref().filter(|a| a.negated) else {
            return;
        };
        if statement.effect() != Some(Effect::Allow)
            || !matches!(
                doc.kind,
                PolicyKind::Identity | PolicyKind::Resource | PolicyKind::Trust
            )
            || actions.items.iter().any(|i| i.is_unknown())
            || grants_everything(doc, statement)
        {
            return;
        }
        let Ok(catalog) = catalog::embedded() else {
            return;
        };
        // The actions that can act on the statement's resources: all of
        // them on `*` (or a `NotResource`), else those with a resource type
        // one of its ARNs can name.
        // A trust policy's resource is its role.
        let role = format!("arn:aws:iam::{}:role/{}", PROBE_ACCOUNTS[0], PROBE_NAMES[0]);
        let resources = statement.resource.as_ref();
        let everywhere = doc.kind != PolicyKind::Trust
            && resources.is_none_or(|r| {
                r.negated || r.items.iter().any(|i| covers_every_resource(&i.text))
            });
        let covered: Vec<_> = catalog
            .covered_actions(actions)
            .into_iter()
            .filter(|a| {
                everywhere
                    || a.resource_types().any(|t| match resources {
                        Some(r) => r
                            .items
                            .iter()
                            .any(|i| !i.is_unknown() && t.resource_type.matches_arn(&i.text)),
                        None => t.resource_type.matches_arn(&role),
                    })
            })
            .collect();
        let mut services: Vec<&str> = covered.iter().map(|a| a.service().prefix()).collect();
        services.dedup();
        let listed: Vec<String> = actions.items.iter().map(|i| i.text.clone()).collect();
        let scope = if everywhere {
            format!(
                "{} actions of {} services today",
                covered.len(),
                services.len()
            )
        } else {
            format!(
                "{} actions of {} on these resources today",
                covered.len(),
                quoted_list(&services.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
            )
        };
        doc.finding(
            &Self::META,
            format!(
                "statement {} allows every action except {}: {scope}, and every action AWS adds later",
                statement.label(),
                if listed.is_empty() { "none".to_owned() } else { quoted_list(&listed) },
            ),
        )
        .at(actions.span, actions.path(statement), "allows everything not listed here")
        .help("list the actions the principal needs in `Action`; to carve exceptions out of a broad grant, allow the services it uses and add a `Deny` statement for the exceptions")
        .statement(statement)
        .emit(out);
    }
}
