//! DARES labour-market tensions: written by `lba import referentials`, read
//! by the orientation toward métiers d'avenir.

use lba_data::dares::{FapRome, Tension, TensionArea, TensionTrendPoint};
use serde::Serialize;

use crate::backend::{in_tx, with_pool};
use crate::{Store, StoreError};

/// Rows per INSERT statement (13 columns: well under both backends' limits).
const ROWS_PER_STATEMENT: usize = 1_000;

/// Rows written by [`Store::write_dares`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DaresCounts {
    /// Tension rows (every FAP family × area).
    pub tensions: u64,
    /// Trend points (FAP family × year).
    pub trends: u64,
    /// FAP → ROME v3 links.
    pub fap_romes: u64,
}

/// The tension of one FAP family in one area, as stored.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoredTension {
    /// FAP family code.
    pub fap_code: String,
    /// `nat`, `reg` or `dep`.
    pub area_kind: String,
    /// `''`, the région or the département code.
    pub area_code: String,
    /// Average employment.
    pub employment: i32,
    /// Standardised indicator (`None` where DARES publishes none).
    pub indicator: Option<f64>,
    /// Category 1–5.
    pub category: Option<i32>,
}

/// The stored (kind, code) of an area.
pub fn area_key(area: &TensionArea) -> (&'static str, &str) {
    match area {
        TensionArea::National => ("nat", ""),
        TensionArea::Region(code) => ("reg", code.as_str()),
        TensionArea::Departement(code) => ("dep", code.as_str()),
    }
}

impl Store {
    /// Replaces every DARES row in one transaction.
    pub async fn write_dares(
        &self,
        tensions: &[Tension],
        trends: &[TensionTrendPoint],
        links: &[FapRome],
    ) -> Result<DaresCounts, StoreError> {
        let mut counts = DaresCounts::default();
        in_tx!(self, |tx| {
            for table in ["dares_tensions", "dares_tension_trends", "fap_romes"] {
                sqlx::query(&format!("DELETE FROM {table}"))
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in tensions.chunks(ROWS_PER_STATEMENT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO dares_tensions (fap_code, area_kind, area_code, year, \
                     employment, indicator, category, hiring_intensity, training_link, \
                     lack_of_workforce, non_durable, working_conditions, geographic_mismatch) ",
                );
                q.push_values(chunk, |mut row, t| {
                    let (kind, code) = area_key(&t.area);
                    let d = t.dimensions;
                    row.push_bind(t.fap.as_str().to_owned())
                        .push_bind(kind)
                        .push_bind(code.to_owned())
                        .push_bind(i32::from(t.year))
                        .push_bind(i32::try_from(t.employment).unwrap_or(i32::MAX))
                        .push_bind(t.indicator)
                        .push_bind(t.category.map(i32::from))
                        .push_bind(d.map(|d| i32::from(d.hiring_intensity)))
                        .push_bind(d.map(|d| i32::from(d.training_link)))
                        .push_bind(d.map(|d| i32::from(d.lack_of_workforce)))
                        .push_bind(d.map(|d| i32::from(d.non_durable)))
                        .push_bind(d.map(|d| i32::from(d.working_conditions)))
                        .push_bind(d.map(|d| i32::from(d.geographic_mismatch)));
                });
                counts.tensions += q.build().execute(&mut *tx).await?.rows_affected();
            }
            for chunk in trends.chunks(ROWS_PER_STATEMENT) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO dares_tension_trends (fap_code, year, indicator) ",
                );
                q.push_values(chunk, |mut row, t| {
                    row.push_bind(t.fap.as_str().to_owned())
                        .push_bind(i32::from(t.year))
                        .push_bind(t.indicator);
                });
                counts.trends += q.build().execute(&mut *tx).await?.rows_affected();
            }
            let pairs: Vec<(&str, &str)> = links
                .iter()
                .filter_map(|l| l.rome.as_ref().map(|r| (l.fap.as_str(), r.as_str())))
                .collect();
            for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
                let mut q =
                    sqlx::QueryBuilder::new("INSERT INTO fap_romes (fap_code, rome_v3_code) ");
                q.push_values(chunk, |mut row, (fap, rome)| {
                    row.push_bind(fap.to_string()).push_bind(rome.to_string());
                });
                counts.fap_romes += q.build().execute(&mut *tx).await?.rows_affected();
            }
        });
        Ok(counts)
    }

    /// The tensions of the FAP families of a ROME v3 code in every area kind
    /// (national, its région, its département), for orientation.
    pub async fn tensions_of_rome(&self, rome_v3: &str) -> Result<Vec<StoredTension>, StoreError> {
        let rows = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT t.fap_code, t.area_kind, t.area_code, t.employment, t.indicator, \
                 t.category FROM dares_tensions t \
                 JOIN fap_romes f ON f.fap_code = t.fap_code \
                 WHERE f.rome_v3_code = $1 ORDER BY t.fap_code, t.area_kind, t.area_code",
            )
            .bind(rome_v3)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

/// A ROME fiche as orientation reads it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OrientationFicheRow {
    /// ROME 4.0 code.
    pub code: String,
    /// Label.
    pub label: String,
    /// ROME v3 parent.
    pub parent_code: String,
    /// Ecological transition tag.
    pub transition_eco: Option<String>,
    /// Digital transition.
    pub transition_num: Option<bool>,
    /// Demographic transition.
    pub transition_demo: Option<bool>,
}

/// Everything the orientation tables are built from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrientationRows {
    /// ROME fiches.
    pub fiches: Vec<OrientationFicheRow>,
    /// Centres of interest: (code, label, definition).
    pub centres: Vec<(i64, String, String)>,
    /// (centre, ROME code, principal).
    pub interests: Vec<(i64, String, bool)>,
    /// Tension rows.
    pub tensions: Vec<StoredTension>,
    /// (FAP, year, national indicator).
    pub trends: Vec<(String, i32, f64)>,
    /// (FAP, ROME v3 code).
    pub fap_romes: Vec<(String, String)>,
}

impl Store {
    /// Reads what the orientation tables need (a few tens of thousands of
    /// rows, once at start).
    pub async fn orientation_rows(&self) -> Result<OrientationRows, StoreError> {
        let rows = with_pool!(self, |pool| {
            let fiches = sqlx::query_as(
                "SELECT code, label, parent_code, transition_eco, transition_num, \
                 transition_demo FROM rome_fiches ORDER BY code",
            )
            .fetch_all(pool)
            .await?;
            let centres = sqlx::query_as(
                "SELECT code, label, definition FROM interest_centres ORDER BY code",
            )
            .fetch_all(pool)
            .await?;
            let interests = sqlx::query_as(
                "SELECT centre_code, rome_code, principal FROM interest_centre_romes \
                 ORDER BY centre_code, rome_code",
            )
            .fetch_all(pool)
            .await?;
            let tensions = sqlx::query_as(
                "SELECT fap_code, area_kind, area_code, employment, indicator, category \
                 FROM dares_tensions ORDER BY fap_code, area_kind, area_code",
            )
            .fetch_all(pool)
            .await?;
            let trends = sqlx::query_as(
                "SELECT fap_code, year, indicator FROM dares_tension_trends \
                 ORDER BY fap_code, year",
            )
            .fetch_all(pool)
            .await?;
            let fap_romes = sqlx::query_as(
                "SELECT fap_code, rome_v3_code FROM fap_romes ORDER BY fap_code, rome_v3_code",
            )
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>(OrientationRows {
                fiches,
                centres,
                interests,
                tensions,
                trends,
                fap_romes,
            })
        })?;
        Ok(rows)
    }
}
