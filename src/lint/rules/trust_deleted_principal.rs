//! `trust-deleted-principal`: a trust policy naming a principal by its unique
//! id (`AROA…`, `AIDA…`), which is how IAM shows a role or user that was
//! deleted after the policy named it.

use super::helpers::trust::{PrincipalItem, principal_items};
use crate::declare_rule;
use crate::eval::principal::PrincipalValue;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{PolicyKind, PrincipalType, Statement};

declare_rule! {
    /// Flags unique ids in the `AWS` principals of a trust policy.
    TrustDeletedPrincipal {
        id: "trust-deleted-principal",
        finding_type: Warning,
        category: Trust,
        summary: "the trust names a principal by its unique id (`AROA…`, `AIDA…`): the role or user was deleted, and one recreated under the same name is not trusted",
    }
}

impl Rule for TrustDeletedPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        if doc.kind != PolicyKind::Trust {
            return;
        }
        for item in principal_items(statement) {
            if item.principal_type != Some(PrincipalType::Aws) {
                continue;
            }
            if let Ok(PrincipalValue::Unmatchable(id)) = PrincipalValue::aws(item.text) {
                report(doc, statement, &item, &id, out);
            }
        }
    }
}

/// What a unique id's prefix says it identified ("Unique identifiers",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes).
fn entity(id: &str) -> (&'static str, &'static str) {
    match id.get(..4) {
        Some("AROA") => ("role", "role/<role-name>"),
        Some("AIDA") => ("user", "user/<user-name>"),
        _ => ("principal", "role/<role-name>"),
    }
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    id: &str,
    out: &mut Sink,
) {
    let (what, example) = entity(id);
    doc.finding(
        &TrustDeletedPrincipal::META,
        format!(
            "`{id}` is the unique id of a deleted {what}: it matches no caller, and a {what} recreated under the same name is not trusted"
        ),
    )
    .at(item.span, item.path(), format!("a deleted {what}"))
    .help(format!(
        "replace it with the ARN of the {what} that should be trusted, e.g. \"arn:aws:iam::<account-id>:{example}\", or remove it; IAM turns a {what}'s ARN in a trust policy into its unique id, and shows the id once the {what} is deleted"
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::lint_trust;

    /// "If you delete the role, then you break the relationship. ... the
    /// role's principal ID appears in the trust policy" — roles and users
    /// named by ARN are stored as their unique ids
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
    #[test]
    fn unique_ids_are_flagged_arns_are_not() {
        let lint = |principal: &str| {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": {principal}}}, "Action": "sts:AssumeRole"}}]}}"#
            );
            lint_trust(&TrustDeletedPrincipal, &RuleSettings::default(), &text)
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
        };
        let got = lint(r#"["AROA3XFRBF535PLBIFPI4", "AIDACKCEVSQ6C2EXAMPLE"]"#);
        assert_eq!(got.len(), 2);
        assert!(got[0].contains("deleted role") && got[1].contains("deleted user"));
        assert!(lint(r#""arn:aws:iam::111122223333:role/ci""#).is_empty());
        assert!(lint(r#""111122223333""#).is_empty());
        assert!(lint(r#""*""#).is_empty());
    }
}
