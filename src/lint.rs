//! The linter: rules over policy documents, configuration, findings.

pub mod config;
mod context;
mod finding;
pub mod registry;
mod rule;
pub mod rules;

use std::sync::Arc;

pub use config::Config;
pub use context::{DocumentContext, FindingBuilder, RuleSettings, Sink};
pub use finding::{Finding, FindingType, Location};
pub use rule::{Category, Rule, RuleMeta};

use crate::input::ReadFile;
use crate::policy::{PolicyDocument, PolicyKind};
use crate::source::SourceFile;
use crate::value::JsonSyntaxError;

/// The enabled rules and their settings, ready to run over many documents.
pub struct Linter<'c> {
    rules: Vec<&'static dyn Rule>,
    config: &'c Config,
}

impl<'c> Linter<'c> {
    /// A linter running every rule the configuration leaves on.
    pub fn new(config: &'c Config) -> Self {
        Self {
            rules: registry::all()
                .iter()
                .copied()
                .filter(|r| config.is_enabled(r.meta().id))
                .collect(),
            config,
        }
    }

    /// Lints one document.
    pub fn document(&self, doc: &PolicyDocument, out: &mut Sink) {
        let ctx = DocumentContext::new(doc, &self.config.settings);
        for rule in &self.rules {
            rule.check_document(&ctx, out);
        }
        for statement in &doc.parsed.policy.statements {
            for rule in &self.rules {
                rule.check_statement(&ctx, statement, out);
            }
        }
    }

    /// Lints one file read as a single policy document of `kind` (or of the
    /// kind its content shows).
    pub fn file(&self, read: &ReadFile, kind: Option<PolicyKind>, out: &mut Sink) {
        if let Some(error) = &read.encoding_error {
            return self.unparsable(&read.file, error, out);
        }
        match PolicyDocument::from_file(Arc::clone(&read.file), kind) {
            Ok(doc) => self.document(&doc, out),
            Err(error) => self.unparsable(&read.file, &error, out),
        }
    }

    /// Reports a file that is not JSON.
    pub fn unparsable(&self, file: &Arc<SourceFile>, error: &JsonSyntaxError, out: &mut Sink) {
        for rule in &self.rules {
            rule.check_unparsable(file, error, out);
        }
    }

    /// Applies the configuration's overrides and suppressions, and orders
    /// findings by file, position and rule.
    pub fn finish(&self, sink: Sink) -> Vec<Finding> {
        let mut findings = self.config.apply(sink.into_findings());
        findings.sort_by(|a, b| {
            (a.file.name(), a.primary_span(), a.rule).cmp(&(
                b.file.name(),
                b.primary_span(),
                b.rule,
            ))
        });
        findings
    }
}
