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

/// A place known from the referentials.
#[derive(Clone)]
struct KnownCommune {
    insee: InseeCode,
    name: String,
    point: GeoPoint,
}

/// The state of one import.
struct Run<'a> {
    store: &'a Store,
    classifier: Option<&'a dyn RomeClassifier>,
    report: OffersReport,
    romes: HashSet<CodeRome>,
    /// (ROME, normalised appellation label) → OGR code.
    appellations: HashMap<(CodeRome, String), i64>,
    communes: HashMap<InseeCode, KnownCommune>,
    /// Postal code → its most populated commune.
    postal: HashMap<PostalCode, KnownCommune>,
    departements: Vec<String>,
    /// Ids seen, with their line.
    seen: HashMap<String, u64>,
    /// Ids of the offers kept (stored or unchanged).
    kept: HashSet<String>,
    batch: Vec<Offer>,
}

impl<'a> Run<'a> {
    async fn new(
        store: &'a Store,
        classifier: Option<&'a dyn RomeClassifier>,
        source: String,
        full: bool,
    ) -> Result<Self, OffersError> {
        let refs = store.referential_data().await?;
        let mut communes: HashMap<InseeCode, KnownCommune> = HashMap::new();
        // Postal code → the commune to place it at: an arrondissement
        // (more precise than its city), else the most populated commune.
        let mut postal: HashMap<PostalCode, ((bool, i64), KnownCommune)> = HashMap::new();
        for c in &refs.communes {
            let point = c.point.or_else(|| {
                let parent = c.parent.as_ref()?;
                refs.communes
                    .iter()
                    .find(|p| &p.insee == parent)
                    .and_then(|p| p.point)
            });
            let Some(point) = point else { continue };
            let known = KnownCommune {
                insee: c.insee.clone(),
                name: c.name.clone(),
                point,
            };
            for code in &c.postal_codes {
                let rank = (c.arrondissement, c.population);
                if postal.get(code).is_none_or(|(best, _)| rank > *best) {
                    postal.insert(code.clone(), (rank, known.clone()));
                }
            }
            communes.insert(c.insee.clone(), known);
        }
        Ok(Self {
            store,
            classifier,
            report: OffersReport {
                source,
                full,
                ..OffersReport::default()
            },
            romes: refs.romes.iter().map(|r| r.code.clone()).collect(),
            appellations: refs
                .appellations
                .iter()
                .map(|a| ((a.rome.clone(), normalize(&a.label)), a.ogr))
                .collect(),
            communes,
            postal: postal.into_iter().map(|(k, (_, c))| (k, c)).collect(),
            departements: refs.departements.keys().cloned().collect(),
            seen: HashMap::new(),
            kept: HashSet::new(),
            batch: Vec::with_capacity(BATCH),
        })
    }

    fn reject(&mut self, record: &FtOffer, field: &str, reason: String) {
        self.report.reject(Rejected {
            line: record.line,
            field: field.to_owned(),
            reason,
        });
    }

    async fn accept(&mut self, record: FtOffer) -> Result<(), OffersError> {
        if let Some(first) = self.seen.get(&record.id) {
            let reason = format!("identifiant en double (déjà vu en {first})");
            self.reject(&record, ID_FIELD, reason);
            return Ok(());
        }
        self.seen.insert(record.id.clone(), record.line);
        let rome = match &record.rome {
            Some(rome) if self.romes.contains(rome) => rome.clone(),
            Some(rome) => {
                let reason = format!("code ROME « {rome} » absent du référentiel ROME 4.0");
                self.reject(&record, ROME_FIELD, reason);
                return Ok(());
            }
            None => match self
                .classifier
                .and_then(|c| c.classify(&record.title))
                .filter(|r| self.romes.contains(r))
            {
                Some(rome) => {
                    self.report.rome_from_title += 1;
                    rome
                }
                None => {
                    let reason = "code ROME manquant (et non déduit de l'intitulé)".to_owned();
                    self.reject(&record, ROME_FIELD, reason);
                    return Ok(());
                }
            },
        };
        let commune = record
            .commune
            .as_ref()
            .and_then(|c| self.communes.get(c))
            .or_else(|| record.postal_code.as_ref().and_then(|p| self.postal.get(p)))
            .cloned();
        let point = match (record.point, &commune) {
            (Some(point), _) => point,
            (None, Some(commune)) => {
                self.report.located_by_commune += 1;
                commune.point
            }
            (None, None) => {
                let reason = match (&record.commune, &record.postal_code) {
                    (None, None) => "pas de coordonnées, ni commune ni code postal".to_owned(),
                    (commune, postal) => format!(
                        "pas de coordonnées et commune {} / code postal {} inconnus des référentiels",
                        commune.as_ref().map_or("-", |c| c.as_str()),
                        postal.as_ref().map_or("-", |c| c.as_str())
                    ),
                };
                self.reject(&record, PLACE_FIELD, reason);
                return Ok(());
            }
        };
        let Some(published_at) = record.created_at.or(record.updated_at) else {
            self.reject(&record, "dateCreation", "valeur manquante".to_owned());
            return Ok(());
        };
        let refreshed = record.updated_at.unwrap_or(published_at);
        let expires_at = refreshed + TimeDelta::days(VALIDITY_DAYS);
        let appellation_ogr = record.appellation_label.as_deref().and_then(|label| {
            self.appellations
                .get(&(rome.clone(), normalize(label)))
                .copied()
        });
        let offer = offer(
            record,
            rome,
            appellation_ogr,
            point,
            commune,
            published_at,
            expires_at,
        );
        self.kept.insert(offer.id.clone());
        self.batch.push(offer);
        if self.batch.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the new and changed offers of the batch.
    async fn flush(&mut self) -> Result<(), OffersError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let ids: Vec<String> = batch.iter().map(|o| o.id.clone()).collect();
        // One read for the whole batch to tell unchanged from updated.
        let stored: HashMap<String, Offer> = self
            .store
            .offers_by_ids(&ids)
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        let mut changed = Vec::with_capacity(batch.len());
        for offer in batch {
            match stored.get(&offer.id) {
                None => {
                    self.report.created += 1;
                    changed.push(offer);
                }
                Some(old) if *old == offer => self.report.unchanged += 1,
                Some(_) => {
                    self.report.updated += 1;
                    changed.push(offer);
                }
            }
        }
        if !changed.is_empty() {
            self.store.upsert_offers(&changed).await?;
        }
        Ok(())
    }

    /// Last batch, then (full import) closes the vanished offers: all of
    /// them, or those of the `scope` départements.
    async fn finish(
        mut self,
        scope: Option<HashSet<String>>,
        clock: Instant,
        progress: &dyn Progress,
    ) -> Result<OffersReport, OffersError> {
        self.flush().await?;
        if self.report.full && self.kept.is_empty() {
            self.report.full_refused = Some(
                "aucune offre valide dans les données : les offres France Travail existantes restent ouvertes"
                    .to_owned(),
            );
        } else if self.report.full {
            let gone: Vec<String> = self
                .store
                .active_france_travail_offers()
                .await?
                .into_iter()
                .filter(|o| !self.kept.contains(&o.id))
                .filter(|o| {
                    scope.as_ref().is_none_or(|scope| {
                        departement_of(o.commune_insee.as_deref(), o.postal_code.as_deref())
                            .is_some_and(|d| scope.contains(&d))
                    })
                })
                .map(|o| o.id)
                .collect();
            self.report.closed = self.store.close_france_travail_offers(&gone).await?;
        }
        progress.finish();
        self.report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(self.report)
    }
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

/// The stored offer of a checked, located record.
fn offer(
    record: FtOffer,
    rome: CodeRome,
    appellation_ogr: Option<i64>,
    point: GeoPoint,
    commune: Option<KnownCommune>,
    published_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Offer {
    let city = commune
        .as_ref()
        .map(|c| c.name.clone())
        .or_else(|| record.city_label().map(str::to_owned))
        .unwrap_or_default();
    let apply_url = record
        .url
        .clone()
        .unwrap_or_else(|| format!("{DETAIL_URL}{}", record.id));
    Offer {
        id: format!("{ID_PREFIX}{}", record.id),
        is_demo: false,
        origin: OfferOrigin::FranceTravail,
        status: OfferStatus::Active,
        title: record.title,
        appellation_ogr,
        rome,
        description: record.description.unwrap_or_default(),
        contract_types: vec![record.contract],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: record.company_siret,
        company_name: record.company_name.unwrap_or_default(),
        company_naf: None,
        company_headcount: None,
        place: Place {
            address: record.place_label.unwrap_or_default(),
            postal_code: record.postal_code,
            commune_insee: record.commune.or(commune.map(|c| c.insee)),
            city,
            point,
        },
        published_at,
        expires_at,
        apply_url: Some(apply_url),
    }
}
