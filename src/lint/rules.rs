//! One module per rule; the id is the module name in kebab-case.

pub mod action_resource_mismatch;
pub mod condition_type_mismatch;
pub mod duplicate_sid;
pub mod invalid_action;
pub mod invalid_arn;
pub mod invalid_condition_operator;
pub mod json_syntax;
pub mod missing_version;
pub mod policy_grammar;
pub mod principal_misplaced;
pub mod unknown_condition_key;
pub mod variable_without_version;
// Setup rules (issue 6).
pub mod assume_grant_without_trust;
pub mod ec2_role_without_instance_profile;
pub mod helpers;
pub mod instance_profile_role_untrusted;
pub mod role_chaining_duration;
pub mod session_duration_exceeds_max;
pub mod trust_unknown_principal;
pub mod trust_without_assume_grant;
