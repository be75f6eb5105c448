//! The campaign throttle, taken atomically: "at most `rate` messages of the
//! campaign handed to providers in one second" must hold when many sends of
//! one campaign run at once (several in flight in one worker, several
//! workers on one database).
//!
//! A count followed by a separate `UPDATE` would let two senders both read
//! `rate - 1` and both send. Here the count and the mark are one
//! transaction that first writes the campaign's row (a no-op `UPDATE`):
//! PostgreSQL then holds that row's lock until the commit, so the senders of
//! one campaign take their slots one after the other, and each count (a new
//! snapshot per statement under READ COMMITTED) sees the slots committed
//! before it; SQLite has one writer at a time, and a transaction whose first
//! statement writes takes the write lock before it reads anything.

use chrono::{DateTime, TimeDelta, Utc};

use crate::backend::in_tx;
use crate::{Store, StoreError};

/// What [`Store::take_send_slot`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendSlot {
    /// The message is marked `sending` (`sending_at = now`, one more
    /// attempt): hand it to the provider.
    Taken,
    /// `rate` messages of the campaign already left in that second.
    Full,
    /// The campaign is not `launched` any more (paused, done…).
    NotLaunched,
    /// The message is finished (sent, failed, suppressed, skipped).
    Finished,
}

impl Store {
    /// Takes one of the `rate` sending slots of `campaign_id` in the second
    /// starting at `second` for message `id`, and marks the message
    /// `sending` at `now` (what [`Store::mark_message_sending`] does), in one
    /// transaction that the other senders of the campaign wait for (see the
    /// module documentation).
    pub async fn take_send_slot(
        &self,
        id: i64,
        campaign_id: &str,
        rate: u32,
        second: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<SendSlot, StoreError> {
        let next = second + TimeDelta::seconds(1);
        let slot = in_tx!(self, |tx| {
            let launched = sqlx::query(
                "UPDATE campaigns SET consecutive_errors = consecutive_errors \
                 WHERE id = $1 AND status = 'launched'",
            )
            .bind(campaign_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if launched == 0 {
                SendSlot::NotLaunched
            } else {
                let used: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM campaign_messages WHERE campaign_id = $1 \
                     AND sending_at >= $2 AND sending_at < $3",
                )
                .bind(campaign_id)
                .bind(second)
                .bind(next)
                .fetch_one(&mut *tx)
                .await?;
                if used >= i64::from(rate) {
                    SendSlot::Full
                } else {
                    let marked = sqlx::query(
                        "UPDATE campaign_messages SET status = 'sending', \
                         attempts = attempts + 1, sending_at = $2, last_error = NULL \
                         WHERE id = $1 AND status IN ('pending', 'sending')",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if marked == 0 {
                        SendSlot::Finished
                    } else {
                        SendSlot::Taken
                    }
                }
            }
        });
        Ok(slot)
    }
}
