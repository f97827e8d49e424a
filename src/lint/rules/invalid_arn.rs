//! `invalid-arn`: a resource, principal or ARN condition value that is not a
//! valid ARN (or principal) where one is required.

use crate::declare_rule;
use crate::eval::operator::{ConditionOperator, OperatorFamily};
use crate::lint::{DocumentContext, Rule, RuleMeta, Sink};
use crate::policy::arn::{ArnContext, ArnError, validate};
use crate::policy::{Item, ItemKind, PrincipalSpec, PrincipalType, Statement};

declare_rule! {
    /// Validates every `Resource`/`NotResource` entry, every `AWS` and
    /// `Federated` principal, and every value of an `Arn…` condition.
    InvalidArn {
        id: "invalid-arn",
        finding_type: Error,
        category: Validity,
        summary: "a `Resource`, principal or ARN condition value is not a valid ARN",
    }
}

/// Where a checked value stands, for messages and the validator.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// `Resource` / `NotResource`.
    Resource(&'a str),
    /// `Principal`/`NotPrincipal` `AWS`.
    AwsPrincipal,
    /// `Principal`/`NotPrincipal` `Federated`.
    FederatedPrincipal,
    /// A value of an ARN condition operator.
    Condition(&'a str),
}

impl Place<'_> {
    fn context(self) -> ArnContext {
        match self {
            Self::Resource(_) | Self::Condition(_) => ArnContext::Resource,
            Self::AwsPrincipal => ArnContext::AwsPrincipal,
            Self::FederatedPrincipal => ArnContext::FederatedPrincipal,
        }
    }

    fn name(self) -> String {
        match self {
            Self::Resource(key) => format!("`{key}`"),
            Self::AwsPrincipal => "an `AWS` principal".to_owned(),
            Self::FederatedPrincipal => "a `Federated` principal".to_owned(),
            Self::Condition(operator) => format!("the `{operator}` condition"),
        }
    }

    /// What to write instead when the error itself suggests nothing.
    fn fallback_help(self) -> &'static str {
        match self {
            Self::Resource(_) | Self::Condition(_) => {
                "write `arn:partition:service:region:account-id:resource` as the service's ARN format gives it (Service Authorization Reference), or `*`"
            }
            Self::AwsPrincipal => {
                "name an account (`111122223333` or `arn:aws:iam::111122223333:root`), a user, role or assumed-role session by ARN, or `*`"
            }
            Self::FederatedPrincipal => {
                "name an OIDC or SAML provider by ARN (`arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com`) or a web identity provider's domain (`cognito-identity.amazonaws.com`)"
            }
        }
    }
}

impl Rule for InvalidArn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_statement(&self, doc: &DocumentContext<'_>, statement: &Statement, out: &mut Sink) {
        if let Some(resource) = &statement.resource {
            for (i, item) in resource.items.iter().enumerate() {
                check(
                    doc,
                    statement,
                    item,
                    || resource.item_path(statement, i),
                    Place::Resource(resource.key),
                    || doc.resource_problems(statement, i).into_owned(),
                    out,
                );
            }
        }
        if let Some(block) = &statement.principal
            && let PrincipalSpec::Map(entries) = &block.spec
        {
            for entry in entries {
                let place = match entry.principal_type {
                    PrincipalType::Aws => Place::AwsPrincipal,
                    PrincipalType::Federated => Place::FederatedPrincipal,
                    PrincipalType::Service | PrincipalType::CanonicalUser => continue,
                };
                for (i, item) in entry.items.iter().enumerate() {
                    let path = || entry.item_path(block, statement, i);
                    let problems = || validate(&item.text, place.context());
                    check(doc, statement, item, path, place, problems, out);
                }
            }
        }
        if let Some(condition) = &statement.condition {
            for operator in &condition.operators {
                let is_arn_operator = ConditionOperator::parse(&operator.name.value)
                    .is_ok_and(|o| o.base.family() == OperatorFamily::Arn);
                if !is_arn_operator {
                    continue;
                }
                for entry in &operator.entries {
                    for (i, item) in entry.values.iter().enumerate() {
                        let path = || {
                            if entry.is_array {
                                format!("{}/{i}", entry.path(operator, statement))
                            } else {
                                entry.path(operator, statement)
                            }
                        };
                        let place = Place::Condition(&operator.name.value);
                        let problems = || validate(&item.text, place.context());
                        check(doc, statement, item, path, place, problems, out);
                    }
                }
            }
        }
    }
}

/// Reports `item` if the validator finds `problems` with it at `place`;
/// its path is written out only then.
fn check(
    doc: &DocumentContext<'_>,
    statement: &Statement,
    item: &Item,
    path: impl FnOnce() -> String,
    place: Place<'_>,
    problems: impl FnOnce() -> Vec<ArnError>,
    out: &mut Sink,
) {
    // Values unknown until deployment cannot be judged; numbers and booleans
    // in a condition are a type mismatch, another rule's concern.
    if item.kind != ItemKind::String {
        return;
    }
    let problems: Vec<ArnError> = problems()
        .into_iter()
        // ARN condition operators check each of the six segments separately
        // and allow wildcards in all of them, the service included
        // (reference_policies_elements_condition_operators.html, ARN
        // condition operators).
        .filter(|e| {
            !(matches!(place, Place::Condition(_)) && matches!(e, ArnError::WildcardService { .. }))
        })
        .collect();
    let Some(first) = problems.first() else {
        return;
    };
    let mut message = format!("invalid value in {}: {first}", place.name());
    for more in &problems[1..] {
        message.push_str("; also ");
        message.push_str(&more.to_string());
    }
    doc.finding(&InvalidArn::META, message)
        .at(item.span, path(), label(first))
        .help(help(first, place))
        .statement(statement)
        .emit(out);
}

/// A short label for the value's location.
fn label(error: &ArnError) -> &'static str {
    match error {
        ArnError::MissingPrefix { .. } | ArnError::TooFewSegments { .. } => "not an ARN",
        ArnError::WildcardInPrincipal { .. } => "wildcard in a principal",
        ArnError::VariableInPrincipal { .. } => "policy variable in a principal",
        ArnError::NotAPrincipalValue { .. }
        | ArnError::NotAPrincipal { .. }
        | ArnError::GroupPrincipal { .. } => "not a principal",
        _ => "invalid ARN",
    }
}

/// The concrete fix for `error`: its own advice when it has some, else one
/// built from what it found, else the place's general advice.
fn help(error: &ArnError, place: Place<'_>) -> String {
    if let Some(help) = miette::Diagnostic::help(error) {
        return help.to_string();
    }
    match error {
        ArnError::EmptySegment { segment, .. } => match *segment {
            "partition" => "write the partition after `arn:`: `aws` for the commercial Regions, `aws-cn` for China, `aws-us-gov` for GovCloud".to_owned(),
            "service" => "write the service namespace in the third segment, e.g. `arn:aws:s3:::bucket`".to_owned(),
            _ => "name the resource after the fifth colon, or end the ARN with `*` to match every resource there".to_owned(),
        },
        ArnError::InvalidService { service, .. } => format!(
            "write the service namespace in lowercase: `{}`",
            service.to_ascii_lowercase()
        ),
        ArnError::InvalidRegion { .. } => {
            "write a Region code such as `us-east-1`, `*` for any Region, or nothing for services without Regions".to_owned()
        }
        ArnError::RegionOutsidePartition {
            region_partition, ..
        } => format!("Region codes of this kind belong to partition `{region_partition}`: write `arn:{region_partition}:…`, or pick a Region of the partition you meant"),
        ArnError::InvalidAccount { account, .. } | ArnError::PrincipalAccount { account, .. } => {
            match account_without_separators(account) {
                Some(digits) => format!("write the account id as 12 digits without separators: `{digits}`"),
                None => "write the 12-digit account id (or `*`, or nothing where the service has no accounts in its ARNs)".to_owned(),
            }
        }
        ArnError::NotAPrincipalValue { value } => match account_without_separators(value) {
            Some(digits) => format!("write the account id as 12 digits without separators: `{digits}`"),
            None => place.fallback_help().to_owned(),
        },
        ArnError::MissingAccount { service, .. } => format!(
            "add the 12-digit account id: `arn:aws:{service}::111122223333:…` (or `*` for any account)"
        ),
        ArnError::MalformedPrincipal { expected, .. } => format!("write it as `{expected}`"),
        ArnError::NotAPrincipal { .. } => {
            "name an account, user, role, assumed-role session, federated user or identity provider; to match other ARNs, test `aws:PrincipalArn` or `aws:SourceArn` in a condition".to_owned()
        }
        ArnError::VariableInPrincipal { .. } => {
            "name the principal literally; to match principals by variable or pattern, use `\"AWS\": \"*\"` with a condition on `aws:PrincipalArn`".to_owned()
        }
        _ => place.fallback_help().to_owned(),
    }
}

/// `1111-2222-3333` → `111122223333`: the digits of an account id written
/// with separators, when there are exactly twelve.
fn account_without_separators(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 12
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' '))
    .then_some(digits)
}

#[cfg(test)]
mod tests {
    use crate::lint::Finding;
    use crate::lint::test_support::rule_findings;
    use crate::policy::PolicyKind;

    fn findings(text: &str, kind: PolicyKind) -> Vec<Finding> {
        rule_findings(text, kind, "invalid-arn")
    }

    // ARN operators allow wildcards in every segment, the service included
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN),
    // while a `Resource` ARN cannot have one in its service.
    #[test]
    fn service_wildcard_only_in_conditions() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*",
            "Resource":"arn:aws:*:us-east-1:111122223333:thing",
            "Condition":{"ArnNotLike":{"aws:SourceArn":"arn:aws:*:*:111122223333:*"}}}]}"#;
        let found = findings(text, PolicyKind::Identity);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].locations[0].path, "/Statement/0/Resource");
    }

    #[test]
    fn string_operators_and_service_principals_are_not_checked() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Service":"not an arn","CanonicalUser":"79a59df900b949e55d96a1e698fbaced"},
            "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
            "Condition":{"StringLike":{"aws:SourceArn":"not an arn"},"ArnLike":{"aws:SourceAccount":5}}}]}"#;
        assert!(findings(text, PolicyKind::Resource).is_empty());
    }
}
