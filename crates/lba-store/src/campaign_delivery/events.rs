//! Suppressions, delivery events and tracked links of campaign messages.

use super::*;

impl Store {
    /// Why `address` receives nothing on `channel`, when it is suppressed.
    pub async fn suppression(
        &self,
        channel: &str,
        address: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT reason FROM suppressions WHERE channel = $1 AND address = $2",
            )
            .bind(channel)
            .bind(normalized_address(address))
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Suppresses `address` on `channel` (kept normalised: trimmed,
    /// lowercase); false when it
    /// already was (the first reason stays).
    pub async fn suppress(
        &self,
        channel: &str,
        address: &str,
        reason: SuppressionReason,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO suppressions (channel, address, reason, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (channel, address) DO NOTHING",
            )
            .bind(channel)
            .bind(normalized_address(address))
            .bind(reason.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Records an event of message `message_id`.
    pub async fn insert_message_event(
        &self,
        message_id: i64,
        kind: EventKind,
        detail: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO message_events (message_id, kind, detail, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(message_id)
            .bind(kind.as_str())
            .bind(detail)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The events of message `message_id` (kind, detail), oldest first.
    pub async fn message_events(
        &self,
        message_id: i64,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, detail FROM message_events WHERE message_id = $1 ORDER BY id",
            )
            .bind(message_id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The message a provider knows as `provider_id`.
    pub async fn message_by_provider_id(
        &self,
        provider_id: &str,
    ) -> Result<Option<StoredMessage>, StoreError> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM campaign_messages WHERE provider_id = $1 \
             ORDER BY id DESC LIMIT 1"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(provider_id)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The last message sent to `recipient` on `channel` (a STOP reply
    /// carries only the phone number, a bounce may carry only the address),
    /// whatever the case of `recipient`.
    pub async fn last_message_to(
        &self,
        channel: &str,
        recipient: &str,
    ) -> Result<Option<StoredMessage>, StoreError> {
        let sql = format!(
            "SELECT {MESSAGE_COLUMNS} FROM campaign_messages WHERE channel = $1 \
             AND recipient_norm = $2 AND status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT 1"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(channel)
                .bind(normalized_address(recipient))
                .fetch_optional(pool)
                .await
        })?)
    }

    /// A tracked link by its code.
    pub async fn campaign_link(&self, code: &str) -> Result<Option<StoredLink>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT code, message_id, target, kind FROM campaign_links WHERE code = $1",
            )
            .bind(code)
            .fetch_optional(pool)
            .await
        })?)
    }
}
