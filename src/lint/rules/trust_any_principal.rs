//! `trust-any-principal`: a role that principals of any AWS account can
//! assume, because its trust names `*` and no condition pins who the caller
//! is.

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, account_candidates, arn_candidates,
    condition_json, condition_place, json_string, mentions, org_path_candidates, trust_principals,
    values_for, whole_candidates,
};
use crate::declare_rule;
use crate::eval::principal::PrincipalValue;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Policy, PrincipalType, Statement};

declare_rule! {
    /// Flags `"Principal": "*"` / `{"AWS": "*"}` in a trust policy when no
    /// condition keeps out principals of other accounts.
    TrustAnyPrincipal {
        id: "trust-any-principal",
        finding_type: Security,
        category: Trust,
        summary: "any AWS principal can assume the role: `Principal` `*` without a condition that pins the caller's organization, account or source",
        security_severity: 9.3,
    }
}

/// The keys fixed by who the caller is and where it calls from: the
/// principal's account, ARN, organization and type; for a service, the
/// resource it acts for; the VPC endpoint the call comes through. Any other
/// key (`sts:ExternalId`, `aws:SourceIp`, tags, MFA) the caller can meet.
const MODELLED: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:userid",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
];

impl Rule for TrustAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let targets = trust_principals(doc, |item| names_everyone(item).then_some(()));
        if targets.is_empty() {
            return;
        }
        let policy = &doc.doc.parsed.policy;
        let probe = TrustProbe::new(policy, &|key| MODELLED.contains(&key));
        let sentinels = Sentinels::for_document(doc.doc);
        let adversaries = adversaries(policy, &sentinels);
        let role = sentinels.victim_role();
        for (statement, item, ()) in targets {
            let admitted = adversaries.iter().find(|a| {
                probe.admits_some(
                    statement.index,
                    &a.search,
                    &a.principal,
                    "sts:AssumeRole",
                    &role,
                )
            });
            if let Some(adversary) = admitted {
                report(doc, statement, &item, adversary.who, out);
            }
        }
    }
}

/// `"Principal": "*"`, or `"*"` as an `AWS` value.
fn names_everyone(item: &PrincipalItem<'_>) -> bool {
    match item.principal_type {
        None => true,
        Some(PrincipalType::Aws) => PrincipalValue::aws(item.text) == Ok(PrincipalValue::Everyone),
        Some(_) => false,
    }
}

/// One kind of caller the role's owner did not mean to let in.
struct Adversary {
    /// How the message names it.
    who: &'static str,
    /// Its principal unless a choice names one.
    principal: String,
    /// What it can vary.
    search: Search,
}

/// A caller from another account (in another organization, then in none),
/// and an AWS service acting for a resource of another account.
fn adversaries(policy: &Policy, s: &Sentinels) -> Vec<Adversary> {
    let accounts = if mentions(policy, "aws:PrincipalAccount") {
        account_candidates(&values_for(policy, "aws:PrincipalAccount"), &s.account)
    } else {
        vec![s.account.clone()]
    };
    let arns = values_for(policy, "aws:PrincipalArn");
    let callers = || {
        let principals: Vec<Choice> = accounts
            .iter()
            .flat_map(|account| {
                let mut own = arn_candidates(&arns, account, s.name, s.role_in(account));
                own.push(format!("arn:aws:iam::{account}:user/{}", s.name));
                own.push(account.clone());
                own
            })
            .map(Choice::principal)
            .collect();
        Search::new()
            .with(principals)
            .with(optional(policy, "aws:userid", |v| {
                whole_candidates(v, "AROAROLECALLPROBE0000:rolecall-probe")
            }))
            .with(optional(policy, "aws:SourceVpc", |v| {
                whole_candidates(v, "vpc-0rolecall0probe")
            }))
            .with(optional(policy, "aws:SourceVpce", |v| {
                whole_candidates(v, "vpce-0rolecall0probe")
            }))
            .with(optional(policy, "aws:VpceAccount", |v| {
                account_candidates(v, &s.account)
            }))
            .with(optional(policy, "aws:VpceOrgID", |v| {
                whole_candidates(v, &s.org)
            }))
            .with(optional(policy, "aws:VpceOrgPaths", |v| {
                org_path_candidates(v, &s.org, s.org_path())
            }))
    };
    let org_keys = ["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"];
    let mut out = Vec::new();
    if org_keys.iter().any(|k| mentions(policy, k)) {
        let ids = whole_candidates(&values_for(policy, org_keys[0]), &s.org);
        let paths = org_path_candidates(&values_for(policy, org_keys[1]), &s.org, s.org_path());
        let orgs = ids
            .iter()
            .flat_map(|id| {
                paths.iter().map(move |path| {
                    Choice::absent()
                        .key(org_keys[0], id.as_str())
                        .key(org_keys[1], vec![path.clone()])
                })
            })
            .collect();
        out.push(Adversary {
            who: "principals of any AWS account outside your organization",
            principal: s.role_in(&s.account),
            search: callers().with(orgs),
        });
        out.push(Adversary {
            who: "principals of any AWS account that belongs to no organization",
            principal: s.role_in(&s.account),
            search: callers(),
        });
    } else {
        out.push(Adversary {
            who: "principals of any AWS account",
            principal: s.role_in(&s.account),
            search: callers(),
        });
    }
    let service_names = if mentions(policy, "aws:PrincipalServiceName") {
        whole_candidates(
            &values_for(policy, "aws:PrincipalServiceName"),
            "rolecall-probe.amazonaws.com",
        )
    } else {
        Vec::new()
    };
    let services = service_names
        .into_iter()
        .map(|name| Choice::principal(format!("service:{name}")))
        .collect();
    out.push(Adversary {
        who: "AWS services acting for resources of any other account",
        principal: "service:rolecall-probe.amazonaws.com".to_owned(),
        search: Search::new()
            .with(services)
            .with(optional(policy, "aws:SourceAccount", |v| {
                account_candidates(v, &s.account)
            }))
            .with(optional(policy, "aws:SourceOwner", |v| {
                account_candidates(v, &s.account)
            }))
            .with(optional(policy, "aws:SourceArn", |v| {
                arn_candidates(
                    v,
                    &s.account,
                    s.name,
                    format!("arn:aws:rolecall:us-east-1:{}:probe/{}", s.account, s.name),
                )
            }))
            .with(optional(policy, "aws:SourceOrgID", |v| {
                whole_candidates(v, &s.org)
            }))
            .with(optional(policy, "aws:SourceOrgPaths", |v| {
                org_path_candidates(v, &s.org, s.org_path())
            })),
    });
    out
}

/// When the document tests `key`: the key absent, or each value
/// `candidates` makes from the policy's values.
fn optional(
    policy: &Policy,
    key: &str,
    candidates: impl FnOnce(&[&str]) -> Vec<String>,
) -> Vec<Choice> {
    if !mentions(policy, key) {
        return Vec::new();
    }
    std::iter::once(Choice::absent())
        .chain(
            candidates(&values_for(policy, key))
                .into_iter()
                .map(|v| Choice::absent().key(key, v)),
        )
        .collect()
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    who: &str,
    out: &mut Sink,
) {
    let written = match item.principal_type {
        None => "\"Principal\": \"*\"",
        Some(_) => "{\"AWS\": \"*\"}",
    };
    let (place, path, label) =
        condition_place(statement, "these conditions do not keep other accounts out");
    let message = match statement.condition {
        Some(_) => format!(
            "{written} lets {who} assume this role: its conditions do not pin the caller's organization, account or source"
        ),
        None => {
            format!("{written} lets {who} assume this role: no condition limits who the caller is")
        }
    };
    let pin = match (
        &doc.settings.org_id,
        doc.settings.trusted_accounts.as_slice(),
    ) {
        (Some(org), _) => {
            condition_json(&[("StringEquals", "aws:PrincipalOrgID", json_string(org))])
        }
        (None, [one]) => {
            condition_json(&[("StringEquals", "aws:PrincipalAccount", json_string(one))])
        }
        (None, []) => condition_json(&[(
            "StringEquals",
            "aws:PrincipalOrgID",
            json_string("o-exampleorgid"),
        )]),
        (None, many) => {
            let list: Vec<String> = many.iter().map(|a| json_string(a)).collect();
            condition_json(&[(
                "StringEquals",
                "aws:PrincipalAccount",
                format!("[{}]", list.join(", ")),
            )])
        }
    };
    doc.finding(&TrustAnyPrincipal::META, message)
        .at(item.span, item.path(), "any principal")
        .at(place, path, label)
        .help(format!(
            "name the principals that may assume the role instead of `*`, e.g. \"Principal\": {{\"AWS\": \"arn:aws:iam::111122223333:role/deployer\"}}, or pin who the caller is: {pin}; only a positive operator (`StringEquals`, `StringLike`, `ArnEquals`, `ArnLike`) without `IfExists` and with values without wildcards pins a key"
        ))
        .statement(statement)
        .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::{lint_trust, trust_text};

    fn flagged(principal: &str, condition: &str) -> bool {
        let text = trust_text(principal, condition);
        !lint_trust(&TrustAnyPrincipal, &RuleSettings::default(), &text).is_empty()
    }

    /// "You can use the wildcard (*) to specify all principals", written
    /// `"*"` or `{"AWS": "*"}`
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous).
    #[test]
    fn every_spelling_of_everyone_is_flagged_alike() {
        for principal in [r#""*""#, r#"{"AWS": "*"}"#, r#"{"AWS": ["*"]}"#] {
            assert!(flagged(principal, ""), "{principal}");
            assert!(
                !flagged(
                    principal,
                    r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#
                ),
                "{principal}"
            );
        }
        assert!(!flagged(r#"{"AWS": "111122223333"}"#, ""));
        assert!(!flagged(r#"{"Service": "ec2.amazonaws.com"}"#, ""));
    }

    /// Condition keys are case-insensitive; operators are not, and an
    /// unknown operator makes the policy invalid, which another rule reports
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
    #[test]
    fn key_case_and_operator_choice_do_not_matter_values_do() {
        for condition in [
            r#"{"StringEquals": {"AWS:PRINCIPALORGID": "o-a1b2c3d4e5"}}"#,
            r#"{"StringLike": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            r#"{"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            r#"{"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"}}"#,
            r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}}"#,
            r#"{"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}"#,
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/deployer"}}"#,
        ] {
            assert!(!flagged(r#""*""#, condition), "{condition}");
        }
        for condition in [
            r#"{"StringLike": {"aws:PrincipalOrgID": "*"}}"#,
            r#"{"StringLike": {"aws:PrincipalAccount": "1111*"}}"#,
            r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "*/r-ab12/*"}}"#,
            r#"{"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/"}}"#,
            r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            r#"{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            r#"{"StringEquals": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        ] {
            assert!(flagged(r#""*""#, condition), "{condition}");
        }
    }

    /// `aws:SourceAccount` is only present when a service principal calls
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount):
    /// requiring it keeps IAM principals out, and a service calling for
    /// another account fails the value.
    #[test]
    fn source_keys_close_the_service_path() {
        assert!(!flagged(
            r#""*""#,
            r#"{"StringEquals": {"aws:SourceAccount": "111122223333"}}"#
        ));
        assert!(flagged(
            r#""*""#,
            r#"{"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}"#
        ));
    }
}
