//! One module per rule; the id is the module name in kebab-case.

pub mod action_resource_mismatch;
pub mod condition_type_mismatch;
pub mod duplicate_sid;
pub mod helpers;
pub mod invalid_action;
pub mod invalid_arn;
pub mod invalid_condition_operator;
pub mod json_syntax;
pub mod missing_version;
pub mod policy_grammar;
pub mod principal_misplaced;
pub mod trust_account_root;
pub mod trust_any_principal;
pub mod trust_cross_account_no_external_id;
pub mod trust_deleted_principal;
pub mod trust_oidc_unscoped;
pub mod trust_saml_no_audience;
pub mod trust_service_no_source;
pub mod unknown_condition_key;
pub mod variable_without_version;
