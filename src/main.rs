//! The `rolecall` binary: parse the command line, run one command, map the
//! outcome to an exit code.

use clap::Parser;

/// mimalloc instead of the system allocator: linting allocates many small,
/// short-lived strings and vectors per statement, and glibc's malloc spent
/// a fifth of a lint run's instructions on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = rolecall::cli::Cli::parse();
    rolecall::cli::install_error_handler();
    match rolecall::cli::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            #[expect(clippy::print_stderr, reason = "main reports the run-level error")]
            {
                eprintln!("{report:?}");
            }
            rolecall::cli::ExitStatus::InputError.into()
        }
    }
}
