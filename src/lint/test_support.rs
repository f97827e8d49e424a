//! For the rules' unit tests: lint one document's text and keep one rule's
//! findings.

use super::{Config, Finding, Linter, Sink};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::source::SourceFile;

/// The findings of `rule` on `text` linted as `kind`, default configuration.
pub(crate) fn rule_findings(text: &str, kind: PolicyKind, rule: &str) -> Vec<Finding> {
    let doc = PolicyDocument::from_file(SourceFile::new("p.json", text), Some(kind)).unwrap();
    let config = Config::default();
    let linter = Linter::new(&config);
    let mut sink = Sink::default();
    linter.document(&doc, kind, &mut sink);
    linter
        .finish(sink)
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}
