//! Validates SARIF logs against the SARIF 2.1.0 JSON schema
//! (`tests/fixtures/sarif-schema-2.1.0.json`): shared by the lint and verify
//! CLI tests.

use serde_json::Value;

/// Where `log` breaks the SARIF 2.1.0 schema (formats checked too), as
/// `instance-path: error` lines; empty for a valid log.
pub fn schema_errors(log: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
