//! The linter: rules over policy documents, configuration, findings.

pub mod config;
mod context;
mod finding;
pub mod registry;
mod rule;
pub mod rules;
pub mod sessions;
#[cfg(test)]
pub(crate) mod test_support;

use std::sync::Arc;

pub use config::Config;
pub use context::{DocumentContext, FindingBuilder, InventoryContext, RuleSettings, Sink};
pub use finding::{Finding, FindingType, Location};
pub use rule::{Category, Rule, RuleMeta};
pub use sessions::{Estate, RequestedSession, estates};

use crate::inventory::{InputSpec, Inventory, LoadIssue, LoadOptions, LoadProblem};
use crate::policy::{PolicyDocument, PolicyKind};
use crate::source::{SourceFile, Span};
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

    /// Lints one document as `kind`.
    pub fn document(&self, doc: &PolicyDocument, kind: PolicyKind, out: &mut Sink) {
        let ctx = DocumentContext::new(doc, kind, &self.config.settings);
        for rule in &self.rules {
            rule.check_document(&ctx, out);
        }
        for statement in &doc.parsed.policy.statements {
            for rule in &self.rules {
                rule.check_statement(&ctx, statement, out);
            }
        }
    }

    /// Lints every policy document of an inventory as the kind its place
    /// gives it (a role's trust policy as a trust policy, an SCP as an SCP),
    /// skipping documents from files `keep` rejects; spread over the cores.
    pub fn inventory(&self, inventory: &Inventory, keep: impl Fn(&str) -> bool + Sync) -> Sink {
        self.estate(inventory, keep, &[])
    }

    /// [`Linter::inventory`] for one estate with the sessions its
    /// expectations files request, besides those of the configuration.
    pub fn estate(
        &self,
        inventory: &Inventory,
        keep: impl Fn(&str) -> bool + Sync,
        requested: &[RequestedSession],
    ) -> Sink {
        let entries: Vec<_> = inventory
            .policies()
            .filter(|e| keep(e.document.origin.file.name()))
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = entries.len().div_ceil(threads).max(1);
        let sinks: Vec<Sink> = std::thread::scope(|scope| {
            let workers: Vec<_> = entries
                .chunks(chunk)
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut sink = Sink::default();
                        for entry in chunk {
                            self.document(entry.document, entry.kind, &mut sink);
                        }
                        sink
                    })
                })
                .collect();
            workers.into_iter().filter_map(|w| w.join().ok()).collect()
        });
        let mut sink = Sink::default();
        for s in sinks {
            sink.extend(s);
        }
        let extended;
        let settings = if requested.is_empty() {
            &self.config.settings
        } else {
            let mut settings = self.config.settings.clone();
            settings.sessions.extend(requested.iter().cloned());
            extended = settings;
            &extended
        };
        let ctx = InventoryContext {
            inventory,
            settings,
        };
        for rule in &self.rules {
            rule.check_inventory(&ctx, &mut sink);
        }
        sink
    }

    /// Reports a file that could not be parsed at all.
    pub fn unparsable(&self, file: &Arc<SourceFile>, error: &JsonSyntaxError, out: &mut Sink) {
        for rule in &self.rules {
            rule.check_unparsable(file, error, out);
        }
    }

    /// Turns a load problem that means "this file does not parse" into a
    /// finding (a broken file is something lint reports, not a run-level
    /// failure); returns `false` for every other problem.
    pub fn load_problem(&self, problem: &LoadProblem, out: &mut Sink) -> bool {
        let message = match &problem.issue {
            LoadIssue::InvalidJson(m) => m.clone(),
            LoadIssue::InvalidYaml(m) => format!("invalid YAML: {m}"),
            LoadIssue::TruncatedFile(m) => format!("the file ends early (truncated?): {m}"),
            issue @ (LoadIssue::InvalidUtf8(_) | LoadIssue::Binary) => issue.to_string(),
            _ => return false,
        };
        let file = problem
            .source
            .clone()
            .unwrap_or_else(|| SourceFile::new(problem.file.clone(), String::new()));
        let span = problem.span.unwrap_or_default();
        self.unparsable(
            &file,
            &JsonSyntaxError {
                message,
                span: Span::new(span.start, span.end),
            },
            out,
        );
        true
    }

    /// Lints one input as `rolecall lint FILE` does: loaded with `options`,
    /// every rule over the inventory, load problems that are findings
    /// reported as such. Returns the findings and the other load problems.
    pub fn input(
        &self,
        input: InputSpec,
        options: &LoadOptions,
    ) -> (Vec<Finding>, Vec<LoadProblem>) {
        let outcome = crate::inventory::load(&[input], options);
        let mut sink = self.inventory(&outcome.inventory, |_| true);
        let mut others = outcome.problems;
        others.retain(|problem| !self.load_problem(problem, &mut sink));
        (self.finish(sink), others)
    }

    /// Applies the configuration's overrides and suppressions, orders
    /// findings by file, position and rule, and drops repeats (a finding
    /// about `rolecall.toml` is found again in every estate).
    pub fn finish(&self, sink: Sink) -> Vec<Finding> {
        let mut findings = self.config.apply(sink.into_findings());
        fn key(f: &Finding) -> (&str, Option<Span>, &str, &str) {
            (f.file.name(), f.primary_span(), f.rule, f.message.as_str())
        }
        findings.sort_by(|a, b| key(a).cmp(&key(b)));
        findings.dedup_by(|a, b| key(a) == key(b));
        findings
    }
}
