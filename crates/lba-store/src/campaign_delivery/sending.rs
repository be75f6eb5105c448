//! What the worker's sending rules read and write: contact history (frequency
//! cap), consecutive send errors, rescheduling.

use super::*;

impl Store {
    /// For the frequency cap: when each campaign other than `except`
    /// first reached `person_id` after `since` (one time per campaign: a
    /// campaign counts once, whatever its channels and recipients).
    pub async fn person_contact_times(
        &self,
        person_id: &str,
        since: DateTime<Utc>,
        except: &str,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT MIN(sent_at) FROM campaign_messages WHERE person_id = $1 \
                 AND status = 'sent' AND sent_at > $2 AND campaign_id <> $3 \
                 GROUP BY campaign_id ORDER BY 1",
            )
            .bind(person_id)
            .bind(since)
            .bind(except)
            .fetch_all(pool)
            .await
        })?)
    }

    /// [`Store::suppression`] of `address` on `channel` and
    /// [`Store::person_contact_times`] of `person_id` in one statement (one
    /// round trip for the worker, which needs both before each send).
    pub async fn suppression_and_contact_times(
        &self,
        channel: &str,
        address: &str,
        person_id: &str,
        since: DateTime<Utc>,
        except: &str,
    ) -> Result<(Option<String>, Vec<DateTime<Utc>>), StoreError> {
        // The suppression row (reason, NULL) and one (NULL, first contact)
        // row per other campaign.
        let rows: Vec<(Option<String>, Option<DateTime<Utc>>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT reason, NULL FROM suppressions WHERE channel = $1 AND address = $2 \
                 UNION ALL \
                 SELECT NULL, MIN(sent_at) FROM campaign_messages WHERE person_id = $3 \
                 AND status = 'sent' AND sent_at > $4 AND campaign_id <> $5 \
                 GROUP BY campaign_id",
            )
            .bind(channel)
            .bind(normalized_address(address))
            .bind(person_id)
            .bind(since)
            .bind(except)
            .fetch_all(pool)
            .await
        })?;
        let mut reason = None;
        let mut contacts = Vec::with_capacity(rows.len());
        for row in rows {
            match row {
                (Some(r), _) => reason = Some(r),
                (None, Some(at)) => contacts.push(at),
                (None, None) => {}
            }
        }
        contacts.sort_unstable();
        Ok((reason, contacts))
    }

    /// Messages of `campaign_id` handed to a provider in `[from, to)`, for
    /// the throttle.
    pub async fn campaign_sends_between(
        &self,
        campaign_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM campaign_messages WHERE campaign_id = $1 \
                 AND sending_at >= $2 AND sending_at < $3",
            )
            .bind(campaign_id)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await
        })?)
    }

    /// One more consecutive send error of `campaign_id`; returns the count.
    pub async fn record_send_error(&self, campaign_id: &str) -> Result<i64, StoreError> {
        let n: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "UPDATE campaigns SET consecutive_errors = consecutive_errors + 1 \
                 WHERE id = $1 RETURNING consecutive_errors",
            )
            .bind(campaign_id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(n.unwrap_or(0))
    }

    /// A send succeeded: the consecutive error count of `campaign_id` is 0.
    pub async fn reset_send_errors(&self, campaign_id: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE campaigns SET consecutive_errors = 0 WHERE id = $1 \
                 AND consecutive_errors <> 0",
            )
            .bind(campaign_id)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Pushes every pending message job of `campaign_id` due before
    /// `next_ms` to `next_ms` (a paused campaign: one `UPDATE` instead of
    /// claiming each job); jobs due later keep their time. Returns how many
    /// moved.
    pub async fn reschedule_campaign_jobs(
        &self,
        campaign_id: &str,
        next_ms: i64,
    ) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = $3 WHERE subject = $1 AND kind = $2 \
                 AND status = 'pending' AND next_attempt_at < $3",
            )
            .bind(campaign_id)
            .bind(JOB_KIND)
            .bind(next_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// The provider accepted message `id` (what [`Store::mark_message_sent`]
    /// writes) and its outbox job `job_id` is acked for `worker` (what
    /// [`Store::ack_job`] writes), in one transaction: one commit instead of
    /// two, and no crash can come between them. Returns whether the message
    /// was marked (false: already finished) and whether the job was acked
    /// (false: this worker no longer holds it; the mark stays, the job's next
    /// holder sees the message sent and only acks).
    pub async fn mark_message_sent_and_ack(
        &self,
        id: i64,
        provider_id: Option<&str>,
        sent_at: DateTime<Utc>,
        job_id: &str,
        worker: &str,
        acked_at: DateTime<Utc>,
    ) -> Result<(bool, bool), StoreError> {
        const MARK: &str = "UPDATE campaign_messages SET status = 'sent', provider_id = $2, \
            sent_at = $3, last_error = NULL WHERE id = $1 AND status IN ('pending', 'sending')";
        const ACK: &str = "UPDATE outbox SET status = 'sent', sent_at = $3, lease_until = NULL, \
            last_error = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'sending'";
        match self {
            // One statement (its own transaction): one round trip, where a
            // `BEGIN` … `COMMIT` would make four.
            Store::Postgres(pool) => {
                let (marked, acked): (i64, i64) = sqlx::query_as(
                    "WITH m AS (UPDATE campaign_messages SET status = 'sent', provider_id = $2, \
                     sent_at = $3, last_error = NULL WHERE id = $1 \
                     AND status IN ('pending', 'sending') RETURNING 1), \
                     a AS (UPDATE outbox SET status = 'sent', sent_at = $6, lease_until = NULL, \
                     last_error = NULL WHERE id = $4 AND claimed_by = $5 AND status = 'sending' \
                     RETURNING 1) \
                     SELECT (SELECT COUNT(*) FROM m), (SELECT COUNT(*) FROM a)",
                )
                .bind(id)
                .bind(provider_id)
                .bind(sent_at)
                .bind(job_id)
                .bind(worker)
                .bind(acked_at)
                .fetch_one(pool)
                .await?;
                Ok((marked > 0, acked > 0))
            }
            // SQLite has no `UPDATE` in a `WITH`: two statements, one
            // transaction (no network round trips to save).
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let marked = sqlx::query(MARK)
                    .bind(id)
                    .bind(provider_id)
                    .bind(sent_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let acked = sqlx::query(ACK)
                    .bind(job_id)
                    .bind(worker)
                    .bind(acked_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok((marked > 0, acked > 0))
            }
        }
    }
}
