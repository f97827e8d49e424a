//! `allow-with-notprincipal`: `Allow` with `NotPrincipal` in a resource or
//! trust policy grants every principal it does not list, anonymous callers
//! and other accounts included.

use super::helpers::{
    PROBE_ACCOUNTS, PROBE_NAMES, instantiate, is_principal_key, phrase, probe_from, sample_action,
};
use crate::declare_rule;
use crate::eval::Request;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, PolicyKind, Statement};

declare_rule! {
    /// Asks the engine whether an anonymous caller, or a user or role of an
    /// account no policy names, is granted.
    AllowWithNotprincipal {
        id: "allow-with-notprincipal",
        finding_type: Security,
        category: Permissions,
        summary: "`Allow` with `NotPrincipal` grants everyone it does not list, anonymous callers included",
        security_severity: 8.0,
    }
}

impl Rule for AllowWithNotprincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let (Some(block), Some(actions)) = (&statement.principal, &statement.action) else {
            return;
        };
        if !block.negated
            || statement.effect() != Some(Effect::Allow)
            || !matches!(doc.kind, PolicyKind::Resource | PolicyKind::Trust)
        {
            return;
        }
        let Some(action) = sample_action(actions) else {
            return;
        };
        let resource = match &statement.resource {
            Some(list) if !list.negated => match list.items.iter().find(|i| !i.is_unknown()) {
                Some(item) => instantiate(&item.text),
                None => return,
            },
            _ => format!("arn:aws:iam::{}:role/{}", PROBE_ACCOUNTS[1], PROBE_NAMES[0]),
        };
        let callers = [
            ("anonymous callers", "anonymous".to_owned()),
            (
                "users of other accounts",
                format!("arn:aws:iam::{}:user/{}", PROBE_ACCOUNTS[0], PROBE_NAMES[0]),
            ),
            (
                "roles of other accounts",
                format!(
                    "arn:aws:sts::{}:assumed-role/{}/s",
                    PROBE_ACCOUNTS[0], PROBE_NAMES[1]
                ),
            ),
        ];
        let granted: Vec<&str> = callers
            .iter()
            .filter(|(_, principal)| {
                probe_from(principal, &action, &resource)
                    .is_some_and(|r: Request| doc.grants(statement, &r, &is_principal_key))
            })
            .map(|(who, _)| *who)
            .collect();
        if granted.is_empty() {
            return;
        }
        doc.finding(
            &Self::META,
            format!(
                "statement {} allows every principal that `NotPrincipal` does not list, {} included",
                statement.label(),
                phrase(&granted)
            ),
        )
        .at(block.span, block.path(statement), "everyone but these")
        .help("name the principals that need access in `Principal`; to exclude a few principals from a grant, use a `Deny` statement with a condition on `aws:PrincipalArn` instead, as AWS recommends")
        .statement(statement)
        .emit(out);
    }
}
