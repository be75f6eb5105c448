//! Offers handed to CFAs by their recruiter: one row per (offer, CFA),
//! written with the CFA's email job and the recruiter's recap in one
//! transaction; handing the same offer to the same CFA twice sends nothing
//! more.

use crate::backend::{in_tx, with_pool};
use crate::outbox::NewJob;
use crate::{Store, StoreError};

use super::ProUser;

/// An offer handed to a CFA.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Delegation {
    pub offer_id: String,
    pub cfa_uai: String,
    pub cfa_name: String,
    /// Where the CFA's email went.
    pub email: String,
    pub created_at: i64,
}

impl Store {
    /// Stores the delegations (each with its job) not stored yet, then the
    /// recap job when at least one was new; the UAIs newly handed the offer.
    pub async fn insert_delegations(
        &self,
        rows: &[(Delegation, NewJob)],
        recap: &NewJob,
    ) -> Result<Vec<String>, StoreError> {
        Ok(in_tx!(self, |tx| {
            let mut new = Vec::new();
            for (d, job) in rows {
                let n = sqlx::query(
                    "INSERT INTO pro_delegations (offer_id, cfa_uai, cfa_name, email, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(&d.offer_id)
                .bind(&d.cfa_uai)
                .bind(&d.cfa_name)
                .bind(&d.email)
                .bind(d.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    crate::outbox::insert_job(&mut tx, job).await?;
                    new.push(d.cfa_uai.clone());
                }
            }
            if !new.is_empty() {
                crate::outbox::insert_job(&mut tx, recap).await?;
            }
            new
        }))
    }

    /// The CFAs offer `offer_id` was handed to, by name.
    pub async fn delegations_of_offer(
        &self,
        offer_id: &str,
    ) -> Result<Vec<Delegation>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT offer_id, cfa_uai, cfa_name, email, created_at FROM pro_delegations \
                 WHERE offer_id = $1 ORDER BY cfa_name, cfa_uai",
            )
            .bind(offer_id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The recruiter of company `siret` (the first account), for the CFAs
    /// the company handed an offer to.
    pub async fn company_recruiter(&self, siret: &str) -> Result<Option<ProUser>, StoreError> {
        let sql = format!(
            "SELECT {} FROM pro_users WHERE company_siret = $1 AND role = 'recruteur' \
             ORDER BY created_at, id LIMIT 1",
            super::USER_COLUMNS
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(siret).fetch_optional(pool).await
        })?)
    }
}
