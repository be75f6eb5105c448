//! The outbox worker: claims due jobs with a lease, renders and sends each
//! email, then records the outcome (ack, retry with back-off, or permanent
//! failure that marks the application failed and tells the candidate).
//! It also runs the privacy purges (CVs after 30 days, anonymisation after 2 years) once an hour.
//! The jobs of a round run [`WorkerConfig::concurrency`] at a time
//! (`round.rs`), each recording its own outcome.
//!
//! Order of writes for the recruiter's email, chosen to keep the duplicate
//! window as small as possible: SMTP accepts → confirmation job enqueued
//! (idempotent) → application marked delivered → job acked. A crash after
//! the "delivered" mark but before the ack does not resend (the job sees
//! the application delivered and only acks); a crash between the SMTP
//! server's acceptance and the "delivered" mark does resend once the lease
//! expires (at-least-once; same Message-ID).

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::application::{Answer, ApplicationStatus};
use lba_store::applications::StoredApplication;
use lba_store::outbox::Job;
use lba_store::{Store, StoreError};

use crate::clamav::{self, ScanResult};
use crate::email::{self, AttachmentRef, EmailContext, EmailError};
use crate::jobs::{FailureReason, JobKind, Payload, failure_job, new_job};
use crate::links::{self, LINK_VALIDITY, LinkKey};
/// What the answer and deletion links sign (see [`crate::links`]).
pub use crate::links::{answer_message, deletion_message};
use crate::mailer::{Mailer, SendError};
use crate::sms::SmsGateway;

mod round;

pub(crate) use round::Round;

/// CVs are kept at most this long, delivered or not.
pub const CV_RETENTION: TimeDelta = TimeDelta::days(30);
/// Candidate data is anonymised after this long.
pub const ANONYMISE_AFTER: TimeDelta = TimeDelta::days(730);
/// The deletion link of a candidate stays valid as long as their data.
pub const DELETION_LINK_VALIDITY: TimeDelta = TimeDelta::days(730);

/// Settings of a worker.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Who claims (host name and process id, or a test name).
    pub worker_id: String,
    /// How long a claim lasts before another worker may take the job.
    pub lease: TimeDelta,
    /// Jobs claimed per round.
    pub batch: i64,
    /// Jobs of a round processed at once (sends in flight), at least one.
    pub concurrency: usize,
    /// After this many attempts a transient failure becomes permanent.
    pub max_attempts: i64,
    /// First retry delay; doubled at each attempt, capped at one hour.
    pub backoff: TimeDelta,
    /// Pause between rounds when there is nothing to do.
    pub poll: Duration,
    /// `host:port` of a clamd to scan CVs with.
    pub clamav: Option<String>,
    /// Sender, links base and footer.
    pub email: EmailContext,
    /// Key of signed links.
    pub key: LinkKey,
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Jobs claimed.
    pub claimed: usize,
    /// Emails sent.
    pub sent: usize,
    /// Jobs put back for a later attempt.
    pub retried: usize,
    /// Jobs failed for good.
    pub failed: usize,
    /// Jobs with nothing left to send.
    pub skipped: usize,
    /// Jobs put back without an attempt (campaign paused, SMS window
    /// closed, throttle full).
    pub deferred: usize,
    /// The earliest time a deferred job is due again (the worker sleeps
    /// until then rather than a whole poll interval, so that a throttled
    /// campaign keeps its rate).
    pub next_due: Option<DateTime<Utc>>,
}

pub(crate) enum Outcome {
    Sent,
    /// Sent, and the job already acked with the message's `sent` mark (a
    /// campaign message: one transaction for both).
    SentAcked,
    Retry(String),
    Failed(String),
    Skipped,
    /// Not now, and not an attempt (campaign paused, SMS window closed,
    /// throttle full, no SMS gateway): the job waits until `at`.
    Deferred {
        at: DateTime<Utc>,
        why: String,
    },
}

/// The worker.
#[derive(Clone, Debug)]
pub struct Worker {
    pub(crate) store: Store,
    pub(crate) mailer: Mailer,
    pub(crate) config: WorkerConfig,
    /// The SMS gateway of campaign messages; without one, SMS jobs wait.
    pub(crate) sms: Option<SmsGateway>,
}

impl Worker {
    /// A worker sending through `mailer`.
    #[must_use]
    pub fn new(store: Store, mailer: Mailer, config: WorkerConfig) -> Self {
        Self {
            store,
            mailer,
            config,
            sms: None,
        }
    }

    /// The same worker sending campaign SMS through `gateway`.
    #[must_use]
    pub fn with_sms(mut self, gateway: Option<SmsGateway>) -> Self {
        self.sms = gateway;
        self
    }

    /// Claims due jobs at `now` (exposed so that tests can stop between
    /// claim and send).
    ///
    /// # Errors
    /// When the store fails.
    pub async fn claim(&self, now: DateTime<Utc>) -> Result<Vec<Job>, StoreError> {
        self.store
            .claim_jobs(
                &self.config.worker_id,
                now.timestamp_millis(),
                self.config.lease.num_milliseconds(),
                self.config.batch,
            )
            .await
    }

    /// Runs rounds until `shutdown` resolves, with the privacy purges once
    /// an hour. A store error is logged and the loop goes on.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut last_purge: Option<DateTime<Utc>> = None;
        tracing::info!(worker = %self.config.worker_id, "email worker started");
        loop {
            let now = Utc::now();
            if last_purge.is_none_or(|t| now - t > TimeDelta::hours(1)) {
                match purge(&self.store, now).await {
                    Ok((cvs, anonymised)) => {
                        tracing::info!(cvs, anonymised, "privacy purge done");
                        last_purge = Some(now);
                    }
                    Err(error) => tracing::error!(%error, "privacy purge failed"),
                }
            }
            let (busy, pause) = match self.run_once(now).await {
                Ok(report) => (
                    report.claimed > report.deferred,
                    pause_until(self.config.poll, now, report.next_due),
                ),
                Err(error) => {
                    tracing::error!(%error, "email worker round failed");
                    (false, self.config.poll)
                }
            };
            if !busy {
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
        tracing::info!("email worker stopped");
    }

    pub(crate) fn backoff(&self, attempts: i64) -> TimeDelta {
        let factor = 1_i32 << attempts.clamp(1, 12).saturating_sub(1);
        (self.config.backoff * factor).min(TimeDelta::hours(1))
    }

    async fn after_permanent_failure(
        &self,
        job: &Job,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if JobKind::from_stored(&job.kind) == Some(JobKind::RecruiterApplication) {
            self.store
                .mark_undeliverable(&job.subject, ApplicationStatus::Failed, now)
                .await?;
            self.store
                .enqueue(&failure_job(
                    &job.subject,
                    FailureReason::Undeliverable,
                    now,
                ))
                .await?;
        }
        if JobKind::from_stored(&job.kind) == Some(JobKind::CfaAppointment) {
            self.after_cfa_bounce(&job.subject, now).await?;
        }
        Ok(())
    }

    /// Runs the handler of the job's kind.
    async fn process(&self, job: &Job, round: &Round) -> Result<Outcome, StoreError> {
        let now = round.now;
        let Some(kind) = JobKind::from_stored(&job.kind) else {
            return Ok(Outcome::Failed(format!(
                "type de tâche inconnu : {}",
                job.kind
            )));
        };
        match kind {
            JobKind::CampaignMessage => self.process_campaign(job, round).await,
            JobKind::RecruiterApplication => match self.application_of(job).await? {
                Ok((a, _)) => self.recruiter(job, &a, now).await,
                Err(outcome) => Ok(outcome),
            },
            JobKind::CandidateConfirmation => match self.application_of(job).await? {
                Ok((a, _)) => {
                    let link = self.deletion_url(&a.id, now);
                    let rendered = email::candidate_confirmation(&self.config.email, &a, &link);
                    Ok(self.deliver(job, &a, rendered, None, None).await)
                }
                Err(outcome) => Ok(outcome),
            },
            JobKind::CandidateFailure => match self.application_of(job).await? {
                Ok((a, payload)) => {
                    let reason = payload.reason.unwrap_or(FailureReason::Undeliverable);
                    let rendered =
                        email::candidate_failure(&self.config.email, &a, reason.message_fr());
                    Ok(self.deliver(job, &a, rendered, None, None).await)
                }
                Err(outcome) => Ok(outcome),
            },
            JobKind::CandidateAnswer => match self.application_of(job).await? {
                Ok((a, _)) => {
                    if a.answer.is_none() {
                        return Ok(Outcome::Skipped);
                    }
                    let rendered = email::candidate_answer(&self.config.email, &a);
                    let reply_to = (a.answered() == Some(Answer::Interview))
                        .then_some(a.recruiter_email.as_deref())
                        .flatten();
                    Ok(self.deliver(job, &a, rendered, reply_to, None).await)
                }
                Err(outcome) => Ok(outcome),
            },
            // The pro space (`crate::pro`), the contact requests to CFAs
            // (`crate::appointment`).
            k if k.is_pro_space() => self.process_pro(job, kind, now).await,
            _ => self.process_appointment(job, kind, now).await,
        }
    }

    /// The application of a job about an application, with its payload; the
    /// outcome instead when the payload is unreadable or there is nothing
    /// to send any more.
    async fn application_of(
        &self,
        job: &Job,
    ) -> Result<Result<(StoredApplication, Payload), Outcome>, StoreError> {
        let payload: Payload = match serde_json::from_str(&job.payload) {
            Ok(p) => p,
            Err(e) => return Ok(Err(Outcome::Failed(format!("paramètres illisibles : {e}")))),
        };
        // Deleted on request, or anonymised: nothing to send any more.
        let Some(a) = self.store.application(&payload.application).await? else {
            return Ok(Err(Outcome::Skipped));
        };
        if a.email.is_none() {
            return Ok(Err(Outcome::Skipped));
        }
        Ok(Ok((a, payload)))
    }

    async fn recruiter(
        &self,
        job: &Job,
        a: &StoredApplication,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        if a.status != ApplicationStatus::Received {
            // Sent before a crash that lost the ack (see the module header).
            return Ok(Outcome::Skipped);
        }
        let (Some(bytes), Some(to)) = (&a.cv_bytes, &a.recruiter_email) else {
            self.store
                .mark_undeliverable(&a.id, ApplicationStatus::Failed, now)
                .await?;
            self.store
                .enqueue(&failure_job(&a.id, FailureReason::Expired, now))
                .await?;
            return Ok(Outcome::Skipped);
        };
        if let Some(addr) = &self.config.clamav {
            match clamav::scan(addr, bytes).await {
                Ok(ScanResult::Clean) => {}
                Ok(ScanResult::Infected(signature)) => {
                    tracing::warn!(application = %a.id, %signature, "CV refused by the virus scan");
                    self.store
                        .mark_undeliverable(&a.id, ApplicationStatus::Infected, now)
                        .await?;
                    self.store
                        .enqueue(&failure_job(&a.id, FailureReason::Infected, now))
                        .await?;
                    return Ok(Outcome::Skipped);
                }
                Err(e) => return Ok(Outcome::Retry(e.to_string())),
            }
        }
        let interview = self.answer_url(&a.id, "interview", now);
        let refusal = self.answer_url(&a.id, "refusal", now);
        let rendered = email::recruiter_application(&self.config.email, a, &interview, &refusal);
        let attachment = AttachmentRef {
            name: &a.cv_name,
            mime: &a.cv_mime,
            bytes,
        };
        let outcome = self
            .send(job, to, a.email.as_deref(), rendered, Some(attachment))
            .await;
        if matches!(outcome, Outcome::Sent) {
            self.store
                .enqueue(&new_job(JobKind::CandidateConfirmation, &a.id, now))
                .await?;
            self.store.mark_delivered(&a.id, Utc::now()).await?;
        }
        Ok(outcome)
    }

    /// Sends a candidate email of `a`.
    async fn deliver(
        &self,
        job: &Job,
        a: &StoredApplication,
        rendered: Result<email::Rendered, EmailError>,
        reply_to: Option<&str>,
        attachment: Option<AttachmentRef<'_>>,
    ) -> Outcome {
        match &a.email {
            Some(to) => self.send(job, to, reply_to, rendered, attachment).await,
            None => Outcome::Skipped,
        }
    }

    pub(crate) async fn send(
        &self,
        job: &Job,
        to: &str,
        reply_to: Option<&str>,
        rendered: Result<email::Rendered, EmailError>,
        attachment: Option<AttachmentRef<'_>>,
    ) -> Outcome {
        let message = rendered.and_then(|r| {
            email::build_message(&self.config.email, to, reply_to, r, &job.id, attachment)
        });
        let message = match message {
            Ok(m) => m,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        match self.mailer.send(&message).await {
            Ok(()) => {
                tracing::info!(job = %job.id, kind = %job.kind, "email sent");
                Outcome::Sent
            }
            Err(SendError::Transient(e)) => Outcome::Retry(e),
            Err(SendError::Permanent(e)) => Outcome::Failed(e),
        }
    }

    fn answer_url(&self, id: &str, action: &str, now: DateTime<Utc>) -> String {
        let signature = self
            .config
            .key
            .sign(&answer_message(id, action), now + LINK_VALIDITY);
        format!(
            "{}{}",
            self.config.email.public_url,
            links::answer_path(id, action, &signature)
        )
    }

    fn deletion_url(&self, id: &str, now: DateTime<Utc>) -> String {
        let signature = self
            .config
            .key
            .sign(&deletion_message(id), now + DELETION_LINK_VALIDITY);
        format!(
            "{}{}",
            self.config.email.public_url,
            links::deletion_path(id, &signature)
        )
    }
}

/// How long the loop waits after a round with nothing to send: the poll
/// interval, or less when a deferred job (throttle) is due sooner.
fn pause_until(poll: Duration, now: DateTime<Utc>, next_due: Option<DateTime<Utc>>) -> Duration {
    next_due.map_or(poll, |due| {
        (due - now)
            .to_std()
            .unwrap_or_default()
            .clamp(Duration::from_millis(10), poll)
    })
}

/// Deletes CVs older than [`CV_RETENTION`] and anonymises applications
/// older than [`ANONYMISE_AFTER`]; returns both counts.
///
/// # Errors
/// When the store fails.
pub async fn purge(store: &Store, now: DateTime<Utc>) -> Result<(u64, u64), StoreError> {
    let cvs = store.purge_cvs(now - CV_RETENTION, now).await?;
    let anonymised = store
        .anonymise_applications(now - ANONYMISE_AFTER, now)
        .await?;
    Ok((cvs, anonymised))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_waits_for_the_next_deferred_job_not_a_whole_poll() {
        let poll = Duration::from_secs(2);
        let now: DateTime<Utc> = "2026-05-04T10:00:00.200Z".parse().unwrap();
        let next_second: DateTime<Utc> = "2026-05-04T10:00:01Z".parse().unwrap();
        assert_eq!(pause_until(poll, now, None), poll);
        assert_eq!(
            pause_until(poll, now, Some(next_second)),
            Duration::from_millis(800)
        );
        // Due already: a short pause, never a busy loop.
        assert_eq!(
            pause_until(poll, next_second, Some(now)),
            Duration::from_millis(10)
        );
        // Pushed an hour later (paused campaign): the poll interval.
        assert_eq!(
            pause_until(poll, now, Some(now + TimeDelta::hours(1))),
            poll
        );
    }
}
