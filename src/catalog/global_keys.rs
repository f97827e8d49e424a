//! The global condition keys, kept by hand: the Service Authorization
//! Reference data lists only the few that services name in their own tables
//! (`aws:RequestTag/${TagKey}`, `aws:TagKeys`, …).
//!
//! Source: "AWS global condition context keys",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>
//! (each key's "Data type" and "Value type"; "String (list)" / "Multivalued"
//! is `multivalued`). The cross-service keys that page lists with them
//! (`ec2:SourceInstanceArn`, `lambda:SourceFunctionArn`, …) are here too:
//! they apply to requests to every service.

use super::condition_key::{ConditionKey, ConditionType, KeyOrigin, name_matches};
use super::model::cmp_ignore_case;

use ConditionType::{Arn, Bool, Date, IpAddress, Numeric, String};

const fn key(
    name: &'static str,
    types: &'static [ConditionType],
    multivalued: bool,
) -> ConditionKey {
    ConditionKey {
        name,
        types,
        multivalued,
        origin: KeyOrigin::Global,
    }
}

/// The keys with a `${TagKey}` placeholder.
pub(super) const GLOBAL_TAG_KEYS: &[ConditionKey] = &[
    key("aws:PrincipalTag/${TagKey}", &[String], false),
    key("aws:RequestTag/${TagKey}", &[String], false),
    key("aws:ResourceTag/${TagKey}", &[String], false),
];

/// The other keys, sorted by lowercase name (a test checks).
pub(super) const GLOBAL_KEYS: &[ConditionKey] = &[
    key("aws:AssumedRoot", &[Bool], false),
    key("aws:CalledVia", &[String], true),
    key("aws:CalledViaAWSMCP", &[String], false),
    key("aws:CalledViaFirst", &[String], false),
    key("aws:CalledViaLast", &[String], false),
    key("aws:ChatbotSourceArn", &[Arn], false),
    key("aws:CurrentTime", &[Date], false),
    key("aws:Ec2InstanceSourcePrivateIPv4", &[IpAddress], false),
    key("aws:Ec2InstanceSourceVpc", &[String], false),
    // "Works with date operators or numeric operators."
    key("aws:EpochTime", &[Date, Numeric], false),
    // A string for AWS's own identity providers, an ARN for the others.
    key("aws:FederatedProvider", &[String, Arn], false),
    key("aws:IsMcpServiceAction", &[Bool], false),
    key("aws:MultiFactorAuthAge", &[Numeric], false),
    key("aws:MultiFactorAuthPresent", &[Bool], false),
    key("aws:PrincipalAccount", &[String], false),
    key("aws:PrincipalArn", &[Arn], false),
    key("aws:PrincipalIsAWSService", &[Bool], false),
    key("aws:PrincipalOrgID", &[String], false),
    key("aws:PrincipalOrgPaths", &[String], true),
    key("aws:PrincipalServiceName", &[String], false),
    key("aws:PrincipalServiceNamesList", &[String], true),
    key("aws:PrincipalType", &[String], false),
    key("aws:referer", &[String], false),
    key("aws:RequestedRegion", &[String], false),
    key("aws:ResourceAccount", &[String], false),
    key("aws:ResourceOrgID", &[String], false),
    key("aws:ResourceOrgPaths", &[String], true),
    key("aws:SecureTransport", &[Bool], false),
    key("aws:SignInSessionArn", &[Arn], false),
    key("aws:SourceAccount", &[String], false),
    key("aws:SourceArn", &[Arn], false),
    key("aws:SourceIdentity", &[String], false),
    key("aws:SourceIp", &[IpAddress], false),
    key("aws:SourceOrgID", &[String], false),
    key("aws:SourceOrgPaths", &[String], true),
    key("aws:SourceVpc", &[String], false),
    key("aws:SourceVpcArn", &[Arn], false),
    key("aws:SourceVpce", &[String], false),
    key("aws:TagKeys", &[String], true),
    key("aws:TokenIssueTime", &[Date], false),
    key("aws:UserAgent", &[String], false),
    key("aws:userid", &[String], false),
    key("aws:username", &[String], false),
    key("aws:ViaAWSMCPService", &[Bool], false),
    key("aws:ViaAWSService", &[Bool], false),
    key("aws:VpceAccount", &[String], false),
    key("aws:VpceOrgID", &[String], false),
    key("aws:VpceOrgPaths", &[String], true),
    key("aws:VpcSourceIp", &[IpAddress], false),
    key("codebuild:BuildArn", &[Arn], false),
    key("codebuild:ProjectArn", &[Arn], false),
    key("ec2:RoleDelivery", &[Numeric], false),
    key("ec2:SourceInstanceArn", &[Arn], false),
    key("glue:CredentialIssuingService", &[String], false),
    key("glue:RoleAssumedBy", &[String], false),
    key("identitystore:UserId", &[String], false),
    key("lambda:SourceFunctionArn", &[Arn], false),
    key("ssm:SourceInstanceArn", &[Arn], false),
];

/// The global key `name` (ignoring case; `aws:PrincipalTag/team` finds
/// `aws:PrincipalTag/${TagKey}`).
pub(super) fn find(name: &str) -> Option<ConditionKey> {
    if let Ok(i) = GLOBAL_KEYS.binary_search_by(|k| cmp_ignore_case(k.name, name)) {
        return GLOBAL_KEYS.get(i).copied();
    }
    GLOBAL_TAG_KEYS
        .iter()
        .find(|k| name_matches(k.name, name))
        .copied()
}

/// Every global key, sorted by name.
pub(super) fn all() -> impl Iterator<Item = ConditionKey> {
    let mut keys: Vec<ConditionKey> = GLOBAL_KEYS.iter().chain(GLOBAL_TAG_KEYS).copied().collect();
    keys.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
    keys.into_iter()
}

#[cfg(test)]
mod tests {
    use super::super::condition_key::has_placeholder;
    use super::*;

    #[test]
    fn placeholders_only_in_tag_keys() {
        assert!(GLOBAL_KEYS.iter().all(|k| !has_placeholder(k.name)));
        assert!(GLOBAL_TAG_KEYS.iter().all(|k| has_placeholder(k.name)));
        assert_eq!(all().count(), GLOBAL_KEYS.len() + GLOBAL_TAG_KEYS.len());
    }

    #[test]
    fn sorted_for_binary_search() {
        for pair in GLOBAL_KEYS.windows(2) {
            assert_eq!(
                cmp_ignore_case(pair[0].name, pair[1].name),
                std::cmp::Ordering::Less,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    // Types from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    #[test]
    fn documented_types() {
        let ip = find("aws:sourceip").unwrap();
        assert_eq!(ip.name, "aws:SourceIp");
        assert_eq!(ip.value_type(), IpAddress);
        assert_eq!(find("aws:CurrentTime").unwrap().value_type(), Date);
        assert!(find("aws:EpochTime").unwrap().accepts(Numeric));
        assert!(find("aws:PrincipalOrgPaths").unwrap().multivalued);
        assert!(!find("aws:PrincipalOrgID").unwrap().multivalued);
        assert_eq!(
            find("aws:MultiFactorAuthPresent").unwrap().value_type(),
            Bool
        );
        assert_eq!(
            find("aws:PrincipalTag/team").unwrap().name,
            "aws:PrincipalTag/${TagKey}"
        );
        assert_eq!(find("aws:PrincipalTag/"), None);
        assert_eq!(find("aws:NoSuchKey"), None);
    }
}
