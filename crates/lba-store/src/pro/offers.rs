//! Offers posted in the pro space. The offer itself is a row of `offers`
//! (origin `platform`): search, the detail page and applications read it
//! as they read any offer, and the in-memory index keeps it only while it
//! is `active` and not past `expires_at`. `pro_offers` adds who posted it
//! and what only the pro space shows; `pro_offer_history` keeps every
//! status change. Each change bumps the data version in its transaction,
//! so every node's index follows (at once on PostgreSQL, `NOTIFY`).

use chrono::{DateTime, Utc};
use lba_core::opportunity::Offer;

use super::AuditEntry;
use super::{audit_in, offer_history_in};
use crate::backend::{in_tx, with_pool};
use crate::opportunities::bump_offers;
use crate::outbox::NewJob;
use crate::{Store, StoreError};

/// What the pro space keeps of an offer besides `offers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProOffer {
    pub company_siret: String,
    pub created_by: String,
    /// A CFA posting on behalf of the company: its UAI.
    pub on_behalf_of_cfa: Option<String>,
    pub rhythm: String,
    pub positions: i64,
    pub profile: String,
    /// JSON array.
    pub questions: String,
}

/// An offer as its recruiter sees it in the dashboard.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ProOffer {
    pub id: String,
    pub title: String,
    pub rome_code: String,
    /// [`lba_core::opportunity::OfferStatus::as_str`].
    pub status: String,
    pub city: String,
    pub company_siret: String,
    pub company_name: String,
    pub created_by: String,
    pub on_behalf_of_cfa: Option<String>,
    pub rhythm: String,
    pub positions: i64,
    pub profile: String,
    pub questions: String,
    pub description: String,
    pub published_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Applications received.
    pub applications: i64,
}

/// One status change of an offer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OfferHistoryEntry {
    pub at: i64,
    pub status: String,
    pub actor: String,
    pub note: Option<String>,
}

const PRO_OFFER_SELECT: &str = "SELECT o.id, o.title, o.rome_code, o.status, o.city, \
     p.company_siret, o.company_name, p.created_by, p.on_behalf_of_cfa, p.rhythm, p.positions, \
     p.profile, p.questions, o.description, o.published_at, o.expires_at, \
     (SELECT COUNT(*) FROM applications a WHERE a.target_kind = 'offer' AND a.target_id = o.id) \
     AS applications \
     FROM pro_offers p JOIN offers o ON o.id = p.offer_id";

impl Store {
    /// Stores a new offer (its `offers` row, where applications go, the
    /// pro-space part, its first history row, its reminder jobs and, for
    /// an administrator or CFA acting, the audit row) in one transaction.
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts written in one transaction"
    )]
    pub async fn insert_pro_offer(
        &self,
        offer: &Offer,
        pro: &NewProOffer,
        contact_email: &str,
        now: i64,
        jobs: &[NewJob],
        audit: Option<&AuditEntry>,
    ) -> Result<(), StoreError> {
        let stamp = Utc::now();
        in_tx!(self, |tx| {
            crate::opportunities::offers_in(&mut tx, std::slice::from_ref(offer), stamp).await?;
            sqlx::query(
                "INSERT INTO offer_contacts (offer_id, email) VALUES ($1, $2) \
                 ON CONFLICT (offer_id) DO UPDATE SET email = $2",
            )
            .bind(&offer.id)
            .bind(contact_email)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO pro_offers (offer_id, company_siret, created_by, on_behalf_of_cfa, \
                 rhythm, positions, profile, questions, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&offer.id)
            .bind(&pro.company_siret)
            .bind(&pro.created_by)
            .bind(&pro.on_behalf_of_cfa)
            .bind(&pro.rhythm)
            .bind(pro.positions)
            .bind(&pro.profile)
            .bind(&pro.questions)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let status = offer.status.as_str();
            offer_history_in(&mut tx, &offer.id, now, status, &pro.created_by, "creee").await?;
            for job in jobs {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
            if let Some(a) = audit {
                audit_in(&mut tx, a).await?;
            }
            bump_offers(&mut tx).await?;
        });
        Ok(())
    }

    /// The offer `id` as the pro space sees it.
    pub async fn pro_offer(&self, id: &str) -> Result<Option<ProOffer>, StoreError> {
        let sql = format!("{PRO_OFFER_SELECT} WHERE o.id = $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })?)
    }

    /// The offers of company `siret`, newest first, with their
    /// application counts (one indexed count per offer).
    pub async fn pro_offers_of_company(&self, siret: &str) -> Result<Vec<ProOffer>, StoreError> {
        let sql = format!(
            "{PRO_OFFER_SELECT} WHERE p.company_siret = $1 ORDER BY p.created_at DESC, o.id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(siret).fetch_all(pool).await
        })?)
    }

    /// The offers a CFA posted on behalf of companies, newest first.
    pub async fn pro_offers_of_cfa(&self, uai: &str) -> Result<Vec<ProOffer>, StoreError> {
        let sql = format!(
            "{PRO_OFFER_SELECT} WHERE p.on_behalf_of_cfa = $1 ORDER BY p.created_at DESC, o.id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(uai).fetch_all(pool).await
        })?)
    }

    /// Every posted offer, newest first (administrators).
    pub async fn pro_offers_all(&self, limit: i64) -> Result<Vec<ProOffer>, StoreError> {
        let sql = format!("{PRO_OFFER_SELECT} ORDER BY p.created_at DESC, o.id LIMIT $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(limit).fetch_all(pool).await
        })?)
    }

    /// Moves offer `id` from one of `from` to `to` (with `expires_at` when
    /// given: an extension), records who and why, queues `jobs`, bumps the
    /// data version: one transaction. False when the offer is not in one
    /// of `from` (already closed: a second click changes nothing).
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of one status change, written in one transaction"
    )]
    pub async fn change_pro_offer(
        &self,
        id: &str,
        from: &[&str],
        to: &str,
        expires_at: Option<DateTime<Utc>>,
        actor: &str,
        note: &str,
        now: i64,
        jobs: &[NewJob],
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let current: Option<String> = sqlx::query_scalar(
                "SELECT o.status FROM offers o JOIN pro_offers p ON p.offer_id = o.id \
                 WHERE o.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if !current.as_deref().is_some_and(|s| from.contains(&s)) {
                return Ok(false);
            }
            sqlx::query(
                "UPDATE offers SET status = $2, expires_at = COALESCE($3, expires_at) WHERE id = $1",
            )
            .bind(id)
            .bind(to)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            offer_history_in(&mut tx, id, now, to, actor, note).await?;
            for job in jobs {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
            bump_offers(&mut tx).await?;
            true
        }))
    }

    /// The status history of offer `id`, oldest first.
    pub async fn pro_offer_history(&self, id: &str) -> Result<Vec<OfferHistoryEntry>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT at, status, actor, note FROM pro_offer_history \
                 WHERE offer_id = $1 ORDER BY at, id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?)
    }
}

/// An application received, as the recruiter's dashboard lists it (no CV
/// bytes: downloaded one at a time).
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReceivedApplication {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: Option<String>,
    pub cv_name: String,
    /// The CV is still kept (30 days at most).
    pub has_cv: bool,
    pub status: String,
    pub answer: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for ReceivedApplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceivedApplication({})", self.id)
    }
}

impl Store {
    /// The applications to offer `offer_id`, newest first (anonymised ones
    /// left out).
    pub async fn applications_to_offer(
        &self,
        offer_id: &str,
    ) -> Result<Vec<ReceivedApplication>, StoreError> {
        self.applications_to("offer", offer_id).await
    }

    /// The spontaneous applications to company `siret` (not to one of its
    /// offers), newest first (anonymised ones left out), at most 500.
    pub async fn applications_to_company(
        &self,
        siret: &str,
    ) -> Result<Vec<ReceivedApplication>, StoreError> {
        self.applications_to("company", siret).await
    }

    async fn applications_to(
        &self,
        kind: &str,
        target: &str,
    ) -> Result<Vec<ReceivedApplication>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, first_name, last_name, email, phone, message, cv_name, \
                 (cv_bytes IS NOT NULL) AS has_cv, status, answer, created_at FROM applications \
                 WHERE target_kind = $1 AND target_id = $2 AND anonymised_at IS NULL \
                 ORDER BY created_at DESC, id LIMIT 500",
            )
            .bind(kind)
            .bind(target)
            .fetch_all(pool)
            .await
        })?)
    }
}
