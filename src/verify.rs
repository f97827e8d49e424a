//! `rolecall verify`: assertions about who can assume what and who can do
//! what, written in an expectations file (TOML) and checked against an
//! inventory.
//!
//! The assertions (`can_assume`, `cannot_assume`, `only_assumable_by`,
//! `can_perform`, `cannot_perform`) and the setup templates that expand into
//! them (`instance_profile`, `user_access_key`, `same_role_in_accounts`,
//! `integration_permissions`) are read by [`read`]/[`parse`]; [`verify`]
//! checks them with the same machinery as the other commands: `can_assume`
//! runs the checks of `why`, `cannot_assume` and `only_assumable_by` walk
//! the who-can-assume graph (chaining and pass-role included), and
//! `can_perform`/`cannot_perform` ask the evaluation engine. The graph is
//! built once and shared by every assertion.

mod check;
mod file;
mod pattern;

use std::sync::Arc;

use serde::Serialize;

use crate::graph::{Fix, Site};
use crate::inventory::Inventory;
use crate::source::{SourceFile, Span};

pub use file::{
    Body, CanAssume, CannotAssume, Context, Entry, Expectations, ExpectationsError,
    InstanceProfile, IntegrationPermissions, InvalidExpectations, Located, OnlyAssumableBy,
    Perform, SameRoleInAccounts, UserAccessKey, parse, read,
};
pub use pattern::{PrincipalPattern, RolePattern};

/// Whether an assertion holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It holds.
    Pass,
    /// It does not.
    Fail,
    /// The inventory cannot tell (an account it does not hold, a fact it
    /// does not record): not a pass.
    Unknown,
}

impl Status {
    /// The name used in every format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
        }
    }
}

/// A place in a file other than a policy statement: where an entity is
/// declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declaration {
    /// What is there.
    pub label: String,
    /// The file.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
}

/// One reason an assertion does not hold, `why`-style: what decided, the
/// statements that decided it in their files, and the smallest fix.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// One sentence.
    pub message: String,
    /// More lines (conditions, near misses, path hops).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// The statements that decided, located in their files.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Site>,
    /// Entities concerned, where they are declared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declarations: Vec<Declaration>,
    /// The smallest change that makes it hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Reason {
    /// A reason with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: Vec::new(),
            statements: Vec::new(),
            declarations: Vec::new(),
            fix: None,
        }
    }
}

/// The result of one assertion.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// What was checked: `can_assume`, `cannot_assume`, `only_assumable_by`,
    /// `can_perform`, `cannot_perform`, or a template's own checks
    /// (`has_instance_profile`, `no_wildcard_assume`, `has_access_key`).
    pub kind: &'static str,
    /// The table it comes from, when that is a setup template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'static str>,
    /// The entry's index in [`Expectations::entries`].
    pub entry: usize,
    /// The entry's `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where in the expectations file: the value checked, or the table.
    #[serde(skip)]
    pub span: Span,
    /// What was checked, in a few words (`A → B`).
    pub subject: String,
    /// Pass, fail or unknown.
    pub status: Status,
    /// The answer in one sentence.
    pub summary: String,
    /// Why it does not hold (empty for a pass).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// What the inventory does not say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Every outcome of an expectations file, in file order.
#[derive(Debug, Clone)]
pub struct Report {
    /// The expectations file.
    pub file: Arc<SourceFile>,
    /// The outcomes.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// How many outcomes have this status.
    pub fn count(&self, status: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }

    /// Whether every assertion holds.
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(|o| o.status == Status::Pass)
    }
}

/// What the inventory does not say about the zone of trust.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Accounts that are "ours" beyond the inventory's and its
    /// organization's (`trusted_accounts` of `rolecall.toml`).
    pub trusted_accounts: Vec<String>,
    /// The organization id, when the inventory has no `organization.json`.
    pub org_id: Option<String>,
}

/// Checks every assertion of `expectations` against `inventory`.
pub fn verify(inventory: &Inventory, expectations: &Expectations, options: &Options) -> Report {
    let verifier = check::Verifier::new(inventory, options);
    let mut outcomes = Vec::new();
    for (i, entry) in expectations.entries.iter().enumerate() {
        let start = outcomes.len();
        verifier.entry(entry, &mut outcomes);
        for o in &mut outcomes[start..] {
            o.entry = i;
            o.description.clone_from(&entry.description);
            if o.template.is_none() && o.kind != entry.body.kind() {
                o.template = Some(entry.body.kind());
            }
        }
    }
    Report {
        file: expectations.file.clone(),
        outcomes,
    }
}
