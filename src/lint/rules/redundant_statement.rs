//! `redundant-statement`: a statement whose every request another
//! statement of the same policy, with the same effect, already covers.

use super::helpers::statement_covers;
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, Statement};

declare_rule! {
    /// Compares statements pairwise: actions through the catalog,
    /// resources segment by segment, principals, conditions.
    RedundantStatement {
        id: "redundant-statement",
        finding_type: Suggestion,
        category: Validity,
        summary: "a statement adds nothing: another statement of the policy already allows (or denies) all of it",
    }
}

/// Policies with more statements are not compared pairwise.
const MAX_STATEMENTS: usize = 200;

impl Rule for RedundantStatement {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let statements = &doc.doc.parsed.policy.statements;
        if statements.len() < 2 || statements.len() > MAX_STATEMENTS {
            return;
        }
        for inner in statements {
            let Some(effect) = inner.effect() else {
                continue;
            };
            // Of two equivalent statements, the later one is reported.
            let outer = statements.iter().find(|outer| {
                outer.index != inner.index
                    && outer.effect() == Some(effect)
                    && statement_covers(outer, inner)
                    && (outer.index < inner.index || !statement_covers(inner, outer))
            });
            if let Some(outer) = outer {
                report(doc, effect, inner, outer, out);
            }
        }
    }
}

fn report(
    doc: &DocumentContext<'_>,
    effect: Effect,
    inner: &Statement,
    outer: &Statement,
    out: &mut Sink,
) {
    let (Some(inner_actions), Some(outer_actions)) = (&inner.action, &outer.action) else {
        return;
    };
    let verb = match effect {
        Effect::Allow => "allows",
        Effect::Deny => "denies",
    };
    doc.finding(
        &RedundantStatement::META,
        format!(
            "statement {} adds nothing: statement {} already {verb} everything it {verb}",
            inner.label(),
            outer.label()
        ),
    )
    .at(
        inner_actions.span,
        inner_actions.path(inner),
        format!("covered by statement {}", outer.label()),
    )
    .at(
        outer_actions.span,
        outer_actions.path(outer),
        format!("covers statement {}", inner.label()),
    )
    .help(format!(
        "remove statement {}, or narrow statement {} if it was meant to be the narrower one",
        inner.label(),
        outer.label()
    ))
    .statement(inner)
    .emit(out);
}
