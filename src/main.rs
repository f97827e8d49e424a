//! The `rolecall` binary: parse the command line, run one command, exit.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
