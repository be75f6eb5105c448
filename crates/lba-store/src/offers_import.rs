//! Store functions of the France Travail offer import: one batched read of
//! the stored offers (to tell unchanged from updated), the list of open
//! France Travail offers, and closing those that left the feed. Demo,
//! platform and partner offers are never touched here.

use chrono::Utc;
use lba_core::opportunity::{Offer, OfferOrigin, OfferStatus};

use crate::backend::with_pool;
use crate::opportunities::{OFFER_COLUMNS, OfferRow, StoredRow, select};
use crate::{Store, StoreError};

/// Ids per `IN (…)` list: well under both backends' parameter limits.
const IDS_PER_QUERY: usize = 1_000;

/// A stored active France Travail offer, with where it is (for a full
/// import limited to some départements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveImportedOffer {
    /// Offer id (`ft-…`).
    pub id: String,
    /// Commune INSEE code, when known.
    pub commune_insee: Option<String>,
    /// Postal code, when known.
    pub postal_code: Option<String>,
}

impl Store {
    /// The offers among `ids` (any status), in no particular order.
    pub async fn offers_by_ids(&self, ids: &[String]) -> Result<Vec<Offer>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = select(
                &OFFER_COLUMNS,
                "offers",
                &format!("WHERE id IN ({})", placeholders.join(", ")),
            );
            let rows: Vec<OfferRow> = with_pool!(self, |pool| {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for row in rows {
                out.push(row.into_domain()?);
            }
        }
        Ok(out)
    }

    /// Every active non-demo France Travail offer.
    pub async fn active_france_travail_offers(
        &self,
    ) -> Result<Vec<ActiveImportedOffer>, StoreError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, commune_insee, postal_code FROM offers \
                 WHERE origin = $1 AND status = $2 AND is_demo = $3",
            )
            .bind(OfferOrigin::FranceTravail.as_str())
            .bind(OfferStatus::Active.as_str())
            .bind(false)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, commune_insee, postal_code)| ActiveImportedOffer {
                id,
                commune_insee,
                postal_code,
            })
            .collect())
    }

    /// Closes the active non-demo France Travail offers of `ids`; returns
    /// how many changed.
    pub async fn close_france_travail_offers(&self, ids: &[String]) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let now = Utc::now();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut changed = 0;
            for chunk in ids.chunks(IDS_PER_QUERY) {
                let mut query = sqlx::QueryBuilder::new("UPDATE offers SET status = ");
                query
                    .push_bind(OfferStatus::Closed.as_str())
                    .push(", updated_at = ")
                    .push_bind(now)
                    .push(" WHERE status = ")
                    .push_bind(OfferStatus::Active.as_str())
                    .push(" AND origin = ")
                    .push_bind(OfferOrigin::FranceTravail.as_str())
                    .push(" AND is_demo = ")
                    .push_bind(false)
                    .push(" AND id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_str());
                }
                query.push(")");
                changed += query.build().execute(&mut *tx).await?.rows_affected();
            }
            if changed > 0 {
                sqlx::query(
                    "UPDATE data_versions SET version = version + 1 WHERE name = 'opportunities'",
                )
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(changed)
        })?)
    }
}
