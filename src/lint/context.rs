//! What a rule sees of a document, and how it reports.

use std::sync::Arc;

use super::finding::{Finding, FindingType, Location};
use super::rule::RuleMeta;
use super::sessions::RequestedSession;
use crate::inventory::Inventory;
use crate::policy::{PolicyDocument, PolicyKind, Statement};
use crate::source::{SourceFile, Span};

/// Settings rules may read (from `rolecall.toml` or flags).
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// Accounts that are "ours"; others count as external.
    pub trusted_accounts: Vec<String>,
    /// The organisation id (`o-…`), when known.
    pub org_id: Option<String>,
    /// Role sessions requested in `rolecall.toml` (`[[sessions]]`) and, per
    /// estate, in the expectations files that go with it.
    pub sessions: Vec<RequestedSession>,
}

/// One policy document under lint.
pub struct DocumentContext<'a> {
    /// The document.
    pub doc: &'a PolicyDocument,
    /// Its kind: from context, `--kind`, or inferred from content.
    pub kind: PolicyKind,
    /// Settings.
    pub settings: &'a RuleSettings,
    /// What rules share about the document (see [`super::rules::helpers`]).
    pub(crate) cache: super::rules::helpers::DocumentCache,
}

impl<'a> DocumentContext<'a> {
    /// A context for `doc` linted as `kind`.
    pub fn new(doc: &'a PolicyDocument, kind: PolicyKind, settings: &'a RuleSettings) -> Self {
        Self {
            doc,
            kind,
            settings,
            cache: Default::default(),
        }
    }

    /// Starts a finding of `rule` about this document.
    pub fn finding(
        &self,
        rule: &'static RuleMeta,
        message: impl Into<String>,
    ) -> FindingBuilder<'a> {
        FindingBuilder {
            doc: Some(self.doc),
            finding: Finding {
                rule: rule.id,
                finding_type: rule.finding_type,
                message: message.into(),
                help: None,
                file: Arc::clone(&self.doc.origin.file),
                locations: Vec::new(),
                subject: Some(self.doc.name.clone()),
                sid: None,
            },
        }
    }
}

/// One estate's inventory under lint.
pub struct InventoryContext<'a> {
    /// Everything loaded.
    pub inventory: &'a Inventory,
    /// Settings.
    pub settings: &'a RuleSettings,
}

impl<'a> InventoryContext<'a> {
    /// Starts a finding of `rule` located in `doc` (spans are the document's
    /// own, mapped to its file like a document rule's).
    pub fn finding(
        &self,
        rule: &'static RuleMeta,
        doc: &'a PolicyDocument,
        message: impl Into<String>,
    ) -> FindingBuilder<'a> {
        DocumentContext::new(doc, doc.effective_kind(), self.settings).finding(rule, message)
    }
}

/// Builds one finding; spans given to it are the document's own and are
/// mapped to the file (see [`crate::policy::Origin::file_span`]).
#[must_use = "a finding is only reported by `emit`"]
pub struct FindingBuilder<'a> {
    doc: Option<&'a PolicyDocument>,
    finding: Finding,
}

impl FindingBuilder<'_> {
    /// Starts a finding about a whole file, with spans in that file.
    pub fn for_file(
        rule: &'static RuleMeta,
        file: &Arc<SourceFile>,
        message: impl Into<String>,
    ) -> Self {
        FindingBuilder {
            doc: None,
            finding: Finding {
                rule: rule.id,
                finding_type: rule.finding_type,
                message: message.into(),
                help: None,
                file: Arc::clone(file),
                locations: Vec::new(),
                subject: Some(file.name().to_owned()),
                sid: None,
            },
        }
    }

    /// Adds a labelled location; the first one added is the primary one.
    pub fn at(mut self, span: Span, path: impl Into<String>, label: impl Into<String>) -> Self {
        let span = match self.doc {
            Some(doc) => doc.origin.file_span(span),
            None => span,
        };
        self.finding.locations.push(Location {
            span,
            path: path.into(),
            label: label.into(),
        });
        self
    }

    /// Reports the finding as `finding_type` rather than the rule's default,
    /// for rules whose seriousness depends on the document's kind.
    /// Configuration overrides still win.
    pub fn finding_type(mut self, finding_type: FindingType) -> Self {
        self.finding.finding_type = finding_type;
        self
    }

    /// The concrete fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.finding.help = Some(help.into());
        self
    }

    /// The statement concerned (for Sid suppressions).
    pub fn statement(mut self, statement: &Statement) -> Self {
        self.finding.sid = statement.sid.as_ref().map(|s| s.value.clone());
        self
    }

    /// Reports the finding.
    pub fn emit(self, out: &mut Sink) {
        out.findings.push(self.finding);
    }
}

/// Where rules put their findings.
#[derive(Debug, Default)]
pub struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    /// Moves another sink's findings into this one.
    pub fn extend(&mut self, other: Sink) {
        self.findings.extend(other.findings);
    }

    /// The findings reported so far.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
