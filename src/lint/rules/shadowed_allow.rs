//! `shadowed-allow`: an `Allow` statement that a `Deny` of the same policy
//! cancels entirely, so it grants nothing.

use super::helpers::statement_covers;
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Effect, Statement};

declare_rule! {
    /// Compares each `Allow` with each `Deny`: a `Deny` whose actions,
    /// resources and principals cover the `Allow`'s, unconditionally or
    /// under the same condition, leaves it nothing.
    ShadowedAllow {
        id: "shadowed-allow",
        finding_type: Warning,
        category: Validity,
        summary: "an `Allow` statement is fully cancelled by a `Deny` of the same policy",
    }
}

impl Rule for ShadowedAllow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let statements = &doc.doc.parsed.policy.statements;
        let denies: Vec<&Statement> = statements
            .iter()
            .filter(|s| s.effect() == Some(Effect::Deny))
            .collect();
        if denies.is_empty() {
            return;
        }
        for allow in statements
            .iter()
            .filter(|s| s.effect() == Some(Effect::Allow))
        {
            if let Some(deny) = denies.iter().find(|d| statement_covers(d, allow)) {
                report(doc, allow, deny, out);
            }
        }
    }
}

fn report(doc: &DocumentContext<'_>, allow: &Statement, deny: &Statement, out: &mut Sink) {
    let (Some(allowed), Some(denied)) = (&allow.action, &deny.action) else {
        return;
    };
    let when = if deny.condition.is_some() {
        " under the same condition"
    } else {
        ""
    };
    doc.finding(
        &ShadowedAllow::META,
        format!(
            "statement {} grants nothing: the `Deny` of statement {} covers every request it allows{when}",
            allow.label(),
            deny.label()
        ),
    )
    .at(
        allowed.span,
        allowed.path(allow),
        format!("always denied by statement {}", deny.label()),
    )
    .at(
        denied.span,
        denied.path(deny),
        format!("denies all of statement {}", allow.label()),
    )
    .help(format!(
        "remove statement {}, or narrow the `Deny` of statement {} (its actions, resources or a condition) so that it leaves what statement {} should grant",
        allow.label(),
        deny.label(),
        allow.label()
    ))
    .statement(allow)
    .emit(out);
}
