//! The command line: one module per subcommand; each parses its arguments,
//! calls the library, and hands results to `render`.

#[cfg(feature = "live")]
mod assume;
#[cfg(feature = "live")]
mod decode;
#[cfg(feature = "live")]
mod fetch;
mod graph;
mod inventory;
mod lint;
#[cfg(feature = "live")]
mod live;
mod paths;
#[cfg(feature = "live")]
mod probe;
mod report;
mod rules;
mod simulate;
mod verify;
mod who_can_assume;
mod why;

use clap::{Parser, Subcommand, ValueEnum};

/// How a run ended; the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`; the answer is "yes".
    Success = 0,
    /// Findings at or above `--fail-on`, or a `why`/`verify` answer of "no".
    Failure = 1,
    /// Usage or input error.
    InputError = 2,
    /// A live AWS call failed.
    LiveError = 3,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status as u8)
    }
}

/// rolecall: reads AWS IAM policies, evaluates requests as AWS does, maps who
/// can assume which role, and lints the setups teams deploy.
#[derive(Debug, Parser)]
#[command(name = "rolecall", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint policy documents and setups.
    Lint(lint::LintArgs),
    /// List the rules, or print one rule's documentation.
    Rules(rules::RulesArgs),
    /// Decide requests as AWS does and explain the decision.
    Simulate(Box<simulate::SimulateArgs>),
    /// Export the who-can-assume graph (json, dot, mermaid, graphml).
    Graph(graph::GraphArgs),
    /// List every principal that can reach a role, with its path.
    WhoCanAssume(who_can_assume::WhoCanAssumeArgs),
    /// Explain whether a principal can assume a role, check by check.
    Why(Box<why::WhyArgs>),
    /// The shortest and every simple path from one node to another.
    Paths(paths::PathsArgs),
    /// Check assertions about access (an expectations file) against the inputs.
    #[command(long_about = verify::LONG_ABOUT)]
    Verify(verify::VerifyArgs),
    /// The audit report: findings, trust graph, paths to admin, per-role
    /// access (HTML or Markdown).
    Report(report::ReportArgs),
    /// Write a snapshot directory from live AWS: IAM of each account, the
    /// organization's SCPs and RCPs.
    #[cfg(feature = "live")]
    Fetch(fetch::FetchArgs),
    /// Try to assume roles for real and compare with the static prediction.
    #[cfg(feature = "live")]
    Probe(probe::ProbeArgs),
    /// Assume a role and print its credentials (env, json, credential-process).
    #[cfg(feature = "live")]
    Assume(assume::AssumeArgs),
    /// Show the request behind an AccessDenied's encoded message.
    #[cfg(feature = "live")]
    Decode(decode::DecodeArgs),
    /// Built without the live commands: names them instead of "unknown".
    #[cfg(not(feature = "live"))]
    #[command(external_subcommand)]
    Other(Vec<String>),
}

/// The commands of the cargo feature `live`.
#[cfg(not(feature = "live"))]
const LIVE_COMMANDS: &[&str] = &["fetch", "probe", "assume", "decode"];

/// Output formats shared by several commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports for people, with source snippets.
    Human,
    /// Stable, versioned JSON.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// Markdown.
    Markdown,
}

/// Installs miette's report handler: colour only on a terminal and without
/// `NO_COLOR`.
pub fn install_error_handler() {
    let color = crate::render::use_color();
    // A second installation (tests) is harmless: keep the first.
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                .build(),
        )
    }));
}

/// Turns an output error into a report, except a closed pipe (`| head`),
/// which ends output quietly.
fn output(result: std::io::Result<()>) -> miette::Result<()> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(miette::miette!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitStatus> {
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Simulate(args) => simulate::run(*args),
        Command::Graph(args) => graph::run(args),
        Command::WhoCanAssume(args) => who_can_assume::run(args),
        Command::Why(args) => why::run(*args),
        Command::Paths(args) => paths::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Report(args) => report::run(args),
        #[cfg(feature = "live")]
        Command::Fetch(args) => fetch::run(args),
        #[cfg(feature = "live")]
        Command::Probe(args) => probe::run(args),
        #[cfg(feature = "live")]
        Command::Assume(args) => assume::run(args),
        #[cfg(feature = "live")]
        Command::Decode(args) => decode::run(args),
        #[cfg(not(feature = "live"))]
        Command::Other(args) => {
            let name = args.first().map_or("", String::as_str);
            Err(if LIVE_COMMANDS.contains(&name) {
                miette::miette!(
                    help =
                        "rebuild with the default features (`cargo build`), or `--features live`",
                    "`rolecall {name}` needs the cargo feature `live`, which this build leaves out"
                )
            } else {
                miette::miette!(
                    help = "`rolecall --help` lists the commands",
                    "unknown command `{name}`"
                )
            })
        }
    }
}
