//! `rolecall who-can-assume`: every principal that can reach a role.

use super::{ExitStatus, Format};
use crate::graph::{BuildOptions, build, who_can_assume};
use crate::render;

/// Arguments of `rolecall who-can-assume`.
#[derive(Debug, clap::Args)]
pub struct WhoCanAssumeArgs {
    /// The role's ARN.
    role: String,
    /// Snapshot directories, authorization-details files, templates or plans.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// Output format: human or json.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// Runs `rolecall who-can-assume`.
pub fn run(args: WhoCanAssumeArgs) -> miette::Result<ExitStatus> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(miette::miette!("`who-can-assume` prints human or json"));
    }
    let inventory = super::inventory::load_inventory(&args.inputs)?;
    let graph = build(&inventory, &BuildOptions::default());
    let role = super::paths::resolve(&graph, &args.role)?;
    let reach = who_can_assume(&graph, role);
    let mut out = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::reach::who_json(&mut out, &graph, role, &reach),
        _ => render::reach::who_human(&mut out, &graph, role, &reach),
    })?;
    Ok(ExitStatus::Success)
}
