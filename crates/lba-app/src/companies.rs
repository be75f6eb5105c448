//! `lba import companies`: reads the monthly "companies likely to hire"
//! file (JSON array or NDJSON of `recruteurs-lba` records) as a stream,
//! places each company and upserts them in batches.
//!
//! - A new file replaces the previous one: non-demo companies absent from
//!   it (or rejected in it) are deleted, unless the file holds no valid
//!   company at all (taken for a broken export: nothing is deleted).
//! - Companies that opted out or were blacklisted (`company_exclusions`)
//!   are skipped, never (re)inserted.
//! - Coordinates are converted from the département's projection
//!   (Lambert-93, or UTM overseas) and trusted within 20 km of the commune
//!   centre; else the commune centre is used (see [`crate::locate`]).
//! - A contact that does not parse (email, phone) is dropped, the company
//!   kept.
//! - Unchanged companies are not rewritten, so a second import of the same
//!   file writes nothing and leaves the data version alone.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use lba_core::contact::{Email, PhoneNumber};
use lba_core::opportunity::{Company, Place};
use lba_data::recruteurs::{self, COMMUNE_FIELD, RecruteurRecord, SIRET_FIELD};
use lba_data::{Item, Rejected};
use lba_store::Store;
use serde::Serialize;

use crate::locate::{LocatedByCommune, Locator};
use crate::{ImportError, Progress};

/// Companies written per store transaction.
pub const BATCH: usize = 5_000;
/// At most this many rejected records are listed (all are counted).
const REJECTS_LISTED: usize = 20;

/// The outcome of a companies import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CompaniesReport {
    /// The file read.
    pub file: String,
    /// Records read.
    pub read: u64,
    /// New companies stored.
    pub created: u64,
    /// Stored companies changed.
    pub updated: u64,
    /// Stored companies identical to the file.
    pub unchanged: u64,
    /// Non-demo companies deleted because they are not in the file.
    pub removed: u64,
    /// Records skipped because the company opted out or was blacklisted.
    pub excluded: u64,
    /// Companies placed at the centre of their commune, by cause.
    pub located_by_commune: LocatedByCommune,
    /// Overseas companies whose UTM coordinates were converted.
    pub overseas_converted: u64,
    /// Emails or phone numbers dropped because they do not parse.
    pub contacts_dropped: u64,
    /// Records rejected.
    pub rejected: u64,
    /// The first rejected records, with line, field and reason.
    pub rejects: Vec<Rejected>,
    /// Why the companies absent from the file were not deleted.
    pub removal_refused: Option<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl CompaniesReport {
    /// Companies written (created or updated).
    pub fn stored(&self) -> u64 {
        self.created + self.updated
    }

    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < REJECTS_LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// Imports the companies file at `path` into `store`.
pub async fn import(
    store: &Store,
    path: &Path,
    progress: &dyn Progress,
) -> Result<CompaniesReport, ImportError> {
    let clock = Instant::now();
    let mut report = CompaniesReport {
        file: path.display().to_string(),
        ..CompaniesReport::default()
    };
    let reader = recruteurs::open(path)?;
    let mut run = Run {
        store,
        locator: Locator::load(store).await?,
        excluded: store.excluded_sirets().await?,
        report: &mut report,
        seen: HashMap::new(),
        kept: HashSet::new(),
        batch: Vec::with_capacity(BATCH),
    };
    progress.stage("entreprises susceptibles de recruter", None);
    for item in reader {
        progress.advance(1);
        run.report.read += 1;
        match item? {
            Item::Rejected(rejected) => run.report.reject(rejected),
            Item::Record(record) => run.accept(record).await?,
        }
    }
    run.flush().await?;
    let kept = std::mem::take(&mut run.kept);
    if kept.is_empty() {
        report.removal_refused = Some(
            "aucune entreprise valide dans le fichier : les entreprises existantes sont gardées"
                .to_owned(),
        );
    } else {
        report.removed = store
            .delete_companies_except(|siret| siret_key(siret).is_some_and(|k| kept.contains(&k)))
            .await?;
    }
    progress.finish();
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// A SIRET (14 digits) as a number: a quarter of the memory of its text in
/// the sets of a million-company import.
fn siret_key(siret: &str) -> Option<u64> {
    siret.parse().ok()
}

/// The state of one import.
struct Run<'a> {
    store: &'a Store,
    locator: Locator,
    excluded: HashSet<String>,
    report: &'a mut CompaniesReport,
    /// SIRETs seen, with their line (duplicates are rejected).
    seen: HashMap<u64, u64>,
    /// SIRETs of the companies kept (stored or unchanged).
    kept: HashSet<u64>,
    batch: Vec<Company>,
}

impl Run<'_> {
    async fn accept(&mut self, record: RecruteurRecord) -> Result<(), ImportError> {
        let Some(key) = siret_key(record.siret.as_str()) else {
            return Ok(());
        };
        if let Some(first) = self.seen.get(&key) {
            let reason = format!("SIRET en double (déjà vu ligne {first})");
            self.report.reject(Rejected {
                line: record.line,
                field: SIRET_FIELD.to_owned(),
                reason,
            });
            return Ok(());
        }
        self.seen.insert(key, record.line);
        if self.excluded.contains(record.siret.as_str()) {
            self.report.excluded += 1;
            return Ok(());
        }
        let Some(insee) = record.commune_insee.as_ref() else {
            self.report.reject(Rejected {
                line: record.line,
                field: COMMUNE_FIELD.to_owned(),
                reason: "valeur manquante : la commune situe l'entreprise".to_owned(),
            });
            return Ok(());
        };
        let Some((point, how)) = self.locator.locate(insee, record.projected) else {
            self.report.reject(Rejected {
                line: record.line,
                field: COMMUNE_FIELD.to_owned(),
                reason: format!("commune INSEE « {insee} » inconnue ou sans coordonnées"),
            });
            return Ok(());
        };
        if self.report.located_by_commune.count(how) {
            self.report.overseas_converted += 1;
        }
        let city = self
            .locator
            .commune_name(insee)
            .map(str::to_owned)
            .or_else(|| record.city.clone())
            .unwrap_or_default();
        let email = record.email.as_deref().and_then(|raw| {
            let parsed = Email::parse(raw).ok().map(|e| e.as_str().to_owned());
            self.report.contacts_dropped += u64::from(parsed.is_none());
            parsed
        });
        let phone = record.phone.as_deref().and_then(|raw| {
            let parsed = PhoneNumber::parse(raw).ok().map(|_| raw.to_owned());
            self.report.contacts_dropped += u64::from(parsed.is_none());
            parsed
        });
        self.kept.insert(key);
        self.batch.push(Company {
            siret: record.siret,
            is_demo: false,
            name: record.name.into(),
            naf: record.naf,
            headcount: record.headcount.map(Into::into),
            place: Place {
                address: record.address.into(),
                postal_code: record.postal_code,
                commune_insee: record.commune_insee,
                city: city.into(),
                point,
            },
            romes: record.romes,
            email,
            phone: phone.map(Into::into),
            website: None,
        });
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the new and changed companies of the batch.
    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let sirets: Vec<String> = batch.iter().map(|c| c.siret.as_str().to_owned()).collect();
        // One read for the whole batch to tell created, updated, unchanged.
        let stored: HashMap<String, Company> = self
            .store
            .companies_by_sirets(&sirets)
            .await?
            .into_iter()
            .map(|c| (c.siret.as_str().to_owned(), c))
            .collect();
        let mut changed = Vec::with_capacity(batch.len());
        for company in batch {
            match stored.get(company.siret.as_str()) {
                None => {
                    self.report.created += 1;
                    changed.push(company);
                }
                Some(known) if *known == company => self.report.unchanged += 1,
                Some(_) => {
                    self.report.updated += 1;
                    changed.push(company);
                }
            }
        }
        if !changed.is_empty() {
            self.store.upsert_companies(&changed).await?;
        }
        Ok(())
    }
}
