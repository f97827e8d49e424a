//! Live AWS calls (cargo feature `live`): fetch a snapshot, probe
//! AssumeRole, hand out credentials, decode an AccessDenied.
//!
//! Clients come from the standard AWS chain ([`client`]); every call has a
//! time limit and standard retries; failures become [`LiveError`]s that say
//! what to do. Credentials are held in [`credentials::Secret`]s, whose
//! `Debug` is redacted: only `rolecall assume` prints them.

pub mod assume;
pub mod client;
pub mod credentials;
pub mod decode;
mod error;
pub mod fetch;
mod iam_json;
pub mod organization;
mod paginate;
pub mod predict;
pub mod probe;
pub mod validate;

pub use client::{ClientOptions, Clients};
pub use error::LiveError;
