//! `rolecall fetch`: write a snapshot directory from live AWS.

use std::path::PathBuf;
use std::sync::Arc;

use super::live::{self, ConnectArgs};
use super::{ExitStatus, Format};
use crate::live::fetch::{self, FetchError, FetchOptions};
use crate::render;

/// Arguments of `rolecall fetch`.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The snapshot directory to write (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Other accounts to fetch, reached by assuming `--role-name` in each.
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "role_name"
    )]
    accounts: Vec<String>,
    /// The role assumed in every account of `--accounts` (the same name everywhere).
    #[arg(long, value_name = "NAME")]
    role_name: Option<String>,
    /// External id passed when assuming `--role-name`.
    #[arg(long)]
    external_id: Option<String>,
    /// Accounts fetched at the same time.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// Do not read the organization (SCPs, RCPs, OU tree).
    #[arg(long)]
    no_organization: bool,
    /// Output format of the summary: human, or json (the manifest).
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Runs `rolecall fetch`: exit 0 when every account was written, 3 when
/// any failed.
pub fn run(args: FetchArgs) -> miette::Result<ExitStatus> {
    if matches!(args.format, Format::Sarif | Format::Markdown) {
        return Err(miette::miette!("`fetch` prints human or json"));
    }
    let options = FetchOptions {
        out: args.out.clone(),
        accounts: args.accounts.clone(),
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
        concurrency: usize::from(args.concurrency),
        organization: !args.no_organization,
    };
    options.validate()?;
    let progress = Arc::new(render::progress::FetchBar::stderr());
    let result = live::with_clients(&args.connect, |clients| async move {
        fetch::fetch(&clients, &options, progress).await
    })?;
    let manifest = match result {
        Ok(manifest) => manifest,
        Err(FetchError::Live(e)) => return Ok(live::failed(&e)),
        Err(e) => return Err(e.into()),
    };
    let mut stdout = std::io::stdout().lock();
    super::output(match args.format {
        Format::Json => render::live::fetch_json(&mut stdout, &manifest),
        _ => render::live::fetch_summary(&mut stdout, &manifest, &args.out.display().to_string()),
    })?;
    Ok(if manifest.failed().next().is_some() {
        ExitStatus::LiveError
    } else {
        ExitStatus::Success
    })
}
