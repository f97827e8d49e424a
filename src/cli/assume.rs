//! `rolecall assume`: the credential hand-off. The only command that prints
//! secrets, and only to standard output, in the format asked for.

use super::ExitStatus;
use super::live::{self, ConnectArgs, SessionArgs};
use crate::live::assume;
use crate::render;

/// How `assume` prints the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CredentialFormat {
    /// `export AWS_ACCESS_KEY_ID=…` lines for a POSIX shell (`eval "$(…)"`).
    Env,
    /// AssumeRole's answer: `Credentials` and `AssumedRoleUser`.
    Json,
    /// The AWS CLI `credential_process` JSON (Version 1), for `~/.aws/config`.
    CredentialProcess,
}

/// Arguments of `rolecall assume`.
#[derive(Debug, clap::Args)]
pub struct AssumeArgs {
    /// The role to assume (`arn:aws:iam::ACCOUNT:role/NAME`).
    role_arn: String,
    #[command(flatten)]
    session: SessionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "env")]
    format: CredentialFormat,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Runs `rolecall assume`.
pub fn run(args: AssumeArgs) -> miette::Result<ExitStatus> {
    let request = args.session.params()?.request(&args.role_arn)?;
    let assumed = match live::with_clients(&args.connect, |clients| async move {
        assume::assume_role(&clients, &request).await
    })? {
        Ok(assumed) => assumed,
        Err(e) => return Ok(live::failed(&e)),
    };
    let mut stdout = std::io::stdout().lock();
    super::output(match args.format {
        CredentialFormat::Env => render::live::credentials_env(&mut stdout, &assumed),
        CredentialFormat::Json => render::live::credentials_json(&mut stdout, &assumed),
        CredentialFormat::CredentialProcess => {
            render::live::credential_process(&mut stdout, &assumed)
        }
    })?;
    Ok(ExitStatus::Success)
}
