//! `passrole-any-resource`: an identity policy lets its holder pass every
//! role of an account (or of every account) to AWS services.

use super::helpers::{
    PASS_ROLE, PROBE_ACCOUNTS, PROBE_NAMES, is_resource_key, literal_scopes, passable_roles,
    passed_to_service_entry, probe,
};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::Statement;

declare_rule! {
    /// Probes `iam:PassRole` with role names that share no character, in
    /// unrelated accounts and in each account the statement names.
    PassroleAnyResource {
        id: "passrole-any-resource",
        finding_type: Security,
        category: Permissions,
        summary: "an identity policy allows `iam:PassRole` on every role of an account",
        security_severity: 7.5,
    }
}

impl Rule for PassroleAnyResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(resources) = passable_roles(doc, statement) else {
            return;
        };
        let every_role_of = |account: &str| {
            PROBE_NAMES.iter().all(|name| {
                let arn = format!("arn:aws:iam::{account}:role/{name}");
                probe(account, PASS_ROLE, &arn, &[])
                    .is_some_and(|r| doc.grants(statement, &r, &is_resource_key))
            })
        };
        let (scope, account) = if PROBE_ACCOUNTS.iter().all(|a| every_role_of(a)) {
            ("every account".to_owned(), "111122223333")
        } else {
            let (accounts, _) = literal_scopes(resources);
            match accounts.into_iter().find(|a| every_role_of(a)) {
                Some(account) => (format!("account {account}"), account),
                None => return,
            }
        };
        let service = if passed_to_service_entry(statement).is_some() {
            ""
        } else {
            ", and name the service with \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"lambda.amazonaws.com\"}}"
        };
        let how = if resources.negated {
            " (`NotResource` leaves out only what it lists)"
        } else {
            ""
        };
        let mut finding = doc
            .finding(
                &Self::META,
                format!(
                    "statement {} allows `iam:PassRole` on every role in {scope}{how}: its holder can hand any of them, administrators included, to a service it controls",
                    statement.label()
                ),
            )
            .at(resources.span, resources.path(statement), "every role");
        if let Some(actions) = &statement.action {
            finding = finding.at(
                actions.span,
                actions.path(statement),
                "covers `iam:PassRole`",
            );
        }
        finding
            .help(format!("list the roles it passes, e.g. \"Resource\": \"arn:aws:iam::{account}:role/app-lambda-exec\" (or a path reserved for them, such as `arn:aws:iam::{account}:role/service-role/*`){service}"))
            .statement(statement)
            .emit(out);
    }
}
