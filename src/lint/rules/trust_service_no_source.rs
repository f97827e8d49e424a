//! `trust-service-no-source`: a role trusted by an AWS service that passes
//! `aws:SourceArn`/`aws:SourceAccount` when it assumes roles, without a
//! condition pinning them (the cross-service confused deputy).

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, account_candidates, arn_candidates,
    condition_json, condition_place, json_string, mentions, org_path_candidates, trust_principals,
    values_for, whole_candidates,
};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{Policy, PrincipalType, Statement};

declare_rule! {
    /// Flags service-principal trusts that any account's resources of that
    /// service could use.
    TrustServiceNoSource {
        id: "trust-service-no-source",
        finding_type: Security,
        category: Trust,
        summary: "a service that supports `aws:SourceArn`/`aws:SourceAccount` in role trust policies is trusted without them (cross-service confused deputy)",
        security_severity: 5.5,
    }
}

/// Services whose documentation asks for `aws:SourceArn` and
/// `aws:SourceAccount` in the trust policy of the roles they assume. Other
/// services are not flagged: many never send the keys when assuming a role
/// (EC2 for instance profiles, Lambda for execution roles), and a positive
/// condition on a key that is absent would break the role.
const DOCUMENTED: &[(&str, &str)] = &[
    (
        "bedrock.amazonaws.com",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/batch-iam-sr.html",
    ),
    (
        "fis.amazonaws.com",
        "https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-resilience-testing-iam-single-account.html",
    ),
    (
        "frauddetector.amazonaws.com",
        "https://docs.aws.amazon.com/frauddetector/latest/ug/confused-deputy-prevention.html",
    ),
    (
        "iot.amazonaws.com",
        "https://docs.aws.amazon.com/iot/latest/developerguide/cross-service-confused-deputy-prevention.html",
    ),
    (
        "personalize.amazonaws.com",
        "https://docs.aws.amazon.com/personalize/latest/dg/cross-service-confused-deputy-prevention.html",
    ),
];

/// The keys a service sets from the resource it acts for.
const MODELLED: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
];

impl Rule for TrustServiceNoSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let targets = trust_principals(doc, |item| {
            if item.principal_type != Some(PrincipalType::Service) {
                return None;
            }
            let (service, _) = DOCUMENTED
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(item.text))?;
            Some(*service)
        });
        if targets.is_empty() {
            return;
        }
        let policy = &doc.doc.parsed.policy;
        let probe = TrustProbe::new(policy, &|key| MODELLED.contains(&key));
        let sentinels = Sentinels::for_document(doc.doc);
        let role = sentinels.victim_role();
        for (statement, item, service) in targets {
            let search = other_accounts(policy, &sentinels, service);
            let caller = format!("service:{}", item.text);
            if probe.admits_some(statement.index, &search, &caller, "sts:AssumeRole", &role) {
                report(doc, statement, &item, service, out);
            }
        }
    }
}

/// The service acting for a resource of another account: the source keys
/// set to that account's values, or absent.
fn other_accounts(policy: &Policy, s: &Sentinels, service: &str) -> Search {
    let prefix = service.split('.').next().unwrap_or(service);
    let optional = |key: &str, candidates: Vec<String>| -> Vec<Choice> {
        if !mentions(policy, key) {
            return Vec::new();
        }
        std::iter::once(Choice::absent())
            .chain(candidates.into_iter().map(|v| Choice::absent().key(key, v)))
            .collect()
    };
    let account = |key: &str| account_candidates(&values_for(policy, key), &s.account);
    Search::new()
        .with(optional("aws:SourceAccount", account("aws:SourceAccount")))
        .with(optional("aws:SourceOwner", account("aws:SourceOwner")))
        .with(optional(
            "aws:SourceArn",
            arn_candidates(
                &values_for(policy, "aws:SourceArn"),
                &s.account,
                s.name,
                format!("arn:aws:{prefix}:us-east-1:{}:{}", s.account, s.name),
            ),
        ))
        .with(optional(
            "aws:SourceOrgID",
            whole_candidates(&values_for(policy, "aws:SourceOrgID"), &s.org),
        ))
        .with(optional(
            "aws:SourceOrgPaths",
            org_path_candidates(
                &values_for(policy, "aws:SourceOrgPaths"),
                &s.org,
                s.org_path(),
            ),
        ))
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    service: &str,
    out: &mut Sink,
) {
    let (place, path, label) = condition_place(
        statement,
        "no condition here pins the source account or resource",
    );
    let account = match doc.settings.trusted_accounts.as_slice() {
        [one] => one.clone(),
        _ => "<your account id>".to_owned(),
    };
    let prefix = service.split('.').next().unwrap_or(service);
    let pin = condition_json(&[
        ("StringEquals", "aws:SourceAccount", json_string(&account)),
        (
            "ArnLike",
            "aws:SourceArn",
            json_string(&format!("arn:aws:{prefix}:<region>:{account}:*")),
        ),
    ]);
    doc.finding(
        &TrustServiceNoSource::META,
        format!(
            "`{}` can assume this role while acting for resources of any account: no condition pins `aws:SourceAccount` or `aws:SourceArn`",
            item.text
        ),
    )
    .at(item.span, item.path(), "this service")
    .at(place, path, label)
    .help(format!(
        "pin the resources the service acts for: {pin}; `...IfExists` operators do not pin the keys"
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::lint_trust;

    fn flagged(service: &str, condition: &str) -> bool {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": "{service}"}}, "Action": "sts:AssumeRole", "Condition": {condition}}}]}}"#
        );
        !lint_trust(&TrustServiceNoSource, &RuleSettings::default(), &text).is_empty()
    }

    /// "To prevent the confused deputy problem in roles assumed by Amazon
    /// Personalize, in the role's trust policy set the value of
    /// aws:SourceArn to arn:aws:personalize:region:accountNumber:*"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/cross-service-confused-deputy-prevention.html).
    #[test]
    fn documented_services_need_their_source() {
        let p = "personalize.amazonaws.com";
        assert!(flagged(p, "{}"));
        assert!(!flagged(
            p,
            r#"{"StringEquals": {"aws:SourceAccount": "111122223333"}}"#
        ));
        assert!(!flagged(
            p,
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:personalize:*:111122223333:*"}}"#
        ));
        assert!(!flagged(
            p,
            r#"{"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#
        ));
        assert!(flagged(
            p,
            r#"{"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}"#
        ));
        assert!(flagged(
            p,
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:personalize:*:*:*"}}"#
        ));
        assert!(flagged(p, r#"{"StringLike": {"aws:SourceAccount": "*"}}"#));
        assert!(!flagged(
            p,
            r#"{"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}, "Null": {"aws:SourceAccount": "false"}}"#
        ));
    }

    /// EC2 does not pass `aws:SourceArn`/`aws:SourceAccount` when it
    /// assumes an instance profile's role; requiring them would break the
    /// role, so EC2 (and other undocumented services) are not flagged
    /// (https://github.com/prowler-cloud/prowler/issues/2810).
    #[test]
    fn undocumented_services_are_not_flagged() {
        assert!(!flagged("ec2.amazonaws.com", "{}"));
        assert!(!flagged("lambda.amazonaws.com", "{}"));
    }
}
