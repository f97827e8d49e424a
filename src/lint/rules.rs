//! One module per rule; the id is the module name in kebab-case.

pub mod action_resource_mismatch;
pub mod admin_access;
pub mod allow_with_notaction;
pub mod allow_with_notprincipal;
pub mod allow_with_notresource;
pub mod assume_role_any_resource;
pub mod condition_type_mismatch;
pub mod duplicate_sid;
pub mod helpers;
pub mod invalid_action;
pub mod invalid_arn;
pub mod invalid_condition_operator;
pub mod json_syntax;
pub mod mfa_condition_pitfall;
pub mod missing_version;
pub mod passrole_any_resource;
pub mod passrole_without_service_condition;
pub mod policy_grammar;
pub mod principal_misplaced;
pub mod privilege_escalation;
pub mod redundant_statement;
pub mod shadowed_allow;
pub mod unknown_condition_key;
pub mod variable_without_version;
