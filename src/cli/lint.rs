//! `rolecall lint`.

use std::path::PathBuf;

use miette::IntoDiagnostic;

use super::{ExitStatus, Format};
use crate::input::{self, InputPath};
use crate::lint::{Config, Finding, FindingType, Linter, Sink};
use crate::policy::PolicyKind;
use crate::render;

/// Arguments of `rolecall lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Policy files or directories (recursed for `*.json`); `-` reads standard input.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit 1 when a finding of this type or a more serious one is reported
    /// (error > security > warning > suggestion).
    #[arg(long, value_parser = parse_finding_type, default_value = "warning")]
    fail_on: FindingType,
    /// Configuration file (default: `rolecall.toml` in this folder or above).
    #[arg(long)]
    config: Option<PathBuf>,
    /// What the policy documents are, when it cannot be told from content
    /// (identity, resource, trust, boundary, scp, rcp, session).
    #[arg(long, value_parser = parse_kind)]
    kind: Option<PolicyKind>,
}

fn parse_finding_type(s: &str) -> Result<FindingType, String> {
    FindingType::from_name(s)
        .ok_or_else(|| "expected error, security, warning or suggestion".into())
}

fn parse_kind(s: &str) -> Result<PolicyKind, String> {
    PolicyKind::from_name(s).ok_or_else(|| {
        let names: Vec<_> = PolicyKind::ALL.iter().map(|k| k.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

/// Runs `rolecall lint`.
pub fn run(args: LintArgs) -> miette::Result<ExitStatus> {
    if args.format == Format::Markdown {
        return Err(miette::miette!(
            "`lint` prints human, json or sarif; use `rolecall report --format markdown` for a report"
        ));
    }
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::discover(&std::env::current_dir().into_diagnostic()?)?,
    };
    let (paths, mut input_errors) = input::expand(&args.inputs, input::is_json);
    let paths: Vec<InputPath> = paths
        .into_iter()
        .filter(|p| !matches!(p, InputPath::File(f) if config.is_ignored(&f.display().to_string())))
        .collect();
    let linter = Linter::new(&config);
    let (sink, read_errors) = lint_paths(&linter, &paths, args.kind);
    input_errors.extend(read_errors);
    let findings = linter.finish(sink);

    let mut stdout = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::json::findings(&mut stdout, &findings),
        Format::Sarif => render::sarif::findings(&mut stdout, &findings),
        Format::Human | Format::Markdown => render::human::findings(&mut stdout, &findings),
    })?;
    for error in &input_errors {
        render::human::error(error);
    }
    Ok(if !input_errors.is_empty() {
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

/// Reads and lints every path, spreading the files over the available cores.
fn lint_paths(
    linter: &Linter<'_>,
    paths: &[InputPath],
    kind: Option<PolicyKind>,
) -> (Sink, Vec<input::InputError>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = paths.len().div_ceil(threads).max(1);
    let results: Vec<(Sink, Vec<input::InputError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|chunk| scope.spawn(move || lint_chunk(linter, chunk, kind)))
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut sink = Sink::default();
    let mut errors = Vec::new();
    for (s, e) in results {
        sink.extend(s);
        errors.extend(e);
    }
    (sink, errors)
}

fn lint_chunk(
    linter: &Linter<'_>,
    paths: &[InputPath],
    kind: Option<PolicyKind>,
) -> (Sink, Vec<input::InputError>) {
    let mut sink = Sink::default();
    let mut errors = Vec::new();
    for path in paths {
        let read = match input::read(path) {
            Ok(read) => read,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        linter.file(&read, kind, &mut sink);
    }
    (sink, errors)
}
