//! `lba import catalogue`: reads the training catalogue (JSON array or
//! NDJSON) as a stream, locates and completes each course, and upserts the
//! courses in batches.
//!
//! - A course without coordinates is placed at the centre of its commune
//!   (`code_commune_insee`), else rejected.
//! - A course without ROME codes takes those of other courses of the same
//!   diploma (same CFD, else same RNCP code), from this file or already
//!   stored. Else, once the whole file is read, the ROME classifier
//!   ([`crate::classifier`]) proposes one: first from the diploma's title in
//!   the diploma referential (by CFD, else RNCP code), then from the
//!   course's own titles (`rncp_intitule`, `intitule_long`, `diplome`); the
//!   best guess is kept when its confidence reaches
//!   [`crate::classifier::MIN_CONFIDENCE`], else the course is rejected with
//!   that guess and its confidence in the reason.
//! - A course with `published: false` is not stored; if it was stored and
//!   published before, it is unpublished.
//! - Unchanged courses are not rewritten, so a second import of the same
//!   file writes nothing.
//! - `full`: published non-demo courses absent from the file (or rejected
//!   in it) are unpublished.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode};
use lba_core::opportunity::{Formation, Place};
use lba_core::referential::ReferentialData;
use lba_data::catalogue::{self, CatalogueRecord, GEO_FIELD, KEY_FIELD, ROMES_FIELD};
use lba_data::{Item, Rejected};
use lba_search::classifier::{Classifier, RomeGuess};
use lba_store::Store;
use serde::Serialize;

use crate::classifier::{DiplomaRomes, MIN_CONFIDENCE, best_of};
use crate::{ImportError, Progress};

/// Courses written per store transaction.
pub const BATCH: usize = 5_000;
/// At most this many rejected records are listed (all are counted).
const REJECTS_LISTED: usize = 20;

/// The outcome of a catalogue import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CatalogueReport {
    /// The file read.
    pub file: String,
    /// A full import (vanished courses unpublished).
    pub full: bool,
    /// Records read.
    pub read: u64,
    /// New courses stored.
    pub created: u64,
    /// Stored courses changed (or published again).
    pub updated: u64,
    /// Stored courses identical to the file.
    pub unchanged: u64,
    /// Records with `published: false`, not stored.
    pub skipped_unpublished: u64,
    /// Courses unpublished: `published: false` in the file, or (full import)
    /// absent from it.
    pub unpublished: u64,
    /// Courses placed at the centre of their commune (no coordinates).
    pub located_by_commune: u64,
    /// Courses given the ROME codes of other courses of their diploma.
    pub romes_from_diploma: u64,
    /// Courses given the ROME code the classifier found for their
    /// diploma's title in the diploma referential.
    pub romes_from_diploma_referential: u64,
    /// Courses given the ROME code the classifier found for their own
    /// titles.
    pub romes_from_classifier: u64,
    /// Records rejected.
    pub rejected: u64,
    /// The first rejected records, with line, field and reason.
    pub rejects: Vec<Rejected>,
    /// Why a full import did not unpublish the courses missing from the
    /// file (a file without a single valid course is taken for a broken
    /// export, not for the end of every course).
    pub full_refused: Option<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl CatalogueReport {
    /// Courses written (created or updated).
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

/// Imports the catalogue file at `path` into `store`.
pub async fn import(
    store: &Store,
    path: &Path,
    full: bool,
    progress: &dyn Progress,
) -> Result<CatalogueReport, ImportError> {
    let clock = Instant::now();
    let mut report = CatalogueReport {
        file: path.display().to_string(),
        full,
        ..CatalogueReport::default()
    };
    let reader = catalogue::open(path)?;
    let refs = store.referential_data().await?;
    let communes = commune_points(&refs);
    let mut run = Run {
        store,
        report: &mut report,
        communes,
        refs,
        classifier: None,
        by_diploma: HashMap::new(),
        stored_romes: HashMap::new(),
        seen: HashMap::new(),
        kept: HashSet::new(),
        batch: Vec::with_capacity(BATCH),
        pending: Vec::new(),
        to_unpublish: Vec::new(),
    };
    progress.stage("catalogue des formations", None);
    for item in reader {
        progress.advance(1);
        run.report.read += 1;
        match item? {
            Item::Rejected(rejected) => run.report.reject(rejected),
            Item::Record(record) => run.accept(record).await?,
        }
    }
    // Courses whose ROME codes were still unknown: a later course of the
    // same diploma may have given them.
    for record in std::mem::take(&mut run.pending) {
        match run.romes_in_file(&record.0) {
            Some(romes) => {
                run.report.romes_from_diploma += 1;
                run.push(record, romes).await?;
            }
            None => match run.classify(&record.0) {
                Ok((rome, from_diploma)) => {
                    if from_diploma {
                        run.report.romes_from_diploma_referential += 1;
                    } else {
                        run.report.romes_from_classifier += 1;
                    }
                    run.push(record, vec![rome]).await?;
                }
                Err(reason) => {
                    run.kept.remove(&record.0.key);
                    let line = record.0.line;
                    run.report.reject(Rejected {
                        line,
                        field: ROMES_FIELD.to_owned(),
                        reason,
                    });
                }
            },
        }
    }
    run.flush().await?;
    let to_unpublish = std::mem::take(&mut run.to_unpublish);
    let kept = std::mem::take(&mut run.kept);
    report.unpublished += store.unpublish_formations(&to_unpublish).await?;
    if full && kept.is_empty() {
        report.full_refused = Some(
            "aucune formation valide dans le fichier : les formations existantes restent publiées"
                .to_owned(),
        );
    } else if full {
        report.unpublished += store.unpublish_formations_except(&kept).await?;
    }
    progress.finish();
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// The point of every commune that has one (an arrondissement without a
/// point takes its city's).
fn commune_points(refs: &ReferentialData) -> HashMap<InseeCode, GeoPoint> {
    let mut points: HashMap<InseeCode, GeoPoint> = refs
        .communes
        .iter()
        .filter_map(|c| c.point.map(|p| (c.insee.clone(), p)))
        .collect();
    for commune in &refs.communes {
        if commune.point.is_none()
            && let Some(point) = commune.parent.as_ref().and_then(|p| points.get(p)).copied()
        {
            points.insert(commune.insee.clone(), point);
        }
    }
    points
}

/// The state of one import.
struct Run<'a> {
    store: &'a Store,
    report: &'a mut CatalogueReport,
    communes: HashMap<InseeCode, GeoPoint>,
    /// The referentials (the classifier is built from them).
    refs: ReferentialData,
    /// Built on first use, with the diploma referential's titles: most
    /// files give every course its ROME codes.
    classifier: Option<(Classifier, DiplomaRomes)>,
    /// ROME codes of the courses of this file, by "cfd:…" / "rncp:…".
    by_diploma: HashMap<String, Vec<CodeRome>>,
    /// ROME codes found in the store, by the same keys (empty: none).
    stored_romes: HashMap<String, Vec<CodeRome>>,
    /// Keys seen, with their line (duplicates are rejected).
    seen: HashMap<String, u64>,
    /// Keys of the courses kept (stored or unchanged).
    kept: HashSet<String>,
    batch: Vec<Formation>,
    /// Courses waiting for ROME codes until the end of the file.
    pending: Vec<(CatalogueRecord, GeoPoint)>,
    /// Keys of `published: false` courses.
    to_unpublish: Vec<String>,
}

fn diploma_keys(record: &CatalogueRecord) -> Vec<String> {
    let mut keys = Vec::with_capacity(2);
    if let Some(cfd) = &record.cfd {
        keys.push(format!("cfd:{cfd}"));
    }
    if let Some(rncp) = &record.rncp {
        keys.push(format!("rncp:{rncp}"));
    }
    keys
}

impl Run<'_> {
    async fn accept(&mut self, record: CatalogueRecord) -> Result<(), ImportError> {
        if let Some(first) = self.seen.get(&record.key) {
            let reason = format!("clé en double (déjà vue ligne {first})");
            self.report.reject(Rejected {
                line: record.line,
                field: KEY_FIELD.to_owned(),
                reason,
            });
            return Ok(());
        }
        self.seen.insert(record.key.clone(), record.line);
        if !record.published {
            self.report.skipped_unpublished += 1;
            self.to_unpublish.push(record.key);
            return Ok(());
        }
        let point = match (record.point, &record.commune_insee) {
            (Some(point), _) => point,
            (None, Some(insee)) => match self.communes.get(insee) {
                Some(point) => {
                    self.report.located_by_commune += 1;
                    *point
                }
                None => {
                    let reason = format!(
                        "pas de coordonnées et commune INSEE « {insee} » inconnue ou sans coordonnées"
                    );
                    self.report.reject(Rejected {
                        line: record.line,
                        field: GEO_FIELD.to_owned(),
                        reason,
                    });
                    return Ok(());
                }
            },
            (None, None) => {
                self.report.reject(Rejected {
                    line: record.line,
                    field: GEO_FIELD.to_owned(),
                    reason: "pas de coordonnées ni de code commune INSEE".to_owned(),
                });
                return Ok(());
            }
        };
        self.kept.insert(record.key.clone());
        if !record.romes.is_empty() {
            for key in diploma_keys(&record) {
                self.by_diploma
                    .entry(key)
                    .or_insert_with(|| record.romes.clone());
            }
            let romes = record.romes.clone();
            return self.push((record, point), romes).await;
        }
        let romes = match self.romes_in_file(&record) {
            Some(romes) => Some(romes),
            None => self.romes_in_store(&record).await?,
        };
        match romes {
            Some(romes) => {
                self.report.romes_from_diploma += 1;
                self.push((record, point), romes).await
            }
            None => {
                self.pending.push((record, point));
                Ok(())
            }
        }
    }

    /// The classifier's ROME code for a course no other course of its
    /// diploma gave codes to, and whether it came from the diploma
    /// referential; else the reason to reject it.
    fn classify(&mut self, record: &CatalogueRecord) -> Result<(CodeRome, bool), String> {
        let (classifier, diplomas) = self
            .classifier
            .get_or_insert_with(|| (Classifier::build(&self.refs), DiplomaRomes::new(&self.refs)));
        let from_diploma = diplomas.guess(classifier, record.cfd.as_ref(), record.rncp.as_ref());
        if let Some(guess) = from_diploma
            .as_ref()
            .filter(|g| g.confidence >= MIN_CONFIDENCE)
        {
            return Ok((guess.rome.clone(), true));
        }
        let titles = [
            record.rncp_title.as_deref(),
            record.title_long.as_deref(),
            record.diploma.as_deref(),
        ];
        let from_titles = best_of(classifier, titles.into_iter().flatten());
        if let Some(guess) = from_titles
            .as_ref()
            .filter(|g| g.confidence >= MIN_CONFIDENCE)
        {
            return Ok((guess.rome.clone(), false));
        }
        let best = [from_diploma, from_titles]
            .into_iter()
            .flatten()
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence));
        Err(rejection(best.as_ref()))
    }

    fn romes_in_file(&self, record: &CatalogueRecord) -> Option<Vec<CodeRome>> {
        diploma_keys(record)
            .iter()
            .find_map(|k| self.by_diploma.get(k))
            .cloned()
    }

    async fn romes_in_store(
        &mut self,
        record: &CatalogueRecord,
    ) -> Result<Option<Vec<CodeRome>>, ImportError> {
        let keys = diploma_keys(record);
        let Some(first) = keys.first() else {
            return Ok(None);
        };
        if let Some(romes) = self.stored_romes.get(first) {
            return Ok(Some(romes.clone()).filter(|r| !r.is_empty()));
        }
        let romes = self
            .store
            .formation_romes_for_diploma(
                record.cfd.as_ref().map(|c| c.as_str()),
                record.rncp.as_ref().map(|c| c.as_str()),
            )
            .await?;
        self.stored_romes.insert(first.clone(), romes.clone());
        Ok(Some(romes).filter(|r| !r.is_empty()))
    }

    async fn push(
        &mut self,
        (record, point): (CatalogueRecord, GeoPoint),
        romes: Vec<CodeRome>,
    ) -> Result<(), ImportError> {
        self.batch.push(formation(record, point, romes));
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the new and changed courses of the batch.
    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let ids: Vec<String> = batch.iter().map(|f| f.id.clone()).collect();
        let published = self.store.formation_publication(&ids).await?;
        // One read for the whole batch to tell unchanged from updated.
        let stored: HashMap<String, Formation> = self
            .store
            .formations_by_ids(&ids)
            .await?
            .into_iter()
            .map(|f| (f.id.clone(), f))
            .collect();
        let mut changed = Vec::with_capacity(batch.len());
        for formation in batch {
            match published.get(&formation.id) {
                None => {
                    self.report.created += 1;
                    changed.push(formation);
                }
                Some(is_published) => {
                    if *is_published && stored.get(&formation.id) == Some(&formation) {
                        self.report.unchanged += 1;
                    } else {
                        self.report.updated += 1;
                        changed.push(formation);
                    }
                }
            }
        }
        if !changed.is_empty() {
            self.store.upsert_formations(&changed).await?;
        }
        self.batch = Vec::with_capacity(BATCH);
        Ok(())
    }
}

/// Why a course got no ROME code: the classifier's best guess, if any.
fn rejection(best: Option<&RomeGuess>) -> String {
    match best {
        Some(guess) => format!(
            "aucun code ROME pour ce diplôme ; meilleure proposition du classifieur : {} « {} » (confiance {:.2} < {:.2})",
            guess.rome, guess.matched, guess.confidence, MIN_CONFIDENCE
        ),
        None => {
            "aucun code ROME pour ce diplôme, intitulés non reconnus par le classifieur".to_owned()
        }
    }
}

/// The stored course of a located record.
fn formation(record: CatalogueRecord, point: GeoPoint, romes: Vec<CodeRome>) -> Formation {
    let title = record.title().to_owned();
    let diploma_title = record.diploma_title().to_owned();
    Formation {
        id: record.key,
        is_demo: false,
        title,
        diploma_title,
        cfd: record.cfd,
        rncp: record.rncp,
        level: record.level,
        romes,
        cfa_uai: record.trainer_uai,
        cfa_siret: record.trainer_siret.or(record.manager_siret),
        cfa_name: record.trainer_name.unwrap_or_default(),
        place: Place {
            address: record.address.unwrap_or_default().into(),
            postal_code: record.postal_code,
            commune_insee: record.commune_insee,
            city: record.city.unwrap_or_default().into(),
            point,
        },
        sessions: record.sessions,
        duration_months: record.duration_months,
        capacity: record.capacity,
        distance_learning: record.distance_learning,
        email: record.email,
        phone: record.phone,
        onisep_url: record.onisep_url,
    }
}
