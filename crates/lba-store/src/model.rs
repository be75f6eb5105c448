//! Storage of the hiring-potential model: establishments (the population
//! it scores), the hiring history, its runs and per-establishment scores,
//! and the publication of its companies into `companies`.
//!
//! Ownership of `companies` rows: the model records the SIRETs it wrote
//! in `model_companies`. Publishing a run upserts its companies, removes
//! the companies of the previous publication that no longer qualify, and
//! never touches a row written by another source (the "companies likely to
//! hire" file, the demo generator): such a SIRET is skipped and counted.
//! SIRETs of `company_exclusions` are never written.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, Siret};
use lba_core::opportunity::Company;
use serde::Serialize;

use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::batch::insert;
use crate::opportunities;
use crate::portable::{BindValue as _, Portable, PushValue as _};
use crate::{Store, StoreError};

/// An establishment (SIRENE or demo): the one type of `lba-core`.
pub use lba_core::establishment::Establishment;

/// One row of the hiring history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiringRecord {
    /// Establishment.
    pub siret: Siret,
    /// Half-year, `2024-S1` or `2024-S2` (checked by the caller).
    pub period: String,
    /// Hirings.
    pub hirings: u32,
    /// Of which apprentices.
    pub apprentice_hirings: u32,
}

/// A stored model run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelRun {
    /// Id.
    pub id: i64,
    /// When it was trained.
    pub created_at: DateTime<Utc>,
    /// Metrics (evaluation, settings, counts).
    pub metrics: serde_json::Value,
    /// Its companies were written.
    pub published: bool,
}

/// The predicted hirings and score of one establishment in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct EstablishmentScore {
    /// SIRET.
    pub siret: String,
    /// Predicted hirings in the next half-year.
    pub predicted_hirings: f64,
    /// Score 0–100.
    pub score: u8,
}

/// What a publication changed in `companies`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PublishCounts {
    /// Companies written (created or updated).
    pub written: u64,
    /// Companies of the previous publication removed.
    pub removed: u64,
    /// Skipped: the SIRET is in `company_exclusions`.
    pub excluded: u64,
    /// Skipped: the SIRET belongs to another source.
    pub other_source: u64,
}

const ESTABLISHMENT_COLUMNS: [&str; 13] = [
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

type EstablishmentRow = (
    String,
    bool,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<f64>,
    Option<f64>,
);

fn decode_establishment(row: EstablishmentRow) -> Result<Establishment, StoreError> {
    let (siret, is_demo, name, naf, headcount, address, postal, commune, city, lat, lon) = row;
    let bad = |detail: String| StoreError::Corrupt {
        table: "establishment",
        key: siret.clone(),
        detail,
    };
    Ok(Establishment {
        siret: siret.parse().map_err(|e| bad(format!("{e}")))?,
        naf: naf
            .map(|n| n.parse())
            .transpose()
            .map_err(|e| bad(format!("{e}")))?,
        postal_code: postal
            .map(|n| n.parse())
            .transpose()
            .map_err(|e| bad(format!("{e}")))?,
        commune_insee: commune
            .map(|n| n.parse())
            .transpose()
            .map_err(|e| bad(format!("{e}")))?,
        point: match (lat, lon) {
            (Some(lat), Some(lon)) => GeoPoint::new(lat, lon).ok(),
            _ => None,
        },
        is_demo,
        name,
        headcount,
        address,
        city,
    })
}

async fn insert_hirings<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    items: &[HiringRecord],
) -> Result<u64, sqlx::Error> {
    insert(
        tx,
        "hirings",
        &["siret", "period", "hirings", "apprentice_hirings"],
        &["siret", "period"],
        items,
        |b, h| {
            b.push_value(h.siret.as_str())
                .push_value(h.period.as_str())
                .push_value(i64::from(h.hirings))
                .push_value(i64::from(h.apprentice_hirings));
        },
    )
    .await
}

async fn insert_scores<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    run_id: i64,
    items: &[EstablishmentScore],
) -> Result<u64, sqlx::Error> {
    insert(
        tx,
        "establishment_scores",
        &["run_id", "siret", "predicted_hirings", "score"],
        &[],
        items,
        |b, s| {
            b.push_value(run_id)
                .push_value(s.siret.as_str())
                .push_value(s.predicted_hirings)
                .push_value(i64::from(s.score));
        },
    )
    .await
}

async fn publish_run<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    run_id: i64,
    companies: &[Company],
) -> Result<PublishCounts, StoreError> {
    let mut counts = PublishCounts::default();
    let owned: HashSet<String> = DB::strings(tx, "SELECT siret FROM model_companies")
        .await?
        .into_iter()
        .collect();
    let excluded: HashSet<String> = DB::strings(tx, "SELECT siret FROM company_exclusions")
        .await?
        .into_iter()
        .collect();
    let existing: HashSet<String> = DB::strings(tx, "SELECT siret FROM companies")
        .await?
        .into_iter()
        .collect();
    let mut kept = Vec::with_capacity(companies.len());
    for c in companies {
        let siret = c.siret.as_str();
        if excluded.contains(siret) {
            counts.excluded += 1;
        } else if existing.contains(siret) && !owned.contains(siret) {
            counts.other_source += 1;
        } else {
            kept.push(c.clone());
        }
    }
    let now = Utc::now();
    counts.written = opportunities::companies(tx, &kept, now).await?;
    let current: HashSet<&str> = kept.iter().map(|c| c.siret.as_str()).collect();
    // Previous model companies that no longer qualify, and any
    // that were excluded since.
    for siret in owned.iter().filter(|s| !current.contains(s.as_str())) {
        let query =
            sqlx::query("DELETE FROM companies WHERE siret = $1").bind_value(siret.as_str());
        counts.removed += DB::execute(tx, query).await?;
    }
    DB::execute(tx, sqlx::query("DELETE FROM model_companies")).await?;
    insert(
        tx,
        "model_companies",
        &["siret", "run_id"],
        &[],
        &kept,
        |b, c| {
            b.push_value(c.siret.as_str()).push_value(run_id);
        },
    )
    .await?;
    let query = sqlx::query("UPDATE model_runs SET published = $1 WHERE id = $2")
        .bind_value(true)
        .bind_value(run_id);
    DB::execute(tx, query).await?;
    opportunities::bump(tx).await?;
    Ok(counts)
}

type RunRow = (i64, DateTime<Utc>, String, bool);

fn decode_run(row: RunRow) -> Result<ModelRun, StoreError> {
    let (id, created_at, metrics, published) = row;
    Ok(ModelRun {
        id,
        created_at,
        metrics: serde_json::from_str(&metrics)?,
        published,
    })
}

impl Store {
    /// Deletes the demo establishments and their hiring history.
    pub async fn delete_demo_establishments(&self) -> Result<u64, StoreError> {
        Ok(in_tx!(self, |tx| {
            sqlx::query(
                "DELETE FROM hirings WHERE siret IN \
                 (SELECT siret FROM establishments WHERE is_demo = $1)",
            )
            .bind(true)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM establishments WHERE is_demo = $1")
                .bind(true)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }))
    }

    /// Every establishment.
    pub async fn establishments(&self) -> Result<Vec<Establishment>, StoreError> {
        let sql = format!(
            "SELECT {} FROM establishments",
            ESTABLISHMENT_COLUMNS
                .iter()
                .filter(|c| !["siren", "updated_at"].contains(c))
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        );
        with_pool!(self, |pool| {
            let mut rows = sqlx::query_as::<_, EstablishmentRow>(&sql).fetch(pool);
            let mut out = Vec::new();
            while let Some(row) = rows.try_next().await? {
                out.push(decode_establishment(row)?);
            }
            Ok(out)
        })
    }

    /// Inserts or replaces hiring rows (by SIRET and half-year).
    pub async fn upsert_hirings(&self, items: &[HiringRecord]) -> Result<u64, StoreError> {
        Ok(in_tx!(self, |tx| insert_hirings(&mut tx, items).await?))
    }

    /// Every hiring row: (SIRET, half-year, hirings).
    pub async fn hirings(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT siret, period, hirings FROM hirings")
                .fetch_all(pool)
                .await
        })?)
    }

    /// Records a run (unpublished) with the scores of its establishments;
    /// returns its id.
    pub async fn insert_model_run(
        &self,
        metrics: &serde_json::Value,
        scores: &[EstablishmentScore],
    ) -> Result<i64, StoreError> {
        let metrics = serde_json::to_string(metrics)?;
        Ok(in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO model_runs (created_at, metrics, published) \
                 VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(Utc::now())
            .bind(metrics.as_str())
            .bind(false)
            .fetch_one(&mut *tx)
            .await?;
            insert_scores(&mut tx, id, scores).await?;
            id
        }))
    }

    /// The most recent run, published or not.
    pub async fn latest_model_run(&self) -> Result<Option<ModelRun>, StoreError> {
        self.model_run_where("").await
    }

    /// The most recent published run.
    pub async fn last_published_model_run(&self) -> Result<Option<ModelRun>, StoreError> {
        self.model_run_where("WHERE published = TRUE").await
    }

    async fn model_run_where(&self, filter: &str) -> Result<Option<ModelRun>, StoreError> {
        let sql = format!(
            "SELECT id, created_at, metrics, published FROM model_runs {filter} \
             ORDER BY id DESC LIMIT 1"
        );
        let row: Option<RunRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).fetch_optional(pool).await)?;
        row.map(decode_run).transpose()
    }

    /// The scores of a run.
    pub async fn model_scores(&self, run_id: i64) -> Result<Vec<EstablishmentScore>, StoreError> {
        let rows: Vec<(String, f64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT siret, predicted_hirings, score FROM establishment_scores \
                 WHERE run_id = $1",
            )
            .bind(run_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(siret, predicted_hirings, score)| EstablishmentScore {
                siret,
                predicted_hirings,
                score: u8::try_from(score.clamp(0, 100)).unwrap_or(0),
            })
            .collect())
    }

    /// Predicted hirings of `siret` in the last published run, if scored.
    pub async fn published_prediction(&self, siret: &str) -> Result<Option<f64>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT s.predicted_hirings FROM establishment_scores s \
                 JOIN model_companies c ON c.run_id = s.run_id AND c.siret = s.siret \
                 WHERE s.siret = $1",
            )
            .bind(siret)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Hiring tension (percent) per ROME v3 code: the highest of its FAP
    /// families.
    pub async fn rome_tensions(&self) -> Result<HashMap<CodeRome, f64>, StoreError> {
        let rows: Vec<(String, f64)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT rome_v3_code, tension_pct FROM rome_tension")
                .fetch_all(pool)
                .await
        })?;
        let mut out: HashMap<CodeRome, f64> = HashMap::new();
        for (code, pct) in rows {
            if let Ok(code) = code.parse::<CodeRome>() {
                let slot = out.entry(code).or_insert(pct);
                *slot = slot.max(pct);
            }
        }
        Ok(out)
    }

    /// Publishes run `run_id`: writes `companies` (see the module doc for
    /// ownership and exclusions), removes the model's companies that no
    /// longer qualify, marks the run published, in one transaction.
    pub async fn publish_model_run(
        &self,
        run_id: i64,
        companies: &[Company],
    ) -> Result<PublishCounts, StoreError> {
        Ok(in_tx!(self, |tx| publish_run(&mut tx, run_id, companies).await?))
    }
}
