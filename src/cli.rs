//! The command line: one module per subcommand; each parses its arguments,
//! calls the library, and hands results to `render`.

mod graph;
mod inventory;
mod lint;
mod paths;
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
}

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
    }
}
