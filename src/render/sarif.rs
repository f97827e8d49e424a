//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! Every registered rule is listed in `tool.driver.rules` with its docs
//! (`fullDescription`, `help`, `helpUri`); findings map error → `error`,
//! security and warning → `warning`, suggestion → `note`, and security rules
//! carry the `security-severity` property code scanning ranks by.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::lint::{Finding, FindingType, RuleMeta, registry};

/// SARIF level of a finding type.
pub fn level(t: FindingType) -> &'static str {
    match t {
        FindingType::Error => "error",
        FindingType::Security | FindingType::Warning => "warning",
        FindingType::Suggestion => "note",
    }
}

/// Writes one SARIF log with one run.
pub fn findings(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    let rules = registry::all();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.meta().id == f.rule);
            result(f, index)
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rolecall",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::REPOSITORY,
                "rules": rules.iter().map(|r| rule(r.meta())).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "properties": {"catalog": crate::catalog::version()},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(meta: &RuleMeta) -> Value {
    let mut properties = json!({
        "tags": ["security", "iam", meta.category.name()],
        "precision": "high",
    });
    if let (Some(severity), Some(map)) = (meta.security_severity, properties.as_object_mut()) {
        map.insert("security-severity".into(), json!(format!("{severity:.1}")));
    }
    json!({
        "id": meta.id,
        "name": meta.id,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.summary},
        "help": {"text": meta.docs, "markdown": meta.docs},
        "helpUri": meta.help_uri(),
        "defaultConfiguration": {"level": level(meta.finding_type)},
        "properties": properties,
    })
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let uri = artifact_uri(f.file.name());
    let locations: Vec<Value> = f
        .locations
        .iter()
        .map(|l| {
            let (start, end) = super::line_cols(f, l.span);
            json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column,
                    },
                },
                "message": {"text": if l.label.is_empty() { &f.message } else { &l.label }},
            })
        })
        .collect();
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nFix: ");
        message.push_str(help);
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.finding_type),
        "message": {"text": message},
        "locations": if locations.is_empty() {
            vec![json!({"physicalLocation": {"artifactLocation": {"uri": uri}}})]
        } else {
            locations
        },
    });
    if let (Some(index), Some(map)) = (rule_index, result.as_object_mut()) {
        map.insert("ruleIndex".into(), json!(index));
    }
    result
}

/// A relative URI reference for a path as given: forward slashes, and the
/// characters URIs reserve percent-encoded.
pub(crate) fn artifact_uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut uri = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\\' => uri.push('/'),
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' | ':' => uri.push(c),
            _ => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    uri.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(artifact_uri("./policies/a b.json"), "policies/a%20b.json");
        assert_eq!(artifact_uri("dir\\x.json"), "dir/x.json");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
    }
}
