//! `rolecall probe`: ask AWS whether the current identity can assume each
//! role, and compare with the static prediction.

use super::live::{self, ConnectArgs};
use super::{ExitStatus, Format};
use crate::live::assume::{AssumeRoleRequest, Mfa, default_session_name};
use crate::live::credentials::Secret;
use crate::live::probe::{self, NoInputs};
use crate::render;

/// Arguments of `rolecall probe`.
#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// A role to try to assume (repeat for several).
    #[arg(long = "role", value_name = "ARN", required = true)]
    roles: Vec<String>,
    /// External id passed to every AssumeRole.
    #[arg(long)]
    external_id: Option<String>,
    /// Session length asked for, 900 to 43200 seconds.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    duration_seconds: Option<i64>,
    /// Role session name (default: `rolecall-<unix time>`).
    #[arg(long)]
    session_name: Option<String>,
    /// MFA device (serial or ARN): get an MFA session first (GetSessionToken).
    #[arg(long, value_name = "ARN", requires = "token_code")]
    mfa_serial: Option<String>,
    /// The code the MFA device shows now.
    #[arg(long, value_name = "CODE", requires = "mfa_serial", value_parser = secret)]
    token_code: Option<Secret>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Keeps the MFA code out of `Debug` output from the moment it is parsed.
fn secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::new(text))
}

/// Runs `rolecall probe`: exit 0 when every role was answered and no
/// prediction disagreed, 1 on a disagreement, 3 when a call failed.
pub fn run(args: ProbeArgs) -> miette::Result<ExitStatus> {
    if matches!(args.format, Format::Sarif | Format::Markdown) {
        return Err(miette::miette!("`probe` prints human or json"));
    }
    // Every parameter is checked before the first call.
    let session_name = args
        .session_name
        .clone()
        .unwrap_or_else(default_session_name);
    let requests = args
        .roles
        .iter()
        .map(|role| {
            AssumeRoleRequest::new(
                role,
                Some(&session_name),
                args.duration_seconds,
                args.external_id.as_deref(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mfa = match (&args.mfa_serial, &args.token_code) {
        (Some(serial), Some(code)) => Some(Mfa::new(serial, code.expose())?),
        _ => None,
    };
    let result = live::with_clients(&args.connect, |clients| async move {
        probe::probe(&clients, requests, mfa.as_ref(), &NoInputs).await
    })?;
    let report = match result {
        Ok(report) => report,
        Err(e) => return Ok(live::failed(&e)),
    };
    let mut stdout = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::live::probe_json(&mut stdout, &report),
        _ => render::live::probe_table(&mut stdout, &report),
    })?;
    Ok(if report.any_failure() {
        ExitStatus::LiveError
    } else if report.any_disagreement() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
