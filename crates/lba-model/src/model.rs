//! One regression per département, a national one as the fallback.
//!
//! A département with fewer than [`TrainSettings::min_per_departement`]
//! establishments is predicted with the national coefficients (fitted on
//! every establishment): a handful of establishments cannot estimate nine
//! coefficients, and a small département looks like the country more than
//! like nothing.
//!
//! Two variants are trained on the same rows: [`ModelKind::Ols`] on the
//! raw counts (the reference) and [`ModelKind::Log1p`], OLS on
//! `ln(1 + hirings)` for the lags and the target, back-transformed with
//! `expm1` and Duan's smearing factor (the mean of `exp(residual)`), which
//! tames the few establishments with very many hirings.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::features::{EstablishmentInput, FEATURES, features, targets};
use crate::period::{HalfYear, History};
use crate::regression::{NormalEquations, SolveError, dot};

/// A variant of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Ordinary least squares on hirings.
    Ols,
    /// Ordinary least squares on `ln(1 + hirings)`.
    Log1p,
}

impl ModelKind {
    /// Both variants, the reference first.
    pub const ALL: [Self; 2] = [Self::Ols, Self::Log1p];

    /// Name shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ols => "MCO (embauches)",
            Self::Log1p => "MCO sur log(1 + embauches)",
        }
    }

    fn forward(self) -> fn(f64) -> f64 {
        match self {
            Self::Ols => |v| v,
            Self::Log1p => f64::ln_1p,
        }
    }
}

/// Training settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    /// Ridge term relative to the mean diagonal of `XᵀX` (stability only).
    pub ridge: f64,
    /// A département needs this many establishments for its own model.
    pub min_per_departement: usize,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            ridge: 1e-6,
            min_per_departement: 30,
        }
    }
}

/// A trained model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HiringModel {
    /// Variant.
    pub kind: ModelKind,
    /// Last target half-year used in training.
    pub trained_until: HalfYear,
    /// Coefficients fitted on every establishment.
    pub national: Vec<f64>,
    /// Coefficients of the départements with enough establishments.
    pub departements: BTreeMap<String, Vec<f64>>,
    /// Duan's smearing factor (1 for [`ModelKind::Ols`]).
    pub smearing: f64,
    /// Training rows (establishment × target half-year).
    pub rows: usize,
}

/// Why a model could not be trained.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// No hiring row at all.
    #[error("historique des embauches vide : importez-le avec `lba model train --history FICHIER`")]
    EmptyHistory,
    /// The history does not cover 8 half-years up to the target.
    #[error(
        "historique trop court : il faut au moins 8 semestres consécutifs (7 semestres passés et le semestre à prédire) jusqu'à {0}"
    )]
    ShortHistory(HalfYear),
    /// The national system could not be solved.
    #[error("{0}")]
    Solve(#[from] SolveError),
}

impl HiringModel {
    /// Trains `kind` on every target half-year up to `last` included.
    pub fn train(
        kind: ModelKind,
        establishments: &[EstablishmentInput],
        history: &History,
        last: HalfYear,
        settings: &TrainSettings,
    ) -> Result<Self, TrainError> {
        let periods = targets(history, last);
        if periods.is_empty() {
            return Err(TrainError::ShortHistory(last));
        }
        let f = kind.forward();
        let mut by_dep: HashMap<&str, (NormalEquations, usize)> = HashMap::new();
        for e in establishments {
            let slot = by_dep
                .entry(e.departement.as_str())
                .or_insert_with(|| (NormalEquations::new(FEATURES), 0));
            slot.1 += 1;
            for &t in &periods {
                if let (Some(x), Some(y)) = (features(history, e, t, f), history.get(&e.key, t)) {
                    slot.0.add(&x, f(y));
                }
            }
        }
        let mut national = NormalEquations::new(FEATURES);
        for (eqs, _) in by_dep.values() {
            national.merge(eqs);
        }
        let mut model = Self {
            kind,
            trained_until: last,
            national: national.solve(settings.ridge)?,
            departements: BTreeMap::new(),
            smearing: 1.0,
            rows: national.rows(),
        };
        for (dep, (eqs, count)) in by_dep {
            if count >= settings.min_per_departement
                && !dep.is_empty()
                && let Ok(beta) = eqs.solve(settings.ridge)
            {
                model.departements.insert(dep.to_owned(), beta);
            }
        }
        if kind == ModelKind::Log1p {
            // Duan's smearing: E[y] = E[exp(ŷ + ε)] − 1 ≈ exp(ŷ)·mean(exp(ε)) − 1.
            let (mut sum, mut n) = (0.0, 0usize);
            for e in establishments {
                for &t in &periods {
                    if let (Some(x), Some(y)) = (features(history, e, t, f), history.get(&e.key, t))
                    {
                        sum += (y.ln_1p() - dot(&x, model.coefficients(&e.departement))).exp();
                        n += 1;
                    }
                }
            }
            if n > 0 && sum.is_finite() {
                model.smearing = sum / n as f64;
            }
        }
        Ok(model)
    }

    /// The coefficients used for `departement`.
    pub fn coefficients(&self, departement: &str) -> &[f64] {
        self.departements.get(departement).unwrap_or(&self.national)
    }

    /// Predicted hirings (≥ 0) of `e` in half-year `target`; `None` when
    /// its lags are outside the history.
    pub fn predict(
        &self,
        e: &EstablishmentInput,
        history: &History,
        target: HalfYear,
    ) -> Option<f64> {
        let x = features(history, e, target, self.kind.forward())?;
        let raw = dot(&x, self.coefficients(&e.departement));
        let y = match self.kind {
            ModelKind::Ols => raw,
            ModelKind::Log1p => (raw.exp() * self.smearing - 1.0).max(0.0),
        };
        Some(if y.is_finite() { y.max(0.0) } else { 0.0 })
    }
}
