//! `lba model train` and `lba model evaluate`.

use std::collections::HashMap;
use std::time::Instant;

use lba_model::evaluate::Evaluation;
use lba_model::guard::GuardViolation;
use lba_model::{EstablishmentInput, HalfYear, HiringModel, History, evaluate};
use lba_store::Store;
use lba_store::model::{EstablishmentScore, ModelRun};
use serde::{Deserialize, Serialize};

use super::{ModelError, ModelSettings};

/// What a training run found and stored (also the stored metrics).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Id of the stored run (0 before it is stored).
    pub run_id: i64,
    /// Establishments scored.
    pub establishments: usize,
    /// Establishments without a département (commune unknown): national model.
    pub without_departement: usize,
    /// Hiring rows read.
    pub hiring_rows: usize,
    /// Hiring rows of SIRETs that are not in `establishments` (ignored).
    pub unknown_sirets: usize,
    /// First and last half-years of the history.
    pub history: (HalfYear, HalfYear),
    /// Half-year predicted by the published scores.
    pub predicted_period: HalfYear,
    /// Evaluation on the last half-year.
    pub evaluation: Evaluation,
    /// The model trained on the whole history (chosen variant).
    pub model: HiringModel,
    /// Mean predicted hirings per establishment.
    pub mean_predicted: f64,
    /// Settings used.
    pub settings: ModelSettings,
    /// What would refuse the publication (drift is checked at `score`).
    pub violations: Vec<GuardViolation>,
    /// Wall time of the training in milliseconds.
    pub duration_ms: u64,
}

impl TrainReport {
    /// Départements with their own coefficients.
    pub fn departement_models(&self) -> usize {
        self.model.departements.len()
    }
}

/// Evaluates, trains and records a run (unpublished).
pub async fn train(store: &Store, settings: &ModelSettings) -> Result<TrainReport, ModelError> {
    let establishments = store.establishments().await?;
    if establishments.is_empty() {
        return Err(ModelError::NoEstablishments);
    }
    let data = store.referential_data().await?;
    if data.communes.is_empty() {
        return Err(ModelError::MissingReferential("communes"));
    }
    let departements: HashMap<&str, &str> = data
        .communes
        .iter()
        .map(|c| (c.insee.as_str(), c.departement.as_str()))
        .collect();
    let inputs: Vec<EstablishmentInput> = establishments
        .iter()
        .map(|e| EstablishmentInput {
            key: e.siret.as_str().to_owned(),
            departement: e
                .commune_insee
                .as_ref()
                .and_then(|c| departements.get(c.as_str()))
                .map(|d| (*d).to_owned())
                .unwrap_or_default(),
            headcount: e.headcount.clone(),
        })
        .collect();
    let rows = store.hirings().await?;
    let known: std::collections::HashSet<&str> = inputs.iter().map(|e| e.key.as_str()).collect();
    let mut history = History::new();
    let mut unknown = 0;
    for (siret, period, hirings) in &rows {
        if !known.contains(siret.as_str()) {
            unknown += 1;
            continue;
        }
        if let Ok(period) = period.parse::<HalfYear>() {
            history.insert(siret, period, *hirings as f64);
        }
    }
    let clock = Instant::now();
    let range = history
        .range()
        .ok_or(lba_model::model::TrainError::EmptyHistory)?;
    let evaluation = evaluate(&inputs, &history, &settings.train)?;
    let model = HiringModel::train(
        evaluation.chosen,
        &inputs,
        &history,
        range.1,
        &settings.train,
    )?;
    let predicted_period = range.1.offset(1);
    let scores: Vec<EstablishmentScore> = inputs
        .iter()
        .map(|e| {
            let predicted = model.predict(e, &history, predicted_period).unwrap_or(0.0);
            EstablishmentScore {
                siret: e.key.clone(),
                predicted_hirings: predicted,
                score: settings.scale.score(predicted),
            }
        })
        .collect();
    let duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    let test_error = evaluation.chosen().and_then(|v| v.relative_error);
    let mut report = TrainReport {
        run_id: 0,
        establishments: inputs.len(),
        without_departement: inputs.iter().filter(|e| e.departement.is_empty()).count(),
        hiring_rows: rows.len(),
        unknown_sirets: unknown,
        history: range,
        predicted_period,
        violations: settings.guard.check(test_error, inputs.len(), None),
        mean_predicted: scores.iter().map(|s| s.predicted_hirings).sum::<f64>()
            / scores.len().max(1) as f64,
        evaluation,
        model,
        settings: settings.clone(),
        duration_ms,
    };
    let metrics = serde_json::to_value(&report).map_err(lba_store::StoreError::from)?;
    report.run_id = store.insert_model_run(&metrics, &scores).await?;
    Ok(report)
}

/// The latest run and its training report.
pub async fn last_evaluation(store: &Store) -> Result<(ModelRun, TrainReport), ModelError> {
    let run = store.latest_model_run().await?.ok_or(ModelError::NoRun)?;
    let mut report: TrainReport = decode(&run)?;
    report.run_id = run.id;
    Ok((run, report))
}

pub(super) fn decode(run: &ModelRun) -> Result<TrainReport, ModelError> {
    serde_json::from_value(run.metrics.clone()).map_err(|source| ModelError::Metrics {
        run: run.id,
        source,
    })
}
