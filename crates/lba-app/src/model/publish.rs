//! `lba model score`: the guard rails, then the companies used by search.
//!
//! For every establishment of the latest run, its predicted hirings are
//! split across the ROME 4.0 fiches of its activity (affinity from the
//! public ROME × NAF table) and scored; the establishment becomes a
//! company for each métier whose score reaches the métier's threshold
//! (20, lowered towards 5 for métiers en tension). Companies are placed at
//! the establishment's coordinates, else at the centre of its commune
//! (else left out and counted).

use std::collections::HashMap;

use lba_core::geo::GeoPoint;
use lba_core::ids::CodeRome;
use lba_core::opportunity::{Company, Place};
use lba_model::guard::{Drift, GuardViolation, drift};
use lba_model::score::{Affinities, display_threshold, rome_scores};
use lba_store::Store;
use lba_store::model::PublishCounts;
use serde::Serialize;

use super::train::decode;
use super::{ModelError, ModelSettings};

/// The outcome of a publication.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreReport {
    /// The run published.
    pub run_id: i64,
    /// Establishments scored by the run.
    pub establishments: usize,
    /// Establishments reaching the threshold for at least one métier.
    pub qualifying: usize,
    /// (company, métier) pairs written.
    pub rome_scores: usize,
    /// Qualifying establishments with neither coordinates nor a known commune.
    pub unlocated: usize,
    /// Drift from the last published run, if any.
    pub drift: Option<Drift>,
    /// Drift violations overridden by `--force`.
    pub forced: Vec<GuardViolation>,
    /// What changed in `companies`.
    pub companies: PublishCounts,
    /// The best-scored companies written, for a look at the result.
    pub examples: Vec<PublishedExample>,
}

/// A published company, as listed in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedExample {
    /// SIRET.
    pub siret: String,
    /// Name.
    pub name: String,
    /// Commune.
    pub city: String,
    /// Its best métier.
    pub rome: String,
    /// Its score there.
    pub score: u8,
    /// Where it is shown.
    pub lat: f64,
    /// Where it is shown.
    pub lon: f64,
}

/// Companies listed in the report.
const EXAMPLES: usize = 5;

/// Checks the guard rails and publishes the latest run.
pub async fn score(
    store: &Store,
    settings: &ModelSettings,
    force: bool,
) -> Result<ScoreReport, ModelError> {
    let run = store.latest_model_run().await?.ok_or(ModelError::NoRun)?;
    let trained = decode(&run)?;
    let scores = store.model_scores(run.id).await?;
    let drift = match store.last_published_model_run().await? {
        Some(previous) if previous.id != run.id => {
            let before: HashMap<String, u8> = store
                .model_scores(previous.id)
                .await?
                .into_iter()
                .map(|s| (s.siret, s.score))
                .collect();
            let now: HashMap<String, u8> =
                scores.iter().map(|s| (s.siret.clone(), s.score)).collect();
            Some(drift(&before, &now))
        }
        _ => None,
    };
    let test_error = trained.evaluation.chosen().and_then(|v| v.relative_error);
    let violations = settings
        .guard
        .check(test_error, trained.establishments, drift.as_ref());
    let blocking = violations.iter().any(|v| !force || !v.forcible());
    if blocking {
        return Err(ModelError::Refused(violations));
    }

    let data = store.referential_data().await?;
    if data.rome_naf.is_empty() || data.romes.is_empty() {
        return Err(ModelError::MissingReferential("table ROME × NAF"));
    }
    let affinities = Affinities::new(
        data.rome_naf
            .iter()
            .map(|r| (r.naf.as_str(), &r.rome_v3, r.hirings)),
        data.romes.iter().map(|r| (&r.code, &r.parent_code)),
    );
    let tensions = store.rome_tensions().await?;
    let thresholds: HashMap<CodeRome, f64> = data
        .romes
        .iter()
        .map(|r| {
            (
                r.code.clone(),
                display_threshold(tensions.get(&r.parent_code).copied()),
            )
        })
        .collect();
    let centres: HashMap<&str, GeoPoint> = data
        .communes
        .iter()
        .filter_map(|c| Some((c.insee.as_str(), c.point?)))
        .collect();
    let establishments: HashMap<String, lba_store::model::Establishment> = store
        .establishments()
        .await?
        .into_iter()
        .map(|e| (e.siret.as_str().to_owned(), e))
        .collect();

    let mut report = ScoreReport {
        run_id: run.id,
        establishments: scores.len(),
        qualifying: 0,
        rome_scores: 0,
        unlocated: 0,
        drift,
        forced: violations,
        companies: PublishCounts::default(),
        examples: Vec::new(),
    };
    let mut companies = Vec::new();
    for s in &scores {
        let Some(e) = establishments.get(&s.siret) else {
            continue;
        };
        let Some(naf) = &e.naf else { continue };
        let romes = rome_scores(
            s.predicted_hirings,
            affinities.of(naf.as_str()),
            &thresholds,
            &settings.scale,
        );
        if romes.is_empty() {
            continue;
        }
        report.qualifying += 1;
        let point = e.point.or_else(|| {
            e.commune_insee
                .as_ref()
                .and_then(|c| centres.get(c.as_str()).copied())
        });
        let Some(point) = point else {
            report.unlocated += 1;
            continue;
        };
        report.rome_scores += romes.len();
        companies.push(Company {
            siret: e.siret.clone(),
            is_demo: e.is_demo,
            name: e.name.as_str().into(),
            naf: e.naf.clone(),
            headcount: e.headcount.as_deref().map(Into::into),
            place: Place {
                address: e.address.as_str().into(),
                postal_code: e.postal_code.clone(),
                commune_insee: e.commune_insee.clone(),
                city: e.city.as_str().into(),
                point,
            },
            romes,
            email: None,
            phone: None,
            website: None,
        });
    }
    report.companies = store.publish_model_run(run.id, &companies).await?;
    let stored: std::collections::HashSet<String> = store
        .companies()
        .await?
        .into_iter()
        .map(|c| c.siret.as_str().to_owned())
        .collect();
    companies.retain(|c| stored.contains(c.siret.as_str()));
    companies.sort_by(|a, b| {
        b.best_score(&[])
            .cmp(&a.best_score(&[]))
            .then_with(|| a.siret.cmp(&b.siret))
    });
    report.examples = companies
        .iter()
        .take(EXAMPLES)
        .filter_map(|c| {
            let best = c.romes.first()?;
            Some(PublishedExample {
                siret: c.siret.as_str().to_owned(),
                name: c.name.to_string(),
                city: c.place.city.to_string(),
                rome: best.rome.as_str().to_owned(),
                score: best.score,
                lat: c.place.point.lat(),
                lon: c.place.point.lon(),
            })
        })
        .collect();
    Ok(report)
}
