//! `rolecall why`: every check AWS makes for one AssumeRole.

use super::{ExitStatus, Format};
use crate::graph::{WhyRequest, why};
use crate::render;

/// Arguments of `rolecall why`.
#[derive(Debug, clap::Args)]
pub struct WhyArgs {
    /// The caller: a user or role ARN, an assumed-role session ARN, a
    /// service principal (`ec2.amazonaws.com`) or an OIDC/SAML provider.
    principal: String,
    /// The role's ARN.
    role: String,
    /// Snapshot directories, authorization-details files, templates or plans.
    #[arg(default_value = ".")]
    inputs: Vec<String>,
    /// The `ExternalId` the caller sends.
    #[arg(long)]
    external_id: Option<String>,
    /// The `DurationSeconds` the caller asks for (default 3600).
    #[arg(long)]
    duration_seconds: Option<u32>,
    /// The caller signed in with MFA.
    #[arg(long)]
    mfa: bool,
    /// The caller's source IP address.
    #[arg(long)]
    source_ip: Option<String>,
    /// The `RoleSessionName` (default `rolecall`).
    #[arg(long)]
    session_name: Option<String>,
    /// A context key; repeat a key for a multivalued one.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Output format: human or json.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// Runs `rolecall why`: exit 0 when the assume would succeed, 1 when not.
pub fn run(args: WhyArgs) -> miette::Result<ExitStatus> {
    if !matches!(args.format, Format::Human | Format::Json) {
        return Err(miette::miette!("`why` prints human or json"));
    }
    let mut context = Vec::new();
    for pair in &args.context {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(miette::miette!("`--context {pair}` must be KEY=VALUE"));
        };
        context.push((key.to_owned(), value.to_owned()));
    }
    let inventory = super::inventory::load_inventory(&args.inputs)?;
    let request = WhyRequest {
        principal: args.principal,
        role: args.role,
        external_id: args.external_id,
        duration_seconds: args.duration_seconds,
        mfa: args.mfa,
        source_ip: args.source_ip,
        session_name: args.session_name,
        context,
    };
    let diagnosis = why(&inventory, &request)?;
    let mut out = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::why::json(&mut out, &diagnosis),
        _ => render::why::human(&mut out, &diagnosis),
    })?;
    Ok(if diagnosis.allowed {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
