//! `lba import offers`: France Travail apprenticeship offers, from a saved
//! file ([`import_file`]) or from the API ([`import_api`]), upserted in
//! batches.
//!
//! - Offer ids are `ft-{France Travail id}` (they route through
//!   `/api/v1/jobs/job/{id}`), origin France Travail, status active.
//! - An offer without coordinates is placed at the centre of its commune
//!   (`lieuTravail.commune`, else its postal code through the referentials),
//!   else rejected.
//! - The ROME code must be a ROME 4.0 code of the referentials. Without one,
//!   the optional [`RomeClassifier`] may find it from the title; else the
//!   offer is rejected.
//! - `expires_at` = `dateActualisation` (else `dateCreation`) +
//!   [`VALIDITY_DAYS`]: France Travail keeps an offer alive by updating it.
//! - Unchanged offers are not rewritten: a second import of the same data
//!   writes nothing.
//! - `full`: active France Travail offers absent from the data (or rejected
//!   in it) are closed; from the API with a list of départements, only the
//!   offers of those départements. Never demo, platform or partner offers,
//!   and nothing when the data has no valid offer at all.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, DepartementCode, InseeCode, PostalCode};
use lba_core::opportunity::{Offer, OfferOrigin, OfferStatus, Place};
use lba_core::text::normalize;
use lba_data::france_travail::{self, FtOffer, ID_FIELD, PLACE_FIELD, ROME_FIELD};
use lba_data::{DataError, Item, Rejected};
use lba_store::{Store, StoreError};
use serde::Serialize;

use crate::france_travail::{FtClient, FtError};
use crate::{ImportError, Progress};

mod run;

use run::Run;

/// Offers written per store transaction.
pub const BATCH: usize = 2_000;
/// Days an offer stays open after its last update at France Travail.
pub const VALIDITY_DAYS: i64 = 60;
/// Prefix of the ids of France Travail offers.
pub const ID_PREFIX: &str = "ft-";
/// The public page of an offer, when `origineOffre.urlOrigine` is absent.
pub const DETAIL_URL: &str = "https://candidat.francetravail.fr/offres/recherche/detail/";
/// At most this many rejected records are listed (all are counted).
const REJECTS_LISTED: usize = 20;

/// Finds the ROME code of a free job title, used for offers without
/// `romeCode`; they are rejected when none is given or when it finds
/// nothing. `lba import offers` passes the ROME classifier
/// ([`lba_search::classifier::Classifier`], accepted from
/// [`crate::classifier::MIN_CONFIDENCE`]).
pub trait RomeClassifier: Send + Sync {
    /// The most likely ROME code of `title`, if confident.
    fn classify(&self, title: &str) -> Option<CodeRome>;
}

impl RomeClassifier for lba_search::classifier::Classifier {
    fn classify(&self, title: &str) -> Option<CodeRome> {
        self.best(title, crate::classifier::MIN_CONFIDENCE)
            .map(|guess| guess.rome)
    }
}

impl<F> RomeClassifier for F
where
    F: Fn(&str) -> Option<CodeRome> + Send + Sync,
{
    fn classify(&self, title: &str) -> Option<CodeRome> {
        self(title)
    }
}

/// Why an offer import stopped.
#[derive(Debug, thiserror::Error)]
pub enum OffersError {
    /// The file or the store failed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The API failed.
    #[error(transparent)]
    Api(#[from] FtError),
}

impl From<DataError> for OffersError {
    fn from(e: DataError) -> Self {
        Self::Import(e.into())
    }
}

impl From<StoreError> for OffersError {
    fn from(e: StoreError) -> Self {
        Self::Import(e.into())
    }
}

/// What one département of the API gave.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DepartementReport {
    /// Département code.
    pub departement: String,
    /// Offers received.
    pub received: u64,
    /// Total announced by the API (may exceed the cap).
    pub total: Option<u64>,
    /// More offers exist than the per-département cap.
    pub truncated: bool,
}

/// The outcome of an offer import.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OffersReport {
    /// The file read, or the API base URL.
    pub source: String,
    /// A full import (vanished offers closed).
    pub full: bool,
    /// Offers read.
    pub read: u64,
    /// New offers stored.
    pub created: u64,
    /// Stored offers changed (or opened again).
    pub updated: u64,
    /// Stored offers identical to the data.
    pub unchanged: u64,
    /// Offers closed (full import).
    pub closed: u64,
    /// Offers placed at the centre of their commune (no coordinates).
    pub located_by_commune: u64,
    /// Offers whose ROME code came from the classifier.
    pub rome_from_title: u64,
    /// Offers rejected.
    pub rejected: u64,
    /// The first rejected offers, with line (file) or position (API), field
    /// and reason.
    pub rejects: Vec<Rejected>,
    /// Per département (API only).
    pub departements: Vec<DepartementReport>,
    /// Why a full import closed nothing.
    pub full_refused: Option<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl OffersReport {
    fn reject(&mut self, rejected: Rejected) {
        self.rejected += 1;
        if self.rejects.len() < REJECTS_LISTED {
            self.rejects.push(rejected);
        }
    }
}

/// Imports a saved file of offers (JSON array, `{"resultats": [...]}` or
/// NDJSON).
pub async fn import_file(
    store: &Store,
    path: &Path,
    full: bool,
    classifier: Option<&dyn RomeClassifier>,
    progress: &dyn Progress,
) -> Result<OffersReport, OffersError> {
    let clock = Instant::now();
    let reader = france_travail::open(path)?;
    let mut run = Run::new(store, classifier, path.display().to_string(), full).await?;
    progress.stage("offres France Travail", None);
    for item in reader {
        progress.advance(1);
        run.report.read += 1;
        match item? {
            Item::Rejected(rejected) => run.report.reject(rejected),
            Item::Record(record) => run.accept(record).await?,
        }
    }
    run.finish(None, clock, progress).await
}

/// Imports the offers of the API, département by département (those of
/// the client's settings, else every département of the referentials).
pub async fn import_api(
    store: &Store,
    client: &FtClient,
    full: bool,
    classifier: Option<&dyn RomeClassifier>,
    progress: &dyn Progress,
) -> Result<OffersReport, OffersError> {
    let clock = Instant::now();
    let source = client.settings().api_base_url.clone();
    let mut run = Run::new(store, classifier, source, full).await?;
    let subset = !client.settings().departements.is_empty();
    let departements: Vec<String> = if subset {
        client
            .settings()
            .departements
            .iter()
            .map(|d| {
                DepartementCode::parse(d)
                    .map(|d| d.as_str().to_owned())
                    .map_err(|e| FtError::Settings(format!("département : {e}")))
            })
            .collect::<Result<BTreeSet<_>, _>>()?
            .into_iter()
            .collect()
    } else {
        run.departements.clone()
    };
    let mut position = 0_u64;
    for departement in &departements {
        progress.stage(
            &format!("offres France Travail, département {departement}"),
            None,
        );
        let fetched = client.departement_offers(departement).await?;
        run.report.departements.push(DepartementReport {
            departement: departement.clone(),
            received: fetched.offers.len() as u64,
            total: fetched.total,
            truncated: fetched.truncated,
        });
        for raw in fetched.offers {
            progress.advance(1);
            position += 1;
            run.report.read += 1;
            match france_travail::offer(position, &raw) {
                Ok(record) => run.accept(record).await?,
                Err(mut rejected) => {
                    let id = raw.get(ID_FIELD).and_then(|v| v.as_str()).unwrap_or("?");
                    rejected.reason = format!(
                        "département {departement}, offre {id} : {}",
                        rejected.reason
                    );
                    run.report.reject(rejected);
                }
            }
        }
    }
    let scope = subset.then(|| departements.into_iter().collect::<HashSet<_>>());
    run.finish(scope, clock, progress).await
}

/// The département of a stored offer: from its commune, else its postal
/// code (`20xxx`: 2A below 20200, else 2B; `97xxx`: three digits).
pub fn departement_of(commune_insee: Option<&str>, postal_code: Option<&str>) -> Option<String> {
    if let Some(insee) = commune_insee.and_then(|c| InseeCode::parse(c).ok()) {
        return Some(insee.departement().to_owned());
    }
    let postal = PostalCode::parse(postal_code?).ok()?;
    let code = postal.as_str();
    let departement = match code.get(..2)? {
        "97" | "98" => code.get(..3)?,
        "20" if code < "20200" => "2A",
        "20" => "2B",
        two => two,
    };
    Some(departement.to_owned())
}
