//! `rolecall report`: the audit report, one self-contained HTML page or
//! GitHub Markdown.

use std::path::PathBuf;

use clap::ValueEnum;

use super::ExitStatus;
use super::lint::{LintInputs, lint_inputs, load_config};
use crate::inventory::InputSpec;
use crate::render;
use crate::report::ReportBuilder;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page (inline CSS and SVG, no network at view time).
    Html,
    /// GitHub Markdown (Mermaid for small graphs).
    Markdown,
}

/// Arguments of `rolecall report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    inputs: LintInputs,
    /// Output format.
    #[arg(long, value_enum)]
    format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Check this expectations file (as `rolecall verify` does) on each
    /// estate and add the results; the exit code stays 0 on failures.
    #[arg(long, value_name = "FILE")]
    verify: Option<PathBuf>,
}

/// How an estate is named in headings: its inputs.
fn estate_name(inputs: &[InputSpec]) -> String {
    inputs
        .iter()
        .map(|i| match i {
            InputSpec::Path(p) => p.display().to_string(),
            InputSpec::Stdin => "<stdin>".to_owned(),
            InputSpec::Text { name, .. } => name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `rolecall report`.
pub fn run(args: ReportArgs) -> miette::Result<ExitStatus> {
    let mut builder = ReportBuilder::new(args.inputs.inputs.clone());
    if let Some(path) = &args.verify {
        let expectations = crate::verify::read(path)?;
        let config = load_config(args.inputs.config.as_deref())?;
        let options = crate::verify::Options {
            trusted_accounts: config.settings.trusted_accounts.clone(),
            org_id: config.settings.org_id.clone(),
        };
        builder = builder.verify(expectations, options);
    }
    let run = lint_inputs(&args.inputs, |inputs, outcome| {
        builder.estate(estate_name(inputs), outcome)
    })?;
    for problem in &run.notes {
        render::human::load_problem(problem);
    }
    let report = builder.finish(run.findings);
    let mut page = Vec::new();
    let written = match args.format {
        ReportFormat::Html => render::report::html(&mut page, &report),
        ReportFormat::Markdown => render::report::markdown(&mut page, &report),
    };
    written.map_err(|e| miette::miette!("cannot render the report: {e}"))?;
    match &args.out {
        Some(path) => std::fs::write(path, &page)
            .map_err(|e| miette::miette!("cannot write the report to `{}`: {e}", path.display()))?,
        None => {
            use std::io::Write as _;
            super::output(std::io::stdout().lock().write_all(&page))?;
        }
    }
    // Dropping the estates' graphs costs time for nothing at exit.
    std::mem::forget(report);
    Ok(if run.input_failed {
        ExitStatus::InputError
    } else {
        ExitStatus::Success
    })
}
