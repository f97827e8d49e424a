//! One module per rule; the id is the module name in kebab-case.

pub mod json_syntax;
pub mod missing_version;
pub mod policy_grammar;
