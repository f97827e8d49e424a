//! The IAM policy document model: every element with its byte span, built
//! from a [`crate::value::Value`] tree so it works for any container format.

mod build;
mod model;
pub mod wildcard;

pub(crate) use build::edit_distance;
pub use build::{GrammarProblem, Parsed, build_policy, parse_policy};
pub use model::*;
