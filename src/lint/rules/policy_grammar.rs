//! `policy-grammar`: the document breaks the IAM policy grammar.

use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{PolicyKind, Statement};

declare_rule! {
    /// Reports every grammar problem the parser met, and the element rules
    /// that depend on the document's kind.
    PolicyGrammar {
        id: "policy-grammar",
        finding_type: Error,
        category: Validity,
        summary: "the document breaks the IAM policy grammar: wrong types, unknown or missing elements, conflicting elements",
    }
}

impl Rule for PolicyGrammar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        for problem in &doc.doc.parsed.problems {
            doc.finding(&Self::META, problem.message.clone())
                .at(problem.span, problem.path.clone(), "here")
                .help("see the IAM JSON policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html")
                .emit(out);
        }
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        match doc.kind {
            PolicyKind::Trust => {
                if let Some(resource) = &statement.resource {
                    doc.finding(
                        &Self::META,
                        format!("a trust policy has no `{}`: AWS rejects it as a prohibited field", resource.key),
                    )
                    .at(resource.key_span, resource.path(statement), "remove this element")
                    .help("a role's trust policy applies to the role itself; remove the resource element")
                    .statement(statement)
                    .emit(out);
                }
            }
            PolicyKind::Identity
            | PolicyKind::PermissionBoundary
            | PolicyKind::Session
            | PolicyKind::ServiceControl
            | PolicyKind::ResourceControl => {
                if statement.resource.is_none() {
                    doc.finding(
                        &Self::META,
                        format!("statement {} has neither `Resource` nor `NotResource`", statement.label()),
                    )
                    .at(statement.span, statement.path.clone(), "this statement")
                    .help("add \"Resource\": with the ARNs the statement applies to (\"*\" only where the actions support no resource)")
                    .statement(statement)
                    .emit(out);
                }
            }
            PolicyKind::Resource => {}
        }
    }
}
