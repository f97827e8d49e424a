//! `rolecall paths`: the shortest and every simple path between two nodes.

use petgraph::graph::NodeIndex;

use super::{ExitStatus, Format};
use crate::graph::{BuildOptions, Graph, build, paths};
use crate::render;

/// Arguments of `rolecall paths`.
#[derive(Debug, clap::Args)]
pub struct PathsArgs {
    /// Where from: a principal's ARN, a service principal, a provider, or an
    /// account id.
    from: String,
    /// Where to: a role's ARN.
    to: String,
    /// Snapshot directories, authorization-details files, templates or plans.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// The most hops a listed path may take.
    #[arg(long, default_value_t = 5)]
    max_hops: usize,
    /// Output format: human or json.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// The node a command-line argument names: its id, or an account id for
/// the account's node.
pub(crate) fn resolve(graph: &Graph, text: &str) -> miette::Result<NodeIndex> {
    if let Some(i) = graph.find(text) {
        return Ok(i);
    }
    if let Some(i) = graph.find(&format!("arn:aws:iam::{text}:root")) {
        return Ok(i);
    }
    let ids: Vec<&str> = graph.nodes().map(|n| n.id.as_str()).collect();
    Err(miette::miette!(
        help = "`rolecall graph` lists every node",
        "`{text}` is not a node of the graph{}",
        crate::policy::did_you_mean(text, &ids)
    ))
}

/// Runs `rolecall paths`.
pub fn run(args: PathsArgs) -> miette::Result<ExitStatus> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(miette::miette!("`paths` prints human or json"));
    }
    let inventory = super::inventory::load_inventory(&args.inputs)?;
    let graph = build(&inventory, &BuildOptions::default());
    let from = resolve(&graph, &args.from)?;
    let to = resolve(&graph, &args.to)?;
    let found = paths(&graph, from, to, args.max_hops);
    let mut out = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => {
            render::reach::paths_json(&mut out, &graph, from, to, args.max_hops, &found)
        }
        _ => render::reach::paths_human(&mut out, &graph, from, to, args.max_hops, &found),
    })?;
    Ok(if found.shortest.is_some() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
