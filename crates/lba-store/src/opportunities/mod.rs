//! Formations, offers and companies: batched upserts, full loads for the
//! in-memory search index, single reads for detail pages, and demo cleanup.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use lba_core::geo::GeoPoint;
use lba_core::ids::CodeRome;
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore, Session,
};

use crate::backend::{in_tx, with_pool};
use crate::{Store, StoreError};

mod rows;
mod write;

pub(crate) use rows::*;
pub(crate) use write::{bump, bump_offers, companies, offers as offers_in};

/// How many demo records a cleanup removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct KindCounts {
    /// Formations.
    pub formations: u64,
    /// Offers.
    pub offers: u64,
    /// Companies.
    pub companies: u64,
}

const FORMATION_COLUMNS: [&str; 26] = [
    "id",
    "is_demo",
    "title",
    "diploma_title",
    "cfd",
    "rncp_code",
    "level",
    "rome_codes",
    "cfa_uai",
    "cfa_siret",
    "cfa_name",
    "address",
    "postal_code",
    "commune_insee",
    "city",
    "lat",
    "lon",
    "sessions",
    "duration_months",
    "capacity",
    "distance_learning",
    "email",
    "phone",
    "onisep_url",
    "published",
    "updated_at",
];
pub(crate) const OFFER_COLUMNS: [&str; 26] = [
    "id",
    "is_demo",
    "origin",
    "status",
    "title",
    "appellation_ogr",
    "rome_code",
    "description",
    "contract_types",
    "level",
    "start_date",
    "duration_months",
    "company_siret",
    "company_name",
    "company_naf",
    "company_headcount",
    "address",
    "postal_code",
    "commune_insee",
    "city",
    "lat",
    "lon",
    "published_at",
    "expires_at",
    "apply_url",
    "updated_at",
];
pub(crate) const COMPANY_COLUMNS: [&str; 16] = [
    "siret",
    "is_demo",
    "name",
    "naf_code",
    "headcount",
    "address",
    "postal_code",
    "commune_insee",
    "city",
    "lat",
    "lon",
    "rome_scores",
    "email",
    "phone",
    "website",
    "updated_at",
];

/// The data versions of what is searchable (see [`Store::data_versions`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataVersions {
    /// Bumped by every import, exclusion or write that may touch any kind.
    pub opportunities: i64,
    /// Bumped by writes that touch offers only.
    pub offers: i64,
}

impl DataVersions {
    /// One number that grows with either version.
    #[must_use]
    pub fn combined(self) -> i64 {
        self.opportunities + self.offers
    }
}

impl Store {
    /// A listener of the data-version changes committed by any process on
    /// the same PostgreSQL database (migration 0016's trigger); `None` on
    /// SQLite (one node, nothing to hear).
    pub async fn data_changes(&self) -> Result<Option<DataChanges>, StoreError> {
        match self {
            Self::Sqlite(_) => Ok(None),
            Self::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(DATA_VERSION_CHANNEL).await?;
                Ok(Some(DataChanges { listener }))
            }
        }
    }

    /// A number that grows whenever anything searchable changes (the sum
    /// of [`DataVersions`]).
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.data_versions().await?.combined())
    }

    /// The versions of what is searchable: everything, and the offers
    /// alone (bumped by the pro space, whose changes touch only offers).
    pub async fn data_versions(&self) -> Result<DataVersions, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT name, version FROM data_versions \
                 WHERE name IN ('opportunities', 'offers')",
            )
            .fetch_all(pool)
            .await
        })?;
        let of = |name: &str| {
            rows.iter()
                .find(|(n, _)| n == name)
                .map_or(0, |(_, version)| *version)
        };
        Ok(DataVersions {
            opportunities: of("opportunities"),
            offers: of("offers"),
        })
    }

    /// Deletes every demo record (and nothing else).
    pub async fn delete_demo(&self) -> Result<KindCounts, StoreError> {
        Ok(in_tx!(self, |tx| {
            let mut counts = KindCounts::default();
            for (table, slot) in [
                ("offers", &mut counts.offers),
                ("formations", &mut counts.formations),
                ("companies", &mut counts.companies),
            ] {
                *slot = sqlx::query(&format!("DELETE FROM {table} WHERE is_demo = $1"))
                    .bind(true)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            bump(&mut tx).await?;
            counts
        }))
    }

    /// Every published formation.
    pub async fn formations(&self) -> Result<Vec<Formation>, StoreError> {
        self.load_all::<FormationRow>(&select(
            &FORMATION_COLUMNS,
            "formations",
            "WHERE published = TRUE",
        ))
        .await
    }

    /// Every offer, whatever its status (the index keeps the open ones).
    pub async fn offers(&self) -> Result<Vec<Offer>, StoreError> {
        self.load_all::<OfferRow>(&select(&OFFER_COLUMNS, "offers", ""))
            .await
    }

    /// Every company.
    pub async fn companies(&self) -> Result<Vec<Company>, StoreError> {
        self.load_all::<CompanyRow>(&select(&COMPANY_COLUMNS, "companies", ""))
            .await
    }

    /// One formation by id.
    pub async fn formation(&self, id: &str) -> Result<Option<Formation>, StoreError> {
        self.load_one::<FormationRow>(
            &select(&FORMATION_COLUMNS, "formations", "WHERE id = $1"),
            id,
        )
        .await
    }

    /// The formations among `ids` (published or not), in no particular order.
    pub async fn formations_by_ids(&self, ids: &[String]) -> Result<Vec<Formation>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1_000) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = select(
                &FORMATION_COLUMNS,
                "formations",
                &format!("WHERE id IN ({})", placeholders.join(", ")),
            );
            let rows: Vec<FormationRow> = with_pool!(self, |pool| {
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

    /// One offer by id.
    pub async fn offer(&self, id: &str) -> Result<Option<Offer>, StoreError> {
        self.load_one::<OfferRow>(&select(&OFFER_COLUMNS, "offers", "WHERE id = $1"), id)
            .await
    }

    /// One company by SIRET.
    pub async fn company(&self, siret: &str) -> Result<Option<Company>, StoreError> {
        self.load_one::<CompanyRow>(
            &select(&COMPANY_COLUMNS, "companies", "WHERE siret = $1"),
            siret,
        )
        .await
    }

    /// Streams every row of `sql` into domain records (no unordered
    /// `ORDER BY`: a full scan is what the index build needs).
    async fn load_all<R: StoredRow>(&self, sql: &str) -> Result<Vec<R::Domain>, StoreError> {
        with_pool!(self, |pool| {
            let mut rows = sqlx::query_as::<_, R>(sql).fetch(pool);
            let mut out = Vec::new();
            while let Some(row) = rows.try_next().await? {
                out.push(row.into_domain()?);
            }
            Ok(out)
        })
    }

    /// The record of `sql` bound to `key`, if any.
    async fn load_one<R: StoredRow>(
        &self,
        sql: &str,
        key: &str,
    ) -> Result<Option<R::Domain>, StoreError> {
        let row: Option<R> = with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(key).fetch_optional(pool).await
        })?;
        row.map(R::into_domain).transpose()
    }
}

pub(crate) fn select(columns: &[&str], table: &str, filter: &str) -> String {
    format!("SELECT {} FROM {table} {filter}", columns.join(", "))
}

/// The channel migration 0016 announces data-version changes on.
pub const DATA_VERSION_CHANNEL: &str = "lba_data_version";

/// Data-version changes announced by PostgreSQL ([`Store::data_changes`]).
pub struct DataChanges {
    listener: sqlx::postgres::PgListener,
}

impl std::fmt::Debug for DataChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataChanges")
    }
}

impl DataChanges {
    /// Waits for the next change. A lost connection is reopened (changes
    /// made meanwhile are not heard: the caller's poll catches them).
    pub async fn next(&mut self) -> Result<(), StoreError> {
        self.listener.recv().await?;
        Ok(())
    }
}
