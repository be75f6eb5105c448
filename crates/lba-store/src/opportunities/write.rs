//! Batched upserts of formations, offers and companies, one writer per backend,
//! each in a transaction that bumps the data version.

use super::*;

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
}
