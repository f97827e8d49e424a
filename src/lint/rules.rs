//! One module per rule; the id is the module name in kebab-case.

pub mod action_resource_mismatch;
pub mod invalid_action;
pub mod json_syntax;
pub mod missing_version;
pub mod policy_grammar;
pub mod unknown_condition_key;
