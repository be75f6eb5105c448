//! Import of a hiring history file into `hirings`: streaming, batches,
//! idempotent (a row replaces the stored one of the same SIRET and
//! half-year), rejected rows counted and the first ones listed with their
//! line and field.

use std::path::Path;

use lba_data::hirings::hirings;
use lba_data::{Item, Rejected};
use lba_store::Store;
use lba_store::model::HiringRecord;
use serde::Serialize;

use super::ModelError;
use crate::Progress;

/// Rows written per store transaction.
const BATCH: usize = 10_000;
/// At most this many rejected rows are listed (all are counted).
const REJECTS_LISTED: usize = 20;

/// The outcome of a history import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HistoryReport {
    /// The file read.
    pub file: String,
    /// Data rows read.
    pub read: u64,
    /// Rows stored.
    pub stored: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// The first rejected rows.
    pub rejects: Vec<Rejected>,
    /// First and last half-years of the file.
    pub periods: Option<(String, String)>,
}

/// Imports the hiring history at `path`.
pub async fn import_history(
    store: &Store,
    path: &Path,
    progress: &dyn Progress,
) -> Result<HistoryReport, ModelError> {
    let mut report = HistoryReport {
        file: path.display().to_string(),
        ..HistoryReport::default()
    };
    let mut batch = Vec::with_capacity(BATCH);
    let mut range = None;
    progress.stage("historique des embauches", None);
    for item in hirings(path)? {
        progress.advance(1);
        report.read += 1;
        match item? {
            Item::Rejected(rejected) => {
                report.rejected += 1;
                if report.rejects.len() < REJECTS_LISTED {
                    report.rejects.push(rejected);
                }
            }
            Item::Record(row) => {
                range = Some(match range {
                    None => (row.period, row.period),
                    Some((a, b)) => (row.period.min(a), row.period.max(b)),
                });
                batch.push(HiringRecord {
                    siret: row.siret,
                    period: row.period.to_string(),
                    hirings: row.hirings,
                    apprentice_hirings: row.apprentice_hirings,
                });
                if batch.len() >= BATCH {
                    report.stored += store.upsert_hirings(&batch).await?;
                    batch.clear();
                }
            }
        }
    }
    if !batch.is_empty() {
        report.stored += store.upsert_hirings(&batch).await?;
    }
    progress.finish();
    report.periods = range.map(|(a, b)| (a.to_string(), b.to_string()));
    Ok(report)
}
