//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! Every registered rule is listed in `tool.driver.rules` with its docs
//! (`shortDescription`, `fullDescription` — at most 1024 characters each —,
//! `help`, `helpUri`); findings map error → `error`, security and warning →
//! `warning`, suggestion → `note`; security rules carry the
//! `security-severity` property code scanning ranks by, the others
//! `problem.severity`. Each result has exactly one location with a full
//! region (code scanning reads only the first and needs one); a finding's
//! other labelled places go to `relatedLocations`. Absolute paths become
//! `file://` URIs, relative ones stay relative to the repository root.
//! GitHub's requirements: <https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::lint::{Finding, FindingType, RuleMeta, registry};
use crate::source::{LineCol, Span};

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
    let rules = rules.iter().map(|r| rule(r.meta())).collect();
    let properties = json!({"catalog": crate::catalog::version()});
    write_log(out, rules, Some(properties), results)
}

/// Writes a SARIF 2.1.0 log with one run of rolecall: the `rules` it reports
/// by, the run's `properties` if any, and its `results`.
pub(crate) fn write_log(
    out: &mut dyn Write,
    rules: Vec<Value>,
    properties: Option<Value>,
    results: Vec<Value>,
) -> io::Result<()> {
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({"driver": {
            "name": "rolecall",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": crate::REPOSITORY,
            "rules": rules,
        }}),
    );
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    if let Some(properties) = properties {
        run.insert("properties".into(), properties);
    }
    run.insert("results".into(), Value::Array(results));
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// Code scanning's limit on `shortDescription` and `fullDescription`.
const DESCRIPTION_LIMIT: usize = 1024;

fn rule(meta: &RuleMeta) -> Value {
    let is_security =
        meta.finding_type == FindingType::Security || meta.security_severity.is_some();
    let mut tags = vec!["iam", meta.category.name()];
    if is_security {
        tags.push("security");
    }
    let mut properties = json!({
        "tags": tags,
        "precision": "high",
    });
    if let Some(map) = properties.as_object_mut() {
        match meta.security_severity {
            Some(severity) => {
                map.insert("security-severity".into(), json!(format!("{severity:.1}")));
            }
            None => {
                let severity = match meta.finding_type {
                    FindingType::Error => "error",
                    FindingType::Security | FindingType::Warning => "warning",
                    FindingType::Suggestion => "recommendation",
                };
                map.insert("problem.severity".into(), json!(severity));
            }
        }
    }
    json!({
        "id": meta.id,
        "name": meta.id,
        "shortDescription": {"text": truncate(meta.summary, DESCRIPTION_LIMIT)},
        "fullDescription": {"text": full_description(meta)},
        "help": {"text": meta.docs, "markdown": meta.docs},
        "helpUri": meta.help_uri(),
        "defaultConfiguration": {"level": level(meta.finding_type)},
        "properties": properties,
    })
}

/// The rule docs' "What it flags" paragraphs that fit the limit, or else
/// the summary.
fn full_description(meta: &RuleMeta) -> String {
    let section = meta
        .docs
        .split_once("## What it flags")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or(rest).trim())
        .unwrap_or("");
    let mut text = String::new();
    for paragraph in section.split("\n\n") {
        let paragraph = paragraph.trim();
        let needed = text.len() + paragraph.len() + if text.is_empty() { 0 } else { 2 };
        if needed > DESCRIPTION_LIMIT {
            break;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(paragraph);
    }
    if text.is_empty() {
        truncate(meta.summary, DESCRIPTION_LIMIT)
    } else {
        text
    }
}

/// At most `limit` bytes, cut at a character boundary.
fn truncate(text: &str, limit: usize) -> String {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let uri = artifact_uri(f.file.name());
    let location = |span: Option<Span>, label: &str| {
        let (start, end) = match span {
            Some(span) => super::line_cols(f, span),
            None => {
                let start = LineCol { line: 1, column: 1 };
                (start, start)
            }
        };
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
            "message": {"text": if label.is_empty() { &f.message } else { label }},
        })
    };
    let primary = match f.locations.first() {
        Some(l) => location(Some(l.span), &l.label),
        None => location(None, ""),
    };
    let related: Vec<Value> = f
        .locations
        .iter()
        .skip(1)
        .enumerate()
        .map(|(id, l)| {
            let mut related = location(Some(l.span), &l.label);
            if let Some(map) = related.as_object_mut() {
                map.insert("id".into(), json!(id));
            }
            related
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
        "locations": [primary],
    });
    if let Some(map) = result.as_object_mut() {
        if let Some(index) = rule_index {
            map.insert("ruleIndex".into(), json!(index));
        }
        if !related.is_empty() {
            map.insert("relatedLocations".into(), json!(related));
        }
    }
    result
}

/// A URI for a path as given: relative paths stay relative references
/// (code scanning resolves them from the repository root), absolute ones
/// become `file://` URIs; forward slashes, and the characters URIs reserve
/// percent-encoded.
pub(crate) fn artifact_uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let absolute = path.starts_with('/');
    let mut uri = String::with_capacity(path.len() + 7);
    if absolute {
        uri.push_str("file://");
    }
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
        assert_eq!(artifact_uri("/tmp/x y.json"), "file:///tmp/x%20y.json");
    }

    #[test]
    fn descriptions_fit_code_scanning_limits() {
        for rule in registry::all() {
            let meta = rule.meta();
            let full = full_description(meta);
            assert!(
                !full.is_empty() && full.len() <= DESCRIPTION_LIMIT,
                "{}",
                meta.id
            );
            assert!(!full.contains("## "), "{}: {full}", meta.id);
        }
        assert_eq!(truncate("é", 1), "");
    }
}
