//! `action-resource-mismatch`: a statement whose resources cannot be what
//! its actions act on (`s3:GetObject` on a bucket ARN, `s3:ListBucket` on
//! `bucket/*`, an action without resource-level permissions on an ARN), or
//! an allowed action whose required resource type no statement lists.
//!
//! Resource types and their ARN formats come from the service catalog; see
//! [`crate::catalog::ResourceType::matches_arn`] for how ARN patterns fit a
//! format.

use crate::catalog::{Action, Coverage, ResourceType, covers};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::wildcard::{has_wildcard, matches};
use crate::policy::{Effect, ItemKind, ItemList, Statement};

declare_rule! {
    /// Checks each action entry against the statement's `Resource`.
    ActionResourceMismatch {
        id: "action-resource-mismatch",
        finding_type: Warning,
        category: Validity,
        summary: "no resource of the statement can be acted on by an action, or an allowed action lacks a resource type it requires",
    }
}

impl Rule for ActionResourceMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            return;
        };
        let Some(arns) = resource_patterns(doc, statement, resources) else {
            return;
        };
        // No entry left (the grammar dropped them) or `*`: nothing to check.
        if actions.negated || arns.is_empty() || arns.iter().any(|arn| matches(arn, "*")) {
            return;
        }
        let mut fits = Fits::new(&arns);
        for (i, item) in actions.items.iter().enumerate() {
            if item.kind != ItemKind::String {
                continue;
            }
            let expanded = doc.expansion(statement, i);
            // An entry that matches nothing is `invalid-action`'s finding.
            if expanded.is_empty() || expanded.iter().any(|&a| fits.any_of(a)) {
                if let [action] = expanded[..]
                    && !has_wildcard(&item.text)
                    && statement.effect() == Some(Effect::Allow)
                {
                    let missing = missing_required(doc, action, &mut fits);
                    if !missing.is_empty() {
                        let names: Vec<String> =
                            missing.iter().map(|t| format!("`{}`", t.name())).collect();
                        let formats: Vec<String> = missing
                            .iter()
                            .map(|t| format!("`{}`", t.arn_format()))
                            .collect();
                        doc.finding(
                                &Self::META,
                                format!(
                                    "`{action}` also needs {} resources, which no statement allowing it lists",
                                    names.join(", ")
                                ),
                            )
                            .at(item.span, actions.item_path(statement, i), "needs more resource types")
                            .at(resources.span, resources.path(statement), "none of those here")
                            .help(format!(
                                "every `{action}` request also acts on these; allow it on ARNs of the form {} too, or every request is denied",
                                formats.join(", ")
                            ))
                            .statement(statement)
                            .emit(out);
                    }
                }
                continue;
            }
            let (message, help) = describe(&item.text, &expanded);
            doc.finding(&Self::META, message)
                .at(
                    item.span,
                    actions.item_path(statement, i),
                    "acts on other resources",
                )
                .at(
                    resources.span,
                    resources.path(statement),
                    "none of these fit",
                )
                .help(help)
                .statement(statement)
                .emit(out);
        }
    }
}

/// The statement's resource patterns, or `None` when one is unknown until
/// deployment (it could be anything) or not a valid ARN (`invalid-arn`
/// reports it, and what it was meant to be is anyone's guess).
fn resource_patterns<'s>(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    resources: &'s ItemList,
) -> Option<Vec<&'s str>> {
    if resources.negated {
        return None;
    }
    resources
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let valid =
                item.kind == ItemKind::String && doc.resource_problems(statement, i).is_empty();
            valid.then_some(item.text.as_str())
        })
        .collect()
}

/// Which resource types one of a statement's ARN patterns can name, each
/// type worked out once (the actions of a service share a few types, and a
/// `service:*` expands to hundreds of actions).
struct Fits<'a, 'c> {
    arns: &'a [&'a str],
    known: Vec<(ResourceType<'c>, bool)>,
}

impl<'a, 'c> Fits<'a, 'c> {
    fn new(arns: &'a [&'a str]) -> Self {
        Self {
            arns,
            known: Vec::new(),
        }
    }

    /// Whether one of the patterns can name a resource of this type.
    fn resource_type(&mut self, t: ResourceType<'c>) -> bool {
        if let Some(&(_, fits)) = self.known.iter().find(|(k, _)| *k == t) {
            return fits;
        }
        let fits = self.arns.iter().any(|arn| t.matches_arn(arn));
        self.known.push((t, fits));
        fits
    }

    /// Whether one of the patterns can name something the action acts on.
    /// An action without resource types is authorized against `*` only.
    fn any_of(&mut self, action: Action<'c>) -> bool {
        if action.resource_types().len() == 0 {
            return self.arns.iter().any(|arn| matches(arn, "*"));
        }
        action
            .resource_types()
            .any(|r| self.resource_type(r.resource_type))
    }
}

/// The required resource types of `action` that no statement of the
/// document allowing it lists. `own` are this statement's ARNs, which
/// settle most cases without looking at other statements.
fn missing_required<'c>(
    doc: &DocumentContext<'_>,
    action: Action<'c>,
    own: &mut Fits<'_, 'c>,
) -> Vec<ResourceType<'c>> {
    let fits = |t: ResourceType<'_>, arns: &[&str]| arns.iter().any(|arn| t.matches_arn(arn));
    let missing: Vec<ResourceType<'c>> = action
        .resource_types()
        .filter(|r| r.required && !own.resource_type(r.resource_type))
        .map(|r| r.resource_type)
        .collect();
    if missing.is_empty() {
        return missing;
    }
    let name = action.to_string();
    let mut others = Vec::new();
    for s in &doc.doc.parsed.policy.statements {
        let allows = s.effect() == Some(Effect::Allow)
            && s.action
                .as_ref()
                .is_some_and(|a| covers(a, &name) != Coverage::NotCovered);
        match s.resource.as_ref().map(|r| resource_patterns(doc, s, r)) {
            _ if !allows => {}
            // An allowing statement whose resources are unknown or negated
            // might list anything.
            Some(None) => return Vec::new(),
            Some(Some(arns)) => others.extend(arns),
            None => {}
        }
    }
    if others.iter().any(|arn| matches(arn, "*")) {
        return Vec::new();
    }
    missing.into_iter().filter(|&t| !fits(t, &others)).collect()
}

/// Message and help for an entry none of whose actions fits.
fn describe(entry: &str, actions: &[Action<'_>]) -> (String, String) {
    match actions {
        [action] if action.resource_types().len() == 0 => (
            format!("`{action}` does not support resource-level permissions, so it never applies to these ARNs"),
            format!("put `{action}` in a statement with \"Resource\": \"*\""),
        ),
        [action] => {
            let formats: Vec<String> = action
                .resource_types()
                .map(|r| format!("`{}`", r.resource_type.arn_format()))
                .collect();
            (
                format!("no resource of the statement is one `{action}` acts on"),
                format!(
                    "`{action}` acts on {}: list ARNs of that form, or move the action to a statement that does",
                    formats.join(" or ")
                ),
            )
        }
        _ => (
            format!("no resource of the statement is one the actions `{entry}` matches act on"),
            "list ARNs of the resource types these actions act on (see the Service Authorization Reference), or move them to a statement that does".to_owned(),
        ),
    }
}
