//! Why a live call failed, in words that say what to do next.
//!
//! Built from the SDK's error only through the AWS error code, the AWS
//! message and the HTTP status: never from the request, so no credential can
//! reach a message.

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

/// A live AWS call that did not produce an answer.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LiveError {
    /// The standard AWS chain found no usable credentials.
    #[error("{operation}: no AWS credentials: {detail}")]
    #[diagnostic(
        code(rolecall::live::no_credentials),
        help(
            "set credentials the way the AWS CLI reads them: `--profile` or AWS_PROFILE, `aws sso login`, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance profile"
        )
    )]
    NoCredentials {
        /// The API operation, such as `sts:GetCallerIdentity`.
        operation: &'static str,
        /// What the credential chain said.
        detail: String,
    },
    /// AWS rejected the credentials: invalid, expired or revoked.
    #[error("{operation}: the credentials were rejected ({code}: {message})")]
    #[diagnostic(
        code(rolecall::live::bad_credentials),
        help(
            "the credentials are invalid or expired: refresh them (`aws sso login`, a new session) and retry"
        )
    )]
    BadCredentials {
        /// The API operation.
        operation: &'static str,
        /// The AWS error code (`ExpiredToken`, `InvalidClientTokenId`, …).
        code: String,
        /// The AWS error message.
        message: String,
    },
    /// Still throttled once the retries were spent.
    #[error("{operation}: throttled by AWS ({code}) after {attempts} attempts")]
    #[diagnostic(
        code(rolecall::live::throttled),
        help("wait and retry, or lower `--concurrency`")
    )]
    Throttled {
        /// The API operation.
        operation: &'static str,
        /// The AWS error code.
        code: String,
        /// Attempts made, retries included.
        attempts: u32,
    },
    /// No connection to the endpoint.
    #[error("{operation}: cannot reach {endpoint}: {detail}")]
    #[diagnostic(
        code(rolecall::live::unreachable),
        help("check the network, `--region` and `--endpoint-url` (or AWS_ENDPOINT_URL)")
    )]
    Unreachable {
        /// The API operation.
        operation: &'static str,
        /// The endpoint, as configured.
        endpoint: String,
        /// The connection error.
        detail: String,
    },
    /// No answer in time.
    #[error("{operation}: no answer from {endpoint} within {seconds} s")]
    #[diagnostic(
        code(rolecall::live::timeout),
        help("retry, or allow more time with `--timeout`")
    )]
    Timeout {
        /// The API operation.
        operation: &'static str,
        /// The endpoint, as configured.
        endpoint: String,
        /// The time allowed for the call.
        seconds: u64,
    },
    /// The endpoint answered with something that is not an AWS response.
    #[error("{operation}: {endpoint} does not support this call (HTTP {status}, {body})")]
    #[diagnostic(
        code(rolecall::live::unsupported),
        help("emulators implement only part of AWS; run this against AWS itself")
    )]
    Unsupported {
        /// The API operation.
        operation: &'static str,
        /// The endpoint, as configured.
        endpoint: String,
        /// The HTTP status of the answer.
        status: u16,
        /// What the body was instead of an AWS response.
        body: &'static str,
    },
    /// AWS answered the call with an error (AccessDenied, NoSuchEntity, …).
    #[error("{operation}: {code}: {message}")]
    #[diagnostic(code(rolecall::live::denied))]
    Service {
        /// The API operation.
        operation: &'static str,
        /// The AWS error code.
        code: String,
        /// The AWS error message.
        message: String,
    },
    /// Anything else: a response that could not be read, a request that could
    /// not be built.
    #[error("{operation}: {detail}")]
    #[diagnostic(code(rolecall::live::failed))]
    Other {
        /// The API operation.
        operation: &'static str,
        /// What went wrong.
        detail: String,
    },
}

/// AWS error codes that mean "the credentials are not valid".
const BAD_CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "IncompleteSignature",
    "InvalidToken",
];

/// AWS error codes of throttling (the SDK's standard retry backs off on them).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "TooManyRequests",
];

impl LiveError {
    /// The AWS error code, when AWS answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::BadCredentials { code, .. }
            | Self::Throttled { code, .. }
            | Self::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether AWS answered and refused the request itself (as opposed to a
    /// failure to ask: network, throttling, credentials).
    pub fn is_answer(&self) -> bool {
        matches!(self, Self::Service { .. })
    }
}

/// Where calls go, for error messages: an override or "AWS".
#[derive(Debug, Clone)]
pub(crate) struct CallSite {
    pub(crate) endpoint: String,
    pub(crate) timeout_secs: u64,
    pub(crate) max_attempts: u32,
}

impl CallSite {
    /// Turns an SDK error into a [`LiveError`].
    pub(crate) fn error<E>(
        &self,
        operation: &'static str,
        err: SdkError<E, HttpResponse>,
    ) -> LiveError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let endpoint = self.endpoint.clone();
        let detail = aws_sdk_sts::error::DisplayErrorContext(&err).to_string();
        match err {
            SdkError::TimeoutError(_) => LiveError::Timeout {
                operation,
                endpoint,
                seconds: self.timeout_secs,
            },
            SdkError::DispatchFailure(failure) => {
                if failure.is_timeout() {
                    return LiveError::Timeout {
                        operation,
                        endpoint,
                        seconds: self.timeout_secs,
                    };
                }
                if failure.is_io() || failure.is_other() {
                    LiveError::Unreachable {
                        operation,
                        endpoint,
                        detail,
                    }
                } else {
                    LiveError::Other { operation, detail }
                }
            }
            SdkError::ConstructionFailure(_) => LiveError::Other { operation, detail },
            SdkError::ResponseError(failure) => {
                let raw = failure.raw();
                match not_aws(raw) {
                    Some(body) => LiveError::Unsupported {
                        operation,
                        endpoint,
                        status: raw.status().as_u16(),
                        body,
                    },
                    None => LiveError::Other {
                        operation,
                        detail: format!(
                            "cannot read the answer (HTTP {}): {detail}",
                            raw.status().as_u16(),
                        ),
                    },
                }
            }
            SdkError::ServiceError(failure) => {
                let raw = failure.raw();
                let status = raw.status().as_u16();
                let err = failure.err();
                let (Some(code), message) = (err.code(), err.message()) else {
                    return match not_aws(raw) {
                        Some(body) => LiveError::Unsupported {
                            operation,
                            endpoint,
                            status,
                            body,
                        },
                        None => LiveError::Other {
                            operation,
                            detail: format!("HTTP {status} without an AWS error code"),
                        },
                    };
                };
                let code = code.to_owned();
                let message = message.unwrap_or("").to_owned();
                if BAD_CREDENTIAL_CODES.contains(&code.as_str()) {
                    LiveError::BadCredentials {
                        operation,
                        code,
                        message,
                    }
                } else if THROTTLING_CODES.contains(&code.as_str()) {
                    LiveError::Throttled {
                        operation,
                        code,
                        attempts: self.max_attempts,
                    }
                } else {
                    LiveError::Service {
                        operation,
                        code,
                        message,
                    }
                }
            }
            _ => LiveError::Other { operation, detail },
        }
    }
}

/// What a response body is when it is not an AWS answer (XML or JSON).
fn not_aws(raw: &HttpResponse) -> Option<&'static str> {
    let body = raw.body().bytes()?;
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    let head: Vec<u8> = start.iter().take(15).map(u8::to_ascii_lowercase).collect();
    if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        Some("an HTML page")
    } else if start.is_empty() {
        Some("an empty body")
    } else {
        None
    }
}
