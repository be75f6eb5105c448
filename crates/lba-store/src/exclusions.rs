//! Companies kept out of the search whatever the imported files say: those
//! that asked to leave (opt-out) and those removed by the team (blacklist).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use lba_core::ids::Siret;

use crate::backend::with_pool;
use crate::{Store, StoreError};

/// Why a company is kept out of the search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// The company asked to leave.
    OptOut,
    /// The team removed it.
    Blacklist,
}

impl ExclusionReason {
    /// The stored code: `opt_out` or `blacklist`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OptOut => "opt_out",
            Self::Blacklist => "blacklist",
        }
    }

    /// Parses a stored code.
    pub fn from_stored(code: &str) -> Option<Self> {
        [Self::OptOut, Self::Blacklist]
            .into_iter()
            .find(|r| r.as_str() == code)
    }
}

/// One company kept out of the search.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Exclusion {
    pub siret: String,
    /// [`ExclusionReason::as_str`].
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Keeps `siret` out of the search for `reason` (replacing an earlier
    /// reason) and deletes its company, in one transaction; returns whether
    /// a company was deleted.
    pub async fn exclude_company(
        &self,
        siret: &Siret,
        reason: ExclusionReason,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO company_exclusions (siret, reason, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (siret) DO UPDATE SET reason = excluded.reason",
            )
            .bind(siret.as_str())
            .bind(reason.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let deleted = sqlx::query("DELETE FROM companies WHERE siret = $1")
                .bind(siret.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted > 0 {
                sqlx::query(
                    "UPDATE data_versions SET version = version + 1 WHERE name = 'opportunities'",
                )
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(deleted > 0)
        })?)
    }

    /// Lets `siret` back in (the next import may bring it back); returns
    /// whether it was excluded.
    pub async fn include_company(&self, siret: &Siret) -> Result<bool, StoreError> {
        let removed = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM company_exclusions WHERE siret = $1")
                .bind(siret.as_str())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(removed > 0)
    }

    /// The latest `limit` exclusions, newest first.
    pub async fn company_exclusions(&self, limit: i64) -> Result<Vec<Exclusion>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT siret, reason, created_at FROM company_exclusions \
                 ORDER BY created_at DESC, siret LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Every excluded SIRET.
    pub async fn excluded_sirets(&self) -> Result<HashSet<String>, StoreError> {
        let sirets: Vec<String> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT siret FROM company_exclusions")
                .fetch_all(pool)
                .await
        })?;
        Ok(sirets.into_iter().collect())
    }
}
