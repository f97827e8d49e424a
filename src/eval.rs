//! The evaluation engine: decides a request exactly as AWS does, and says why.
//!
//! A request ([`Request`]) is evaluated against a [`PolicySet`] of compiled
//! policies ([`CompiledPolicy`]): [`decide`] is the fast path, [`evaluate`]
//! adds the [`Trace`].

pub mod arn;
pub mod compile;
pub mod engine;
pub mod principal;
pub mod request;
pub mod simulate;
mod standin;
pub mod trace;

pub use compile::{CompiledPolicy, InvalidPolicy, PolicyProblem, PolicyType};
pub use engine::{
    Conclusion, Decision, PolicySet, PolicySetError, Reason, Relation, conclusion, decide,
};
pub use principal::{Grant, Principal, PrincipalKind};
pub use request::{Request, RequestError, RequestInput};
pub use standin::{CompiledCondition, ConditionMiss, ContextValue, RequestContext, Template};
pub use trace::{Evaluation, Trace, evaluate};
