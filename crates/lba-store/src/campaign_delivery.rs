//! Delivery of campaign messages: the rows written at launch (one per
//! campaign, person, channel and recipient, with their tracked links and one
//! outbox job each, in one transaction), and what the worker, the tracked
//! link redirect, the unsubscribe page and the provider webhook read and
//! write while sending.

use chrono::{DateTime, Utc};

use crate::{Store, StoreError};

/// Outbox job kind of a campaign message.
pub const JOB_KIND: &str = "campaign_message";

/// The outbox dedupe key of message `id`.
pub fn job_dedupe_key(id: i64) -> String {
    format!("{JOB_KIND}:{id}")
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
    /// E-mail address or E.164 number.
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

/// Runs `$body` in a transaction of whichever backend the store holds.
macro_rules! in_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match $store {
            Store::Sqlite(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            Store::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

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
            let mut inserted = 0_u64;
            for m in messages {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO campaign_messages (campaign_id, person_id, channel, \
                     recipient_kind, arm, recipient, subject, body_text, body_html, status, \
                     attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', \
                     0, $10) ON CONFLICT (campaign_id, person_id, channel, recipient_kind) \
                     DO NOTHING RETURNING id",
                )
                .bind(&m.campaign_id)
                .bind(&m.person_id)
                .bind(&m.channel)
                .bind(&m.recipient_kind)
                .bind(&m.arm)
                .bind(&m.recipient)
                .bind(&m.subject)
                .bind(&m.body_text)
                .bind(&m.body_html)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else { continue };
                inserted += 1;
                for link in &m.links {
                    sqlx::query(
                        "INSERT INTO campaign_links (code, message_id, target, kind, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
                    )
                    .bind(&link.code)
                    .bind(id)
                    .bind(&link.target)
                    .bind(&link.kind)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let job = crate::outbox::NewJob {
                    id: format!("cm-{id}"),
                    kind: JOB_KIND.to_owned(),
                    payload: serde_json::json!({ "message": id }).to_string(),
                    subject: m.campaign_id.clone(),
                    dedupe_key: job_dedupe_key(id),
                    not_before_ms,
                };
                crate::outbox::insert_job!(&mut *tx, &job);
            }
            inserted
        });
        Ok(inserted)
    }
}
