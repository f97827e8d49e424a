//! `rolecall graph`: export the who-can-assume graph.

use clap::ValueEnum;

use super::ExitStatus;
use crate::graph::{BuildOptions, build};
use crate::render;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Versioned JSON (nodes and edges).
    Json,
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// GraphML (Neo4j, Gephi, yEd).
    Graphml,
}

/// Arguments of `rolecall graph`.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Snapshot directories, authorization-details files, templates or plans;
    /// `-` reads standard input.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: GraphFormat,
}

/// Runs `rolecall graph`.
pub fn run(args: GraphArgs) -> miette::Result<ExitStatus> {
    let inventory = super::inventory::load_inventory(&args.inputs)?;
    let graph = build(&inventory, &BuildOptions::default());
    let mut out = std::io::stdout().lock();
    super::output(match args.format {
        GraphFormat::Json => render::graph::json(&mut out, &graph),
        GraphFormat::Dot => render::graph::dot(&mut out, &graph),
        GraphFormat::Mermaid => render::graph::mermaid(&mut out, &graph),
        GraphFormat::Graphml => render::graph::graphml(&mut out, &graph),
    })?;
    Ok(ExitStatus::Success)
}
