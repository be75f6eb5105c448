//! Batched upserts of formations, offers and companies, one writer per backend,
//! each in a transaction that bumps the data version.

use sqlx::Transaction;

use super::*;
use crate::backend::in_tx;
use crate::batch::insert;
use crate::portable::{Portable, PushValue as _};

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

// pub(crate): the model publication (model.rs) writes companies and bumps the
// data version inside its own transaction.

pub(crate) async fn formations<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
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
            b.push_value(f.id.as_str())
                .push_value(f.is_demo)
                .push_value(f.title.as_str())
                .push_value(f.diploma_title.as_str())
                .push_value(f.cfd.as_ref().map(|c| c.as_str()))
                .push_value(f.rncp.as_ref().map(|c| c.as_str()))
                .push_value(f.level.map(|l| i64::from(l.get())))
                .push_value(romes.as_str())
                .push_value(f.cfa_uai.as_ref().map(|c| c.as_str()))
                .push_value(f.cfa_siret.as_ref().map(|c| c.as_str()))
                .push_value(f.cfa_name.as_str())
                .push_value(f.place.address.as_str())
                .push_value(f.place.postal_code.as_ref().map(|c| c.as_str()))
                .push_value(f.place.commune_insee.as_ref().map(|c| c.as_str()))
                .push_value(f.place.city.as_str())
                .push_value(f.place.point.lat())
                .push_value(f.place.point.lon())
                .push_value(sessions.as_str())
                .push_value(f.duration_months.map(i64::from))
                .push_value(f.capacity.map(i64::from))
                .push_value(f.distance_learning)
                .push_value(f.email.as_deref())
                .push_value(f.phone.as_deref())
                .push_value(f.onisep_url.as_deref())
                .push_value(true)
                .push_value(now);
        },
    )
    .await?)
}

pub(crate) async fn offers<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
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
            b.push_value(o.id.as_str())
                .push_value(o.is_demo)
                .push_value(o.origin.as_str())
                .push_value(o.status.as_str())
                .push_value(o.title.as_str())
                .push_value(o.appellation_ogr)
                .push_value(o.rome.as_str())
                .push_value(o.description.as_str())
                .push_value(contracts.as_str())
                .push_value(o.level.map(|l| i64::from(l.get())))
                .push_value(o.start_date)
                .push_value(o.duration_months.map(i64::from))
                .push_value(o.company_siret.as_ref().map(|c| c.as_str()))
                .push_value(o.company_name.as_str())
                .push_value(o.company_naf.as_ref().map(|c| c.as_str()))
                .push_value(o.company_headcount.as_deref())
                .push_value(o.place.address.as_str())
                .push_value(o.place.postal_code.as_ref().map(|c| c.as_str()))
                .push_value(o.place.commune_insee.as_ref().map(|c| c.as_str()))
                .push_value(o.place.city.as_str())
                .push_value(o.place.point.lat())
                .push_value(o.place.point.lon())
                .push_value(o.published_at)
                .push_value(o.expires_at)
                .push_value(o.apply_url.as_deref())
                .push_value(now);
        },
    )
    .await?)
}

pub(crate) async fn companies<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
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
            b.push_value(c.siret.as_str())
                .push_value(c.is_demo)
                .push_value(c.name.as_str())
                .push_value(c.naf.as_ref().map(|n| n.as_str()))
                .push_value(c.headcount.as_deref())
                .push_value(c.place.address.as_str())
                .push_value(c.place.postal_code.as_ref().map(|p| p.as_str()))
                .push_value(c.place.commune_insee.as_ref().map(|p| p.as_str()))
                .push_value(c.place.city.as_str())
                .push_value(c.place.point.lat())
                .push_value(c.place.point.lon())
                .push_value(scores.as_str())
                .push_value(c.email.as_deref())
                .push_value(c.phone.as_deref())
                .push_value(c.website.as_deref())
                .push_value(now);
        },
    )
    .await?)
}

/// Bumps the data version of every opportunity: each node rebuilds its
/// whole index.
pub(crate) async fn bump<DB: Portable>(tx: &mut Transaction<'_, DB>) -> Result<(), sqlx::Error> {
    let query =
        sqlx::query("UPDATE data_versions SET version = version + 1 WHERE name = 'opportunities'");
    DB::execute(tx, query).await?;
    Ok(())
}

/// Bumps the version of the offers alone (an offer posted, extended or
/// closed in the pro space): each node reloads its offers and keeps the
/// rest of its index (see `Store::data_versions`).
pub(crate) async fn bump_offers<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query("UPDATE data_versions SET version = version + 1 WHERE name = 'offers'");
    DB::execute(tx, query).await?;
    Ok(())
}

impl Store {
    /// Inserts or updates formations (by id) in one transaction.
    pub async fn upsert_formations(&self, items: &[Formation]) -> Result<u64, StoreError> {
        let now = Utc::now();
        Ok(in_tx!(self, |tx| {
            let n = formations(&mut tx, items, now).await?;
            bump(&mut tx).await?;
            n
        }))
    }

    /// Inserts or updates offers (by id) in one transaction.
    pub async fn upsert_offers(&self, items: &[Offer]) -> Result<u64, StoreError> {
        let now = Utc::now();
        Ok(in_tx!(self, |tx| {
            let n = offers(&mut tx, items, now).await?;
            bump(&mut tx).await?;
            n
        }))
    }

    /// Inserts or updates companies (by SIRET) in one transaction.
    pub async fn upsert_companies(&self, items: &[Company]) -> Result<u64, StoreError> {
        let now = Utc::now();
        Ok(in_tx!(self, |tx| {
            let n = companies(&mut tx, items, now).await?;
            bump(&mut tx).await?;
            n
        }))
    }
}
