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
//!
//! The transaction is what the campaign's senders wait for, and on
//! PostgreSQL each costs a commit: [`Store::take_send_slots`] takes the
//! slots of several messages in one (the worker gathers the messages of a
//! round that ask while another transaction is running), with the same
//! count and the same lock, so the rate stays exact.

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
    /// module documentation). [`Store::take_send_slots`] for one message.
    pub async fn take_send_slot(
        &self,
        id: i64,
        campaign_id: &str,
        rate: u32,
        second: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<SendSlot, StoreError> {
        let slots = self
            .take_send_slots(&[id], campaign_id, rate, second, now)
            .await?;
        Ok(slots.first().copied().unwrap_or(SendSlot::Finished))
    }

    /// Takes sending slots of `campaign_id` in the second starting at
    /// `second` for several of its messages at once: one transaction (one
    /// commit, one wait for the campaign's row) however many messages ask.
    /// The free slots go to the open messages (`pending` or `sending`) in
    /// id order; returns one [`SendSlot`] per id of `ids`, in the same
    /// order. Never more than `rate` in the second, whatever the number of
    /// callers and messages.
    pub async fn take_send_slots(
        &self,
        ids: &[i64],
        campaign_id: &str,
        rate: u32,
        second: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<SendSlot>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let next = second + TimeDelta::seconds(1);
        let (taken, open) = in_tx!(self, |tx| {
            let launched = sqlx::query(
                "UPDATE campaigns SET consecutive_errors = consecutive_errors \
                 WHERE id = $1 AND status = 'launched'",
            )
            .bind(campaign_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if launched == 0 {
                return Ok(vec![SendSlot::NotLaunched; ids.len()]);
            }
            let used: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM campaign_messages WHERE campaign_id = $1 \
                 AND sending_at >= $2 AND sending_at < $3",
            )
            .bind(campaign_id)
            .bind(second)
            .bind(next)
            .fetch_one(&mut *tx)
            .await?;
            let free = (i64::from(rate) - used).max(0);
            let mut taken: Vec<i64> = Vec::new();
            if free > 0 {
                // The open messages among `ids`, lowest ids first, as many
                // as there are free slots: marked in the same statement.
                let mut query = sqlx::QueryBuilder::new(
                    "UPDATE campaign_messages SET status = 'sending', attempts = attempts + 1, \
                     last_error = NULL, sending_at = ",
                );
                query.push_bind(now);
                query.push(
                    " WHERE status IN ('pending', 'sending') AND id IN (SELECT id FROM \
                     campaign_messages WHERE status IN ('pending', 'sending') AND campaign_id = ",
                );
                query.push_bind(campaign_id);
                push_ids(&mut query, ids);
                query.push(" ORDER BY id LIMIT ");
                query.push_bind(free);
                query.push(") RETURNING id");
                taken = query.build_query_scalar().fetch_all(&mut *tx).await?;
            }
            // Full or finished: told apart only when some were refused while
            // no slot was left (a finished message must not wait for a slot).
            let mut open: Vec<i64> = Vec::new();
            if ids.len() > taken.len() && i64::try_from(taken.len()).unwrap_or(i64::MAX) >= free {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT id FROM campaign_messages WHERE status IN ('pending', 'sending') \
                     AND campaign_id = ",
                );
                query.push_bind(campaign_id);
                push_ids(&mut query, ids);
                open = query.build_query_scalar().fetch_all(&mut *tx).await?;
            }
            (taken, open)
        });
        Ok(ids
            .iter()
            .map(|id| {
                if taken.contains(id) {
                    SendSlot::Taken
                } else if open.contains(id) {
                    SendSlot::Full
                } else {
                    SendSlot::Finished
                }
            })
            .collect())
    }
}

/// ` AND id IN (…ids)`, bound.
fn push_ids<'a, DB: sqlx::Database>(query: &mut sqlx::QueryBuilder<'a, DB>, ids: &[i64])
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query.push(" AND id IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    list.push_unseparated(")");
}
