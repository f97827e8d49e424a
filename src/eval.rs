//! The evaluation engine: decides a request exactly as AWS does, and says why.
//!
//! The condition layer (request context, condition operators, policy
//! variables, compiled conditions) sits under the engine: a request
//! ([`Request`]) is evaluated against a [`PolicySet`] of compiled policies
//! ([`CompiledPolicy`]); [`decide`] is the fast path, [`evaluate`] adds the
//! [`Trace`].

pub mod compile;
pub mod condition;
pub mod context;
pub mod engine;
pub mod open;
pub mod operator;
pub mod principal;
pub mod request;
pub mod simulate;
#[cfg(test)]
pub(crate) mod test_support;
pub mod trace;
pub mod variables;

pub use compile::{CompiledPolicy, InvalidPolicy, PolicyProblem, PolicyType};
pub use context::{ContextValue, RequestContext};
pub use engine::{
    Conclusion, Decision, PolicySet, PolicySetError, Reason, Relation, conclusion, decide,
};
pub use open::{OpenEvaluation, OpenKeys, Possibility, evaluate_open};
pub use principal::{Grant, Principal, PrincipalKind};
pub use request::{Request, RequestError, RequestInput};
pub use trace::{Evaluation, Trace, applying_statements, evaluate};
