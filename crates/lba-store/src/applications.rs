//! Applications (candidate → offer or company): stored with their CV in the
//! same transaction as the outbox jobs that deliver them, quota counts,
//! recruiter answers, and the privacy purges (CV deletion, anonymisation,
//! deletion on request). Contact emails of platform offers live here too.

use chrono::{DateTime, Utc};
use lba_core::application::{Answer, ApplicationStatus, TargetKind};
use lba_core::contact::normalized_address;

use crate::backend::{in_tx, with_pool};
use crate::outbox::NewJob;
use crate::{Store, StoreError};

/// An application to store (fields already validated by `lba-core`).
#[derive(Clone, PartialEq, Eq)]
pub struct NewApplication {
    /// Random id (also the subject of its jobs and the key of its links).
    pub id: String,
    /// `offer` or `company`.
    pub target_kind: String,
    /// Offer id or SIRET.
    pub target_id: String,
    /// Offer title, or the company name for a spontaneous application.
    pub target_title: String,
    /// Company name.
    pub company_name: String,
    /// Where the application goes.
    pub recruiter_email: String,
    /// Candidate's first name.
    pub first_name: String,
    /// Candidate's last name.
    pub last_name: String,
    /// Candidate's email, as typed (stored with its normalised form, which
    /// the quotas compare).
    pub email: String,
    /// Candidate's phone (E.164).
    pub phone: String,
    /// Optional message.
    pub message: Option<String>,
    /// Sanitised CV file name.
    pub cv_name: String,
    /// CV MIME type.
    pub cv_mime: String,
    /// CV content.
    pub cv_bytes: Vec<u8>,
    /// The API caller, when sent through the API.
    pub caller: Option<String>,
    /// Keyed hash of the client IP.
    pub ip_hash: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// No personal data in debug output.
impl std::fmt::Debug for NewApplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApplication")
            .field("id", &self.id)
            .field("target_kind", &self.target_kind)
            .field("target_id", &self.target_id)
            .finish_non_exhaustive()
    }
}

/// A stored application.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredApplication {
    /// Id.
    pub id: String,
    /// An offer or a company.
    pub target_kind: TargetKind,
    /// Offer id or SIRET.
    pub target_id: String,
    /// Offer title or company name.
    pub target_title: String,
    /// Company name.
    pub company_name: String,
    /// Recruiter email (NULL once anonymised).
    pub recruiter_email: Option<String>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Candidate email (NULL once anonymised).
    pub email: Option<String>,
    /// Candidate phone.
    pub phone: Option<String>,
    /// Message.
    pub message: Option<String>,
    /// CV file name.
    pub cv_name: String,
    /// CV MIME type.
    pub cv_mime: String,
    /// CV content, until delivered.
    pub cv_bytes: Option<Vec<u8>>,
    /// Where it is in its life.
    pub status: ApplicationStatus,
    /// The recruiter's answer as stored (`interview` or `refusal`); read it
    /// with [`StoredApplication::answered`]. Text because callers (tests)
    /// read it with `as_deref()`.
    pub answer: Option<String>,
    /// The recruiter's message.
    pub answer_message: Option<String>,
    /// JSON array of refusal reasons.
    pub answer_reasons: Option<String>,
    /// When the recruiter answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// When the candidate applied.
    pub created_at: DateTime<Utc>,
    /// When the recruiter's email was sent.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// No personal data in debug output.
impl std::fmt::Debug for StoredApplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredApplication")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("answer", &self.answer)
            .finish_non_exhaustive()
    }
}

impl StoredApplication {
    /// The recruiter's answer, if any.
    pub fn answered(&self) -> Option<Answer> {
        self.answer.as_deref().and_then(Answer::parse)
    }

    /// The refusal reasons.
    pub fn reasons(&self) -> Vec<String> {
        self.answer_reasons
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default()
    }
}

/// A stored application as read: its states are text until
/// [`ApplicationRow::into_domain`] reads them (the one mapping of the table).
#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: String,
    target_kind: String,
    target_id: String,
    target_title: String,
    company_name: String,
    recruiter_email: Option<String>,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    message: Option<String>,
    cv_name: String,
    cv_mime: String,
    cv_bytes: Option<Vec<u8>>,
    status: String,
    answer: Option<String>,
    answer_message: Option<String>,
    answer_reasons: Option<String>,
    answered_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
}

impl ApplicationRow {
    fn into_domain(self) -> Result<StoredApplication, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt {
            table: "applications",
            key: self.id.clone(),
            detail,
        };
        let target_kind = TargetKind::from_stored(&self.target_kind)
            .ok_or_else(|| corrupt(format!("target_kind « {} »", self.target_kind)))?;
        let status = ApplicationStatus::from_stored(&self.status)
            .ok_or_else(|| corrupt(format!("status « {} »", self.status)))?;
        if let Some(a) = self
            .answer
            .as_deref()
            .filter(|a| Answer::parse(a).is_none())
        {
            return Err(corrupt(format!("answer « {a} »")));
        }
        Ok(StoredApplication {
            id: self.id,
            target_kind,
            target_id: self.target_id,
            target_title: self.target_title,
            company_name: self.company_name,
            recruiter_email: self.recruiter_email,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            phone: self.phone,
            message: self.message,
            cv_name: self.cv_name,
            cv_mime: self.cv_mime,
            cv_bytes: self.cv_bytes,
            status,
            answer: self.answer,
            answer_message: self.answer_message,
            answer_reasons: self.answer_reasons,
            answered_at: self.answered_at,
            created_at: self.created_at,
            delivered_at: self.delivered_at,
        })
    }
}

/// The counts the quotas need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuotaCounts {
    /// Applications of this candidate to this target.
    pub same_target: i64,
    /// Applications of this candidate since the start of the window.
    pub since: i64,
    /// Applications to this target by anyone.
    pub target_total: i64,
}

const APPLICATION_COLUMNS: &str = "id, target_kind, target_id, target_title, company_name, \
    recruiter_email, first_name, last_name, email, phone, message, cv_name, cv_mime, cv_bytes, \
    status, answer, answer_message, answer_reasons, answered_at, created_at, delivered_at";

/// An application its recruiter reads in the pro space (CV kept after delivery).
const KEPT_IN_PRO_SPACE: &str = "(EXISTS (SELECT 1 FROM pro_offers p WHERE \
     applications.target_kind = 'offer' AND p.offer_id = applications.target_id) \
     OR EXISTS (SELECT 1 FROM pro_companies c WHERE \
     applications.target_kind = 'company' AND c.siret = applications.target_id \
     AND c.status = 'validated'))";

impl Store {
    /// Stores `application` and its `jobs` in one transaction: either both
    /// exist or neither does. The candidate's address is stored as typed
    /// and normalised (see [`normalized_address`]).
    pub async fn insert_application(
        &self,
        a: &NewApplication,
        jobs: &[NewJob],
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO applications (id, target_kind, target_id, target_title, \
                 company_name, recruiter_email, first_name, last_name, email, email_norm, phone, \
                 message, cv_name, cv_mime, cv_bytes, status, caller, ip_hash, created_at) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'received', \
                 $16, $17, $18)",
            )
            .bind(&a.id)
            .bind(&a.target_kind)
            .bind(&a.target_id)
            .bind(&a.target_title)
            .bind(&a.company_name)
            .bind(&a.recruiter_email)
            .bind(&a.first_name)
            .bind(&a.last_name)
            .bind(&a.email)
            .bind(normalized_address(&a.email))
            .bind(&a.phone)
            .bind(&a.message)
            .bind(&a.cv_name)
            .bind(&a.cv_mime)
            .bind(&a.cv_bytes)
            .bind(&a.caller)
            .bind(&a.ip_hash)
            .bind(a.created_at)
            .execute(&mut *tx)
            .await?;
            for job in jobs {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
        });
        Ok(())
    }

    /// Counts for the quotas of `email` applying to (`kind`, `id`),
    /// whatever the case of `email` (its normalised form is compared).
    pub async fn quota_counts(
        &self,
        email: &str,
        kind: &str,
        id: &str,
        since: DateTime<Utc>,
    ) -> Result<QuotaCounts, StoreError> {
        let (same_target, since, target_total): (i64, i64, i64) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT \
                 (SELECT COUNT(*) FROM applications WHERE email_norm = $1 AND target_kind = $2 \
                  AND target_id = $3), \
                 (SELECT COUNT(*) FROM applications WHERE email_norm = $1 AND created_at >= $4), \
                 (SELECT COUNT(*) FROM applications WHERE target_kind = $2 AND target_id = $3)",
            )
            .bind(normalized_address(email))
            .bind(kind)
            .bind(id)
            .bind(since)
            .fetch_one(pool)
            .await
        })?;
        Ok(QuotaCounts {
            same_target,
            since,
            target_total,
        })
    }

    /// One application, with its CV when still kept.
    pub async fn application(&self, id: &str) -> Result<Option<StoredApplication>, StoreError> {
        let sql = format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1");
        let row: Option<ApplicationRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })?;
        row.map(ApplicationRow::into_domain).transpose()
    }

    /// The recruiter's email was sent: the application is delivered. The CV
    /// is deleted at once, unless the recruiter downloads it from the pro
    /// space until the 30-day purge (`purge_cvs`): an application to an offer
    /// posted there, or a spontaneous one to a company with an account.
    pub async fn mark_delivered(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(&format!(
                "UPDATE applications SET status = 'delivered', delivered_at = $2, \
                 cv_bytes = CASE WHEN {KEPT_IN_PRO_SPACE} THEN cv_bytes END, \
                 cv_deleted_at = CASE WHEN {KEPT_IN_PRO_SPACE} THEN NULL ELSE $2 END \
                 WHERE id = $1",
            ))
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Delivery gave up ([`ApplicationStatus::Failed`]) or the CV was refused
    /// by the virus scan ([`ApplicationStatus::Infected`]): the CV is deleted.
    pub async fn mark_undeliverable(
        &self,
        id: &str,
        status: ApplicationStatus,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE applications SET status = $2, cv_bytes = NULL, cv_deleted_at = $3 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records (or replaces) the recruiter's answer.
    pub async fn record_answer(
        &self,
        id: &str,
        answer: Answer,
        message: Option<&str>,
        reasons: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reasons = serde_json::to_string(reasons)?;
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE applications SET answer = $2, answer_message = $3, answer_reasons = $4, \
                 answered_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(answer.as_str())
            .bind(message)
            .bind(&reasons)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Deletes an application and cancels the emails about it that are not
    /// sent yet (the candidate asked for it). Returns whether it existed.
    pub async fn delete_application(&self, id: &str) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            sqlx::query(
                "UPDATE outbox SET status = 'cancelled', payload = '{}' \
                 WHERE subject = $1 AND status IN ('pending', 'sending')",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM applications WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0
        }))
    }

    /// Deletes the CVs of applications received before `before` (kept at
    /// most 30 days even when undelivered). Returns how many.
    pub async fn purge_cvs(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE applications SET cv_bytes = NULL, cv_deleted_at = $2 \
                 WHERE cv_bytes IS NOT NULL AND created_at < $1",
            )
            .bind(before)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// Anonymises applications received before `before`: names, contact
    /// details, message and CV removed; the target and dates stay for
    /// statistics. Returns how many.
    pub async fn anonymise_applications(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE applications SET first_name = '', last_name = '', email = NULL, \
                 email_norm = NULL, phone = NULL, message = NULL, recruiter_email = NULL, answer_message = NULL, \
                 cv_name = '', cv_bytes = NULL, ip_hash = NULL, caller = NULL, \
                 anonymised_at = $2 WHERE created_at < $1 AND anonymised_at IS NULL",
            )
            .bind(before)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// Sets the contact email of platform offers (offer id, email).
    pub async fn upsert_offer_contacts(
        &self,
        contacts: &[(String, String)],
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            for (offer, email) in contacts {
                sqlx::query(
                    "INSERT INTO offer_contacts (offer_id, email) VALUES ($1, $2) \
                     ON CONFLICT (offer_id) DO UPDATE SET email = excluded.email",
                )
                .bind(offer)
                .bind(email)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// The contact email of an offer, if known.
    pub async fn offer_contact(&self, offer: &str) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT email FROM offer_contacts WHERE offer_id = $1")
                .bind(offer)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The value of a service setting, storing `default` first when the
    /// setting does not exist yet (the first node to ask wins).
    pub async fn setting_or_insert(&self, name: &str, default: &str) -> Result<String, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO service_settings (name, value) VALUES ($1, $2) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(default)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT value FROM service_settings WHERE name = $1")
                .bind(name)
                .fetch_one(pool)
                .await
        })?)
    }
}
