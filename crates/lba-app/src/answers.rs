//! The recruiter's one-click answer and the candidate's deletion request,
//! both reached through signed links.
//!
//! Opening a link only verifies it ([`verify`]) and shows a page: nothing
//! is recorded and nothing is sent, so mail security scanners (and link
//! previews) that open every link of an email, with GET or HEAD, cannot
//! answer for the recruiter. The answer is recorded only when the
//! recruiter confirms on that page ([`confirm`], with a message and, for a
//! refusal, reasons from the fixed list): it is sent at once. Cancelling
//! ([`cancel`]) sends nothing (and stops a confirmed answer the worker has
//! not sent yet). Only one answer email is ever sent per application (one
//! outbox row per application). Likewise the deletion link deletes only on
//! the confirmation POST ([`delete`]).

use chrono::{DateTime, Utc};
use lba_core::application::REFUSAL_REASONS;
use lba_notify::jobs::{JobKind, new_job};
use lba_notify::links::{LinkError, LinkKey, Signature};
use lba_notify::links::{answer_message, deletion_message};
use lba_store::applications::StoredApplication;
use lba_store::outbox::OutboxStatus;
use lba_store::{Store, StoreError};

use crate::apply::ApplicationView;

/// Longest recruiter message, in characters.
pub const MAX_ANSWER_CHARS: usize = 3_000;

/// The two answers (defined with the application in `lba-core`).
pub use lba_core::application::Answer;

/// Why an answer or a deletion is refused.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Bad, modified or expired link.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The application does not exist (any more).
    #[error("cette candidature n'existe plus")]
    NotFound,
    /// The candidate was already told.
    #[error("votre réponse a déjà été envoyée au candidat")]
    AlreadySent,
    /// A field is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn checked(
    store: &Store,
    key: &LinkKey,
    id: &str,
    answer: Answer,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<StoredApplication, AnswerError> {
    key.verify(&answer_message(id, answer.as_str()), signature, now)?;
    let a = store.application(id).await?.ok_or(AnswerError::NotFound)?;
    if a.email.is_none() {
        return Err(AnswerError::NotFound);
    }
    if let Some(job) = store.job(&JobKind::CandidateAnswer.key(id)).await?
        && !matches!(job.status, OutboxStatus::Pending | OutboxStatus::Cancelled)
    {
        return Err(AnswerError::AlreadySent);
    }
    Ok(a)
}

/// The recruiter opened an answer link: the link is checked and the
/// application returned, for the page. Writes nothing.
///
/// # Errors
/// [`AnswerError`] (bad link, unknown application, answer already sent).
pub async fn verify(
    store: &Store,
    key: &LinkKey,
    id: &str,
    answer: Answer,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<ApplicationView, AnswerError> {
    Ok(checked(store, key, id, answer, signature, now)
        .await?
        .into())
}

/// What the recruiter adds to an answer: a message, and for a refusal
/// reasons from [`REFUSAL_REASONS`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Reply<'a> {
    /// Free text (3,000 characters at most), may be empty.
    pub message: &'a str,
    /// Refusal reasons (ignored for an interview proposal).
    pub reasons: &'a [String],
}

/// The recruiter confirmed: the answer with its [`Reply`] goes out now.
///
/// # Errors
/// [`AnswerError`].
pub async fn confirm(
    store: &Store,
    key: &LinkKey,
    id: &str,
    answer: Answer,
    signature: &Signature,
    reply: Reply<'_>,
    now: DateTime<Utc>,
) -> Result<(), AnswerError> {
    checked(store, key, id, answer, signature, now).await?;
    let message = reply.message.trim();
    let reasons = reply.reasons;
    if message.chars().count() > MAX_ANSWER_CHARS {
        return Err(AnswerError::Invalid(
            "message : 3 000 caractères au plus".into(),
        ));
    }
    if let Some(bad) = reasons
        .iter()
        .find(|r| !REFUSAL_REASONS.contains(&r.as_str()))
    {
        let _ = bad;
        return Err(AnswerError::Invalid(
            "raisons : choisissez dans la liste".into(),
        ));
    }
    let reasons: &[String] = if answer == Answer::Refusal {
        reasons
    } else {
        &[]
    };
    store
        .record_answer(
            id,
            answer,
            Some(message).filter(|m| !m.is_empty()),
            reasons,
            now,
        )
        .await?;
    let job_key = JobKind::CandidateAnswer.key(id);
    if !store
        .enqueue(&new_job(JobKind::CandidateAnswer, id, now))
        .await?
    {
        store.revive_job(&job_key, now.timestamp_millis()).await?;
    }
    Ok(())
}

/// The recruiter cancelled: nothing is sent (an answer confirmed but not
/// sent yet is stopped).
///
/// # Errors
/// [`AnswerError`].
pub async fn cancel(
    store: &Store,
    key: &LinkKey,
    id: &str,
    answer: Answer,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(), AnswerError> {
    checked(store, key, id, answer, signature, now).await?;
    store.cancel_job(&JobKind::CandidateAnswer.key(id)).await?;
    Ok(())
}

/// The candidate asked for the deletion of their application (signed
/// link of the confirmation email): the application, its CV and its
/// pending emails are deleted.
///
/// # Errors
/// [`AnswerError::Link`] for a bad link, [`AnswerError::NotFound`] when
/// already deleted.
pub async fn delete(
    store: &Store,
    key: &LinkKey,
    id: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(), AnswerError> {
    key.verify(&deletion_message(id), signature, now)?;
    if store.delete_application(id).await? {
        tracing::info!(application = %id, "application deleted at the candidate's request");
        Ok(())
    } else {
        Err(AnswerError::NotFound)
    }
}
