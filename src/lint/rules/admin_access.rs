//! `admin-access`: an identity policy statement that allows every action
//! on every resource, however it is spelled.

use super::helpers::{covers_every_action, covers_every_resource, grants_everything};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Item, ItemList, Statement};

declare_rule! {
    /// Asks the catalog whether the actions cover every action and the
    /// engine whether the resources reach every resource.
    AdminAccess {
        id: "admin-access",
        finding_type: Security,
        category: Permissions,
        summary: "an identity policy allows every action on every resource",
        security_severity: 9.0,
    }
}

impl Rule for AdminAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            return;
        };
        if !grants_everything(doc, statement) {
            return;
        }
        // Point at the entry that grants everything when a list holds one.
        let (action_span, action_path) = match actions
            .items
            .iter()
            .position(|item| !actions.negated && covers_every_action(&single(actions, item)))
        {
            Some(i) => (actions.items[i].span, actions.item_path(statement, i)),
            None => (actions.span, actions.path(statement)),
        };
        let (resource_span, resource_path) = match resources
            .items
            .iter()
            .position(|item| !resources.negated && covers_every_resource(&item.text))
        {
            Some(i) => (resources.items[i].span, resources.item_path(statement, i)),
            None => (resources.span, resources.path(statement)),
        };
        let how = match (actions.negated, resources.negated) {
            (true, _) => " (a `NotAction` that leaves out no action AWS knows)",
            (_, true) => " (a `NotResource` leaves out only what it lists)",
            _ => "",
        };
        let condition = if statement.condition.is_some() {
            "; its condition constrains the caller or the request, not what the statement grants"
        } else {
            ""
        };
        doc.finding(
            &Self::META,
            format!(
                "statement {} allows every action on every resource{how}{condition}",
                statement.label()
            ),
        )
        .at(
            action_span,
            action_path,
            "every action",
        )
        .at(resource_span, resource_path, "every resource")
        .help(
            "list the actions and resource ARNs the principal needs (IAM Access Analyzer can generate them from CloudTrail activity) or attach an AWS managed job-function policy; if full access is intended, suppress this finding for the statement's Sid",
        )
        .statement(statement)
        .emit(out);
    }
}

/// The element with only `item`.
fn single(list: &ItemList, item: &Item) -> ItemList {
    ItemList {
        items: vec![item.clone()],
        ..list.clone()
    }
}
