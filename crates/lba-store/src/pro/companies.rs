//! Company accounts: created with their first recruiter, validated
//! automatically or by an OPCO or an administrator, who can also refuse or
//! deactivate them. A decision publishes or withdraws the company's offers
//! in the same transaction (and bumps the data version, so every node's
//! index follows).

use super::{AuditEntry, ProUser, audit_in, offer_history_in};
use crate::backend::{in_tx, with_pool};
use crate::opportunities::bump_offers;
use crate::{Store, StoreError};

/// A company of the pro space.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ProCompany {
    pub siret: String,
    pub name: String,
    pub address: String,
    pub postal_code: Option<String>,
    pub commune_insee: Option<String>,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub naf_code: Option<String>,
    pub opco: Option<String>,
    /// [`lba_core::pro::CompanyStatus::as_str`].
    pub status: String,
    /// `auto`, or the id of who decided.
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

/// A company to create (its status included: `validated` with
/// `decided_by = auto`, or `pending`).
pub type NewProCompany = ProCompany;

/// What an OPCO or an administrator decides about a company.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyDecision {
    /// Validated: its waiting offers are published.
    Validate,
    /// Refused ("not my OPCO" or not a real employer).
    Refuse,
    /// Deactivated: its published offers are withdrawn.
    Deactivate,
}

impl CompanyDecision {
    fn status(self) -> &'static str {
        match self {
            Self::Validate => "validated",
            Self::Refuse => "refused",
            Self::Deactivate => "disabled",
        }
    }
}

const COMPANY_COLUMNS: &str = "siret, name, address, postal_code, commune_insee, city, lat, lon, \
     naf_code, opco, status, decided_by, decided_at, created_at";

impl Store {
    /// Creates a company and its first recruiter in one transaction; false
    /// (and nothing written) when the company or the address already has
    /// an account.
    pub async fn insert_pro_company(
        &self,
        c: &NewProCompany,
        recruiter: &ProUser,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let n = sqlx::query(
                "INSERT INTO pro_companies (siret, name, address, postal_code, commune_insee, \
                 city, lat, lon, naf_code, opco, status, decided_by, decided_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&c.siret)
            .bind(&c.name)
            .bind(&c.address)
            .bind(&c.postal_code)
            .bind(&c.commune_insee)
            .bind(&c.city)
            .bind(c.lat)
            .bind(c.lon)
            .bind(&c.naf_code)
            .bind(&c.opco)
            .bind(&c.status)
            .bind(&c.decided_by)
            .bind(c.decided_at)
            .bind(c.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let m = if n == 1 {
                sqlx::query(
                    "INSERT INTO pro_users (id, email, role, first_name, last_name, phone, \
                     company_siret, status, created_at) \
                     VALUES ($1, $2, 'recruteur', $3, $4, $5, $6, 'active', $7) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(&recruiter.id)
                .bind(&recruiter.email)
                .bind(&recruiter.first_name)
                .bind(&recruiter.last_name)
                .bind(&recruiter.phone)
                .bind(&c.siret)
                .bind(recruiter.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                0
            };
            if m != 1 {
                // Dropping the transaction rolls the company back too:
                // nothing half-created.
                return Ok(false);
            }
            true
        }))
    }

    /// The company `siret`.
    pub async fn pro_company(&self, siret: &str) -> Result<Option<ProCompany>, StoreError> {
        let sql = format!("SELECT {COMPANY_COLUMNS} FROM pro_companies WHERE siret = $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(siret).fetch_optional(pool).await
        })?)
    }

    /// Companies, oldest first: those of `opco` only when given, of
    /// `status` only when given.
    pub async fn pro_companies(
        &self,
        opco: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<ProCompany>, StoreError> {
        let sql = format!(
            "SELECT {COMPANY_COLUMNS} FROM pro_companies \
             WHERE ($1 IS NULL OR opco = $1) AND ($2 IS NULL OR status = $2) \
             ORDER BY created_at, siret"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(opco)
                .bind(status)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Sets the OPCO of a company (admin), with its audit row.
    pub async fn set_pro_company_opco(
        &self,
        siret: &str,
        opco: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let n = sqlx::query("UPDATE pro_companies SET opco = $2 WHERE siret = $1")
                .bind(siret)
                .bind(opco)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                audit_in(&mut tx, audit).await?;
            }
            n == 1
        }))
    }

    /// Applies `decision` to company `siret` by `by` at `now`, with its
    /// audit row and its effect on the company's offers (history kept),
    /// in one transaction; false when the company does not exist or the
    /// decision does not apply (validating a validated company…).
    pub async fn decide_pro_company(
        &self,
        siret: &str,
        decision: CompanyDecision,
        by: &str,
        now: i64,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let from: &[&str] = match decision {
            CompanyDecision::Validate => &["pending", "refused", "disabled"],
            CompanyDecision::Refuse => &["pending"],
            CompanyDecision::Deactivate => &["validated", "pending"],
        };
        let (offers_from, offers_to) = match decision {
            CompanyDecision::Validate => ("pending", "active"),
            CompanyDecision::Refuse | CompanyDecision::Deactivate => ("active", "pending"),
        };
        Ok(in_tx!(self, |tx| {
            let current: Option<String> =
                sqlx::query_scalar("SELECT status FROM pro_companies WHERE siret = $1")
                    .bind(siret)
                    .fetch_optional(&mut *tx)
                    .await?;
            if !current.as_deref().is_some_and(|s| from.contains(&s)) {
                return Ok(false);
            }
            sqlx::query(
                "UPDATE pro_companies SET status = $2, decided_by = $3, decided_at = $4 \
                 WHERE siret = $1",
            )
            .bind(siret)
            .bind(decision.status())
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let moved: Vec<String> = sqlx::query_scalar(
                "SELECT o.id FROM offers o JOIN pro_offers p ON p.offer_id = o.id \
                 WHERE p.company_siret = $1 AND o.status = $2",
            )
            .bind(siret)
            .bind(offers_from)
            .fetch_all(&mut *tx)
            .await?;
            for id in &moved {
                sqlx::query("UPDATE offers SET status = $2 WHERE id = $1")
                    .bind(id)
                    .bind(offers_to)
                    .execute(&mut *tx)
                    .await?;
                let note = format!("entreprise:{}", decision.status());
                offer_history_in(&mut tx, id, now, offers_to, by, &note).await?;
            }
            if !moved.is_empty() {
                bump_offers(&mut tx).await?;
            }
            audit_in(&mut tx, audit).await?;
            true
        }))
    }

    /// The addresses a company is known by: its hiring record's, and
    /// those applications to its offers go to.
    pub async fn known_company_emails(&self, siret: &str) -> Result<Vec<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT email FROM companies WHERE siret = $1 AND email IS NOT NULL \
                 UNION SELECT c.email FROM offer_contacts c JOIN offers o ON o.id = c.offer_id \
                 WHERE o.company_siret = $1",
            )
            .bind(siret)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The CFA of the referential whose UAI or SIRET is `id`: `(uai, name)`,
    /// and the addresses its courses give.
    pub async fn cfa_for_account(
        &self,
        id: &str,
    ) -> Result<Option<(String, String, Vec<String>)>, StoreError> {
        let found: Option<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT uai, name FROM cfas WHERE uai = $1 OR siret = $1 ORDER BY uai LIMIT 1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        let Some((uai, name)) = found else {
            return Ok(None);
        };
        let emails: Vec<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT email FROM formations WHERE cfa_uai = $1 AND email IS NOT NULL",
            )
            .bind(&uai)
            .fetch_all(pool)
            .await
        })?;
        Ok(Some((uai, name, emails)))
    }
}
