//! The IAM policy document model: every element with its byte span, built
//! from a [`crate::value::Value`] tree so it works for any container format.

pub mod arn;
mod build;
mod document;
mod model;
pub mod wildcard;

pub use build::{GrammarProblem, Parsed, build_policy, parse_policy};
pub use build::{did_you_mean, edit_distance};
pub use document::{Origin, PolicyDocument, PolicyKind};
pub use model::*;
