//! `policy-grammar`: the document breaks the IAM policy grammar.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::declare_rule;
use crate::lint::{DocumentContext, FindingType, Rule, RuleMeta, Sink};
use crate::policy::{ConditionEntry, PolicyKind, PrincipalSpec, Statement};

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
                .help(problem.help.clone())
                .emit(out);
        }
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        check_sid_characters(doc, statement, out);
        check_condition(doc, statement, out);
        match doc.kind {
            PolicyKind::Trust => {
                // Access Analyzer: "Role trust policy unsupported wildcard in
                // principal" (access-analyzer-reference-policy-checks.html).
                if let Some(block) = statement
                    .principal
                    .as_ref()
                    .filter(|b| !b.negated && b.spec == PrincipalSpec::Wildcard)
                {
                    doc.finding(
                        &Self::META,
                        "a role trust policy does not accept \"Principal\": \"*\"",
                    )
                    .at(block.span, block.path(statement), "name the principals instead")
                    .help("name who may assume the role under `AWS`, `Service` or `Federated`; {\"AWS\": \"*\"} is accepted but admits every AWS principal, so it needs conditions that narrow it")
                    .statement(statement)
                    .emit(out);
                }
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

/// The parts of a `Condition` the grammar wants and the model keeps: at
/// least one operator, each testing at least one key, each with at least one
/// value ("Arrays can take one or more values", reference_policies_grammar.html).
/// AWS accepts the empty forms, which Access Analyzer reports as suggestions
/// ("Empty object condition", "Empty array condition"), so they are warnings
/// here; a key spelt twice with different case in one operator is an error
/// ("Duplicate keys with different case": condition key names ignore case).
/// Parts the builder already reported as malformed are not reported again.
fn check_condition(doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
    let Some(condition) = &statement.condition else {
        return;
    };
    let parsed = &doc.doc.parsed;
    // Paths are written out only for an empty part, the rare case.
    let path = || format!("{}/Condition", statement.path);
    if condition.operators.is_empty() && !parsed.has_problem_within(&path()) {
        doc.finding(&PolicyGrammar::META, "`Condition` is empty, so it restricts nothing")
            .finding_type(FindingType::Warning)
            .at(condition.span, path(), "no operator")
            .help("remove the empty `Condition`, or add the operator and keys it should test, e.g. {\"Bool\": {\"aws:SecureTransport\": \"true\"}}")
            .statement(statement)
            .emit(out);
    }
    for operator in &condition.operators {
        let operator_path = || operator.path(statement);
        if operator.entries.is_empty() && !parsed.has_problem_within(&operator_path()) {
            doc.finding(
                &PolicyGrammar::META,
                format!("condition operator `{}` tests no key", operator.name.value),
            )
            .finding_type(FindingType::Warning)
            .at(operator.span, operator_path(), "no key")
            .help(format!(
                "add the key and values `{}` should test, or remove the operator",
                operator.name.value
            ))
            .statement(statement)
            .emit(out);
        }
        let mut first: HashMap<String, &ConditionEntry> = HashMap::new();
        for entry in &operator.entries {
            let entry_path = || entry.path(operator, statement);
            match first.entry(entry.key.value.to_lowercase()) {
                Entry::Vacant(slot) => {
                    slot.insert(entry);
                }
                // An exact repeat is a duplicate key, reported with the
                // builder's problems.
                Entry::Occupied(earlier) if earlier.get().key.value != entry.key.value => {
                    let earlier = earlier.get();
                    doc.finding(
                        &PolicyGrammar::META,
                        format!(
                            "condition key `{}` repeats `{}` in `{}`: condition key names ignore case",
                            entry.key.value, earlier.key.value, operator.name.value
                        ),
                    )
                    .at(entry.key.span, entry_path(), "same key again")
                    .at(earlier.key.span, earlier.path(operator, statement), "first written here")
                    .help(format!(
                        "test the key once: put all its values in one array under `{}`",
                        earlier.key.value
                    ))
                    .statement(statement)
                    .emit(out);
                }
                Entry::Occupied(_) => {}
            }
            if entry.is_array
                && entry.values.is_empty()
                && !parsed.has_problem_within(&entry_path())
            {
                doc.finding(
                    &PolicyGrammar::META,
                    format!(
                        "condition key `{}` in `{}` lists no values",
                        entry.key.value, operator.name.value
                    ),
                )
                .finding_type(FindingType::Warning)
                .at(entry.span, entry_path(), "empty list")
                .help(format!(
                    "list the values `{0}` may take, or remove the key; to test that the key is absent, use \"Null\": {{\"{0}\": \"true\"}}",
                    entry.key.value
                ))
                .statement(statement)
                .emit(out);
            }
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
    use crate::lint::{Config, Linter};
    use crate::policy::PolicyDocument;
    use crate::source::SourceFile;

    fn messages(text: &str) -> Vec<String> {
        let doc = PolicyDocument::from_file(SourceFile::new("p.json", text), None).unwrap();
        let config = Config::default();
        let linter = Linter::new(&config);
        let mut sink = Sink::default();
        linter.document(&doc, doc.effective_kind(), &mut sink);
        linter
            .finish(sink)
            .into_iter()
            .filter(|f| f.rule == "policy-grammar")
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn malformed_condition_parts_are_not_also_empty() {
        let found = messages(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"StringEquals":{"k":{}},"Bool":5,"Null":{"k":[{}]}}}]}"#,
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found.iter().all(|m| m.contains("must be")),
            "only type problems expected: {found:?}"
        );
        let found = messages(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"X":5}}]}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn sid_suggestions() {
        assert_eq!(camel_case("Allow read-only access"), "AllowReadOnlyAccess");
        assert_eq!(camel_case("deny_delete"), "denyDelete");
        assert_eq!(camel_case("--"), "");
        assert_eq!(camel_case("Überblick"), "berblick");
    }
}
