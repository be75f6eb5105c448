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

use crate::backend::with_pool;
use crate::{Store, StoreError};

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

fn join_romes(romes: &[CodeRome]) -> String {
    romes
        .iter()
        .map(CodeRome::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

fn join_scores(romes: &[RomeScore]) -> String {
    romes
        .iter()
        .map(|r| format!("{}:{}", r.rome, r.score))
        .collect::<Vec<_>>()
        .join(" ")
}

fn join_contracts(types: &[ContractType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

macro_rules! opportunity_writer {
    ($module:ident, $db:ty) => {
        // pub(crate): the model publication (model.rs) writes companies and
        // bumps the data version inside its own transaction.
        pub(crate) mod $module {
            use sqlx::Transaction;

            use super::*;
            use crate::batch::$module::insert;

            type Db = $db;

            pub(super) async fn formations(
                tx: &mut Transaction<'_, Db>,
                items: &[Formation],
                now: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let encoded: Vec<(&Formation, String, String)> = items
                    .iter()
                    .map(|f| Ok((f, join_romes(&f.romes), serde_json::to_string(&f.sessions)?)))
                    .collect::<Result<_, serde_json::Error>>()?;
                Ok(insert(
                    tx,
                    "formations",
                    &FORMATION_COLUMNS,
                    &["id"],
                    &encoded,
                    |b, (f, romes, sessions)| {
                        b.push_bind(f.id.as_str())
                            .push_bind(f.is_demo)
                            .push_bind(f.title.as_str())
                            .push_bind(f.diploma_title.as_str())
                            .push_bind(f.cfd.as_ref().map(|c| c.as_str()))
                            .push_bind(f.rncp.as_ref().map(|c| c.as_str()))
                            .push_bind(f.level.map(|l| i64::from(l.get())))
                            .push_bind(romes.as_str())
                            .push_bind(f.cfa_uai.as_ref().map(|c| c.as_str()))
                            .push_bind(f.cfa_siret.as_ref().map(|c| c.as_str()))
                            .push_bind(f.cfa_name.as_str())
                            .push_bind(f.place.address.as_str())
                            .push_bind(f.place.postal_code.as_ref().map(|c| c.as_str()))
                            .push_bind(f.place.commune_insee.as_ref().map(|c| c.as_str()))
                            .push_bind(f.place.city.as_str())
                            .push_bind(f.place.point.lat())
                            .push_bind(f.place.point.lon())
                            .push_bind(sessions.as_str())
                            .push_bind(f.duration_months.map(i64::from))
                            .push_bind(f.capacity.map(i64::from))
                            .push_bind(f.distance_learning)
                            .push_bind(f.email.as_deref())
                            .push_bind(f.phone.as_deref())
                            .push_bind(f.onisep_url.as_deref())
                            .push_bind(true)
                            .push_bind(now);
                    },
                )
                .await?)
            }

            pub(super) async fn offers(
                tx: &mut Transaction<'_, Db>,
                items: &[Offer],
                now: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let encoded: Vec<(&Offer, String)> = items
                    .iter()
                    .map(|o| (o, join_contracts(&o.contract_types)))
                    .collect();
                Ok(insert(
                    tx,
                    "offers",
                    &OFFER_COLUMNS,
                    &["id"],
                    &encoded,
                    |b, (o, contracts)| {
                        b.push_bind(o.id.as_str())
                            .push_bind(o.is_demo)
                            .push_bind(o.origin.as_str())
                            .push_bind(o.status.as_str())
                            .push_bind(o.title.as_str())
                            .push_bind(o.appellation_ogr)
                            .push_bind(o.rome.as_str())
                            .push_bind(o.description.as_str())
                            .push_bind(contracts.as_str())
                            .push_bind(o.level.map(|l| i64::from(l.get())))
                            .push_bind(o.start_date)
                            .push_bind(o.duration_months.map(i64::from))
                            .push_bind(o.company_siret.as_ref().map(|c| c.as_str()))
                            .push_bind(o.company_name.as_str())
                            .push_bind(o.company_naf.as_ref().map(|c| c.as_str()))
                            .push_bind(o.company_headcount.as_deref())
                            .push_bind(o.place.address.as_str())
                            .push_bind(o.place.postal_code.as_ref().map(|c| c.as_str()))
                            .push_bind(o.place.commune_insee.as_ref().map(|c| c.as_str()))
                            .push_bind(o.place.city.as_str())
                            .push_bind(o.place.point.lat())
                            .push_bind(o.place.point.lon())
                            .push_bind(o.published_at)
                            .push_bind(o.expires_at)
                            .push_bind(o.apply_url.as_deref())
                            .push_bind(now);
                    },
                )
                .await?)
            }

            pub(crate) async fn companies(
                tx: &mut Transaction<'_, Db>,
                items: &[Company],
                now: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let encoded: Vec<(&Company, String)> =
                    items.iter().map(|c| (c, join_scores(&c.romes))).collect();
                Ok(insert(
                    tx,
                    "companies",
                    &COMPANY_COLUMNS,
                    &["siret"],
                    &encoded,
                    |b, (c, scores)| {
                        b.push_bind(c.siret.as_str())
                            .push_bind(c.is_demo)
                            .push_bind(c.name.as_str())
                            .push_bind(c.naf.as_ref().map(|n| n.as_str()))
                            .push_bind(c.headcount.as_deref())
                            .push_bind(c.place.address.as_str())
                            .push_bind(c.place.postal_code.as_ref().map(|p| p.as_str()))
                            .push_bind(c.place.commune_insee.as_ref().map(|p| p.as_str()))
                            .push_bind(c.place.city.as_str())
                            .push_bind(c.place.point.lat())
                            .push_bind(c.place.point.lon())
                            .push_bind(scores.as_str())
                            .push_bind(c.email.as_deref())
                            .push_bind(c.phone.as_deref())
                            .push_bind(c.website.as_deref())
                            .push_bind(now);
                    },
                )
                .await?)
            }

            pub(crate) async fn bump(tx: &mut Transaction<'_, Db>) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "UPDATE data_versions SET version = version + 1 WHERE name = 'opportunities'",
                )
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }
    };
}

opportunity_writer!(sqlite, sqlx::Sqlite);
opportunity_writer!(postgres, sqlx::Postgres);

/// Runs one writer of the module for the store's backend in a transaction
/// that also bumps the data version.
macro_rules! write_in_tx {
    ($store:expr, $writer:ident, $items:expr) => {{
        let now = Utc::now();
        match $store {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let n = sqlite::$writer(&mut tx, $items, now).await?;
                sqlite::bump(&mut tx).await?;
                tx.commit().await?;
                n
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let n = postgres::$writer(&mut tx, $items, now).await?;
                postgres::bump(&mut tx).await?;
                tx.commit().await?;
                n
            }
        }
    }};
}

impl Store {
    /// Inserts or updates formations (by id) in one transaction.
    pub async fn upsert_formations(&self, items: &[Formation]) -> Result<u64, StoreError> {
        Ok(write_in_tx!(self, formations, items))
    }

    /// Inserts or updates offers (by id) in one transaction.
    pub async fn upsert_offers(&self, items: &[Offer]) -> Result<u64, StoreError> {
        Ok(write_in_tx!(self, offers, items))
    }

    /// Inserts or updates companies (by SIRET) in one transaction.
    pub async fn upsert_companies(&self, items: &[Company]) -> Result<u64, StoreError> {
        Ok(write_in_tx!(self, companies, items))
    }

    /// A number that changes whenever opportunities change.
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT version FROM data_versions WHERE name = 'opportunities'")
                .fetch_one(pool)
                .await
        })?)
    }

    /// Deletes every demo record (and nothing else).
    pub async fn delete_demo(&self) -> Result<KindCounts, StoreError> {
        macro_rules! delete {
            ($pool:expr, $bump:path) => {{
                let mut tx = $pool.begin().await?;
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
                $bump(&mut tx).await?;
                tx.commit().await?;
                counts
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => delete!(pool, sqlite::bump),
            Store::Postgres(pool) => delete!(pool, postgres::bump),
        })
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

/// A row type that decodes on both backends into a domain record.
pub(crate) trait StoredRow:
    Send
    + Unpin
    + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
    type Domain;
    fn into_domain(self) -> Result<Self::Domain, StoreError>;
}

fn corrupt(table: &'static str, key: &str, detail: String) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
        detail,
    }
}

/// Parses a stored value, naming the row on failure.
fn decode<T, E: std::fmt::Display>(
    table: &'static str,
    key: &str,
    result: Result<T, E>,
) -> Result<T, StoreError> {
    result.map_err(|e| corrupt(table, key, e.to_string()))
}

fn opt_parse<T: std::str::FromStr>(
    table: &'static str,
    key: &str,
    value: Option<String>,
) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    value
        .map(|v| decode(table, key, v.parse::<T>()))
        .transpose()
}

fn level(
    table: &'static str,
    key: &str,
    value: Option<i64>,
) -> Result<Option<DiplomaLevel>, StoreError> {
    value
        .map(|l| {
            decode(
                table,
                key,
                u8::try_from(l)
                    .map_err(|e| e.to_string())
                    .and_then(|l| DiplomaLevel::new(l).map_err(|e| e.to_string())),
            )
        })
        .transpose()
}

fn small<T: TryFrom<i64>>(
    table: &'static str,
    key: &str,
    value: Option<i64>,
) -> Result<Option<T>, StoreError>
where
    T::Error: std::fmt::Display,
{
    value
        .map(|v| decode(table, key, T::try_from(v)))
        .transpose()
}

/// The place columns shared by the three tables.
#[derive(sqlx::FromRow)]
struct PlaceColumns {
    address: String,
    postal_code: Option<String>,
    commune_insee: Option<String>,
    city: String,
    lat: f64,
    lon: f64,
}

impl PlaceColumns {
    fn into_domain(self, table: &'static str, key: &str) -> Result<Place, StoreError> {
        Ok(Place {
            postal_code: opt_parse(table, key, self.postal_code)?,
            commune_insee: opt_parse(table, key, self.commune_insee)?,
            point: decode(table, key, GeoPoint::new(self.lat, self.lon))?,
            address: self.address,
            city: self.city,
        })
    }
}

#[derive(sqlx::FromRow)]
struct FormationRow {
    id: String,
    is_demo: bool,
    title: String,
    diploma_title: String,
    cfd: Option<String>,
    rncp_code: Option<String>,
    level: Option<i64>,
    rome_codes: String,
    cfa_uai: Option<String>,
    cfa_siret: Option<String>,
    cfa_name: String,
    #[sqlx(flatten)]
    place: PlaceColumns,
    sessions: String,
    duration_months: Option<i64>,
    capacity: Option<i64>,
    distance_learning: bool,
    email: Option<String>,
    phone: Option<String>,
    onisep_url: Option<String>,
}

impl StoredRow for FormationRow {
    type Domain = Formation;

    fn into_domain(self) -> Result<Formation, StoreError> {
        const T: &str = "formation";
        let key = self.id.clone();
        let sessions: Vec<Session> = decode(T, &key, serde_json::from_str(&self.sessions))?;
        Ok(Formation {
            romes: self
                .rome_codes
                .split_whitespace()
                .map(|r| decode(T, &key, r.parse()))
                .collect::<Result<_, _>>()?,
            cfd: opt_parse(T, &key, self.cfd)?,
            rncp: opt_parse(T, &key, self.rncp_code)?,
            level: level(T, &key, self.level)?,
            cfa_uai: opt_parse(T, &key, self.cfa_uai)?,
            cfa_siret: opt_parse(T, &key, self.cfa_siret)?,
            place: self.place.into_domain(T, &key)?,
            sessions,
            duration_months: small(T, &key, self.duration_months)?,
            capacity: small(T, &key, self.capacity)?,
            id: self.id,
            is_demo: self.is_demo,
            title: self.title,
            diploma_title: self.diploma_title,
            cfa_name: self.cfa_name,
            distance_learning: self.distance_learning,
            email: self.email,
            phone: self.phone,
            onisep_url: self.onisep_url,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfferRow {
    id: String,
    is_demo: bool,
    origin: String,
    status: String,
    title: String,
    appellation_ogr: Option<i64>,
    rome_code: String,
    description: String,
    contract_types: String,
    level: Option<i64>,
    start_date: Option<NaiveDate>,
    duration_months: Option<i64>,
    company_siret: Option<String>,
    company_name: String,
    company_naf: Option<String>,
    company_headcount: Option<String>,
    #[sqlx(flatten)]
    place: PlaceColumns,
    published_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    apply_url: Option<String>,
}

impl StoredRow for OfferRow {
    type Domain = Offer;

    fn into_domain(self) -> Result<Offer, StoreError> {
        const T: &str = "offer";
        let key = self.id.clone();
        Ok(Offer {
            origin: OfferOrigin::from_stored(&self.origin)
                .ok_or_else(|| corrupt(T, &key, format!("origin {}", self.origin)))?,
            status: OfferStatus::from_stored(&self.status)
                .ok_or_else(|| corrupt(T, &key, format!("status {}", self.status)))?,
            rome: decode(T, &key, self.rome_code.parse())?,
            contract_types: self
                .contract_types
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    ContractType::parse(s).ok_or_else(|| corrupt(T, &key, format!("contract {s}")))
                })
                .collect::<Result<_, _>>()?,
            level: level(T, &key, self.level)?,
            duration_months: small(T, &key, self.duration_months)?,
            company_siret: opt_parse(T, &key, self.company_siret)?,
            company_naf: opt_parse(T, &key, self.company_naf)?,
            place: self.place.into_domain(T, &key)?,
            id: self.id,
            is_demo: self.is_demo,
            title: self.title,
            appellation_ogr: self.appellation_ogr,
            description: self.description,
            start_date: self.start_date,
            company_name: self.company_name,
            company_headcount: self.company_headcount,
            published_at: self.published_at,
            expires_at: self.expires_at,
            apply_url: self.apply_url,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CompanyRow {
    siret: String,
    is_demo: bool,
    name: String,
    naf_code: Option<String>,
    headcount: Option<String>,
    #[sqlx(flatten)]
    place: PlaceColumns,
    rome_scores: String,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
}

impl StoredRow for CompanyRow {
    type Domain = Company;

    fn into_domain(self) -> Result<Company, StoreError> {
        const T: &str = "company";
        let key = self.siret.clone();
        let romes = self
            .rome_scores
            .split_whitespace()
            .map(|pair| {
                let (rome, score) = pair.split_once(':').unwrap_or((pair, ""));
                Ok(RomeScore {
                    rome: decode(T, &key, rome.parse())?,
                    score: decode(T, &key, score.parse::<u8>())?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Company {
            siret: decode(T, &key, self.siret.parse())?,
            naf: opt_parse(T, &key, self.naf_code)?,
            place: self.place.into_domain(T, &key)?,
            romes,
            is_demo: self.is_demo,
            name: self.name,
            headcount: self.headcount,
            email: self.email,
            phone: self.phone,
            website: self.website,
        })
    }
}
