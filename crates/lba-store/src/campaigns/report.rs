//! Totals and counts per arm, for the campaign list and the report.

use super::*;

/// Totals of one arm of one campaign for the campaign list.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ArmTotals {
    /// Campaign.
    pub campaign_id: String,
    /// Arm name.
    pub arm: String,
    /// People assigned to the arm.
    pub targeted: i64,
    /// Messages recorded (every status).
    pub messages: i64,
    /// Messages handed to a provider.
    pub sent: i64,
}

impl Store {
    /// People assigned, messages and messages sent per arm of every
    /// campaign, in one query (arms without anyone are absent), ordered by
    /// campaign and arm.
    pub async fn campaign_arm_totals(&self) -> Result<Vec<ArmTotals>, StoreError> {
        let rows: Vec<ArmTotals> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT campaign_id, arm, CAST(SUM(targeted) AS BIGINT) AS targeted, \
                 CAST(SUM(messages) AS BIGINT) AS messages, CAST(SUM(sent) AS BIGINT) AS sent \
                 FROM (SELECT campaign_id, arm, COUNT(*) AS targeted, CAST(0 AS BIGINT) AS messages, \
                 CAST(0 AS BIGINT) AS sent FROM campaign_assignments GROUP BY campaign_id, arm \
                 UNION ALL SELECT campaign_id, arm, CAST(0 AS BIGINT), COUNT(*), \
                 CAST(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM campaign_messages GROUP BY campaign_id, arm) t \
                 GROUP BY campaign_id, arm ORDER BY campaign_id, arm",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

/// Counts of one arm of a campaign for its report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ArmCounts {
    /// People assigned to the arm.
    pub targeted: i64,
    /// Messages recorded (every status).
    pub messages: i64,
    /// Messages handed to a provider.
    pub sent: i64,
    /// Messages with a delivery event.
    pub delivered: i64,
    /// Messages with a bounce event.
    pub bounced: i64,
    /// People who followed a tracked link.
    pub clicked: i64,
    /// People who unsubscribed (link or STOP).
    pub unsubscribed: i64,
    /// People who followed a tracked link to a search.
    pub searches: i64,
    /// People (or their parent) who applied through the service since the
    /// launch, matched by e-mail address.
    pub applications: i64,
}

impl Store {
    /// Report counts per arm name (arms without anyone are absent).
    /// Applications count from `since` (the launch); none without it.
    pub async fn campaign_counts(
        &self,
        id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<std::collections::BTreeMap<String, ArmCounts>, StoreError> {
        let mut out: std::collections::BTreeMap<String, ArmCounts> = Default::default();
        for (arm, n) in self.assignment_counts(id).await? {
            out.entry(arm).or_default().targeted = n;
        }
        let messages: Vec<(String, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT arm, COUNT(*), SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) \
                 FROM campaign_messages WHERE campaign_id = $1 GROUP BY arm",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        for (arm, n, sent) in messages {
            let c = out.entry(arm).or_default();
            c.messages = n;
            c.sent = sent;
        }
        let events: Vec<(String, String, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.arm, e.kind, COUNT(DISTINCT m.id), COUNT(DISTINCT m.person_id) \
                 FROM message_events e JOIN campaign_messages m ON m.id = e.message_id \
                 WHERE m.campaign_id = $1 GROUP BY m.arm, e.kind",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        for (arm, kind, messages, people) in events {
            let c = out.entry(arm).or_default();
            match kind.as_str() {
                "delivered" => c.delivered += messages,
                "bounced" => c.bounced += messages,
                "clicked" => c.clicked += people,
                _ => {}
            }
        }
        // A person who unsubscribed by link and STOP counts once.
        let unsubscribed: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.arm, COUNT(DISTINCT m.person_id) FROM message_events e \
                 JOIN campaign_messages m ON m.id = e.message_id \
                 WHERE m.campaign_id = $1 AND e.kind IN ('unsubscribed', 'stop') GROUP BY m.arm",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        for (arm, n) in unsubscribed {
            out.entry(arm).or_default().unsubscribed = n;
        }
        // A click event's detail is the kind of the link followed (the
        // `/c/{code}` route), or its code.
        let searches: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.arm, COUNT(DISTINCT m.person_id) FROM message_events e \
                 JOIN campaign_messages m ON m.id = e.message_id \
                 WHERE m.campaign_id = $1 AND e.kind = 'clicked' AND (e.detail = 'recherche' \
                 OR EXISTS (SELECT 1 FROM campaign_links l WHERE l.message_id = m.id \
                 AND l.kind = 'recherche' AND l.code = e.detail)) GROUP BY m.arm",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        for (arm, n) in searches {
            out.entry(arm).or_default().searches = n;
        }
        if let Some(since) = since {
            let applications: Vec<(String, i64)> = with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT a.arm, COUNT(DISTINCT a.person_id) FROM campaign_assignments a \
                     JOIN cohort_people p ON p.id = a.person_id \
                     JOIN applications ap \
                     ON ap.email_norm IN (LOWER(p.email), LOWER(p.parent_email)) \
                     WHERE a.campaign_id = $1 AND ap.created_at >= $2 GROUP BY a.arm",
                )
                .bind(id)
                .bind(since)
                .fetch_all(pool)
                .await
            })?;
            for (arm, n) in applications {
                out.entry(arm).or_default().applications = n;
            }
        }
        Ok(out)
    }
}
