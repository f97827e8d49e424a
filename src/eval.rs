//! AWS's request evaluation: the request context, condition operators,
//! policy variables and compiled conditions.

pub mod condition;
pub mod context;
pub mod operator;
pub mod variables;
