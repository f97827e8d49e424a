//! `rolecall probe`: asks AWS whether the current identity can assume each
//! role — GetCallerIdentity, GetSessionToken with MFA when asked, AssumeRole,
//! then GetCallerIdentity with the returned credentials to confirm the
//! session — and compares each outcome with a static prediction.
//!
//! Read-only: probe creates, changes and deletes nothing, and the
//! credentials it obtains never leave this module.

use super::assume::{self, AssumeRoleRequest, CallerIdentity, Mfa};
use super::client::Clients;
use super::error::LiveError;

/// What the static analysis says about one AssumeRole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prediction {
    /// The caller should be able to assume the role.
    Allowed {
        /// Why, in one line.
        reason: String,
    },
    /// The caller should be refused.
    Denied {
        /// Why, in one line.
        reason: String,
    },
    /// No prediction was made.
    Unknown {
        /// Why not.
        reason: String,
    },
}

/// The static side of a probe: given who calls and what is asked, predict
/// AWS's answer. The trust graph's diagnosis (`why`) implements it.
pub trait Predictor {
    /// The prediction for one request.
    fn predict(
        &self,
        caller: &CallerIdentity,
        request: &AssumeRoleRequest,
        mfa: bool,
    ) -> Prediction;
}

/// The predictor when no input was given: predicts nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoInputs;

impl Predictor for NoInputs {
    fn predict(&self, _: &CallerIdentity, _: &AssumeRoleRequest, _: bool) -> Prediction {
        Prediction::Unknown {
            reason: "no prediction (no inputs given)".into(),
        }
    }
}

/// What AWS did with one AssumeRole request.
#[derive(Debug)]
pub enum Outcome {
    /// AWS issued credentials; `confirmed_arn` is who they sign as.
    Assumed {
        /// The assumed-role ARN AssumeRole returned.
        arn: String,
        /// The ARN GetCallerIdentity returned with the new credentials.
        confirmed_arn: String,
    },
    /// AWS refused the request (AccessDenied, a too-long duration, …).
    Denied {
        /// The AWS error code.
        code: String,
        /// The AWS error message.
        message: String,
    },
    /// The question could not be asked (network, throttling, credentials).
    Failed(LiveError),
}

impl Outcome {
    /// `Some(true)` when assumed, `Some(false)` when refused.
    pub fn allowed(&self) -> Option<bool> {
        match self {
            Self::Assumed { .. } => Some(true),
            Self::Denied { .. } => Some(false),
            Self::Failed(_) => None,
        }
    }
}

/// How the prediction compares with AWS's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    /// Both say the same.
    Agree,
    /// They differ; the hints say what the static side may be missing.
    Disagree {
        /// Likely reasons, most likely first.
        hints: Vec<&'static str>,
    },
    /// Nothing to compare (no prediction, or no answer from AWS).
    NotCompared,
}

/// One probed role.
#[derive(Debug)]
pub struct ProbeRow {
    /// The request sent.
    pub request: AssumeRoleRequest,
    /// What AWS did.
    pub outcome: Outcome,
    /// What rolecall predicted.
    pub prediction: Prediction,
    /// How they compare.
    pub agreement: Agreement,
}

/// The probe of every role.
#[derive(Debug)]
pub struct ProbeReport {
    /// Who asked.
    pub caller: CallerIdentity,
    /// Whether the requests were made with MFA session credentials.
    pub mfa: bool,
    /// One row per role, in the order given.
    pub rows: Vec<ProbeRow>,
}

impl ProbeReport {
    /// Whether any prediction disagreed with AWS.
    pub fn any_disagreement(&self) -> bool {
        self.rows
            .iter()
            .any(|r| matches!(r.agreement, Agreement::Disagree { .. }))
    }

    /// Whether any question could not be asked.
    pub fn any_failure(&self) -> bool {
        self.rows
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Failed(_)))
    }
}

/// Hints when rolecall predicted "allowed" and AWS refused.
pub const PREDICTED_ALLOWED_HINTS: &[&str] = &[
    "the snapshot may be stale: a trust or identity policy changed since it was fetched",
    "an SCP or RCP may deny it: fetch the organization (organization.json) to see them",
    "a condition may depend on request context rolecall cannot see (source IP, VPC endpoint, session tags, time)",
];

/// Hints when rolecall predicted "denied" and AWS issued credentials.
pub const PREDICTED_DENIED_HINTS: &[&str] = &[
    "the snapshot may be stale: a policy granting it was added since it was fetched",
    "the endpoint may not enforce policies: emulators such as moto accept every AssumeRole",
];

/// Compares a prediction with an outcome.
pub fn compare(prediction: &Prediction, outcome: &Outcome) -> Agreement {
    let predicted = match prediction {
        Prediction::Allowed { .. } => true,
        Prediction::Denied { .. } => false,
        Prediction::Unknown { .. } => return Agreement::NotCompared,
    };
    match outcome.allowed() {
        None => Agreement::NotCompared,
        Some(actual) if actual == predicted => Agreement::Agree,
        Some(_) if predicted => Agreement::Disagree {
            hints: PREDICTED_ALLOWED_HINTS.to_vec(),
        },
        Some(_) => Agreement::Disagree {
            hints: PREDICTED_DENIED_HINTS.to_vec(),
        },
    }
}

/// Probes every request in order. Fails only when the caller's own identity
/// cannot be read (or the MFA session cannot be had): then no probe can run.
pub async fn probe(
    clients: &Clients,
    requests: Vec<AssumeRoleRequest>,
    mfa: Option<&Mfa>,
    predictor: &dyn Predictor,
) -> Result<ProbeReport, LiveError> {
    let caller = assume::caller_identity(clients).await?;
    let asking = match mfa {
        Some(mfa) => {
            let session = assume::session_token(clients, mfa).await?;
            clients.with_credentials(&session)
        }
        None => clients.clone(),
    };
    let mut rows = Vec::new();
    for request in requests {
        let outcome = match assume::assume_role(&asking, &request).await {
            Ok(assumed) => {
                let session = asking.with_credentials(&assumed.credentials);
                match assume::caller_identity(&session).await {
                    Ok(identity) => Outcome::Assumed {
                        arn: assumed.arn,
                        confirmed_arn: identity.arn,
                    },
                    Err(e) => Outcome::Failed(e),
                }
            }
            Err(LiveError::Service { code, message, .. }) => Outcome::Denied { code, message },
            Err(e) => Outcome::Failed(e),
        };
        let prediction = predictor.predict(&caller, &request, mfa.is_some());
        let agreement = compare(&prediction, &outcome);
        rows.push(ProbeRow {
            request,
            outcome,
            prediction,
            agreement,
        });
    }
    Ok(ProbeReport {
        caller,
        mfa: mfa.is_some(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Prediction {
        Prediction::Allowed {
            reason: "trusted".into(),
        }
    }

    fn denied() -> Prediction {
        Prediction::Denied {
            reason: "not trusted".into(),
        }
    }

    fn assumed() -> Outcome {
        Outcome::Assumed {
            arn: "a".into(),
            confirmed_arn: "a".into(),
        }
    }

    fn refused() -> Outcome {
        Outcome::Denied {
            code: "AccessDenied".into(),
            message: "no".into(),
        }
    }

    #[test]
    fn comparisons() {
        assert_eq!(compare(&allowed(), &assumed()), Agreement::Agree);
        assert_eq!(compare(&denied(), &refused()), Agreement::Agree);
        assert_eq!(
            compare(&allowed(), &refused()),
            Agreement::Disagree {
                hints: PREDICTED_ALLOWED_HINTS.to_vec()
            }
        );
        assert_eq!(
            compare(&denied(), &assumed()),
            Agreement::Disagree {
                hints: PREDICTED_DENIED_HINTS.to_vec()
            }
        );
        let unknown = Prediction::Unknown { reason: "x".into() };
        assert_eq!(compare(&unknown, &assumed()), Agreement::NotCompared);
        let failed = Outcome::Failed(LiveError::Other {
            operation: "sts:AssumeRole",
            detail: "x".into(),
        });
        assert_eq!(compare(&allowed(), &failed), Agreement::NotCompared);
    }

    #[test]
    fn no_inputs_predicts_nothing() {
        let caller = CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/a".into(),
            user_id: "AIDA".into(),
        };
        let request =
            AssumeRoleRequest::new("arn:aws:iam::123456789012:role/R", None, None, None).unwrap();
        assert_eq!(
            NoInputs.predict(&caller, &request, false),
            Prediction::Unknown {
                reason: "no prediction (no inputs given)".into()
            }
        );
    }
}
