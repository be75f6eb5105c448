//! Store functions of the training-catalogue import: publication states,
//! ROME codes already known for a diploma, and unpublishing courses that
//! left the catalogue. Demo courses are never touched here.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use lba_core::ids::CodeRome;

use crate::backend::with_pool;
use crate::{Store, StoreError};

/// Ids per `IN (…)` list: well under both backends' parameter limits.
const IDS_PER_QUERY: usize = 1_000;

impl Store {
    /// For each id of `ids` that is stored: whether it is published.
    pub async fn formation_publication(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, bool>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let rows: Vec<(String, bool)> = with_pool!(self, |pool| {
                let mut query =
                    sqlx::QueryBuilder::new("SELECT id, published FROM formations WHERE id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_str());
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The ROME codes most often given to stored non-demo courses of the
    /// diploma `cfd`, else of the RNCP code `rncp` (empty when none).
    pub async fn formation_romes_for_diploma(
        &self,
        cfd: Option<&str>,
        rncp: Option<&str>,
    ) -> Result<Vec<CodeRome>, StoreError> {
        for (column, value) in [("cfd", cfd), ("rncp_code", rncp)] {
            let Some(value) = value else { continue };
            let sql = format!(
                "SELECT rome_codes FROM formations \
                 WHERE {column} = $1 AND is_demo = $2 AND rome_codes <> '' \
                 GROUP BY rome_codes ORDER BY COUNT(*) DESC, rome_codes LIMIT 1"
            );
            let found: Option<String> = with_pool!(self, |pool| {
                sqlx::query_scalar(&sql)
                    .bind(value)
                    .bind(false)
                    .fetch_optional(pool)
                    .await
            })?;
            if let Some(codes) = found {
                return codes
                    .split_whitespace()
                    .map(|c| {
                        c.parse()
                            .map_err(|e: lba_core::ParseError| StoreError::Corrupt {
                                table: "formation",
                                key: value.to_owned(),
                                detail: e.to_string(),
                            })
                    })
                    .collect();
            }
        }
        Ok(Vec::new())
    }

    /// Unpublishes the published non-demo courses of `ids`; returns how many.
    pub async fn unpublish_formations(&self, ids: &[String]) -> Result<u64, StoreError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let now = Utc::now();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut changed = 0;
            for chunk in ids.chunks(IDS_PER_QUERY) {
                let mut query = sqlx::QueryBuilder::new("UPDATE formations SET published = ");
                query
                    .push_bind(false)
                    .push(", updated_at = ")
                    .push_bind(now)
                    .push(" WHERE published = ")
                    .push_bind(true)
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

    /// Unpublishes every published non-demo course whose id is not in
    /// `keep` (a full catalogue import); returns how many.
    pub async fn unpublish_formations_except(
        &self,
        keep: &HashSet<String>,
    ) -> Result<u64, StoreError> {
        let published: Vec<String> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM formations WHERE published = $1 AND is_demo = $2")
                .bind(true)
                .bind(false)
                .fetch_all(pool)
                .await
        })?;
        let gone: Vec<String> = published
            .into_iter()
            .filter(|id| !keep.contains(id))
            .collect();
        self.unpublish_formations(&gone).await
    }
}
