//! The log of import runs (`import_runs`): what was imported, when, and the
//! report shown to the operator.

use chrono::{DateTime, Utc};
use sqlx::Transaction;

use crate::backend::with_pool;
use crate::portable::{BindValue as _, Portable};
use crate::{Store, StoreError};

/// One recorded import run.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ImportRun {
    /// Kind of import ("referentials", …).
    pub kind: String,
    /// Where the data came from (a directory, a file, a URL).
    pub source: String,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// End.
    pub finished_at: DateTime<Utc>,
    /// The report, as JSON.
    pub report: serde_json::Value,
}

/// kind, source, started_at, finished_at, report.
type ImportRow = (String, String, DateTime<Utc>, DateTime<Utc>, String);

/// Records a finished run of `kind` in `tx`.
pub(crate) async fn record<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    kind: &str,
    source: &str,
    started_at: DateTime<Utc>,
    report: &str,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query::<DB>(
        "INSERT INTO import_runs (kind, source, started_at, finished_at, report) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind_value(kind)
    .bind_value(source)
    .bind_value(started_at)
    .bind_value(Utc::now())
    .bind_value(report);
    DB::execute(tx, query).await?;
    Ok(())
}

impl Store {
    /// The most recent run of `kind`, if any.
    pub async fn last_import(&self, kind: &str) -> Result<Option<ImportRun>, StoreError> {
        let row: Option<ImportRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, source, started_at, finished_at, report FROM import_runs \
                     WHERE kind = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(kind)
            .fetch_optional(pool)
            .await
        })?;
        row.map(|(kind, source, started_at, finished_at, report)| {
            Ok(ImportRun {
                kind,
                source,
                started_at,
                finished_at,
                report: serde_json::from_str(&report)?,
            })
        })
        .transpose()
    }
}
