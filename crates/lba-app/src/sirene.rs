//! `lba import sirene`: reads the INSEE SIRENE establishment stock (CSV) as
//! a stream and keeps the open establishments in the `establishments`
//! table, to look a company up by SIRET and as the population scored by
//! the hiring-potential model.
//!
//! - Closed establishments (`F`) are counted, and deleted when stored.
//! - Coordinates are converted and trusted as in the companies import
//!   (20 km from the commune centre, see [`crate::locate`]); else the
//!   commune centre; an establishment without a known commune (abroad) is
//!   kept without a point.
//! - The stock has no legal name per establishment: the sign, else the
//!   usual name, else "Établissement <SIRET>" (counted as unnamed).
//! - Unchanged establishments are not rewritten (idempotent). The full
//!   stock has tens of millions of rows, so duplicates are only detected
//!   within a batch; across batches the later row wins.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use lba_core::establishment::Establishment;
use lba_data::sirene::{self, SIRET, SireneRecord};
use lba_data::{Item, Rejected};
use lba_store::Store;
use serde::Serialize;

use crate::locate::{LocatedByCommune, Locator};
use crate::{ImportError, Progress};

/// Establishments written per store transaction.
pub const BATCH: usize = 5_000;
/// At most this many rejected rows are listed (all are counted).
const REJECTS_LISTED: usize = 20;

/// The outcome of a SIRENE import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SireneReport {
    /// The file read.
    pub file: String,
    /// Rows read.
    pub read: u64,
    /// New establishments stored.
    pub created: u64,
    /// Stored establishments changed.
    pub updated: u64,
    /// Stored establishments identical to the file.
    pub unchanged: u64,
    /// Closed establishments in the file (not stored).
    pub closed: u64,
    /// Stored establishments deleted because the file says they closed.
    pub closed_deleted: u64,
    /// Establishments placed at the centre of their commune, by cause.
    pub located_by_commune: LocatedByCommune,
    /// Overseas establishments whose UTM coordinates were converted.
    pub overseas_converted: u64,
    /// Establishments kept without a point (no commune, or one unknown).
    pub unlocated: u64,
    /// Establishments with neither sign nor usual name.
    pub unnamed: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// The first rejected rows, with line, field and reason.
    pub rejects: Vec<Rejected>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl SireneReport {
    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < REJECTS_LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// Imports the SIRENE stock file at `path` into `store`.
pub async fn import(
    store: &Store,
    path: &Path,
    progress: &dyn Progress,
) -> Result<SireneReport, ImportError> {
    let clock = Instant::now();
    let mut report = SireneReport {
        file: path.display().to_string(),
        ..SireneReport::default()
    };
    let reader = sirene::open(path)?;
    let locator = Locator::load(store).await?;
    let mut batch: HashMap<String, (u64, Establishment)> = HashMap::with_capacity(BATCH);
    let mut closed: Vec<String> = Vec::new();
    progress.stage("établissements SIRENE", None);
    for item in reader {
        progress.advance(1);
        report.read += 1;
        match item? {
            Item::Rejected(rejected) => report.reject(rejected),
            Item::Record(SireneRecord::Closed { siret, .. }) => {
                report.closed += 1;
                closed.push(siret.as_str().to_owned());
            }
            Item::Record(SireneRecord::Open(row)) => {
                let siret = row.siret.as_str().to_owned();
                if let Some((first, _)) = batch.get(&siret) {
                    let reason = format!("SIRET en double (déjà vu ligne {first})");
                    report.reject(Rejected {
                        line: row.line,
                        field: SIRET.to_owned(),
                        reason,
                    });
                    continue;
                }
                let line = row.line;
                let establishment = establishment(&locator, &mut report, row);
                batch.insert(siret, (line, establishment));
            }
        }
        if batch.len() >= BATCH || closed.len() >= BATCH {
            flush(store, &mut report, &mut batch, &mut closed).await?;
        }
    }
    flush(store, &mut report, &mut batch, &mut closed).await?;
    progress.finish();
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// The stored form of an open row, located.
fn establishment(
    locator: &Locator,
    report: &mut SireneReport,
    row: sirene::Establishment,
) -> Establishment {
    let name = row.display_name();
    if row.name.is_none() {
        report.unnamed += 1;
    }
    let located = row
        .commune_insee
        .as_ref()
        .and_then(|insee| locator.locate(insee, row.projected));
    let point = match located {
        Some((point, how)) => {
            if report.located_by_commune.count(how) {
                report.overseas_converted += 1;
            }
            Some(point)
        }
        None => {
            report.unlocated += 1;
            None
        }
    };
    Establishment {
        siret: row.siret,
        is_demo: false,
        name,
        naf: row.naf,
        headcount: row.headcount,
        address: row.address,
        postal_code: row.postal_code,
        commune_insee: row.commune_insee,
        city: row.city,
        point,
    }
}

/// Writes the new and changed establishments of the batch and deletes the
/// closed ones.
async fn flush(
    store: &Store,
    report: &mut SireneReport,
    batch: &mut HashMap<String, (u64, Establishment)>,
    closed: &mut Vec<String>,
) -> Result<(), ImportError> {
    if !closed.is_empty() {
        report.closed_deleted += store.delete_establishments(closed).await?;
        closed.clear();
    }
    if batch.is_empty() {
        return Ok(());
    }
    let sirets: Vec<String> = batch.keys().cloned().collect();
    let stored: HashMap<String, Establishment> = store
        .establishments_by_sirets(&sirets)
        .await?
        .into_iter()
        .map(|e| (e.siret.as_str().to_owned(), e))
        .collect();
    let mut changed = Vec::with_capacity(batch.len());
    for (siret, (_, establishment)) in batch.drain() {
        match stored.get(&siret) {
            None => {
                report.created += 1;
                changed.push(establishment);
            }
            Some(known) if *known == establishment => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                changed.push(establishment);
            }
        }
    }
    if !changed.is_empty() {
        store.upsert_establishments(&changed).await?;
    }
    Ok(())
}
