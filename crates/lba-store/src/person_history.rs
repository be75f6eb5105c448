//! Read model of one young person's path (`/operateur/personnes/{id}`):
//! campaigns and arms, messages and their events (a click carries the kind
//! of the link followed: search, course, offer, company, module…), modules,
//! orientation pages, contact requests to CFAs with their answers,
//! applications (matched by their or a parent's e-mail), outcomes. One
//! indexed query per kind.

use chrono::{DateTime, Utc};

use crate::backend::with_pool;
use crate::{Store, StoreError};

/// The person's arm in a campaign.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryAssignment {
    /// Campaign.
    pub campaign_id: String,
    /// Its name.
    pub campaign_name: String,
    /// Arm.
    pub arm: String,
    /// When assigned.
    pub assigned_at: DateTime<Utc>,
}

/// A message to the person (or a parent).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryMessage {
    /// Message id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: String,
    /// `email` or `sms`.
    pub channel: String,
    /// `young` or `parent`.
    pub recipient_kind: String,
    /// Status.
    pub status: String,
    /// Recorded.
    pub created_at: DateTime<Utc>,
    /// Handed to the provider.
    pub sent_at: Option<DateTime<Utc>>,
}

/// An event of one of the person's messages.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryEvent {
    /// Message.
    pub message_id: i64,
    /// Campaign.
    pub campaign_id: String,
    /// `delivered`, `clicked`, `bounced`, `unsubscribed`, `stop`…
    pub kind: String,
    /// For a click: the kind of the link (`recherche`, `formation`…).
    pub link_kind: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A learning module attempt.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryModule {
    /// Module id.
    pub module_id: String,
    /// Campaign of the link followed, if any.
    pub campaign_id: Option<String>,
    /// Started.
    pub started_at: DateTime<Utc>,
    /// Completed.
    pub completed_at: Option<DateTime<Utc>>,
}

/// An orientation results page.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryOrientation {
    /// Shown.
    pub shown_at: DateTime<Utc>,
    /// Campaign.
    pub campaign_id: Option<String>,
    /// Suggestions followed (fiche, search, application).
    pub follow_ups: i64,
}

/// A contact request to a CFA and its answer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryCfaRequest {
    /// Request id.
    pub id: String,
    /// Course title.
    pub course_title: String,
    /// CFA name.
    pub cfa_name: String,
    /// Campaign.
    pub campaign_id: Option<String>,
    /// Sent.
    pub created_at: DateTime<Utc>,
    /// Read by the CFA.
    pub read_at: Option<DateTime<Utc>>,
    /// Answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// `telephone`, `email` or `impossible`.
    pub answer: Option<String>,
}

/// An application through the service.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryApplication {
    /// `offer` or `company`.
    pub target_kind: String,
    /// Offer title or company.
    pub target_title: String,
    /// Company name.
    pub company_name: String,
    /// Sent.
    pub created_at: DateTime<Utc>,
    /// The recruiter's answer.
    pub answer: Option<String>,
    /// When answered.
    pub answered_at: Option<DateTime<Utc>>,
}

/// Everything stored about a person's path, each list oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonHistory {
    /// Campaigns and arms.
    pub assignments: Vec<HistoryAssignment>,
    /// Messages.
    pub messages: Vec<HistoryMessage>,
    /// Message events.
    pub events: Vec<HistoryEvent>,
    /// Modules.
    pub modules: Vec<HistoryModule>,
    /// Orientation pages.
    pub orientation: Vec<HistoryOrientation>,
    /// CFA requests.
    pub cfa_requests: Vec<HistoryCfaRequest>,
    /// Applications.
    pub applications: Vec<HistoryApplication>,
    /// Outcomes.
    pub outcomes: Vec<crate::outcomes::StoredOutcome>,
}

impl Store {
    /// The path of `person_id` (empty lists for an unknown id).
    pub async fn person_history(&self, person_id: &str) -> Result<PersonHistory, StoreError> {
        let assignments = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT a.campaign_id, c.name AS campaign_name, a.arm, a.assigned_at \
                 FROM campaign_assignments a JOIN campaigns c ON c.id = a.campaign_id \
                 WHERE a.person_id = $1 ORDER BY a.assigned_at",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let messages = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, campaign_id, channel, recipient_kind, status, created_at, sent_at \
                 FROM campaign_messages WHERE person_id = $1 ORDER BY created_at, id",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let events = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT e.message_id, m.campaign_id, e.kind, \
                 CASE WHEN e.kind = 'clicked' THEN COALESCE(l.kind, e.detail) END AS link_kind, \
                 e.created_at FROM campaign_messages m \
                 JOIN message_events e ON e.message_id = m.id \
                 LEFT JOIN campaign_links l ON l.message_id = m.id AND l.code = e.detail \
                 WHERE m.person_id = $1 ORDER BY e.created_at, e.id",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let modules = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT module_id, campaign_id, started_at, completed_at FROM learning_progress \
                 WHERE person_id = $1 ORDER BY started_at",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let orientation = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.shown_at, v.campaign_id, \
                 (SELECT COUNT(*) FROM orientation_follow_ups f WHERE f.view_id = v.id) AS follow_ups \
                 FROM orientation_views v WHERE v.person_id = $1 ORDER BY v.shown_at",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let cfa_requests = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, course_title, cfa_name, campaign_id, created_at, read_at, answered_at, \
                 answer FROM appointment_requests WHERE person_id = $1 ORDER BY created_at",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        let applications = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ap.target_kind, ap.target_title, ap.company_name, ap.created_at, \
                 ap.answer, ap.answered_at FROM cohort_people p \
                 JOIN applications ap ON ap.email_norm IN (LOWER(p.email), LOWER(p.parent_email)) \
                 WHERE p.id = $1 ORDER BY ap.created_at",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(PersonHistory {
            assignments,
            messages,
            events,
            modules,
            orientation,
            cfa_requests,
            applications,
            outcomes: self.person_outcomes(person_id).await?,
        })
    }
}
