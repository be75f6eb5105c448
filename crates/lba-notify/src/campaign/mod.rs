//! Sending campaign messages (outbox jobs of kind `campaign_message`,
//! enqueued at launch with the message row): the rules applied at send
//! time, in this order:
//!
//! 1. the message is already finished (sent before a crash that lost the
//!    ack, suppressed, skipped, failed) → the job is acked, nothing is sent;
//! 2. campaign not launched (draft, assigned, paused) → the job and every
//!    other pending job of the campaign wait ([`PAUSED_RECHECK`], resume
//!    brings them back at once) without counting an attempt; campaign done
//!    → message `skipped`;
//! 3. the address is suppressed (opt-out, hard bounce, blocklist, STOP,
//!    complaint) → `suppressed`;
//! 4. outside the send window → the job waits until the window opens:
//!    SMS only Monday–Saturday 08:00–22:00 Europe/Paris, never on a public
//!    holiday; with the August blackout, no message at all in August;
//! 5. no SMS gateway configured → SMS jobs wait (logged), never lost;
//! 6. frequency cap (`spec.cap`, across campaigns, a campaign counting once
//!    per person) reached → `skipped`. When the message may go now (rules 4
//!    and 5 pass), the suppression of rule 3 and the contacts of this rule
//!    are one read (`Store::suppression_and_contact_times`); otherwise the
//!    suppression is read alone, so that it still comes first;
//! 7. throttle: at most `sending.rate_per_second` messages of the campaign
//!    handed to providers in the current second of `now`; the others wait
//!    for the next second. The count and the `sending` mark of the next
//!    rule are one transaction that the campaign's other senders wait for
//!    (`Store::take_send_slots`, several messages of a round in one): exact
//!    with many sends in flight and several workers;
//! 8. the row is marked `sending`, the message goes (e-mail with the
//!    unsubscribe footer and the `List-Unsubscribe` headers of RFC 2369 and
//!    RFC 8058; SMS through the gateway), then the row is marked `sent` with
//!    the provider's id and the job is acked, in one transaction
//!    (`Store::mark_message_sent_and_ack`).
//!
//! The messages of one round share their reads and their throttle
//! transactions (`shared`): the messages are read at once after the claim,
//! each campaign once a round; the messages of a campaign that ask for a
//! slot while another of its slot transactions runs take theirs together
//! in the next one.
//!
//! A send error counts towards `campaigns.consecutive_errors` (a success
//! resets it); reaching `sending.max_consecutive_errors` pauses the
//! campaign with a French reason. The pause stops every send that has not
//! taken its throttle slot yet; the sends already in flight (at most the
//! worker's `concurrency` minus one) still finish, so with concurrency more
//! errors than the maximum may be counted before the campaign stops.
//! Temporary errors are retried with the worker's back-off; permanent ones
//! (or too many attempts) mark the message `failed`.
//!
//! Duplicates: a crash between the claim and the send loses nothing (the
//! lease expires, the job is claimed again, the row is still pending or
//! sending). A crash after the provider accepted but before the row is
//! marked `sent` sends again once the lease expires (at-least-once, the
//! same Message-ID for e-mails); the window is one `UPDATE` for each
//! message in flight.
//!
//! Nothing personal is logged: message and campaign ids only; provider
//! errors have the recipient replaced before they are stored or logged.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use lba_campaign::MessageStatus;
use lba_campaign::segment::{Channel, Recipient};
use lba_campaign::window::SendWindow;
use lba_store::StoreError;
use lba_store::campaign_delivery::{SendSlot, StoredMessage};
use lba_store::campaigns::CampaignStatus;
use lba_store::outbox::Job;
use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use serde::Deserialize;

pub use crate::links::unsubscribe_message;
use crate::links::{self, LinkKey, Signature};
use crate::mailer::SendError;
use crate::worker::{Outcome, Round, Worker};

mod email;
mod shared;

pub use email::*;
pub(crate) use shared::CampaignRound;

/// The jobs of a campaign that is not launched are looked at again after
/// this long (resume makes them due at once).
pub const PAUSED_RECHECK: TimeDelta = TimeDelta::hours(1);
/// Without an SMS gateway, SMS jobs are looked at again after this long.
pub const NO_GATEWAY_RECHECK: TimeDelta = TimeDelta::minutes(10);
/// How long an unsubscribe link works.
pub const UNSUBSCRIBE_VALIDITY: TimeDelta = TimeDelta::days(730);

/// Any hour of any day: the e-mail "window" (only the August blackout
/// closes it).
const ALWAYS: SendWindow = SendWindow {
    start_hour: 0,
    end_hour: 24,
    sundays: true,
    holidays: true,
    august_blackout: false,
};

/// The window of a channel.
#[must_use]
pub fn send_window(channel: &str, august_blackout: bool) -> SendWindow {
    let base = if Channel::parse(channel) == Some(Channel::Sms) {
        SendWindow::MARKETING_SMS
    } else {
        ALWAYS
    };
    base.with_august_blackout(august_blackout)
}

/// The unsubscribe link of message `m`:
/// `{public_url}/desinscription?m={id}&exp=…&sig=…`.
#[must_use]
pub fn unsubscribe_url(
    key: &LinkKey,
    public_url: &str,
    m: &StoredMessage,
    now: DateTime<Utc>,
) -> String {
    let signature = key.sign(
        &unsubscribe_message(&m.channel, &m.recipient, m.id),
        now + UNSUBSCRIBE_VALIDITY,
    );
    format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        links::unsubscribe_path(m.id, &signature)
    )
}

/// Checks an unsubscribe link of message `m` (see [`unsubscribe_url`]).
pub fn verify_unsubscribe(
    key: &LinkKey,
    m: &StoredMessage,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(), crate::links::LinkError> {
    key.verify(
        &unsubscribe_message(&m.channel, &m.recipient, m.id),
        signature,
        now,
    )
}

/// The throttle of the campaign is full: the job waits for `next_second`.
fn throttled(next_second: DateTime<Utc>) -> Outcome {
    Outcome::Deferred {
        at: next_second,
        why: "débit maximal de la campagne atteint".into(),
    }
}

#[derive(Deserialize)]
struct Payload {
    message: i64,
}

/// The message of a `campaign_message` job (`None`: unreadable payload).
pub(crate) fn message_of(job: &Job) -> Option<i64> {
    serde_json::from_str::<Payload>(&job.payload)
        .ok()
        .map(|p| p.message)
}

/// `error` without `recipient` (provider messages may quote it).
fn scrub(error: &str, recipient: &str) -> String {
    if recipient.is_empty() {
        return error.to_owned();
    }
    error
        .replace(recipient, "<destinataire>")
        .replace(recipient.trim_start_matches('+'), "<destinataire>")
}

impl Worker {
    /// Applies the send-time rules to a `campaign_message` job and sends
    /// (see the module documentation).
    pub(crate) async fn process_campaign(
        &self,
        job: &Job,
        round: &Round,
    ) -> Result<Outcome, StoreError> {
        let now = round.now;
        let store = &self.store;
        let second = now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now);
        let next_second = second + TimeDelta::seconds(1);
        // The subject of a message job is its campaign.
        if round.throttle_full(&job.subject) {
            return Ok(throttled(next_second));
        }
        let Some(message) = message_of(job) else {
            return Ok(Outcome::Failed("paramètres illisibles".into()));
        };
        let Some(m) = round.campaign.message(store, message).await? else {
            // Deleted with its campaign.
            return Ok(Outcome::Skipped);
        };
        if !m.state().is_some_and(MessageStatus::is_open) {
            // Sent before a crash that lost the ack, or finished.
            return Ok(Outcome::Skipped);
        }
        // Read once a round for all of its messages (`shared`).
        let Some(campaign) = round.campaign.campaign(store, &m.campaign_id).await? else {
            return Ok(Outcome::Skipped);
        };
        match campaign.stored.status {
            CampaignStatus::Launched => {}
            CampaignStatus::Done => {
                store
                    .finish_message(m.id, MessageStatus::Skipped, "campagne terminée")
                    .await?;
                return Ok(Outcome::Skipped);
            }
            CampaignStatus::Draft | CampaignStatus::Assigned | CampaignStatus::Paused => {
                // The whole campaign waits at once (resume makes it due).
                store
                    .reschedule_campaign_jobs(
                        &m.campaign_id,
                        (now + PAUSED_RECHECK).timestamp_millis(),
                    )
                    .await?;
                return Ok(Outcome::Deferred {
                    at: now + PAUSED_RECHECK,
                    why: format!("campagne {}", campaign.stored.status.label()),
                });
            }
        }
        let spec = match &campaign.spec {
            Ok(spec) => spec,
            Err(e) => {
                let error = format!("spécification de la campagne illisible : {e}");
                store
                    .finish_message(m.id, MessageStatus::Failed, &error)
                    .await?;
                return Ok(Outcome::Failed(error));
            }
        };
        let window = send_window(&m.channel, spec.sending.august_blackout);
        let is_sms = m.sent_on() == Some(Channel::Sms);
        let no_gateway = is_sms && self.sms.is_none();
        if !window.allows(now) || no_gateway {
            // Not sent now: still, a suppressed address finishes the message
            // at once (the suppression rule comes first).
            if let Some(reason) = store.suppression(&m.channel, &m.recipient).await? {
                return self.suppressed(&m, &reason).await;
            }
        }
        if !window.allows(now) {
            return Ok(match window.next_allowed(now) {
                Some(at) => Outcome::Deferred {
                    at,
                    why: "hors de la plage d'envoi autorisée".into(),
                },
                None => {
                    let error = "aucune plage d'envoi autorisée".to_owned();
                    store
                        .finish_message(m.id, MessageStatus::Failed, &error)
                        .await?;
                    Outcome::Failed(error)
                }
            });
        }
        if no_gateway {
            tracing::warn!(message = m.id, campaign = %m.campaign_id, "no SMS gateway configured (LBA_SMS_API_URL, LBA_SMS_API_KEY): campaign SMS wait");
            return Ok(Outcome::Deferred {
                at: now + NO_GATEWAY_RECHECK,
                why: "aucune passerelle SMS configurée".into(),
            });
        }
        // From the cap check to the `sent` mark, one person's messages go
        // one at a time (another campaign's message may be in this round).
        let _person = round.lock(format!("person:{}", m.person_id)).await;
        // The suppression and the cap in one read (one round trip).
        let (suppressed, contacts) = store
            .suppression_and_contact_times(
                &m.channel,
                &m.recipient,
                &m.person_id,
                spec.cap.window_start(now),
                &m.campaign_id,
            )
            .await?;
        if let Some(reason) = suppressed {
            return self.suppressed(&m, &reason).await;
        }
        if !spec.cap.allows(now, &contacts) {
            store
                .finish_message(
                    m.id,
                    MessageStatus::Skipped,
                    &format!(
                        "plafond atteint : {} campagne(s) en {} jour(s)",
                        spec.cap.max_messages, spec.cap.window_days
                    ),
                )
                .await?;
            return Ok(Outcome::Skipped);
        }
        // The throttle's count and the `sending` mark are one step in the
        // store, exact with any number of senders; the messages of the round
        // that ask at about the same time share one transaction.
        let rate = spec.sending.rate_per_second;
        match round
            .campaign
            .take_slot(store, m.id, &m.campaign_id, rate, second, now)
            .await?
        {
            SendSlot::Taken => {}
            SendSlot::Full => {
                round.set_throttle_full(&m.campaign_id);
                return Ok(throttled(next_second));
            }
            SendSlot::NotLaunched => {
                // Paused (or done) since it was read: the next message of the
                // round reads it again (and moves the campaign's jobs).
                round.campaign.forget_campaign(&m.campaign_id).await;
                return Ok(Outcome::Deferred {
                    at: now + PAUSED_RECHECK,
                    why: "campagne plus lancée".into(),
                });
            }
            SendSlot::Finished => return Ok(Outcome::Skipped),
        }
        let sent = if is_sms {
            match &self.sms {
                Some(gateway) => gateway
                    .send(&m.recipient, &m.body_text, &m.campaign_id)
                    .await
                    .map(Some),
                None => Err(SendError::Transient("aucune passerelle SMS".into())),
            }
        } else {
            self.send_campaign_email(&m, now).await
        };
        match sent {
            Ok(provider_id) => {
                // The `sent` mark and the ack in one transaction (one commit).
                store
                    .mark_message_sent_and_ack(
                        m.id,
                        provider_id.as_deref(),
                        now,
                        &job.id,
                        &self.config.worker_id,
                        Utc::now(),
                    )
                    .await?;
                if campaign.stored.consecutive_errors != 0
                    || round.campaign.had_send_error(&m.campaign_id)
                {
                    store.reset_send_errors(&m.campaign_id).await?;
                }
                tracing::info!(message = m.id, campaign = %m.campaign_id, channel = %m.channel, "campaign message sent");
                Ok(Outcome::SentAcked)
            }
            Err(error) => {
                let (permanent, text) = match error {
                    SendError::Permanent(e) => (true, scrub(&e, &m.recipient)),
                    SendError::Transient(e) => (false, scrub(&e, &m.recipient)),
                };
                let errors = store.record_send_error(&m.campaign_id).await?;
                round.campaign.send_error(&m.campaign_id);
                let max = i64::from(spec.sending.max_consecutive_errors);
                if errors >= max {
                    let reason = format!(
                        "Pause automatique : {errors} erreurs d'envoi consécutives (dernière : {text})"
                    );
                    if store
                        .set_campaign_status(
                            &m.campaign_id,
                            &[CampaignStatus::Launched],
                            CampaignStatus::Paused,
                            Some(&reason),
                            now,
                        )
                        .await?
                    {
                        tracing::warn!(campaign = %m.campaign_id, errors, "campaign paused after consecutive send errors");
                    }
                    round.campaign.forget_campaign(&m.campaign_id).await;
                }
                if !permanent && job.attempts < self.config.max_attempts {
                    store.mark_message_retry(m.id, &text).await?;
                    Ok(Outcome::Retry(text))
                } else {
                    store
                        .finish_message(m.id, MessageStatus::Failed, &text)
                        .await?;
                    Ok(Outcome::Failed(text))
                }
            }
        }
    }

    /// Message `m` goes to a suppressed address: finished, not sent.
    async fn suppressed(&self, m: &StoredMessage, reason: &str) -> Result<Outcome, StoreError> {
        self.store
            .finish_message(
                m.id,
                MessageStatus::Suppressed,
                &format!("contact exclu ({reason})"),
            )
            .await?;
        tracing::info!(message = m.id, campaign = %m.campaign_id, %reason, "campaign message suppressed");
        Ok(Outcome::Skipped)
    }

    async fn send_campaign_email(
        &self,
        m: &StoredMessage,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, SendError> {
        let email = &self.config.email;
        let url = unsubscribe_url(&self.config.key, &email.public_url, m, now);
        let message = build_campaign_email(&email.from, &url, m).map_err(SendError::Permanent)?;
        self.mailer.send(&message).await?;
        Ok(Some(
            message_id_header(m.id, &email.from)
                .trim_matches(['<', '>'])
                .to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests;
