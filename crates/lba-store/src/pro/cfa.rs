//! What a CFA's account reads: the contact requests it received and its
//! courses (the settings of its requests are `appointments.rs`'s).

use crate::appointments::{Appointment, COLUMNS};
use crate::backend::with_pool;
use crate::{Store, StoreError};

/// One course of a CFA, as its account lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CfaCourse {
    pub id: String,
    pub title: String,
    pub city: String,
    /// The catalogue's contact address of the course.
    pub email: Option<String>,
}

impl Store {
    /// The latest `limit` contact requests to CFA `uai`, newest first.
    pub async fn appointments_of_cfa(
        &self,
        uai: &str,
        limit: i64,
    ) -> Result<Vec<Appointment>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM appointment_requests WHERE cfa_uai = $1 \
             ORDER BY created_at DESC, id LIMIT $2"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(uai)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The published courses of CFA `uai`, by title.
    pub async fn courses_of_cfa(&self, uai: &str) -> Result<Vec<CfaCourse>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, city, email FROM formations \
                 WHERE cfa_uai = $1 AND published ORDER BY title, id",
            )
            .bind(uai)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The name of CFA `uai` in the referential.
    pub async fn cfa_name(&self, uai: &str) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT name FROM cfas WHERE uai = $1")
                .bind(uai)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The name of the CFA that posted offer `offer_id` on behalf of its
    /// company, if a CFA did.
    pub async fn offer_posted_by_cfa(&self, offer_id: &str) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT c.name FROM pro_offers p JOIN cfas c ON c.uai = p.on_behalf_of_cfa \
                 WHERE p.offer_id = $1",
            )
            .bind(offer_id)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// The open offers posted by CFAs on behalf of companies: (offer id,
    /// CFA name), for the marks of the search results.
    pub async fn offers_posted_by_cfas(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.offer_id, c.name FROM pro_offers p \
                 JOIN cfas c ON c.uai = p.on_behalf_of_cfa \
                 JOIN offers o ON o.id = p.offer_id WHERE o.status = 'active'",
            )
            .fetch_all(pool)
            .await
        })?)
    }
}
