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
        check_sid_characters(doc, statement, out);
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

/// Whether the service storing documents of this kind accepts only ASCII
/// letters and digits in `Sid`: IAM for identity policies and permissions
/// boundaries ("For IAM policies, basic alphanumeric characters (A-Z,a-z,0-9)
/// are the only allowed characters", reference_policies_grammar.html), and
/// Organizations for SCPs (Access Analyzer's "Unsupported Sid" error on
/// `SERVICE_CONTROL_POLICY`). Resource-based policies of other services
/// accept more (S3 and KMS allow spaces), so they are left alone.
fn sid_must_be_alphanumeric(kind: PolicyKind) -> bool {
    matches!(
        kind,
        PolicyKind::Identity | PolicyKind::PermissionBoundary | PolicyKind::ServiceControl
    )
}

/// `Sid` with characters other than ASCII letters and digits where they are
/// not accepted.
fn check_sid_characters(doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
    let Some(sid) = &statement.sid else {
        return;
    };
    if !sid_must_be_alphanumeric(doc.kind) {
        return;
    }
    let mut bad: Vec<char> = Vec::new();
    for c in sid.value.chars().filter(|c| !c.is_ascii_alphanumeric()) {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    if bad.is_empty() {
        return;
    }
    let shown: Vec<String> = bad
        .iter()
        .map(|c| match c {
            ' ' => "spaces".to_owned(),
            c => format!("`{}`", c.escape_default()),
        })
        .collect();
    let fixed = camel_case(&sid.value);
    let help = if fixed.is_empty() {
        "a `Sid` here may hold only the letters A-Z, a-z and the digits 0-9".to_owned()
    } else {
        format!("write the Sid with letters and digits only, e.g. `{fixed}`")
    };
    doc.finding(
        &PolicyGrammar::META,
        format!(
            "the Sid `{}` contains {}, but the `Sid` of {} may hold only ASCII letters and digits",
            sid.value,
            shown.join(" and "),
            doc.kind.description()
        ),
    )
    .at(
        sid.span,
        format!("{}/Sid", statement.path),
        "not letters and digits only",
    )
    .help(help)
    .statement(statement)
    .emit(out);
}

/// The ASCII letters and digits of `text`, each run after the first starting
/// with a capital: `read-only access` → `readOnlyAccess`.
fn camel_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(if i == 0 {
                first
            } else {
                first.to_ascii_uppercase()
            });
            out.extend(chars);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sid_suggestions() {
        assert_eq!(camel_case("Allow read-only access"), "AllowReadOnlyAccess");
        assert_eq!(camel_case("deny_delete"), "denyDelete");
        assert_eq!(camel_case("--"), "");
        assert_eq!(camel_case("Überblick"), "berblick");
    }
}
