//! Requests to contact a CFA about a course (issue 17): the contact address
//! and opt-out of each CFA, the requests with the 4-day rule checked in the
//! same transaction as the insert (and their outbox jobs), the CFA's
//! answer, and the rows of the follow-up.

use chrono::{DateTime, Utc};

use crate::backend::{in_tx, with_pool};
use crate::outbox::NewJob;
use crate::{Store, StoreError};

/// What an administrator set for a CFA, and a suspension after a bounce.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CfaContact {
    pub uai: String,
    /// Overrides the catalogue's address.
    pub email: Option<String>,
    pub opted_out: bool,
    /// The address bounced: no request is sent to it any more.
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspended_email: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A request to store.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAppointment {
    pub id: String,
    pub formation_id: String,
    pub course_title: String,
    pub cfa_name: String,
    pub cfa_uai: Option<String>,
    pub cfa_email: String,
    pub referrer: String,
    pub requester: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// Reason codes, comma-separated.
    pub reasons: String,
    pub message: Option<String>,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewAppointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewAppointment({})", self.id)
    }
}

/// A stored request.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Appointment {
    pub id: String,
    pub formation_id: String,
    pub course_title: String,
    pub cfa_name: String,
    pub cfa_uai: Option<String>,
    pub cfa_email: String,
    pub referrer: String,
    pub requester: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub reasons: String,
    pub message: Option<String>,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
    pub answer_reason: Option<String>,
    pub answer_message: Option<String>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub young_told_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Appointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Appointment({})", self.id)
    }
}

/// The follow-up row of one request (no personal data).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AppointmentTimes {
    pub cfa_uai: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Why a request was not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The same address asked about the same course at this time, less
    /// than the rule's days ago.
    Recent(DateTime<Utc>),
}

pub(crate) const COLUMNS: &str = "id, formation_id, course_title, cfa_name, cfa_uai, cfa_email, referrer, requester, first_name, \
    last_name, email, phone, reasons, message, person_id, campaign_id, arm, created_at, read_at, \
    answered_at, answer, answer_reason, answer_message, reminded_at, young_told_at";

impl Store {
    /// What was set for CFA `uai`.
    pub async fn cfa_contact(&self, uai: &str) -> Result<Option<CfaContact>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT uai, email, opted_out, suspended_at, suspended_email, updated_at \
                 FROM cfa_contacts WHERE uai = $1",
            )
            .bind(uai)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Sets the contact address of CFA `uai` (and lifts a suspension).
    pub async fn set_cfa_contact_email(
        &self,
        uai: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO cfa_contacts (uai, email, opted_out, updated_at) \
                 VALUES ($1, $2, FALSE, $3) ON CONFLICT (uai) DO UPDATE SET email = $2, \
                 suspended_at = NULL, suspended_email = NULL, updated_at = $3",
            )
            .bind(uai)
            .bind(email)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Suspends `email` (any case) wherever an administrator set it as a
    /// CFA's contact address (it bounced): no request goes to it until an
    /// administrator sets an address again. Returns the CFAs suspended.
    pub async fn suspend_cfa_contact_email(
        &self,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE cfa_contacts SET suspended_at = $2, suspended_email = email, \
                 updated_at = $2 WHERE LOWER(email) = LOWER($1)",
            )
            .bind(email)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// The CFAs whose contact address is suspended, most recent first.
    pub async fn suspended_cfa_contacts(&self) -> Result<Vec<CfaContact>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT uai, email, opted_out, suspended_at, suspended_email, updated_at \
                 FROM cfa_contacts WHERE suspended_at IS NOT NULL ORDER BY suspended_at DESC",
            )
            .fetch_all(pool)
            .await
        })?)
    }

    /// Opts CFA `uai` out of (or back into) contact requests.
    pub async fn set_cfa_opted_out(
        &self,
        uai: &str,
        opted_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO cfa_contacts (uai, opted_out, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (uai) DO UPDATE SET opted_out = $2, updated_at = $3",
            )
            .bind(uai)
            .bind(opted_out)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Stores a request and its jobs, unless the same address asked about
    /// the same course since `since` (checked in the same transaction).
    pub async fn insert_appointment(
        &self,
        a: &NewAppointment,
        since: DateTime<Utc>,
        jobs: &[NewJob],
    ) -> Result<Result<(), Refused>, StoreError> {
        let email_key = a.email.to_lowercase();
        let outcome = in_tx!(self, |tx| {
            let last: Option<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT MAX(created_at) FROM appointment_requests \
                 WHERE email_key = $1 AND formation_id = $2 AND created_at >= $3",
            )
            .bind(&email_key)
            .bind(&a.formation_id)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            match last {
                Some(last) => Err(Refused::Recent(last)),
                None => {
                    sqlx::query(
                        "INSERT INTO appointment_requests (id, formation_id, course_title, \
                         cfa_name, cfa_uai, cfa_email, referrer, requester, first_name, last_name, \
                         email, email_key, phone, reasons, message, person_id, campaign_id, arm, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                         $13, $14, $15, $16, $17, $18, $19)",
                    )
                    .bind(&a.id)
                    .bind(&a.formation_id)
                    .bind(&a.course_title)
                    .bind(&a.cfa_name)
                    .bind(&a.cfa_uai)
                    .bind(&a.cfa_email)
                    .bind(&a.referrer)
                    .bind(&a.requester)
                    .bind(&a.first_name)
                    .bind(&a.last_name)
                    .bind(&a.email)
                    .bind(&email_key)
                    .bind(&a.phone)
                    .bind(&a.reasons)
                    .bind(&a.message)
                    .bind(&a.person_id)
                    .bind(&a.campaign_id)
                    .bind(&a.arm)
                    .bind(a.created_at)
                    .execute(&mut *tx)
                    .await?;
                    for job in jobs {
                        crate::outbox::insert_job(&mut tx, job).await?;
                    }
                    Ok(())
                }
            }
        });
        Ok(outcome)
    }

    /// Request `id`.
    pub async fn appointment(&self, id: &str) -> Result<Option<Appointment>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM appointment_requests WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Marks request `id` read (the first time only).
    pub async fn mark_appointment_read(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE appointment_requests SET read_at = $2 WHERE id = $1 AND read_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Records the CFA's answer to request `id` and its jobs, once: false
    /// when it was already answered (nothing changed).
    pub async fn answer_appointment(
        &self,
        id: &str,
        answer: &str,
        reason: Option<&str>,
        message: Option<&str>,
        now: DateTime<Utc>,
        jobs: &[NewJob],
    ) -> Result<bool, StoreError> {
        let done = in_tx!(self, |tx| {
            let n = sqlx::query(
                "UPDATE appointment_requests SET answered_at = $2, answer = $3, \
                 answer_reason = $4, answer_message = $5, read_at = COALESCE(read_at, $2) \
                 WHERE id = $1 AND answered_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .bind(answer)
            .bind(reason)
            .bind(message)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                for job in jobs {
                    crate::outbox::insert_job(&mut tx, job).await?;
                }
            }
            n == 1
        });
        Ok(done)
    }

    /// The follow-up rows of every request created since `since`.
    pub async fn appointment_times(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<AppointmentTimes>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT cfa_uai, created_at, read_at, answered_at FROM appointment_requests \
                 WHERE created_at >= $1 ORDER BY cfa_uai, created_at",
            )
            .bind(since)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Unanswered requests created since `since` that still wait for the
    /// CFA's reminder or for the young person's notice, oldest first.
    pub async fn appointments_waiting(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM appointment_requests WHERE answered_at IS NULL \
                 AND created_at >= $1 AND (reminded_at IS NULL OR young_told_at IS NULL) \
                 ORDER BY created_at"
            ))
            .bind(since)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Marks request `id` reminded (`young`: the young person told) and
    /// enqueues `job`, once: false when it was already done or answered.
    pub async fn mark_appointment_reminded(
        &self,
        id: &str,
        young: bool,
        now: DateTime<Utc>,
        job: &NewJob,
    ) -> Result<bool, StoreError> {
        let column = if young {
            "young_told_at"
        } else {
            "reminded_at"
        };
        let done = in_tx!(self, |tx| {
            let n = sqlx::query(&format!(
                "UPDATE appointment_requests SET {column} = $2 \
                 WHERE id = $1 AND {column} IS NULL AND answered_at IS NULL"
            ))
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
            n == 1
        });
        Ok(done)
    }

    /// The requests sent to the CFA address `email` (any case) since
    /// `since`, oldest first: what a hard bounce of that address reported
    /// by the provider's webhook concerns.
    pub async fn appointments_to_cfa_email(
        &self,
        email: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM appointment_requests WHERE LOWER(cfa_email) = LOWER($1) \
                 AND created_at >= $2 ORDER BY created_at"
            ))
            .bind(email)
            .bind(since)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The CFA address of request `id` bounced for good, in one
    /// transaction: the address is suspended for the request's CFA (when it
    /// has a UAI) and, when the request still waits for an answer and
    /// whoever asked was not told yet, the request is marked (no reminder
    /// will go to the dead address, no second notice) and `job` (the notice
    /// to whoever asked) is queued. True when the notice was queued.
    pub async fn bounce_appointment(
        &self,
        id: &str,
        now: DateTime<Utc>,
        job: &NewJob,
    ) -> Result<bool, StoreError> {
        let told = in_tx!(self, |tx| {
            let request: Option<(Option<String>, String)> =
                sqlx::query_as("SELECT cfa_uai, cfa_email FROM appointment_requests WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((Some(uai), email)) = &request {
                sqlx::query(
                    "INSERT INTO cfa_contacts (uai, opted_out, suspended_at, suspended_email, \
                     updated_at) VALUES ($1, FALSE, $2, $3, $2) ON CONFLICT (uai) DO UPDATE SET \
                     suspended_at = $2, suspended_email = $3, updated_at = $2",
                )
                .bind(uai)
                .bind(now)
                .bind(email)
                .execute(&mut *tx)
                .await?;
            }
            let n = sqlx::query(
                "UPDATE appointment_requests SET young_told_at = $2, \
                 reminded_at = COALESCE(reminded_at, $2) \
                 WHERE id = $1 AND answered_at IS NULL AND young_told_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
            n == 1
        });
        Ok(told)
    }

    /// People of campaign `campaign_id` who sent a request, per arm.
    pub async fn appointment_people_by_arm(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT arm, COUNT(DISTINCT person_id) FROM appointment_requests \
                 WHERE campaign_id = $1 AND arm IS NOT NULL GROUP BY arm ORDER BY arm",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
        })?)
    }
}
