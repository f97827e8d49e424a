//! Helpers the evaluation unit tests share (and the lint rules' tests).

use super::{CompiledPolicy, InvalidPolicy, PolicyType, Request};
use crate::policy::parse_policy;
use crate::source::SourceFile;

/// Compiles the policy `text` as `policy_type`, named `name` and keeping
/// its source (the text must parse).
pub(crate) fn compile(
    text: &str,
    policy_type: PolicyType,
    name: &str,
) -> Result<CompiledPolicy, InvalidPolicy> {
    let source = SourceFile::new(name, text);
    CompiledPolicy::compile_parsed(
        &parse_policy(text).unwrap(),
        name,
        policy_type,
        Some(source),
    )
}

/// Compiles a `2012-10-17` policy made of `statements` (JSON objects,
/// comma-separated); it must be valid.
pub(crate) fn policy_of(policy_type: PolicyType, name: &str, statements: &str) -> CompiledPolicy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    compile(&text, policy_type, name).unwrap()
}

/// A valid request with no context keys.
pub(crate) fn request(principal: &str, action: &str, resource: &str) -> Request {
    Request::without_context(principal, action, resource).unwrap()
}
