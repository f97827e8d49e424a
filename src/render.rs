//! Every output format. Nothing outside this module (and `main.rs`) prints.

pub mod graph;
pub mod human;
pub mod inventory;
pub mod json;
#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "live")]
pub mod progress;
pub mod reach;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod simulate;
pub mod verify;
pub mod why;

use std::io::IsTerminal;

use crate::lint::Finding;
use crate::source::LineCol;

/// Whether to colour output: standard output is a terminal and `NO_COLOR`
/// is unset or empty (<https://no-color.org>).
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Start and end (exclusive) of a finding location as 1-based line/column.
pub(crate) fn line_cols(finding: &Finding, span: crate::source::Span) -> (LineCol, LineCol) {
    (
        finding.file.line_col(span.start),
        finding.file.line_col(span.end),
    )
}
