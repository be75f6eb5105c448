//! The cohort's outcomes (`cohort_outcomes`): dated events imported from
//! outcomes files and from the changes between two cohort exports, and the
//! per-person rows of a campaign that the impact estimates are computed
//! from (aggregated in SQL).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use lba_campaign::outcome::{OutcomeEvent, OutcomeSource};
use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::portable::{Portable, PushValue as _};
use crate::{Store, StoreError};

/// Rows per `INSERT` (7 values each).
const ROWS_PER_INSERT: usize = 1_000;

/// One outcome to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutcome {
    /// Cohort person id (`parcoursup:…`).
    pub person_id: String,
    /// What happened.
    pub event: OutcomeEvent,
    /// When.
    pub date: NaiveDate,
    /// Where it comes from.
    pub source: OutcomeSource,
    /// The employer's SIRET ('' when none).
    pub employer_siret: String,
    /// The course key ('' when none).
    pub course_key: String,
}

/// A stored outcome.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct StoredOutcome {
    /// Event (stored spelling).
    pub event: String,
    /// When.
    pub event_date: NaiveDate,
    /// Source.
    pub source: String,
    /// Employer ('' when none).
    pub employer_siret: String,
    /// Course key ('' when none).
    pub course_key: String,
}

async fn insert_new<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    rows: &[NewOutcome],
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut written = 0;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut query = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO cohort_outcomes (person_id, event, event_date, source, \
             employer_siret, course_key, imported_at) ",
        );
        query.push_values(chunk, |mut b, o| {
            b.push_value(o.person_id.as_str())
                .push_value(o.event.as_str())
                .push_value(o.date)
                .push_value(o.source.as_str())
                .push_value(o.employer_siret.as_str())
                .push_value(o.course_key.as_str())
                .push_value(now);
        });
        query.push(
            " ON CONFLICT (person_id, event, event_date, source, employer_siret, course_key) \
             DO NOTHING",
        );
        written += DB::execute_builder(tx, &mut query).await?;
    }
    Ok(written)
}

impl Store {
    /// Stores `rows` in one transaction; an event already stored (same
    /// person, event, date, source, employer and course) is left alone.
    /// Returns how many were new.
    pub async fn insert_outcomes(&self, rows: &[NewOutcome]) -> Result<u64, StoreError> {
        let now = Utc::now();
        Ok(in_tx!(self, |tx| insert_new(&mut tx, rows, now).await?))
    }

    /// Every cohort person id by candidate id (a candidate id may exist on
    /// both platforms).
    pub async fn people_by_candidate(&self) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let rows: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT candidate_id, id FROM cohort_people")
                .fetch(pool)
                .try_collect()
                .await
        })?;
        let mut out: HashMap<String, Vec<String>> = HashMap::with_capacity(rows.len());
        for (candidate, id) in rows {
            out.entry(candidate).or_default().push(id);
        }
        Ok(out)
    }

    /// The stored wish states of `ids`: (person, wish key) → (status,
    /// contract signed), to see what a newer cohort export changes.
    pub async fn wish_states(
        &self,
        ids: &[&str],
    ) -> Result<HashMap<(String, String), (String, bool)>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(1_000) {
            let rows: Vec<(String, String, String, bool)> = with_pool!(self, |pool| {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT person_id, wish_key, status, contract_signed FROM cohort_wishes \
                     WHERE person_id IN (",
                );
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await
            })?;
            for (person, wish, status, signed) in rows {
                out.insert((person, wish), (status, signed));
            }
        }
        Ok(out)
    }

    /// The outcomes of one person, oldest first.
    pub async fn person_outcomes(&self, person_id: &str) -> Result<Vec<StoredOutcome>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT event, event_date, source, employer_siret, course_key FROM cohort_outcomes \
                 WHERE person_id = $1 ORDER BY event_date, event",
            )
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// How many outcomes are stored.
    pub async fn outcome_count(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM cohort_outcomes")
                .fetch_one(pool)
                .await
        })?)
    }
}

/// People of a campaign with the same arm, stratum, first contract date and
/// funnel steps.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ImpactGroup {
    /// Arm.
    pub arm: String,
    /// Assignment stratum ("département|level").
    pub stratum: String,
    /// First `contrat_signe` date, if any.
    pub contract_date: Option<NaiveDate>,
    /// A message was delivered (1) or not (0).
    pub reached: i32,
    /// A tracked link was followed.
    pub clicked: i32,
    /// A tracked link to a search was followed.
    pub searched: i32,
    /// Applied through the service since the launch (their or a parent's
    /// e-mail) or sent a contact request to a CFA from the campaign.
    pub acted: i32,
    /// People in the group.
    pub people: i64,
}

/// One person of a campaign for the pseudonymised export.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ImpactPerson {
    /// Person id (never exported as such).
    pub person_id: String,
    /// Arm.
    pub arm: String,
    /// Stratum.
    pub stratum: String,
    /// First contract date.
    pub contract_date: Option<NaiveDate>,
    /// Reached.
    pub reached: i32,
    /// Clicked.
    pub clicked: i32,
    /// Searched.
    pub searched: i32,
    /// Applied or contacted a CFA.
    pub acted: i32,
}

/// The per-person columns of a campaign: `$1` campaign, `$2` launch (the
/// applications counted from; none when NULL). Correlated subqueries on
/// indexed keys: messages by (campaign, person), events by message, CFA
/// requests by person, applications by normalised e-mail, outcomes by
/// person.
const PER_PERSON: &str = "SELECT a.person_id, a.arm, a.stratum, \
     (SELECT MIN(o.event_date) FROM cohort_outcomes o \
      WHERE o.person_id = a.person_id AND o.event = 'contrat_signe') AS contract_date, \
     CASE WHEN EXISTS (SELECT 1 FROM campaign_messages m JOIN message_events e ON e.message_id = m.id \
      WHERE m.campaign_id = a.campaign_id AND m.person_id = a.person_id AND e.kind = 'delivered') \
      THEN 1 ELSE 0 END AS reached, \
     CASE WHEN EXISTS (SELECT 1 FROM campaign_messages m JOIN message_events e ON e.message_id = m.id \
      WHERE m.campaign_id = a.campaign_id AND m.person_id = a.person_id AND e.kind = 'clicked') \
      THEN 1 ELSE 0 END AS clicked, \
     CASE WHEN EXISTS (SELECT 1 FROM campaign_messages m JOIN message_events e ON e.message_id = m.id \
      WHERE m.campaign_id = a.campaign_id AND m.person_id = a.person_id AND e.kind = 'clicked' \
      AND (e.detail = 'recherche' OR EXISTS (SELECT 1 FROM campaign_links l WHERE l.message_id = m.id \
      AND l.kind = 'recherche' AND l.code = e.detail))) THEN 1 ELSE 0 END AS searched, \
     CASE WHEN EXISTS (SELECT 1 FROM appointment_requests r \
      WHERE r.person_id = a.person_id AND r.campaign_id = a.campaign_id) \
      OR EXISTS (SELECT 1 FROM applications ap \
      WHERE ap.email_norm IN (LOWER(p.email), LOWER(p.parent_email)) AND ap.created_at >= $2) \
      THEN 1 ELSE 0 END AS acted \
     FROM campaign_assignments a JOIN cohort_people p ON p.id = a.person_id \
     WHERE a.campaign_id = $1";

/// The same columns for PostgreSQL: the message flags, the first contract
/// and the CFA requests from aggregates joined by hash (PostgreSQL's planner runs the
/// correlated `EXISTS` of [`PER_PERSON`] as per-row subplans and a hashed
/// scan of every event, about 30 % slower at 20,000 people and 480,000
/// events; on SQLite the `EXISTS` probes stop at the first match and are
/// about twice as fast as this aggregate).
const PER_PERSON_POSTGRES: &str = "SELECT a.person_id, a.arm, a.stratum, \
     c.contract_date, \
     COALESCE(f.reached, 0) AS reached, COALESCE(f.clicked, 0) AS clicked, \
     COALESCE(f.searched, 0) AS searched, \
     CASE WHEN r.person_id IS NOT NULL \
      OR EXISTS (SELECT 1 FROM applications ap \
      WHERE ap.email_norm IN (LOWER(p.email), LOWER(p.parent_email)) AND ap.created_at >= $2) \
      THEN 1 ELSE 0 END AS acted \
     FROM campaign_assignments a JOIN cohort_people p ON p.id = a.person_id \
     LEFT JOIN (SELECT o.person_id, MIN(o.event_date) AS contract_date FROM cohort_outcomes o \
      WHERE o.event = 'contrat_signe' GROUP BY o.person_id) c ON c.person_id = a.person_id \
     LEFT JOIN (SELECT DISTINCT person_id FROM appointment_requests WHERE campaign_id = $1) r \
      ON r.person_id = a.person_id \
     LEFT JOIN (SELECT m.person_id, \
      MAX(CASE WHEN e.kind = 'delivered' THEN 1 ELSE 0 END) AS reached, \
      MAX(CASE WHEN e.kind = 'clicked' THEN 1 ELSE 0 END) AS clicked, \
      MAX(CASE WHEN e.kind = 'clicked' AND (e.detail = 'recherche' OR l.kind = 'recherche') \
      THEN 1 ELSE 0 END) AS searched \
      FROM campaign_messages m JOIN message_events e ON e.message_id = m.id \
      LEFT JOIN campaign_links l ON l.message_id = m.id AND l.code = e.detail \
      WHERE m.campaign_id = $1 GROUP BY m.person_id) f ON f.person_id = a.person_id \
     WHERE a.campaign_id = $1";

impl Store {
    /// Runs `sql(per_person)` (the per-person query of the backend, wrapped)
    /// bound to the campaign and its launch.
    async fn per_person_query<T>(
        &self,
        sql: impl Fn(&str) -> String,
        campaign_id: &str,
        launched_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<T>, StoreError>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        match self {
            Store::Sqlite(pool) => Ok(sqlx::query_as(&sql(PER_PERSON))
                .bind(campaign_id)
                .bind(launched_at)
                .fetch_all(pool)
                .await?),
            // PostgreSQL only: the correlated subqueries make the planner's
            // cost estimate large, which turns on JIT compilation, and
            // compiling takes longer (about a second) than running the query
            // with index probes (a few hundred ms for 20,000 people). `SET
            // LOCAL` limits that to this transaction.
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
                let rows = sqlx::query_as(&sql(PER_PERSON_POSTGRES))
                    .bind(campaign_id)
                    .bind(launched_at)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(rows)
            }
        }
    }

    /// The people of a campaign grouped by arm, stratum, contract date and
    /// funnel steps (a few thousand rows for a 20,000-person campaign).
    pub async fn impact_groups(
        &self,
        campaign_id: &str,
        launched_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<ImpactGroup>, StoreError> {
        let sql = |per_person: &str| {
            format!(
                "SELECT arm, stratum, contract_date, reached, clicked, searched, acted, \
                 COUNT(*) AS people FROM ({per_person}) t \
                 GROUP BY arm, stratum, contract_date, reached, clicked, searched, acted"
            )
        };
        self.per_person_query(sql, campaign_id, launched_at).await
    }

    /// The people of a campaign one by one (for the pseudonymised export).
    pub async fn impact_people(
        &self,
        campaign_id: &str,
        launched_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<ImpactPerson>, StoreError> {
        let sql = |per_person: &str| format!("{per_person} ORDER BY a.person_id");
        self.per_person_query(sql, campaign_id, launched_at).await
    }
}
