//! `passrole-without-service-condition`: `iam:PassRole` that any service
//! may receive, because no `iam:PassedToService` condition limits it (or
//! the condition admits every service).

use super::helpers::{
    PASS_ROLE, PROBE_ACCOUNTS, is_passed_to_service_key, passable_roles, passed_to_service_entry,
    probe, role_candidates,
};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::Statement;

declare_rule! {
    /// Asks the engine whether the statement lets a role it covers be
    /// passed to a service no policy names.
    PassroleWithoutServiceCondition {
        id: "passrole-without-service-condition",
        finding_type: Security,
        category: Permissions,
        summary: "`iam:PassRole` without an `iam:PassedToService` condition naming the services",
        security_severity: 5.0,
    }
}

/// A service principal no policy names.
const PROBE_SERVICE: &str = "rolecall-probe.amazonaws.com";

impl Rule for PassroleWithoutServiceCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let Some(resources) = passable_roles(doc, statement) else {
            return;
        };
        let passable_anywhere = role_candidates(resources).iter().any(|role| {
            probe(
                PROBE_ACCOUNTS[0],
                PASS_ROLE,
                role,
                &[("iam:PassedToService", PROBE_SERVICE)],
            )
            .is_some_and(|r| doc.grants(statement, &r, &is_passed_to_service_key))
        });
        if !passable_anywhere {
            return;
        }
        let condition_entry = passed_to_service_entry(statement)
            .map(|(block, e)| (e.key.span, e.path(block, statement)));
        let why = match condition_entry {
            Some(_) => "its `iam:PassedToService` condition admits every service",
            None => "no `iam:PassedToService` condition limits where the roles go",
        };
        let mut finding = doc.finding(
            &Self::META,
            format!(
                "statement {} lets the roles it covers be passed to any AWS service: {why}",
                statement.label()
            ),
        );
        finding = match (&statement.action, condition_entry) {
            (_, Some((span, path))) => finding.at(span, path, "admits any service"),
            (Some(actions), None) => {
                finding.at(actions.span, actions.path(statement), "no service named")
            }
            (None, None) => finding.at(
                resources.span,
                resources.path(statement),
                "no service named",
            ),
        };
        finding
            .help("name the services the roles are for: \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": [\"ec2.amazonaws.com\"]}} (the service principal of each service that receives them)")
            .statement(statement)
            .emit(out);
    }
}
