//! rolecall: reads AWS IAM policies and the principals they hang on,
//! evaluates requests as AWS does, maps who can assume what, and lints the
//! setups teams deploy.
//!
//! Layers only look down: `source`/`value` → `policy` → `catalog` → `eval` →
//! `inventory` → `graph` → `lint`/`verify` → `render` → `cli`.

pub mod catalog;
pub mod cli;
pub mod eval;
pub mod graph;
pub mod inventory;
pub mod lint;
#[cfg(feature = "live")]
pub mod live;
pub mod policy;
pub mod render;
pub mod report;
pub mod source;
pub mod value;
pub mod verify;

/// Where the project lives; rule docs links are built from it.
pub const REPOSITORY: &str = "https://github.com/rolecall-dev/rolecall";
