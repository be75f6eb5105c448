//! The outbox: one row per email to send, written in the same transaction
//! as what it is about, then claimed by a worker with a lease.
//!
//! Life of a row: `pending` → (claim) `sending` with `lease_until` and
//! `claimed_by` → `sent` (ack), or back to `pending` with a later
//! `next_attempt_at` (transient failure), or `failed` (permanent failure).
//! A `sending` row whose lease expired is claimable again: a worker that
//! died between claim and send loses nothing.
//!
//! Delivery is at-least-once, not exactly-once: if a worker dies after the
//! SMTP server accepted a message but before its ack is written, the row
//! is sent again once the lease expires. The window is the time between the
//! server's `250 OK` and one `UPDATE`; the Message-ID derived from the row
//! id lets mail clients fold the rare duplicate. Acks and retries are
//! conditional on `claimed_by`, so a worker whose lease was taken over
//! cannot overwrite the new owner's outcome.
//!
//! Claims are portable (no `FOR UPDATE SKIP LOCKED`): one `UPDATE` takes the
//! due candidates whose claimable condition still holds when the row is
//! written (PostgreSQL re-checks it on a row another worker updated
//! meanwhile, SQLite has one writer), and returns the rows this worker
//! won; several workers on one database are safe, a loser simply gets
//! fewer jobs.

use chrono::{DateTime, Utc};

use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::portable::{BindValue as _, Portable};
use crate::{Store, StoreError};

pub use crate::job_kind::JobKind;

/// Where an outbox job is (see the module doc for its life).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    /// Waiting for its time (or for a retry).
    Pending,
    /// Claimed by a worker, under a lease.
    Sending,
    /// Sent.
    Sent,
    /// Given up.
    Failed,
    /// Cancelled before it was sent.
    Cancelled,
}

impl OutboxStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Sending,
        Self::Sent,
        Self::Failed,
        Self::Cancelled,
    ];

    /// Stable name stored in the outbox.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A stored outbox status this version does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown outbox status `{0}`")]
pub struct UnknownOutboxStatus(String);

/// The typed mapping of the `status` column (used when reading rows).
impl TryFrom<String> for OutboxStatus {
    type Error = UnknownOutboxStatus;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_stored(&s).ok_or(UnknownOutboxStatus(s))
    }
}

/// Compares with a stored name (`status == "sent"` in tests and logs).
impl PartialEq<&str> for OutboxStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A job to enqueue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJob {
    /// Random id (the Message-ID is derived from it).
    pub id: String,
    /// What to send (`recruiter_application`, `candidate_confirmation`…).
    pub kind: String,
    /// JSON parameters of the job (no personal data: ids only).
    pub payload: String,
    /// The application it is about.
    pub subject: String,
    /// At most one job per key: enqueueing twice is a no-op.
    pub dedupe_key: String,
    /// Not before (epoch milliseconds).
    pub not_before_ms: i64,
}

/// A claimed job.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// JSON parameters.
    pub payload: String,
    /// The application it is about.
    pub subject: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// Dedupe key.
    pub dedupe_key: String,
}

/// A claimed job and when it was due (to put a claim in order).
#[derive(sqlx::FromRow)]
struct ClaimedJob {
    #[sqlx(flatten)]
    job: Job,
    next_attempt_at: i64,
}

/// A job as the operator sees it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JobState {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: OutboxStatus,
    /// Attempts.
    pub attempts: i64,
    /// Next attempt (epoch ms).
    pub next_attempt_at: i64,
    /// Last error.
    pub last_error: Option<String>,
    /// Dedupe key.
    pub dedupe_key: String,
}

/// Inserts one job in `tx`, ignoring a duplicate dedupe key; the number of
/// rows inserted (0 or 1).
pub(crate) async fn insert_job<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    job: &NewJob,
) -> Result<u64, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO outbox (id, kind, payload, subject, status, attempts, next_attempt_at, \
         dedupe_key, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind_value(job.id.as_str())
    .bind_value(job.kind.as_str())
    .bind_value(job.payload.as_str())
    .bind_value(job.subject.as_str())
    .bind_value(job.not_before_ms)
    .bind_value(job.dedupe_key.as_str())
    .bind_value(Utc::now());
    DB::execute(tx, query).await
}

/// Claimable: due and pending, or sending with an expired lease.
const CLAIMABLE: &str = "((status = 'pending' AND next_attempt_at <= $1) \
     OR (status = 'sending' AND lease_until < $1))";

impl Store {
    /// Enqueues a job on its own; returns false when its dedupe key exists.
    pub async fn enqueue(&self, job: &NewJob) -> Result<bool, StoreError> {
        let n = in_tx!(self, |tx| insert_job(&mut tx, job).await?);
        Ok(n > 0)
    }

    /// Claims up to `limit` due jobs for `worker` until `now_ms + lease_ms`.
    pub async fn claim_jobs(
        &self,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        // One statement (one commit) for the whole batch.
        let mut claimed: Vec<ClaimedJob> = with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, \
                 lease_until = $2, claimed_by = $3 WHERE id IN (SELECT id FROM outbox \
                 WHERE {CLAIMABLE} ORDER BY next_attempt_at, id LIMIT $4) AND {CLAIMABLE} \
                 RETURNING id, kind, payload, subject, attempts, dedupe_key, next_attempt_at"
            ))
            .bind(now_ms)
            .bind(now_ms + lease_ms)
            .bind(worker)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        // `RETURNING` has no order: due first, as the candidates were read.
        claimed.sort_by(|a, b| (a.next_attempt_at, &a.job.id).cmp(&(b.next_attempt_at, &b.job.id)));
        Ok(claimed.into_iter().map(|c| c.job).collect())
    }

    /// The job was sent. False when this worker no longer holds it.
    pub async fn ack_job(
        &self,
        id: &str,
        worker: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.finish_job(
            "UPDATE outbox SET status = 'sent', sent_at = $3, lease_until = NULL, \
             last_error = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
            id,
            worker,
            now,
        )
        .await
    }

    /// A transient failure: try again at `next_ms`.
    pub async fn retry_job(
        &self,
        id: &str,
        worker: &str,
        next_ms: i64,
        error: &str,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', next_attempt_at = $3, lease_until = NULL, \
                 claimed_by = NULL, last_error = $4 WHERE id = $1 AND claimed_by = $2 \
                 AND status = 'sending'",
            )
            .bind(id)
            .bind(worker)
            .bind(next_ms)
            .bind(error)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// A permanent failure: never retried.
    pub async fn fail_job(&self, id: &str, worker: &str, error: &str) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = $3 \
                 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
            )
            .bind(id)
            .bind(worker)
            .bind(error)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Moves a pending job to `next_ms` (sooner or later). False when the
    /// job is not pending any more.
    pub async fn reschedule_job(&self, dedupe_key: &str, next_ms: i64) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = $2 WHERE dedupe_key = $1 \
                 AND status = 'pending'",
            )
            .bind(dedupe_key)
            .bind(next_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Puts a claimed job back to `pending` at `next_ms` without counting
    /// the attempt (the campaign is paused, the SMS window is closed, the
    /// throttle is full): waiting is not failing. False when this worker
    /// no longer holds the job.
    pub async fn defer_job(
        &self,
        id: &str,
        worker: &str,
        next_ms: i64,
        why: &str,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', next_attempt_at = $3, lease_until = NULL, \
                 claimed_by = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
                 last_error = $4 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
            )
            .bind(id)
            .bind(worker)
            .bind(next_ms)
            .bind(why)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Makes a pending or cancelled job pending again at `next_ms`. False
    /// when it was sent (or is being sent).
    pub async fn revive_job(&self, dedupe_key: &str, next_ms: i64) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', next_attempt_at = $2 \
                 WHERE dedupe_key = $1 AND status IN ('pending', 'cancelled')",
            )
            .bind(dedupe_key)
            .bind(next_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Cancels a pending job. False when it is not pending any more.
    pub async fn cancel_job(&self, dedupe_key: &str) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET status = 'cancelled' WHERE dedupe_key = $1 \
                 AND status = 'pending'",
            )
            .bind(dedupe_key)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// A job by its dedupe key.
    pub async fn job(&self, dedupe_key: &str) -> Result<Option<JobState>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, kind, status, attempts, next_attempt_at, last_error, dedupe_key \
                 FROM outbox WHERE dedupe_key = $1",
            )
            .bind(dedupe_key)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Every job about `subject`, oldest first.
    pub async fn jobs_about(&self, subject: &str) -> Result<Vec<JobState>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, kind, status, attempts, next_attempt_at, last_error, dedupe_key \
                 FROM outbox WHERE subject = $1 ORDER BY created_at, id",
            )
            .bind(subject)
            .fetch_all(pool)
            .await
        })?)
    }

    async fn finish_job(
        &self,
        sql: &str,
        id: &str,
        worker: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(id)
                .bind(worker)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }
}
