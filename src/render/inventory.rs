//! Problems met while loading inputs, on standard error.

use crate::inventory::{LoadProblem, Severity};

/// Writes each loading problem as one line on standard error.
pub fn problems(problems: &[LoadProblem]) {
    for p in problems {
        let level = match p.severity() {
            Severity::Fatal => "error",
            Severity::Warning => "warning",
        };
        #[expect(clippy::print_stderr, reason = "render is where output happens")]
        {
            eprintln!("{level}: {p}");
        }
    }
}
