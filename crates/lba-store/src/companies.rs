//! Store functions of the "companies likely to hire" import: batched reads
//! for change detection and the removal of companies that left the file.
//! Demo companies are never touched here.

use futures_util::TryStreamExt;
use lba_core::opportunity::Company;

use crate::backend::with_pool;
use crate::opportunities::{COMPANY_COLUMNS, CompanyRow, StoredRow, select};
use crate::{Store, StoreError};

/// Ids per `IN (…)` list: well under both backends' parameter limits.
const IDS_PER_QUERY: usize = 1_000;

impl Store {
    /// The stored companies among `sirets`, in no particular order.
    pub async fn companies_by_sirets(&self, sirets: &[String]) -> Result<Vec<Company>, StoreError> {
        let mut out = Vec::with_capacity(sirets.len());
        for chunk in sirets.chunks(IDS_PER_QUERY) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = select(
                &COMPANY_COLUMNS,
                "companies",
                &format!("WHERE siret IN ({})", placeholders.join(", ")),
            );
            let rows: Vec<CompanyRow> = with_pool!(self, |pool| {
                let mut query = sqlx::query_as(&sql);
                for siret in chunk {
                    query = query.bind(siret.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for row in rows {
                out.push(row.into_domain()?);
            }
        }
        Ok(out)
    }

    /// Deletes every non-demo company for which `keep` is false (a new
    /// companies file replaces the previous one); returns how many.
    pub async fn delete_companies_except(
        &self,
        keep: impl Fn(&str) -> bool,
    ) -> Result<u64, StoreError> {
        // Read first, delete after: the scan never sees its own deletes.
        let gone: Vec<String> = with_pool!(self, |pool| {
            let mut rows =
                sqlx::query_scalar::<_, String>("SELECT siret FROM companies WHERE is_demo = $1")
                    .bind(false)
                    .fetch(pool);
            let mut gone = Vec::new();
            while let Some(siret) = rows.try_next().await? {
                if !keep(&siret) {
                    gone.push(siret);
                }
            }
            Ok::<Vec<String>, sqlx::Error>(gone)
        })?;
        if gone.is_empty() {
            return Ok(0);
        }
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut deleted = 0;
            for chunk in gone.chunks(IDS_PER_QUERY) {
                let mut query = sqlx::QueryBuilder::new("DELETE FROM companies WHERE is_demo = ");
                query.push_bind(false).push(" AND siret IN (");
                let mut list = query.separated(", ");
                for siret in chunk {
                    list.push_bind(siret.as_str());
                }
                query.push(")");
                deleted += query.build().execute(&mut *tx).await?.rows_affected();
            }
            sqlx::query(
                "UPDATE data_versions SET version = version + 1 WHERE name = 'opportunities'",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(deleted)
        })?)
    }
}
