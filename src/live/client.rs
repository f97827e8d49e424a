//! AWS clients configured by the standard AWS chain (environment, shared
//! config and `--profile`, SSO cache, web identity, ECS and EC2 instance
//! metadata), with a region, an optional endpoint override for emulators,
//! standard retries with backoff and a time limit on every call.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials, ProvideCredentials, SharedCredentialsProvider};

use super::credentials::TemporaryCredentials;
use super::error::{CallSite, LiveError};

/// The region used when neither `--region` nor the AWS chain names one: IAM
/// and Organizations live there, and STS answers there for every account.
pub const FALLBACK_REGION: &str = "us-east-1";

/// How to reach AWS.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// A profile of the shared AWS config files (default: the chain's choice).
    pub profile: Option<String>,
    /// The region (default: the chain's, else [`FALLBACK_REGION`]).
    pub region: Option<String>,
    /// Send every call here instead of AWS (an emulator); AWS_ENDPOINT_URL
    /// is honoured too.
    pub endpoint_url: Option<String>,
    /// Time allowed for one call, retries included.
    pub timeout: Duration,
    /// Attempts per call, the first included (standard retry mode).
    pub max_attempts: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            timeout: Duration::from_secs(60),
            max_attempts: 3,
        }
    }
}

/// Configured AWS clients sharing one identity.
#[derive(Clone)]
pub struct Clients {
    config: SdkConfig,
    site: CallSite,
}

impl std::fmt::Debug for Clients {
    // The configuration holds the credentials: show where calls go, no more.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clients")
            .field("endpoint", &self.site.endpoint)
            .finish_non_exhaustive()
    }
}

impl Clients {
    /// Loads configuration and credentials from the standard AWS chain.
    ///
    /// Credentials are resolved once, here, so that a missing or broken
    /// credential source is reported before any call is made (and a
    /// `credential_process` or SSO refresh runs once per command).
    pub async fn from_chain(options: &ClientOptions) -> Result<Self, LiveError> {
        let region = aws_config::meta::region::RegionProviderChain::first_try(
            options.region.clone().map(Region::new),
        )
        .or_default_provider()
        .or_else(Region::from_static(FALLBACK_REGION));
        let attempt_timeout = options.timeout / options.max_attempts.max(1);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(region)
            .retry_config(RetryConfig::standard().with_max_attempts(options.max_attempts.max(1)))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(attempt_timeout.min(Duration::from_secs(10)))
                    .operation_attempt_timeout(attempt_timeout)
                    .operation_timeout(options.timeout)
                    .build(),
            );
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        Self::from_sdk_config(loader.load().await, options).await
    }

    /// Clients from an SDK configuration built elsewhere (its credentials
    /// provider, region and endpoint are used; `options` gives the time limit
    /// and attempts named in errors).
    pub async fn from_sdk_config(
        config: SdkConfig,
        options: &ClientOptions,
    ) -> Result<Self, LiveError> {
        let site = CallSite {
            endpoint: match config.endpoint_url() {
                Some(url) => format!("`{url}`"),
                None => format!(
                    "AWS ({})",
                    config.region().map_or(FALLBACK_REGION, |r| r.as_ref())
                ),
            },
            timeout_secs: options.timeout.as_secs(),
            max_attempts: options.max_attempts.max(1),
        };
        let Some(provider) = config.credentials_provider() else {
            return Err(LiveError::NoCredentials {
                operation: "load credentials",
                detail: "no credential source is configured".into(),
            });
        };
        let credentials =
            provider
                .provide_credentials()
                .await
                .map_err(|e| LiveError::NoCredentials {
                    operation: "load credentials",
                    detail: aws_sdk_sts::error::DisplayErrorContext(&e).to_string(),
                })?;
        let config = config
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .build();
        Ok(Self { config, site })
    }

    /// The same configuration with other credentials (an assumed role).
    pub fn with_credentials(&self, credentials: &TemporaryCredentials) -> Self {
        let credentials = Credentials::new(
            credentials.access_key_id.expose(),
            credentials.secret_access_key.expose(),
            Some(credentials.session_token.expose().to_owned()),
            credentials.expiration_time(),
            "rolecall",
        );
        Self {
            config: self
                .config
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(credentials))
                .build(),
            site: self.site.clone(),
        }
    }

    /// The STS client.
    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }

    /// The IAM client.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    /// The Organizations client.
    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.config)
    }

    /// Where calls go, as error messages name it.
    pub fn endpoint(&self) -> &str {
        &self.site.endpoint
    }

    pub(crate) fn site(&self) -> &CallSite {
        &self.site
    }
}
