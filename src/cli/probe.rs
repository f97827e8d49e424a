//! `rolecall probe`: ask AWS whether the current identity can assume each
//! role, and compare with the static prediction.

use super::live::{self, ConnectArgs, SessionArgs};
use super::{ExitStatus, Format};
use crate::live::assume::Mfa;
use crate::live::credentials::Secret;
use crate::live::predict::StaticPredictor;
use crate::live::probe::{self, NoInputs, Predictor, Targets};
use crate::render;

/// Arguments of `rolecall probe`.
#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// Snapshot directories, authorization-details files, templates or
    /// plans: the static prediction compared with each answer.
    inputs: Vec<String>,
    /// A role to try to assume (repeat for several). Without it, every role
    /// the inputs say the caller can assume directly.
    #[arg(long = "role", value_name = "ARN", required_unless_present = "inputs")]
    roles: Vec<String>,
    #[command(flatten)]
    session: SessionArgs,
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
    let params = args.session.params()?;
    let targets = if args.roles.is_empty() {
        Targets::Reachable(params)
    } else {
        Targets::Roles(
            args.roles
                .iter()
                .map(|role| params.request(role))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    let mfa = match (&args.mfa_serial, &args.token_code) {
        (Some(serial), Some(code)) => Some(Mfa::new(serial, code.expose())?),
        _ => None,
    };
    let inventory = if args.inputs.is_empty() {
        None
    } else {
        Some(super::inventory::load_inventory(&args.inputs)?)
    };
    let predictor: Box<dyn Predictor + '_> = match &inventory {
        Some(inventory) => Box::new(StaticPredictor::new(inventory)),
        None => Box::new(NoInputs),
    };
    let result = live::with_clients(&args.connect, |clients| async move {
        probe::probe(&clients, targets, mfa.as_ref(), predictor.as_ref()).await
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
