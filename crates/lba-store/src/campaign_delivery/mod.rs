//! Delivery of campaign messages: the rows written at launch (one per
//! campaign, person, channel and recipient, with their tracked links and one
//! outbox job each, in one transaction), and what the worker, the tracked
//! link redirect, the unsubscribe page and the provider webhook read and
//! write while sending.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lba_campaign::MessageStatus;
use lba_campaign::segment::{Channel, Recipient};
use lba_core::contact::normalized_address;

use crate::backend::{in_tx, with_pool};
use crate::outbox::JobKind;
use crate::{Store, StoreError};

mod events;
mod sending;
mod throttle;

pub use throttle::SendSlot;

/// Outbox job kind of a campaign message, as stored.
pub const JOB_KIND: &str = JobKind::CampaignMessage.as_str();

/// The outbox dedupe key of message `id`.
pub fn job_dedupe_key(id: i64) -> String {
    JobKind::CampaignMessage.key(&id.to_string())
}

/// A tracked link of a message to insert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLink {
    /// Short code (`/c/{code}`).
    pub code: String,
    /// Where the link goes.
    pub target: String,
    /// What it is for (cfa, formation, entreprise, offre, recherche…).
    pub kind: String,
}

/// A rendered message to insert at launch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// Campaign.
    pub campaign_id: String,
    /// Person of the cohort.
    pub person_id: String,
    /// "email" or "sms".
    pub channel: String,
    /// "young" or "parent".
    pub recipient_kind: String,
    /// Arm of the person.
    pub arm: String,
    /// E-mail address or E.164 number (stored with its normalised form,
    /// which look-ups by address compare).
    pub recipient: String,
    /// Subject (e-mail).
    pub subject: Option<String>,
    /// Text body (SMS: already ending with the STOP mention).
    pub body_text: String,
    /// HTML body (e-mail).
    pub body_html: Option<String>,
    /// Tracked links of the message.
    pub links: Vec<NewLink>,
}

/// A message as the worker and the reports read it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredMessage {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: String,
    /// Person of the cohort.
    pub person_id: String,
    /// "email" or "sms".
    pub channel: String,
    /// "young" or "parent".
    pub recipient_kind: String,
    /// Arm.
    pub arm: String,
    /// E-mail address or E.164 number.
    pub recipient: String,
    /// Subject (e-mail).
    pub subject: Option<String>,
    /// Text body.
    pub body_text: String,
    /// HTML body (e-mail).
    pub body_html: Option<String>,
    /// pending, sending, sent, failed, suppressed or skipped.
    pub status: String,
    /// Send attempts so far.
    pub attempts: i64,
    /// Last error.
    pub last_error: Option<String>,
    /// Id given by the e-mail server or the SMS gateway.
    pub provider_id: Option<String>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
}

/// The typed mapping of the text columns of a message (`None` for a stored
/// spelling this version does not know).
impl StoredMessage {
    /// Its channel.
    pub fn sent_on(&self) -> Option<Channel> {
        Channel::parse(&self.channel)
    }

    /// Who it is for.
    pub fn addressed_to(&self) -> Option<Recipient> {
        Recipient::parse(&self.recipient_kind)
    }

    /// Where it is.
    pub fn state(&self) -> Option<MessageStatus> {
        MessageStatus::parse(&self.status)
    }
}

/// A tracked link.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredLink {
    /// Code.
    pub code: String,
    /// Message the link is in.
    pub message_id: i64,
    /// Where it goes.
    pub target: String,
    /// What it is for.
    pub kind: String,
}

pub use lba_campaign::{EventKind, SuppressionReason};

/// Rows per multi-row `INSERT` at launch: at most 11 bound parameters a row,
/// far below SQLite's 32,766 and PostgreSQL's 65,535 per statement.
const INSERT_ROWS: usize = 1_000;

/// (campaign, person, channel, recipient_kind): the unique key of a message.
type MessageKey<'a> = (&'a str, &'a str, &'a str, &'a str);

fn key(m: &NewMessage) -> MessageKey<'_> {
    (&m.campaign_id, &m.person_id, &m.channel, &m.recipient_kind)
}

const MESSAGE_COLUMNS: &str = "id, campaign_id, person_id, channel, recipient_kind, arm, \
    recipient, subject, body_text, body_html, status, attempts, last_error, provider_id, sent_at";

impl Store {
    /// Inserts the messages (`ON CONFLICT (campaign, person, channel,
    /// recipient_kind) DO NOTHING`), their links and one outbox job each
    /// (kind `campaign_message`, payload `{"message": id}`, subject = the
    /// campaign id, dedupe key `campaign_message:{id}`, due at `not_before`)
    /// in ONE transaction; returns how many messages were new. Messages
    /// already stored (a launch re-run after a crash) are left untouched.
    pub async fn insert_messages(
        &self,
        messages: &[NewMessage],
        not_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let not_before_ms = not_before.timestamp_millis();
        let inserted = in_tx!(self, |tx| {
            // Multi-row INSERTs (see `INSERT_ROWS`); the ids come back with
            // their keys, so they are mapped by key, not by row order.
            let mut ids: HashMap<MessageKey<'_>, i64> = HashMap::with_capacity(messages.len());
            for chunk in messages.chunks(INSERT_ROWS) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO campaign_messages (campaign_id, person_id, channel, \
                     recipient_kind, arm, recipient, recipient_norm, subject, body_text, \
                     body_html, status, attempts, created_at) ",
                );
                query.push_values(chunk, |mut row, m| {
                    row.push_bind(&m.campaign_id)
                        .push_bind(&m.person_id)
                        .push_bind(&m.channel)
                        .push_bind(&m.recipient_kind)
                        .push_bind(&m.arm)
                        .push_bind(&m.recipient)
                        .push_bind(normalized_address(&m.recipient))
                        .push_bind(&m.subject)
                        .push_bind(&m.body_text)
                        .push_bind(&m.body_html)
                        .push("'pending'")
                        .push("0")
                        .push_bind(now);
                });
                query.push(
                    " ON CONFLICT (campaign_id, person_id, channel, recipient_kind) DO NOTHING \
                     RETURNING campaign_id, person_id, channel, recipient_kind, id",
                );
                let rows: Vec<(String, String, String, String, i64)> =
                    query.build_query_as().fetch_all(&mut *tx).await?;
                let by_key: HashMap<MessageKey<'_>, &NewMessage> =
                    chunk.iter().map(|m| (key(m), m)).collect();
                for (campaign, person, channel, kind, id) in rows {
                    let returned = (
                        campaign.as_str(),
                        person.as_str(),
                        channel.as_str(),
                        kind.as_str(),
                    );
                    if let Some(m) = by_key.get(&returned) {
                        ids.insert(key(m), id);
                    }
                }
            }
            // New messages in batch order; a key repeated in the batch counts
            // once (its first occurrence), as with one INSERT per message.
            let mut new: Vec<(&NewMessage, i64)> = Vec::with_capacity(ids.len());
            for m in messages {
                if let Some(id) = ids.remove(&key(m)) {
                    new.push((m, id));
                }
            }
            let links: Vec<(&NewLink, i64)> = new
                .iter()
                .flat_map(|(m, id)| m.links.iter().map(move |l| (l, *id)))
                .collect();
            for chunk in links.chunks(INSERT_ROWS) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO campaign_links (code, message_id, target, kind, created_at) ",
                );
                query.push_values(chunk, |mut row, (link, id)| {
                    row.push_bind(&link.code)
                        .push_bind(*id)
                        .push_bind(&link.target)
                        .push_bind(&link.kind)
                        .push_bind(now);
                });
                query.push(" ON CONFLICT (code) DO NOTHING");
                query.build().execute(&mut *tx).await?;
            }
            let jobs: Vec<crate::outbox::NewJob> = new
                .iter()
                .map(|(m, id)| crate::outbox::NewJob {
                    id: format!("cm-{id}"),
                    kind: JOB_KIND.to_owned(),
                    payload: serde_json::json!({ "message": id }).to_string(),
                    subject: m.campaign_id.clone(),
                    dedupe_key: job_dedupe_key(*id),
                    not_before_ms,
                })
                .collect();
            let created_at = Utc::now();
            for chunk in jobs.chunks(INSERT_ROWS) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO outbox (id, kind, payload, subject, status, attempts, \
                     next_attempt_at, dedupe_key, created_at) ",
                );
                query.push_values(chunk, |mut row, job| {
                    row.push_bind(&job.id)
                        .push_bind(&job.kind)
                        .push_bind(&job.payload)
                        .push_bind(&job.subject)
                        .push("'pending'")
                        .push("0")
                        .push_bind(job.not_before_ms)
                        .push_bind(&job.dedupe_key)
                        .push_bind(created_at);
                });
                query.push(" ON CONFLICT (dedupe_key) DO NOTHING");
                query.build().execute(&mut *tx).await?;
            }
            u64::try_from(new.len()).unwrap_or(u64::MAX)
        });
        Ok(inserted)
    }

    /// One message.
    pub async fn campaign_message(&self, id: i64) -> Result<Option<StoredMessage>, StoreError> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} FROM campaign_messages WHERE id = $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })?)
    }

    /// The messages of `ids` that exist, in no particular order (the worker
    /// reads a round's messages at once).
    pub async fn campaign_messages_by_id(
        &self,
        ids: &[i64],
    ) -> Result<Vec<StoredMessage>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self, |pool| {
            let mut query = sqlx::QueryBuilder::new(format!(
                "SELECT {MESSAGE_COLUMNS} FROM campaign_messages WHERE id IN ("
            ));
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            list.push_unseparated(")");
            query.build_query_as().fetch_all(pool).await
        })?)
    }

    /// The messages of a campaign, by id.
    pub async fn campaign_messages(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<StoredMessage>, StoreError> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM campaign_messages WHERE campaign_id = $1 ORDER BY id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(campaign_id).fetch_all(pool).await
        })?)
    }

    async fn update_message(
        &self,
        sql: &str,
        id: i64,
        text: Option<&str>,
        now: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(id)
                .bind(text)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// About to hand the message to the provider: `sending`, one more
    /// attempt, `sending_at = now` (what the throttle counts). False when
    /// the message is already finished (sent, failed, suppressed, skipped).
    pub async fn mark_message_sending(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.update_message(
            "UPDATE campaign_messages SET status = 'sending', attempts = attempts + 1, \
             sending_at = $3, last_error = $2 WHERE id = $1 AND status IN ('pending', 'sending')",
            id,
            None,
            Some(now),
        )
        .await
    }

    /// The provider accepted the message.
    pub async fn mark_message_sent(
        &self,
        id: i64,
        provider_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.update_message(
            "UPDATE campaign_messages SET status = 'sent', provider_id = $2, sent_at = $3, \
             last_error = NULL WHERE id = $1 AND status IN ('pending', 'sending')",
            id,
            provider_id,
            Some(now),
        )
        .await
    }

    /// A temporary failure: back to `pending` with the error.
    pub async fn mark_message_retry(&self, id: i64, error: &str) -> Result<bool, StoreError> {
        self.update_message(
            "UPDATE campaign_messages SET status = 'pending', last_error = $2 \
             WHERE id = $1 AND status IN ('pending', 'sending') AND $3 IS NULL",
            id,
            Some(error),
            None,
        )
        .await
    }

    /// Finishes a message that will not be sent: [`MessageStatus::Failed`],
    /// `Suppressed` or `Skipped` (anything else, or an unknown stored name,
    /// is refused), with why.
    pub async fn finish_message(
        &self,
        id: i64,
        status: impl TryInto<MessageStatus>,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let Some(status) = status.try_into().ok().filter(|s| s.is_unsent_end()) else {
            return Ok(false);
        };
        let sql = format!(
            "UPDATE campaign_messages SET status = '{}', last_error = $2 \
             WHERE id = $1 AND status IN ('pending', 'sending') AND $3 IS NULL",
            status.as_str()
        );
        self.update_message(&sql, id, Some(reason), None).await
    }
}
