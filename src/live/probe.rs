//! `rolecall probe`: asks AWS whether the current identity can assume each
//! role — GetCallerIdentity, GetSessionToken with MFA when asked, AssumeRole,
//! then GetCallerIdentity with the returned credentials to confirm the
//! session — and compares each outcome with a static prediction.
//!
//! Read-only: probe creates, changes and deletes nothing, and the
//! credentials it obtains never leave this module.

use super::assume::{self, AssumeRoleRequest, CallerIdentity, Mfa, RequestParams};
use super::client::Clients;
use super::error::LiveError;

/// What the static analysis expects AWS to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The caller should be able to assume the role.
    Allowed,
    /// The caller should be refused.
    Denied,
    /// No prediction was made.
    Unknown,
}

/// What may make AWS answer otherwise than predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintKind {
    /// A policy changed since the snapshot was taken.
    StaleSnapshot,
    /// The snapshot lacks SCPs or RCPs that apply.
    OrganizationNotFetched,
    /// A condition tests a key whose value rolecall could not see.
    UnseenContext,
    /// The inputs do not say something the prediction needed (the
    /// caller's own policies, a role's maximum session duration, …).
    IncompleteSnapshot,
    /// The endpoint does not evaluate policies (an emulator).
    EndpointNotEnforcing,
}

impl HintKind {
    /// The name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Self::StaleSnapshot => "stale-snapshot",
            Self::OrganizationNotFetched => "organization-not-fetched",
            Self::UnseenContext => "unseen-context",
            Self::IncompleteSnapshot => "incomplete-snapshot",
            Self::EndpointNotEnforcing => "endpoint-not-enforcing",
        }
    }
}

/// One thing the static answer may be missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Which kind of gap.
    pub kind: HintKind,
    /// What it is, in one sentence.
    pub message: String,
}

impl Hint {
    /// A hint of `kind`.
    pub fn new(kind: HintKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

/// What the static analysis says about one AssumeRole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// Allowed, denied, or no prediction.
    pub verdict: Verdict,
    /// Why, in one sentence.
    pub reason: String,
    /// The AWS error message rolecall expects when it predicts a refusal.
    pub expected_error: Option<String>,
    /// Should AWS answer otherwise: what the static side may be missing,
    /// most likely first.
    pub blind_spots: Vec<Hint>,
}

impl Prediction {
    /// No prediction, and why not.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Self {
            verdict: Verdict::Unknown,
            reason: reason.into(),
            expected_error: None,
            blind_spots: Vec::new(),
        }
    }
}

/// The static side of a probe: given who calls and what is asked, predict
/// AWS's answer; and which roles the caller can assume directly. The trust
/// graph and its diagnosis (`why`) implement it
/// ([`super::predict::StaticPredictor`]).
pub trait Predictor {
    /// The prediction for one request.
    fn predict(
        &self,
        caller: &CallerIdentity,
        request: &AssumeRoleRequest,
        mfa: bool,
    ) -> Prediction;

    /// The roles (ARNs) the caller can assume directly, for a probe given
    /// no roles; with notes on what could not be resolved.
    fn reachable(&self, caller: &CallerIdentity) -> (Vec<String>, Vec<String>);
}

/// The predictor when no input was given: predicts nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoInputs;

impl Predictor for NoInputs {
    fn predict(&self, _: &CallerIdentity, _: &AssumeRoleRequest, _: bool) -> Prediction {
        Prediction::unknown("no prediction (no inputs given)")
    }

    fn reachable(&self, _: &CallerIdentity) -> (Vec<String>, Vec<String>) {
        (
            Vec::new(),
            vec!["no inputs given: name the roles with `--role`".to_owned()],
        )
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
        hints: Vec<Hint>,
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
    /// Whether the roles were chosen by the static graph (no `--role`).
    pub from_graph: bool,
    /// One row per role, in the order given.
    pub rows: Vec<ProbeRow>,
    /// What could not be probed, and why.
    pub notes: Vec<String>,
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

/// Said of every "yes" from AWS that rolecall predicted to be a "no".
const EMULATOR_HINT: &str =
    "the endpoint may not enforce policies: emulators such as moto accept every AssumeRole";

/// Compares a prediction with an outcome.
pub fn compare(prediction: &Prediction, outcome: &Outcome) -> Agreement {
    let predicted = match prediction.verdict {
        Verdict::Allowed => true,
        Verdict::Denied => false,
        Verdict::Unknown => return Agreement::NotCompared,
    };
    match outcome.allowed() {
        None => Agreement::NotCompared,
        Some(actual) if actual == predicted => Agreement::Agree,
        Some(_) => {
            let mut hints = prediction.blind_spots.clone();
            if !predicted {
                hints.push(Hint::new(HintKind::EndpointNotEnforcing, EMULATOR_HINT));
            }
            Agreement::Disagree { hints }
        }
    }
}

/// The roles to probe.
#[derive(Debug, Clone)]
pub enum Targets {
    /// These requests, in order.
    Roles(Vec<AssumeRoleRequest>),
    /// Every role the predictor says the caller can assume directly, each
    /// asked with these parameters.
    Reachable(RequestParams),
}

/// Probes every target in order. Fails only when the caller's own identity
/// cannot be read (or the MFA session cannot be had): then no probe can run.
pub async fn probe(
    clients: &Clients,
    targets: Targets,
    mfa: Option<&Mfa>,
    predictor: &dyn Predictor,
) -> Result<ProbeReport, LiveError> {
    let caller = assume::caller_identity(clients).await?;
    let mut notes = Vec::new();
    let from_graph = matches!(targets, Targets::Reachable(_));
    let requests = match targets {
        Targets::Roles(requests) => requests,
        Targets::Reachable(params) => {
            let (roles, why_not) = predictor.reachable(&caller);
            notes.extend(why_not);
            let mut requests = Vec::new();
            for role in roles {
                match params.request(&role) {
                    Ok(request) => requests.push(request),
                    Err(e) => notes.push(format!("not probed: {e}")),
                }
            }
            requests
        }
    };
    let asking = match mfa {
        Some(mfa) if !requests.is_empty() => {
            let session = assume::session_token(clients, mfa).await?;
            clients.with_credentials(&session)
        }
        _ => clients.clone(),
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
        from_graph,
        rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predicted(verdict: Verdict) -> Prediction {
        Prediction {
            verdict,
            reason: "r".into(),
            expected_error: None,
            blind_spots: vec![Hint::new(HintKind::StaleSnapshot, "stale")],
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
        let allowed = predicted(Verdict::Allowed);
        let denied = predicted(Verdict::Denied);
        assert_eq!(compare(&allowed, &assumed()), Agreement::Agree);
        assert_eq!(compare(&denied, &refused()), Agreement::Agree);
        assert_eq!(
            compare(&allowed, &refused()),
            Agreement::Disagree {
                hints: vec![Hint::new(HintKind::StaleSnapshot, "stale")]
            }
        );
        // AWS said yes where rolecall said no: an emulator may be why.
        assert_eq!(
            compare(&denied, &assumed()),
            Agreement::Disagree {
                hints: vec![
                    Hint::new(HintKind::StaleSnapshot, "stale"),
                    Hint::new(HintKind::EndpointNotEnforcing, EMULATOR_HINT)
                ]
            }
        );
        let unknown = Prediction::unknown("x");
        assert_eq!(compare(&unknown, &assumed()), Agreement::NotCompared);
        let failed = Outcome::Failed(LiveError::Other {
            operation: "sts:AssumeRole",
            detail: "x".into(),
        });
        assert_eq!(compare(&allowed, &failed), Agreement::NotCompared);
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
        let p = NoInputs.predict(&caller, &request, false);
        assert_eq!(p.verdict, Verdict::Unknown);
        assert_eq!(p.reason, "no prediction (no inputs given)");
        let (roles, notes) = NoInputs.reachable(&caller);
        assert!(roles.is_empty());
        assert!(notes[0].contains("--role"), "{notes:?}");
    }
}
