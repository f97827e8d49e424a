//! What the live commands share: how to reach AWS, the async runtime, and
//! turning failures into exit codes.

use std::time::Duration;

use super::ExitStatus;
use crate::live::assume::RequestParams;
use crate::live::{ClientOptions, Clients, LiveError};
use crate::render;

/// How to reach AWS (the standard AWS chain decides the rest).
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// Profile of the shared AWS config files (default: AWS_PROFILE, else `default`).
    #[arg(long)]
    profile: Option<String>,
    /// Region (default: the profile's or AWS_REGION, else us-east-1).
    #[arg(long)]
    region: Option<String>,
    /// Send every call to this URL (an emulator); AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Seconds allowed for each AWS call, retries included.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Attempts per call, the first included; throttling and network errors
    /// are retried with backoff.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    max_attempts: u32,
}

impl ConnectArgs {
    fn options(&self) -> ClientOptions {
        ClientOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            timeout: Duration::from_secs(self.timeout),
            max_attempts: self.max_attempts,
        }
    }
}

/// AssumeRole's parameters other than the role (`assume`, `probe`).
#[derive(Debug, Clone, clap::Args)]
pub struct SessionArgs {
    /// External id to pass to AssumeRole (the role's trust policy may ask
    /// for one).
    #[arg(long)]
    external_id: Option<String>,
    /// Session length, 900 to 43200 seconds (default: AWS's, one hour).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    duration_seconds: Option<i64>,
    /// Role session name (default: `rolecall-<unix time>`).
    #[arg(long)]
    session_name: Option<String>,
}

impl SessionArgs {
    /// The parameters, checked against AWS's limits.
    pub(super) fn params(&self) -> miette::Result<RequestParams> {
        Ok(RequestParams::new(
            self.session_name.as_deref(),
            self.duration_seconds,
            self.external_id.as_deref(),
        )?)
    }
}

/// Runs `work` with clients from the AWS chain on a single-threaded runtime
/// (the calls wait on the network, not the CPU).
pub(super) fn with_clients<T, E, F>(
    connect: &ConnectArgs,
    work: impl FnOnce(Clients) -> F,
) -> miette::Result<Result<T, E>>
where
    E: From<LiveError>,
    F: Future<Output = Result<T, E>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| miette::miette!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(async {
        let clients = Clients::from_chain(&connect.options()).await?;
        work(clients).await
    }))
}

/// Reports a failed live call on standard error: exit code 3.
pub(super) fn failed(error: &LiveError) -> ExitStatus {
    render::human::error(error);
    ExitStatus::LiveError
}
