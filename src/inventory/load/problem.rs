//! What can go wrong while loading, per file: fatal for that file, or a
//! warning with the rest of the file still loaded.

use std::fmt;
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something in the file was skipped or kept as unknown; the rest loaded.
    Warning,
    /// Nothing of the file was loaded.
    Fatal,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum LoadIssue {
    /// The file or directory could not be read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// The bytes are not UTF-8 text.
    #[error("not UTF-8 text: invalid byte at offset {0}")]
    InvalidUtf8(usize),
    /// The file holds NUL bytes: not a text file.
    #[error("a binary file, not text")]
    Binary,
    /// JSON syntax error.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// YAML syntax error.
    #[error("invalid YAML: {0}")]
    InvalidYaml(String),
    /// The file stops in the middle of its JSON or YAML.
    #[error("the file ends early (truncated?): {0}")]
    TruncatedFile(String),
    /// The content is none of the formats rolecall reads.
    #[error("unknown input format: {0}")]
    #[diagnostic(help(
        "rolecall reads IAM policy documents, `aws iam get-account-authorization-details` output, snapshot directories, CloudFormation templates and `terraform show -json` plans"
    ))]
    UnknownFormat(String),
    /// A file met while recursing a directory that is in no format rolecall
    /// reads (a file named on the command line is an error instead).
    #[error("skipped, not an input rolecall reads: {0}")]
    Skipped(String),
    /// An element does not have the shape the format prescribes.
    #[error("unexpected shape: {0}")]
    Shape(String),
    /// A policy held as a string does not decode to a JSON document.
    #[error("invalid policy document: {0}")]
    InvalidPolicy(String),
    /// A template refers to a resource, parameter or mapping it does not declare.
    #[error("`{0}` is not declared in the template: kept as unknown")]
    MissingReference(String),
    /// An intrinsic function rolecall does not evaluate.
    #[error("unsupported intrinsic function `{0}`: kept as unknown")]
    UnsupportedIntrinsic(String),
    /// A template transform rolecall does not expand.
    #[error("transform `{0}` is not expanded: resources it generates are not loaded")]
    UnsupportedTransform(String),
    /// A Terraform plan format or resource schema version rolecall does not know.
    #[error("unknown {0}: read as the known version, some values may be missed")]
    UnknownVersion(String),
    /// A value the policy analysis needs is known only after deployment.
    #[error("{0} is known only after deployment: not checked")]
    KnownAfterDeploy(String),
    /// An authorization-details page says more pages follow, and none does.
    #[error(
        "truncated snapshot: account `{0}` has a page with `IsTruncated: true` and no last page"
    )]
    #[diagnostic(help(
        "fetch again with pagination (the AWS CLI merges pages unless `--no-paginate` or `--max-items` is given)"
    ))]
    TruncatedSnapshot(String),
    /// A manifest lists an account the snapshot has no file for.
    #[error("the manifest lists account `{0}` but the snapshot holds no readable file for it")]
    MissingAccountFile(String),
    /// The manifest records that fetching an account failed.
    #[error("fetching account `{account}` failed, so it is missing from the snapshot: {error}")]
    FailedAccount {
        /// The account id.
        account: String,
        /// The error the manifest records.
        error: String,
    },
    /// A `<account-id>.authorization-details.json` file holds another account.
    #[error("the file name says account `{named}` but its entities belong to account `{found}`")]
    AccountMismatch {
        /// The id in the file name.
        named: String,
        /// The id in the content.
        found: String,
    },
    /// An entity declared twice across the inputs.
    #[error("`{0}` is declared more than once; the first declaration is kept")]
    Duplicate(String),
}

impl LoadIssue {
    /// Fatal issues stop the file; the others are warnings.
    pub fn severity(&self) -> Severity {
        match self {
            Self::Unreadable(_)
            | Self::InvalidUtf8(_)
            | Self::Binary
            | Self::InvalidJson(_)
            | Self::InvalidYaml(_)
            | Self::TruncatedFile(_)
            | Self::UnknownFormat(_) => Severity::Fatal,
            _ => Severity::Warning,
        }
    }
}

/// A problem in one input, with where.
#[derive(Debug, Clone)]
pub struct LoadProblem {
    /// The file as the user named it (`<stdin>` for standard input).
    pub file: String,
    /// The file's text, when it was read as text (for snippets).
    pub source: Option<Arc<SourceFile>>,
    /// Where in the file.
    pub span: Option<Span>,
    /// The element concerned: a template path (`Resources/Engine/Properties`),
    /// a plan address (`aws_iam_role.engine`), an ARN.
    pub element: Option<String>,
    /// What went wrong.
    pub issue: LoadIssue,
}

impl LoadProblem {
    /// Fatal or warning.
    pub fn severity(&self) -> Severity {
        self.issue.severity()
    }

    /// 1-based line of the problem, when it has a span.
    pub fn line(&self) -> Option<usize> {
        let (source, span) = (self.source.as_ref()?, self.span?);
        Some(source.line_col(span.start).line)
    }
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line() {
            write!(f, ":{line}")?;
        }
        if let Some(element) = &self.element {
            write!(f, ": `{element}`")?;
        }
        write!(f, ": {}", self.issue)
    }
}
