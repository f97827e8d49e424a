//! `rolecall lint`.

use std::io::Write as _;
use std::path::PathBuf;

use miette::IntoDiagnostic;

use super::{ExitStatus, Format};
use crate::inventory::{self, InputSpec, LoadIssue, LoadOptions, LoadProblem, Severity};
use crate::lint::{self, Config, Finding, FindingType, Linter, Sink};
use crate::policy::PolicyKind;
use crate::render;

/// Arguments of `rolecall lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    #[command(flatten)]
    inputs: LintInputs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit 1 when a finding of this type or a more serious one is reported
    /// (error > security > warning > suggestion).
    #[arg(long, value_parser = parse_finding_type, default_value = "warning")]
    fail_on: FindingType,
}

pub(crate) fn parse_finding_type(s: &str) -> Result<FindingType, String> {
    FindingType::from_name(s)
        .ok_or_else(|| "expected error, security, warning or suggestion".into())
}

pub(crate) fn parse_kind(s: &str) -> Result<PolicyKind, String> {
    PolicyKind::from_name(s).ok_or_else(|| {
        let names: Vec<_> = PolicyKind::ALL.iter().map(|k| k.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

/// `--config FILE`, else `rolecall.toml` in the current folder or above.
pub(crate) fn load_config(path: Option<&std::path::Path>) -> miette::Result<Config> {
    Ok(match path {
        Some(path) => Config::load(path)?,
        None => Config::discover(&std::env::current_dir().into_diagnostic()?)?,
    })
}

/// What `rolecall lint` and `rolecall report` load and lint: their shared
/// arguments.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct LintInputs {
    /// Policy documents, authorization-details dumps, snapshot directories,
    /// CloudFormation templates, Terraform plans, or directories of them
    /// (recursed); `-` reads standard input. Expectations files (`.toml`)
    /// add the session durations they request.
    #[arg(default_value = ".")]
    pub inputs: Vec<String>,
    /// Configuration file (default: `rolecall.toml` in this folder or above).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// What plain policy documents are, when it cannot be told from content
    /// (identity, resource, trust, boundary, scp, rcp, session).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<PolicyKind>,
    /// The account CloudFormation templates and Terraform plans deploy into
    /// (default: a placeholder, 000000000000).
    #[arg(long, value_name = "ID")]
    pub account_id: Option<String>,
}

/// The outcome of [`lint_inputs`].
pub(crate) struct LintRun {
    /// Every finding, configuration applied, ordered.
    pub findings: Vec<Finding>,
    /// Load problems that are not findings, for standard error.
    pub notes: Vec<LoadProblem>,
    /// Some input could not be loaded at all.
    pub input_failed: bool,
}

/// Loads and lints the inputs as `rolecall lint` does: each snapshot
/// directory is its own estate, everything else one more. `each` sees
/// every estate's inputs and load outcome before its inventory is dropped
/// (the report builds its graph there).
pub(crate) fn lint_inputs(
    args: &LintInputs,
    mut each: impl FnMut(&[InputSpec], &inventory::LoadOutcome),
) -> miette::Result<LintRun> {
    // The catalog-backed rules would stay silent on a damaged catalog.
    crate::catalog::embedded()
        .map_err(|e| miette::miette!("the embedded AWS service catalog is damaged: {e}"))?;
    let config = load_config(args.config.as_deref())?;
    let inputs: Vec<InputSpec> = args.inputs.iter().map(|a| InputSpec::from_arg(a)).collect();
    let options = LoadOptions {
        kind: args.kind,
        account_id: args.account_id.clone(),
        separate_snapshots: true,
        ..LoadOptions::default()
    };
    let linter = Linter::new(&config);
    let keep = |file: &str| !config.is_ignored(file);
    let mut sink = Sink::default();
    let mut input_failed = false;
    let mut notes = Vec::new();
    // Each snapshot directory is its own estate; everything else is one more.
    for estate in lint::estates(&inputs) {
        let mut outcome = inventory::load(&estate.inputs, &options);
        let expectations: Vec<_> = estate
            .expectations
            .into_iter()
            .filter(|p| keep(&p.display().to_string()))
            .collect();
        let (requested, expectation_problems) = lint::sessions::read_expectations(&expectations);
        sink.extend(linter.estate(&outcome.inventory, keep, &requested));
        each(&estate.inputs, &outcome);
        let problems = std::mem::take(&mut outcome.problems)
            .into_iter()
            .chain(expectation_problems);
        for problem in problems.filter(|p| keep(&p.file)) {
            // Entities declared twice are all linted, so that note is moot here.
            if linter.load_problem(&problem, &mut sink)
                || matches!(problem.issue, LoadIssue::Duplicate(_))
            {
                continue;
            }
            if problem.severity() == Severity::Fatal {
                input_failed = true;
            }
            notes.push(problem);
        }
        // Freeing a large inventory costs noticeable time for nothing.
        std::mem::forget(outcome.inventory);
    }
    Ok(LintRun {
        findings: linter.finish(sink),
        notes,
        input_failed,
    })
}

/// Runs `rolecall lint`.
pub fn run(args: LintArgs) -> miette::Result<ExitStatus> {
    if args.format == Format::Markdown {
        return Err(miette::miette!(
            "`lint` prints human, json or sarif; use `rolecall report --format markdown` for a report"
        ));
    }
    let run = lint_inputs(&args.inputs, |_, _| {})?;
    let findings = run.findings;

    // Buffered: a locked stdout flushes at every newline, a system call per
    // line of a report that can run to millions of lines.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    super::output(
        match args.format {
            Format::Json => render::json::findings(&mut stdout, &findings),
            Format::Sarif => render::sarif::findings(&mut stdout, &findings),
            Format::Human | Format::Markdown => render::human::findings(&mut stdout, &findings),
        }
        .and_then(|()| stdout.flush()),
    )?;
    for problem in &run.notes {
        render::human::load_problem(problem);
    }
    Ok(if run.input_failed {
        ExitStatus::InputError
    } else if fails(&findings, args.fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn fails(findings: &[Finding], fail_on: FindingType) -> bool {
    findings.iter().any(|f| f.finding_type >= fail_on)
}
