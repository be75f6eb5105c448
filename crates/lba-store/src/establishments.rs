//! The `establishments` table (SIRENE stock, open establishments only):
//! batched upserts and reads for the importer, lookups by SIRET. These rows
//! are not in the search index, so writing them does not bump the data
//! version.

use chrono::{DateTime, Utc};
use lba_core::establishment::Establishment;
use lba_core::geo::GeoPoint;

use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};
use crate::{Store, StoreError};

/// Ids per `IN (…)` list: well under both backends' parameter limits.
const IDS_PER_QUERY: usize = 1_000;

/// The columns written.
const COLUMNS: [&str; 13] = [
    "siret",
    "siren",
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
    "updated_at",
];

/// The columns read back.
const READ_COLUMNS: &str = "siret, is_demo, name, naf_code, headcount, address, postal_code, \
    commune_insee, city, lat, lon";

async fn upsert<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    items: &[Establishment],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    insert(tx, "establishments", &COLUMNS, &["siret"], items, |b, e| {
        b.push_value(e.siret.as_str())
            .push_value(e.siret.siren().as_str().to_owned())
            .push_value(e.is_demo)
            .push_value(e.name.as_str())
            .push_value(e.naf.as_ref().map(|n| n.as_str()))
            .push_value(e.headcount.as_deref())
            .push_value(e.address.as_str())
            .push_value(e.postal_code.as_ref().map(|p| p.as_str()))
            .push_value(e.commune_insee.as_ref().map(|c| c.as_str()))
            .push_value(e.city.as_str())
            .push_value(e.point.map(|p| p.lat()))
            .push_value(e.point.map(|p| p.lon()))
            .push_value(now);
    })
    .await
}

impl Store {
    /// Inserts or updates establishments (by SIRET) in one transaction.
    pub async fn upsert_establishments(&self, items: &[Establishment]) -> Result<u64, StoreError> {
        if items.is_empty() {
            return Ok(0);
        }
        let now = Utc::now();
        Ok(in_tx!(self, |tx| upsert(&mut tx, items, now).await?))
    }

    /// The stored establishments among `sirets`, in no particular order.
    pub async fn establishments_by_sirets(
        &self,
        sirets: &[String],
    ) -> Result<Vec<Establishment>, StoreError> {
        let mut out = Vec::with_capacity(sirets.len());
        for chunk in sirets.chunks(IDS_PER_QUERY) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{} WHERE siret IN ({})", select(), placeholders.join(", "));
            let rows: Vec<EstablishmentRow> = with_pool!(self, |pool| {
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

    /// One establishment by SIRET.
    pub async fn establishment(&self, siret: &str) -> Result<Option<Establishment>, StoreError> {
        let sql = format!("{} WHERE siret = $1", select());
        let row: Option<EstablishmentRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(siret).fetch_optional(pool).await
        })?;
        row.map(EstablishmentRow::into_domain).transpose()
    }

    /// The number of stored establishments.
    pub async fn establishment_count(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM establishments")
                .fetch_one(pool)
                .await
        })?)
    }

    /// Deletes the establishments of `sirets` (closed in the register);
    /// returns how many were stored.
    pub async fn delete_establishments(&self, sirets: &[String]) -> Result<u64, StoreError> {
        let mut deleted = 0;
        for chunk in sirets.chunks(IDS_PER_QUERY) {
            deleted += with_pool!(self, |pool| {
                let mut query =
                    sqlx::QueryBuilder::new("DELETE FROM establishments WHERE siret IN (");
                let mut list = query.separated(", ");
                for siret in chunk {
                    list.push_bind(siret.as_str());
                }
                query.push(")");
                query.build().execute(pool).await.map(|r| r.rows_affected())
            })?;
        }
        Ok(deleted)
    }
}

fn select() -> String {
    format!("SELECT {READ_COLUMNS} FROM establishments")
}

#[derive(sqlx::FromRow)]
struct EstablishmentRow {
    siret: String,
    is_demo: bool,
    name: String,
    naf_code: Option<String>,
    headcount: Option<String>,
    address: String,
    postal_code: Option<String>,
    commune_insee: Option<String>,
    city: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl EstablishmentRow {
    fn into_domain(self) -> Result<Establishment, StoreError> {
        let key = self.siret.clone();
        let corrupt = |detail: String| StoreError::Corrupt {
            table: "establishment",
            key: key.clone(),
            detail,
        };
        fn opt<T: std::str::FromStr<Err = lba_core::ParseError>>(
            raw: Option<String>,
        ) -> Result<Option<T>, String> {
            raw.map(|r| r.parse().map_err(|e: lba_core::ParseError| e.to_string()))
                .transpose()
        }
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                Some(GeoPoint::new(lat, lon).map_err(|e| corrupt(e.to_string()))?)
            }
            _ => None,
        };
        Ok(Establishment {
            siret: self
                .siret
                .parse()
                .map_err(|e: lba_core::ParseError| corrupt(e.to_string()))?,
            is_demo: self.is_demo,
            name: self.name,
            naf: opt(self.naf_code).map_err(corrupt)?,
            headcount: self.headcount,
            address: self.address,
            postal_code: opt(self.postal_code).map_err(corrupt)?,
            commune_insee: opt(self.commune_insee).map_err(corrupt)?,
            city: self.city,
            point,
        })
    }
}
