//! `duplicate-sid`: two statements of one policy with the same `Sid`.

use std::collections::HashMap;

use crate::declare_rule;
use crate::lint::{DocumentContext, FindingType, Rule, RuleMeta, Sink};
use crate::policy::{PolicyKind, Spanned, Statement};

declare_rule! {
    /// Flags each statement whose `Sid` an earlier statement already uses.
    DuplicateSid {
        id: "duplicate-sid",
        finding_type: Error,
        category: Validity,
        summary: "two statements of one policy share a `Sid`",
    }
}

/// Whether IAM itself stores documents of this kind, and so rejects
/// duplicate Sids ("In IAM, the Sid value must be unique within a JSON
/// policy": reference_policies_elements_sid.html). Other services only
/// recommend unique Sids (Access Analyzer's "Unique Sids recommended").
fn iam_rejects_duplicates(kind: PolicyKind) -> bool {
    matches!(
        kind,
        PolicyKind::Identity | PolicyKind::PermissionBoundary | PolicyKind::Trust
    )
}

impl Rule for DuplicateSid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let statements = &doc.doc.parsed.policy.statements;
        let mut first: HashMap<&str, (&Statement, &Spanned<String>)> = HashMap::new();
        for statement in statements {
            let Some(sid) = statement.sid.as_ref().filter(|s| !s.value.is_empty()) else {
                continue;
            };
            let Some((earlier, earlier_sid)) = first.get(sid.value.as_str()).copied() else {
                first.insert(&sid.value, (statement, sid));
                continue;
            };
            let (finding_type, consequence) = if iam_rejects_duplicates(doc.kind) {
                (
                    FindingType::Error,
                    "IAM rejects a policy whose Sids are not unique",
                )
            } else {
                (
                    FindingType::Warning,
                    "Sids should be unique within a policy, and some services reject duplicates",
                )
            };
            doc.finding(
                &Self::META,
                format!(
                    "statement #{} repeats the Sid `{}` of statement #{}: {consequence}",
                    statement.index, sid.value, earlier.index
                ),
            )
            .finding_type(finding_type)
            .at(
                sid.span,
                format!("{}/Sid", statement.path),
                format!("`{}` again", sid.value),
            )
            .at(
                earlier_sid.span,
                format!("{}/Sid", earlier.path),
                "first used here",
            )
            .help(format!(
                "give this statement a Sid of its own{}, or merge the two statements if they are meant to be one",
                unused_sid(&sid.value, statements)
                    .map(|s| format!(" (for example `{s}`)"))
                    .unwrap_or_default()
            ))
            .statement(statement)
            .emit(out);
        }
    }
}

/// `base` followed by the smallest number from 2 that no statement uses;
/// `None` when `base` ends in a digit (`Ec2` + `2` reads as `Ec22`).
fn unused_sid(base: &str, statements: &[Statement]) -> Option<String> {
    if base.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    (2..=statements.len() + 1)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| {
            !statements
                .iter()
                .any(|s| s.sid.as_ref().is_some_and(|sid| &sid.value == candidate))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    #[test]
    fn suggested_sid_is_not_taken() {
        let parsed = parse_policy(
            r#"{"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"A2","Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            unused_sid("A", &parsed.policy.statements).as_deref(),
            Some("A3")
        );
        assert_eq!(unused_sid("Ec2", &parsed.policy.statements), None);
    }
}
