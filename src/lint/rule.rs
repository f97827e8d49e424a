//! The rule trait, rule metadata and the `declare_rule!` macro.

use std::sync::Arc;

use super::context::{DocumentContext, InventoryContext, Sink};
use super::finding::FindingType;
use crate::policy::Statement;
use crate::source::SourceFile;
use crate::value::JsonSyntaxError;

/// Which part of the catalog a rule belongs to (DESIGN.md's rule catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// The document is valid IAM policy language.
    Validity,
    /// Grants more than intended.
    Permissions,
    /// Role trust policies.
    Trust,
    /// Whole setups, across documents.
    Setup,
}

impl Category {
    /// Lowercase name for output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Validity => "validity",
            Self::Permissions => "permissions",
            Self::Trust => "trust",
            Self::Setup => "setup",
        }
    }
}

/// What every rule declares once, in one place.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id; also the folder under `rules/`.
    pub id: &'static str,
    /// Default finding type.
    pub finding_type: FindingType,
    /// Catalog section.
    pub category: Category,
    /// One line: what it flags.
    pub summary: &'static str,
    /// `rules/<id>/README.md`, embedded.
    pub docs: &'static str,
    /// SARIF `security-severity` (0.0–10.0) for security findings.
    pub security_severity: Option<f32>,
}

impl RuleMeta {
    /// Where the rule's docs live in the repository, for SARIF `helpUri`.
    pub fn help_uri(&self) -> String {
        format!(
            "{}/blob/main/rules/{}/README.md",
            crate::REPOSITORY,
            self.id
        )
    }
}

/// A lint rule. Each hook defaults to doing nothing; a rule implements the
/// levels it looks at. Hooks only see what they need and report through the
/// [`Sink`].
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// A file that could not be parsed as JSON at all.
    fn check_unparsable(&self, _file: &Arc<SourceFile>, _error: &JsonSyntaxError, _out: &mut Sink) {
    }

    /// A whole policy document (once per document).
    fn check_document(&self, _doc: &DocumentContext<'_>, _out: &mut Sink) {}

    /// One statement of a document (once per statement).
    fn check_statement(&self, _doc: &DocumentContext<'_>, _statement: &Statement, _out: &mut Sink) {
    }

    /// The whole inventory of one estate, after every document was checked:
    /// for rules about setups across documents (a role in an instance
    /// profile that EC2 cannot assume, a grant without the matching trust).
    fn check_inventory(&self, _inventory: &InventoryContext<'_>, _out: &mut Sink) {}
}

/// Declares a rule's unit struct and its [`RuleMeta`] in one place, with the
/// docs embedded from `rules/<id>/README.md`.
///
/// ```
/// rolecall::declare_rule! {
///     /// Flags policies without `Version`.
///     MissingVersion {
///         id: "missing-version",
///         finding_type: Warning,
///         category: Validity,
///         summary: "a policy without `Version` disables policy variables",
///     }
/// }
/// assert_eq!(MissingVersion::META.id, "missing-version");
/// assert!(MissingVersion::META.docs.contains("Version"));
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[$doc:meta])*
        $name:ident {
            id: $id:literal,
            finding_type: $ty:ident,
            category: $cat:ident,
            summary: $summary:literal
            $(, security_severity: $sev:literal)?
            $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl $name {
            /// This rule's metadata.
            pub const META: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                id: $id,
                finding_type: $crate::lint::FindingType::$ty,
                category: $crate::lint::Category::$cat,
                summary: $summary,
                docs: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, "/README.md")),
                security_severity: $crate::declare_rule!(@sev $($sev)?),
            };
        }
    };
    (@sev) => { None };
    (@sev $sev:literal) => { Some($sev) };
}
