//! The outbox jobs about applications and how they are keyed: one job per
//! (kind, application), so enqueueing twice is harmless. Every kind, campaign
//! messages included, is one [`JobKind`] (`lba_store::outbox`).

use chrono::{DateTime, Utc};
pub use lba_store::outbox::JobKind;
use lba_store::outbox::NewJob;

/// Why the candidate is told their application failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The mail server refused the recruiter's address or the message.
    Undeliverable,
    /// The virus scan found something in the CV.
    Infected,
    /// The CV was deleted before it could be sent (30 days).
    Expired,
}

impl FailureReason {
    /// The French explanation given to the candidate.
    #[must_use]
    pub fn message_fr(self) -> &'static str {
        match self {
            Self::Undeliverable => {
                "l'adresse du recruteur n'accepte pas nos messages. Essayez de le contacter par \
                 téléphone ou sur place."
            }
            Self::Infected => {
                "l'analyse antivirus a détecté un problème dans votre CV. Vérifiez le fichier \
                 (ou enregistrez-le à nouveau en PDF) avant de postuler à nouveau."
            }
            Self::Expired => "elle n'a pas pu être envoyée dans les 30 jours.",
        }
    }
}

/// The JSON parameters of a job: ids and codes only, no personal data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    /// The application.
    pub application: String,
    /// For [`JobKind::CandidateFailure`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailureReason>,
}

/// A job of `kind` about `application`, due at `not_before`.
#[must_use]
pub fn new_job(kind: JobKind, application: &str, not_before: DateTime<Utc>) -> NewJob {
    job_with(kind, application, None, not_before)
}

/// A failure notice about `application`.
#[must_use]
pub fn failure_job(application: &str, reason: FailureReason, now: DateTime<Utc>) -> NewJob {
    job_with(JobKind::CandidateFailure, application, Some(reason), now)
}

fn job_with(
    kind: JobKind,
    application: &str,
    reason: Option<FailureReason>,
    not_before: DateTime<Utc>,
) -> NewJob {
    let payload = Payload {
        application: application.to_owned(),
        reason,
    };
    NewJob {
        id: uuid::Uuid::new_v4().simple().to_string(),
        kind: kind.as_str().to_owned(),
        payload: serde_json::to_string(&payload).unwrap_or_else(|_| "{}".to_owned()),
        subject: application.to_owned(),
        dedupe_key: kind.key(application),
        not_before_ms: not_before.timestamp_millis(),
    }
}
