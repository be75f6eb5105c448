//! Evaluation on a hold-out half-year: train on the targets up to T−1,
//! predict T (the last half-year of the history), and compare the ranking
//! with two baselines: a random ranking (its expected curve) and the
//! ranking by headcount.

use serde::{Deserialize, Serialize};

use crate::features::EstablishmentInput;
use crate::headcount;
use crate::lift::{LiftPoint, at, lift_curve, random_curve};
use crate::model::{HiringModel, ModelKind, TrainError, TrainSettings};
use crate::period::{HalfYear, History};

/// Cuts of the lift curve (deciles).
pub const LIFT_STEPS: u32 = 10;

/// The figures of one variant on the hold-out half-year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantEvaluation {
    /// Variant.
    pub kind: ModelKind,
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Relative squared error: the squared error divided by that of
    /// predicting the mean of the actual hirings (1 − R²; 1 = no better than
    /// a constant, 0 = perfect; `None` when the actual hirings are all
    /// equal, e.g. all zero): the test error of the guard rails. MAE would
    /// be misleading here: on small counts, predicting 0 for everybody has
    /// a low MAE and is useless.
    pub relative_error: Option<f64>,
    /// Lift curve of the ranking by predicted hirings.
    pub lift: Vec<LiftPoint>,
}

/// The evaluation of both variants and the baselines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The hold-out half-year.
    pub test_period: HalfYear,
    /// Establishments evaluated.
    pub establishments: usize,
    /// Actual hirings in the hold-out half-year.
    pub actual_hirings: f64,
    /// Both variants, the reference (OLS) first.
    pub variants: Vec<VariantEvaluation>,
    /// Expected curve of a random ranking.
    pub random: Vec<LiftPoint>,
    /// Curve of the ranking by headcount.
    pub by_headcount: Vec<LiftPoint>,
    /// The variant kept: [`ModelKind::Log1p`] only when it captures more
    /// hirings in the top 10 % than OLS (then in the top 20 %), else OLS.
    pub chosen: ModelKind,
}

impl Evaluation {
    /// The figures of the chosen variant.
    pub fn chosen(&self) -> Option<&VariantEvaluation> {
        self.variants.iter().find(|v| v.kind == self.chosen)
    }
}

/// Evaluates both variants on the last half-year of `history`.
pub fn evaluate(
    establishments: &[EstablishmentInput],
    history: &History,
    settings: &TrainSettings,
) -> Result<Evaluation, TrainError> {
    let Some((_, test)) = history.range() else {
        return Err(TrainError::EmptyHistory);
    };
    let actual: Vec<f64> = establishments
        .iter()
        .map(|e| history.get(&e.key, test).unwrap_or(0.0))
        .collect();
    let total: f64 = actual.iter().sum();
    let n = establishments.len().max(1) as f64;
    let mean = total / n;
    let sst: f64 = actual.iter().map(|a| (a - mean) * (a - mean)).sum();
    let mut variants = Vec::new();
    for kind in ModelKind::ALL {
        let model = HiringModel::train(kind, establishments, history, test.offset(-1), settings)?;
        let predicted: Vec<f64> = establishments
            .iter()
            .map(|e| model.predict(e, history, test).unwrap_or(0.0))
            .collect();
        let (mut abs, mut sq) = (0.0, 0.0);
        for (p, a) in predicted.iter().zip(&actual) {
            abs += (p - a).abs();
            sq += (p - a) * (p - a);
        }
        variants.push(VariantEvaluation {
            kind,
            mae: abs / n,
            rmse: (sq / n).sqrt(),
            relative_error: (sst > 0.0).then(|| sq / sst),
            lift: lift_curve(&predicted, &actual, LIFT_STEPS),
        });
    }
    let headcounts: Vec<f64> = establishments
        .iter()
        .map(|e| headcount::feature(e.headcount.as_deref()))
        .collect();
    let chosen = choose(&variants);
    Ok(Evaluation {
        test_period: test,
        establishments: establishments.len(),
        actual_hirings: total,
        random: random_curve(LIFT_STEPS),
        by_headcount: lift_curve(&headcounts, &actual, LIFT_STEPS),
        variants,
        chosen,
    })
}

fn choose(variants: &[VariantEvaluation]) -> ModelKind {
    let key = |kind: ModelKind| {
        variants.iter().find(|v| v.kind == kind).map(|v| {
            (
                at(&v.lift, 10).unwrap_or(0.0),
                at(&v.lift, 20).unwrap_or(0.0),
            )
        })
    };
    match (key(ModelKind::Ols), key(ModelKind::Log1p)) {
        (Some(ols), Some(log)) if log > ols => ModelKind::Log1p,
        _ => ModelKind::Ols,
    }
}
