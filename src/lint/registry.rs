//! The one list of rules.

use super::rule::Rule;
use super::rules;

/// Every rule, in catalog order.
static RULES: &[&dyn Rule] = &[
    &rules::json_syntax::JsonSyntax,
    &rules::policy_grammar::PolicyGrammar,
    &rules::missing_version::MissingVersion,
    &rules::variable_without_version::VariableWithoutVersion,
    &rules::duplicate_sid::DuplicateSid,
    &rules::invalid_arn::InvalidArn,
    &rules::invalid_action::InvalidAction,
    &rules::action_resource_mismatch::ActionResourceMismatch,
    &rules::invalid_condition_operator::InvalidConditionOperator,
    &rules::unknown_condition_key::UnknownConditionKey,
    &rules::condition_type_mismatch::ConditionTypeMismatch,
    &rules::principal_misplaced::PrincipalMisplaced,
    &rules::redundant_statement::RedundantStatement,
    &rules::shadowed_allow::ShadowedAllow,
    // Grants more than intended.
    &rules::admin_access::AdminAccess,
    &rules::assume_role_any_resource::AssumeRoleAnyResource,
    &rules::passrole_any_resource::PassroleAnyResource,
    &rules::passrole_without_service_condition::PassroleWithoutServiceCondition,
    &rules::privilege_escalation::PrivilegeEscalation,
    &rules::allow_with_notaction::AllowWithNotaction,
    &rules::allow_with_notresource::AllowWithNotresource,
    &rules::allow_with_notprincipal::AllowWithNotprincipal,
    &rules::mfa_condition_pitfall::MfaConditionPitfall,
    &rules::trust_any_principal::TrustAnyPrincipal,
    &rules::trust_cross_account_no_external_id::TrustCrossAccountNoExternalId,
    &rules::trust_account_root::TrustAccountRoot,
    &rules::trust_oidc_unscoped::TrustOidcUnscoped,
    &rules::trust_saml_no_audience::TrustSamlNoAudience,
    &rules::trust_service_no_source::TrustServiceNoSource,
    &rules::trust_deleted_principal::TrustDeletedPrincipal,
    // Setup rules.
    &rules::instance_profile_role_untrusted::InstanceProfileRoleUntrusted,
    &rules::ec2_role_without_instance_profile::Ec2RoleWithoutInstanceProfile,
    &rules::assume_grant_without_trust::AssumeGrantWithoutTrust,
    &rules::trust_without_assume_grant::TrustWithoutAssumeGrant,
    &rules::trust_unknown_principal::TrustUnknownPrincipal,
    &rules::session_duration_exceeds_max::SessionDurationExceedsMax,
    &rules::role_chaining_duration::RoleChainingDuration,
];

/// Every rule, in catalog order.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for rule in all() {
            let id = rule.meta().id;
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }
}
