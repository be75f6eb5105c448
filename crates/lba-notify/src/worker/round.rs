//! One round of the worker: claim a batch, run its jobs
//! [`WorkerConfig::concurrency`](super::WorkerConfig::concurrency) at a
//! time, and record each job's outcome (ack, retry, failure, deferral) as
//! soon as that job is done.
//!
//! What stays one at a time:
//! - the jobs about one subject (an application, a contact request, a
//!   sign-in link…) run one after the other in claim order, so the order of
//!   writes of the worker's documentation holds for each application;
//! - the campaign messages of one person run one after the other from the
//!   frequency-cap check to the `sent` mark, so that two campaigns in one
//!   batch cannot both pass a cap of one.
//!
//! The campaign throttle is taken in the store
//! (`Store::take_send_slots`), exact however many sends run at once, in
//! this process or others. Every job of a round sees the same `now`. The
//! round's campaign messages are read in one statement after the claim, and
//! share their campaigns' reads and throttle transactions
//! (`crate::campaign::CampaignRound`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use lba_store::StoreError;
use lba_store::outbox::Job;
use tokio::sync::OwnedMutexGuard;

use super::{Outcome, RoundReport, Worker};
use crate::campaign::CampaignRound;
use crate::jobs::JobKind;

/// What the jobs of one round share.
pub(crate) struct Round {
    /// The round's clock.
    pub(crate) now: DateTime<Utc>,
    /// What the round's campaign messages share (reads, throttle
    /// transactions).
    pub(crate) campaign: CampaignRound,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    full: Mutex<HashSet<String>>,
}

impl Round {
    fn new(now: DateTime<Utc>, campaign: CampaignRound) -> Self {
        Self {
            now,
            campaign,
            locks: Mutex::default(),
            full: Mutex::default(),
        }
    }

    /// Waits until no other job of the round holds `key`, then holds it
    /// until the guard is dropped (first come, first served).
    pub(crate) async fn lock(&self, key: String) -> OwnedMutexGuard<()> {
        let mutex = Arc::clone(
            self.locks
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key)
                .or_default(),
        );
        mutex.lock_owned().await
    }

    /// Whether the throttle of `campaign` was found full in this round's
    /// second (it stays full: the count only grows).
    pub(crate) fn throttle_full(&self, campaign: &str) -> bool {
        self.full
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(campaign)
    }

    /// The throttle of `campaign` is full for this round's second: its
    /// other jobs of the round wait without asking the store again.
    pub(crate) fn set_throttle_full(&self, campaign: &str) {
        self.full
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(campaign.to_owned());
    }
}

impl RoundReport {
    fn add(&mut self, one: &Self) {
        self.sent += one.sent;
        self.retried += one.retried;
        self.failed += one.failed;
        self.skipped += one.skipped;
        self.deferred += one.deferred;
        self.next_due = match (self.next_due, one.next_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

impl Worker {
    /// Claims and processes one batch of due jobs at `now`, at most
    /// `concurrency` at a time.
    ///
    /// # Errors
    /// When the store fails: the first error, once every other job of the
    /// batch has finished and recorded its outcome (a job whose outcome
    /// could not be recorded stays claimed until its lease expires, then
    /// another round takes it).
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<RoundReport, StoreError> {
        let jobs = self.claim(now).await?;
        let mut report = RoundReport {
            claimed: jobs.len(),
            ..RoundReport::default()
        };
        let round = Round::new(now, self.campaign_round(&jobs).await?);
        let results: Vec<Result<RoundReport, StoreError>> = stream::iter(jobs)
            .map(|job| self.run_job(job, &round))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        let mut first_error = None;
        for result in results {
            match result {
                Ok(one) => report.add(&one),
                Err(error) => {
                    tracing::error!(%error, "job not processed");
                    if first_error.is_none() {
                        first_error = Some(error);
                    }
                }
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(report),
        }
    }

    /// The campaign state of a round of `jobs`, with their campaign messages
    /// read in one statement.
    async fn campaign_round(&self, jobs: &[Job]) -> Result<CampaignRound, StoreError> {
        let ids: Vec<i64> = jobs
            .iter()
            .filter(|job| JobKind::from_stored(&job.kind) == Some(JobKind::CampaignMessage))
            .filter_map(crate::campaign::message_of)
            .collect();
        if ids.is_empty() {
            return Ok(CampaignRound::default());
        }
        let messages = self.store.campaign_messages_by_id(&ids).await?;
        Ok(CampaignRound::with_messages(messages))
    }

    /// Processes one job and records its outcome.
    async fn run_job(&self, job: Job, round: &Round) -> Result<RoundReport, StoreError> {
        // Campaign messages lock their person (`crate::campaign`); their
        // subject is the campaign, which must not run one at a time.
        let _subject = if JobKind::from_stored(&job.kind) == Some(JobKind::CampaignMessage) {
            None
        } else {
            Some(round.lock(format!("subject:{}", job.subject)).await)
        };
        let outcome = self.process(&job, round).await?;
        self.record(&job, outcome, round.now).await
    }

    /// Writes the outcome of `job`; a report counting it.
    async fn record(
        &self,
        job: &Job,
        outcome: Outcome,
        now: DateTime<Utc>,
    ) -> Result<RoundReport, StoreError> {
        let id = &self.config.worker_id;
        let mut report = RoundReport::default();
        match outcome {
            Outcome::Sent => {
                self.store.ack_job(&job.id, id, Utc::now()).await?;
                report.sent = 1;
            }
            Outcome::SentAcked => report.sent = 1,
            Outcome::Skipped => {
                self.store.ack_job(&job.id, id, Utc::now()).await?;
                report.skipped = 1;
            }
            Outcome::Deferred { at, why } => {
                tracing::debug!(job = %job.id, kind = %job.kind, %why, "job deferred");
                self.store
                    .defer_job(&job.id, id, at.timestamp_millis(), &why)
                    .await?;
                report.deferred = 1;
                report.next_due = Some(at);
            }
            Outcome::Retry(error) if job.attempts < self.config.max_attempts => {
                let next = now + self.backoff(job.attempts);
                tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, %error, "email not sent, will retry");
                self.store
                    .retry_job(&job.id, id, next.timestamp_millis(), &error)
                    .await?;
                report.retried = 1;
            }
            Outcome::Retry(error) | Outcome::Failed(error) => {
                tracing::error!(job = %job.id, kind = %job.kind, attempts = job.attempts, %error, "email failed for good");
                self.store.fail_job(&job.id, id, &error).await?;
                self.after_permanent_failure(job, now).await?;
                report.failed = 1;
            }
        }
        Ok(report)
    }
}
