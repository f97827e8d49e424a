//! `trust-saml-no-audience`: a SAML trust that does not pin the assertion's
//! audience (`SAML:aud`) to the AWS sign-in endpoint.

use super::helpers::trust::{
    Choice, PrincipalItem, Search, Sentinels, TrustProbe, condition_json, condition_place,
    json_string, trust_principals, values_for, whole_candidates,
};
use crate::declare_rule;
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::{PrincipalType, Statement};

declare_rule! {
    /// Flags `saml-provider` trusts whose conditions accept assertions
    /// addressed to any service provider.
    TrustSamlNoAudience {
        id: "trust-saml-no-audience",
        finding_type: Security,
        category: Trust,
        summary: "a SAML trust without a condition that pins `SAML:aud` to the AWS sign-in endpoint",
        security_severity: 5.0,
    }
}

/// The key AWS sets from the assertion's recipient.
const AUDIENCE: &str = "SAML:aud";

/// The endpoint the console's SAML trusts name.
const SIGN_IN: &str = "https://signin.aws.amazon.com/saml";

impl Rule for TrustSamlNoAudience {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, doc: &DocumentContext<'_>, out: &mut Sink) {
        let targets = trust_principals(doc, |item| {
            (item.principal_type == Some(PrincipalType::Federated)
                && item.text.starts_with("arn:")
                && item.text.contains(":saml-provider/"))
            .then_some(())
        });
        if targets.is_empty() {
            return;
        }
        let policy = &doc.doc.parsed.policy;
        let lower = AUDIENCE.to_ascii_lowercase();
        let probe = TrustProbe::new(policy, &|key| key == lower);
        let role = Sentinels::for_document(doc.doc).victim_role();
        // An assertion addressed to another service provider.
        let audiences = whole_candidates(
            &values_for(policy, AUDIENCE),
            "https://sp.example.net/rolecall-probe/saml",
        );
        let search = Search::new().with(
            audiences
                .into_iter()
                .map(|aud| Choice::absent().key(AUDIENCE, aud))
                .collect(),
        );
        for (statement, item, ()) in targets {
            let caller = format!("federated:{}", item.text);
            if probe.admits_some(
                statement.index,
                &search,
                &caller,
                "sts:AssumeRoleWithSAML",
                &role,
            ) {
                report(doc, statement, &item, out);
            }
        }
    }
}

fn report(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &PrincipalItem<'_>,
    out: &mut Sink,
) {
    let (place, path, label) = condition_place(statement, "no condition here pins `SAML:aud`");
    doc.finding(
        &TrustSamlNoAudience::META,
        "this SAML trust accepts assertions whatever service provider they are addressed to: no condition pins `SAML:aud`",
    )
    .at(item.span, item.path(), "the SAML provider")
    .at(place, path, label)
    .help(format!(
        "add {} (or the regional sign-in endpoint your identity provider posts to)",
        condition_json(&[("StringEquals", AUDIENCE, json_string(SIGN_IN))])
    ))
    .statement(statement)
    .emit(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::RuleSettings;
    use crate::lint::rules::helpers::trust::lint_trust;

    fn flagged(condition: &str) -> bool {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Condition": {condition}}}]}}"#
        );
        !lint_trust(&TrustSamlNoAudience, &RuleSettings::default(), &text).is_empty()
    }

    /// The console's SAML trust tests `SAML:aud` against the sign-in
    /// endpoint (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html).
    #[test]
    fn the_audience_must_be_pinned() {
        assert!(flagged("{}"));
        assert!(flagged(r#"{"StringLike": {"SAML:aud": "*"}}"#));
        assert!(flagged(
            r#"{"StringNotEquals": {"SAML:aud": "https://evil.example/saml"}}"#
        ));
        assert!(flagged(
            r#"{"StringEquals": {"SAML:sub_type": "persistent"}}"#
        ));
        assert!(!flagged(
            r#"{"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}"#
        ));
        assert!(!flagged(
            r#"{"StringEquals": {"saml:AUD": ["https://signin.aws.amazon.com/saml", "https://eu-west-1.signin.aws.amazon.com/saml"]}}"#
        ));
        // `SAML:aud` comes from every assertion, so `IfExists` changes nothing.
        assert!(!flagged(
            r#"{"StringEqualsIfExists": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}"#
        ));
        // A wildcard matches recipients that are not AWS's.
        assert!(flagged(
            r#"{"StringLike": {"SAML:aud": "https://*.signin.aws.amazon.com/saml"}}"#
        ));
    }
}
