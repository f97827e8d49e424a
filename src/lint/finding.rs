//! Findings: what a rule reports, located in the user's file.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{SourceFile, Span};

/// The finding types, as AWS IAM Access Analyzer names them; ordered from
/// least to most serious so `--fail-on` can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingType {
    /// Clarity, least privilege.
    Suggestion,
    /// A likely mistake.
    Warning,
    /// Grants more than intended.
    Security,
    /// The policy is invalid, or the setup cannot work.
    Error,
}

impl FindingType {
    /// Every type, most serious first.
    pub const ALL: [FindingType; 4] =
        [Self::Error, Self::Security, Self::Warning, Self::Suggestion];

    /// The lowercase name used in output and configuration.
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Security => "security",
            Self::Warning => "warning",
            Self::Suggestion => "suggestion",
        }
    }

    /// Parses [`FindingType::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for FindingType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One labelled place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Byte span in [`Finding::file`].
    pub span: Span,
    /// JSON-pointer-like path of the element inside its policy document,
    /// e.g. `/Statement/2/Principal/AWS`.
    pub path: String,
    /// What this place has to do with the finding.
    pub label: String,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule id, e.g. `missing-version`.
    pub rule: &'static str,
    /// The type (after configuration overrides).
    pub finding_type: FindingType,
    /// What is wrong, one sentence.
    pub message: String,
    /// The concrete fix.
    pub help: Option<String>,
    /// The file the finding is in.
    pub file: Arc<SourceFile>,
    /// Where; the first location is the primary one. May be empty when the
    /// finding concerns a whole file that could not be read.
    pub locations: Vec<Location>,
    /// The policy (or principal) the finding is about, for messages and
    /// reports: a file name, `role/Admin trust policy`, …
    pub subject: Option<String>,
    /// The `Sid` of the statement concerned, for suppressions.
    pub sid: Option<String>,
}

impl Finding {
    /// The primary span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.locations.first().map(|l| l.span)
    }
}
