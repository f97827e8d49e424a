//! Secrets that must never be printed by accident: temporary credentials and
//! MFA codes. Their `Debug` says `[redacted]`; only [`Secret::expose`] gives
//! the text, and only `rolecall assume` hands it to a renderer.

use std::time::SystemTime;

use aws_sdk_sts::primitives::{DateTime, DateTimeFormat};

/// A string that is never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Temporary credentials returned by STS.
#[derive(Clone, Debug)]
pub struct TemporaryCredentials {
    /// The access key id (kept secret too: it identifies the session).
    pub access_key_id: Secret,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token.
    pub session_token: Secret,
    /// When the credentials stop working.
    pub expiration: DateTime,
}

impl TemporaryCredentials {
    /// Converts STS's credentials.
    pub(crate) fn from_sts(c: &aws_sdk_sts::types::Credentials) -> Self {
        Self {
            access_key_id: Secret::new(c.access_key_id()),
            secret_access_key: Secret::new(c.secret_access_key()),
            session_token: Secret::new(c.session_token()),
            expiration: *c.expiration(),
        }
    }

    /// The expiration as a system time, when it can be represented.
    pub(crate) fn expiration_time(&self) -> Option<SystemTime> {
        SystemTime::try_from(self.expiration).ok()
    }

    /// The expiration as ISO 8601 in UTC (`2026-11-23T10:00:00Z`).
    pub fn expiration_iso8601(&self) -> String {
        iso8601(&self.expiration)
    }
}

/// A timestamp as ISO 8601 in UTC, the way AWS APIs print it.
pub(crate) fn iso8601(t: &DateTime) -> String {
    t.fmt(DateTimeFormat::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let c = TemporaryCredentials {
            access_key_id: Secret::new("ASIAEXAMPLEKEYID"),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"),
            session_token: Secret::new("FwoGZXIvYXdzEXAMPLETOKEN"),
            expiration: DateTime::from_secs(1_800_000_000),
        };
        let shown = format!("{c:?} {c:#?}");
        assert!(!shown.contains("wJalr"), "{shown}");
        assert!(!shown.contains("FwoGZ"), "{shown}");
        assert!(!shown.contains("ASIAEXAMPLE"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn expiration_prints_as_utc() {
        let t = DateTime::from_secs(1_800_000_000);
        assert_eq!(iso8601(&t), "2027-01-15T08:00:00Z");
    }
}
