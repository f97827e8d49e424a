//! `trust-account-root`: a trust policy naming a whole account, so that the
//! account's own identity policies alone decide who may assume the role.

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, condition_json, condition_place,
    json_string, trust_principals,
};
use crate::declare_rule;
use crate::eval::principal::PrincipalValue;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{PrincipalType, Statement};

declare_rule! {
    /// Flags an account id or `arn:aws:iam::ID:root` in a trust policy when
    /// no condition narrows it to some principals of that account.
    TrustAccountRoot {
        id: "trust-account-root",
        finding_type: Suggestion,
        category: Trust,
        summary: "the trust names a whole account: every principal there that its identity policies allow `sts:AssumeRole` can assume the role",
    }
}

/// Keys that tell principals of one account apart.
const MODELLED: &[&str] = &["aws:principalarn", "aws:userid", "aws:username"];

/// `aws:PrincipalTag/<key>`: the principal's own tags (an untagged principal
/// has none).
const PRINCIPAL_TAG: &str = "aws:principaltag/";

impl Rule for TrustAccountRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let targets = trust_principals(doc, whole_account);
        if targets.is_empty() {
            return;
        }
        let policy = &doc.doc.parsed.policy;
        let probe = TrustProbe::new(policy, &|key| {
            MODELLED.contains(&key) || key.starts_with(PRINCIPAL_TAG)
        });
        let sentinels = Sentinels::for_document(doc.doc);
        let role = sentinels.victim_role();
        for (statement, item, account) in targets {
            // Another principal of the account than any the policy names.
            let others = Search::new().with(vec![
                Choice::principal(format!("arn:aws:iam::{account}:role/{}", sentinels.name)),
                Choice::principal(format!("arn:aws:iam::{account}:user/{}", sentinels.name)),
            ]);
            if probe.admits_some(statement.index, &others, &account, "sts:AssumeRole", &role) {
                report(doc, statement, &item, &account, out);
            }
        }
    }
}

/// The account an `AWS` value names as a whole: an account id or its root
/// ARN ("AWS account principals").
fn whole_account(item: &PrincipalItem<'_>) -> Option<String> {
    if item.principal_type != Some(PrincipalType::Aws) {
        return None;
    }
    match PrincipalValue::aws(item.text).ok()? {
        PrincipalValue::Account(id) => Some(id),
        _ => None,
    }
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    account: &str,
    out: &mut Sink,
) {
    let (place, path, label) = condition_place(statement, "no condition here names the principals");
    let example = format!("arn:aws:iam::{account}:role/<role-name>");
    let pin = condition_json(&[("ArnEquals", "aws:PrincipalArn", json_string(&example))]);
    doc.finding(
        &TrustAccountRoot::META,
        format!(
            "the trust names the whole account {account}: any user or role there whose identity policies allow `sts:AssumeRole` on this role can assume it"
        ),
    )
    .at(item.span, item.path(), "the whole account")
    .at(place, path, label)
    .help(format!(
        "name the principals that need the role, e.g. \"Principal\": {{\"AWS\": \"{example}\"}}, or keep the account and pin them: {pin}"
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::{lint_trust, trust_text};

    fn flagged(principal: &str, condition: &str) -> usize {
        let text = trust_text(&format!(r#"{{"AWS": {principal}}}"#), condition);
        lint_trust(&TrustAccountRoot, &RuleSettings::default(), &text).len()
    }

    /// An account id and `arn:aws:iam::ID:root` are the same principal: the
    /// account ("AWS account principals",
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
    #[test]
    fn both_spellings_of_an_account_are_flagged() {
        assert_eq!(flagged(r#""111122223333""#, ""), 1);
        assert_eq!(flagged(r#""arn:aws:iam::111122223333:root""#, ""), 1);
        assert_eq!(
            flagged(r#"["111122223333", "arn:aws:iam::444455556666:root"]"#, ""),
            2
        );
        assert_eq!(flagged(r#""arn:aws:iam::111122223333:role/ci""#, ""), 0);
        assert_eq!(flagged(r#""*""#, ""), 0);
    }

    /// `aws:PrincipalArn` names the role or user making the request
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
    #[test]
    fn a_principal_condition_narrows_the_account() {
        let root = r#""111122223333""#;
        assert_eq!(
            flagged(
                root,
                r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*"}}"#
            ),
            0
        );
        assert_eq!(
            flagged(
                root,
                r#"{"StringEquals": {"aws:PrincipalTag/team": "platform"}}"#
            ),
            0
        );
        assert_eq!(
            flagged(
                root,
                r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}}"#
            ),
            1
        );
        assert_eq!(
            flagged(root, r#"{"StringEquals": {"sts:ExternalId": "x"}}"#),
            1
        );
        assert_eq!(
            flagged(
                root,
                r#"{"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/x"}}"#
            ),
            1
        );
    }
}
