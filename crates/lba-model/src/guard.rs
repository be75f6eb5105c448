//! Guard rails: the checks that refuse to publish a run. Each violation
//! carries a French message that says what was measured, the limit and
//! the setting that changes it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::score::star_band;

/// Limits of the guard rails (settings of `lba model score`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuardRails {
    /// Highest accepted test error on the hold-out half-year: squared error
    /// relative to predicting the mean (1 − R²).
    pub max_test_error: f64,
    /// Fewest establishments in the training set.
    pub min_establishments: usize,
    /// Highest accepted mean absolute change of the score (points) of the
    /// establishments scored by both this run and the last published one.
    pub max_mean_score_change: f64,
    /// Highest accepted share (0–1) of those establishments whose star
    /// band (half-stars) changed.
    pub max_band_change_share: f64,
}

impl Default for GuardRails {
    fn default() -> Self {
        Self {
            max_test_error: 0.9,
            min_establishments: 200,
            max_mean_score_change: 10.0,
            max_band_change_share: 0.25,
        }
    }
}

/// A reason to refuse publishing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum GuardViolation {
    /// The hold-out period had no hiring (or the same number everywhere):
    /// the error cannot be measured.
    #[error(
        "aucune embauche (ou partout le même nombre) dans le semestre de test : l'erreur du modèle ne peut pas être mesurée (historique vide ou tout à zéro ?)"
    )]
    NoHirings,
    /// Test error above the limit.
    #[error(
        "erreur de test trop élevée : {error:.2} (erreur quadratique rapportée à celle d'une prévision constante ; 1 = pas mieux que la moyenne) pour un maximum de {max:.2} (réglage --max-test-error)"
    )]
    TestError {
        /// Measured.
        error: f64,
        /// Limit.
        max: f64,
    },
    /// Too few establishments.
    #[error(
        "trop peu d'établissements pour entraîner le modèle : {count} pour un minimum de {min} (réglage --min-establishments)"
    )]
    TooFewEstablishments {
        /// Measured.
        count: usize,
        /// Limit.
        min: usize,
    },
    /// Scores moved too much on average.
    #[error(
        "les scores ont trop changé depuis le dernier modèle publié : {change:.1} points d'écart moyen pour un maximum de {max:.1} (réglage --max-score-change ; --force pour publier quand même)"
    )]
    ScoreChange {
        /// Measured.
        change: f64,
        /// Limit.
        max: f64,
    },
    /// Too many companies changed star band.
    #[error(
        "trop d'entreprises changent de nombre d'étoiles depuis le dernier modèle publié : {share_pct:.0} % pour un maximum de {max_pct:.0} % (réglage --max-band-change ; --force pour publier quand même)"
    )]
    BandChange {
        /// Measured, percent.
        share_pct: f64,
        /// Limit, percent.
        max_pct: f64,
    },
}

impl GuardViolation {
    /// Whether `--force` may override it (only the drift checks: a bad
    /// model is never published).
    pub fn forcible(&self) -> bool {
        matches!(self, Self::ScoreChange { .. } | Self::BandChange { .. })
    }
}

/// How scores moved between two runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Establishments scored by both.
    pub compared: usize,
    /// Mean absolute score change.
    pub mean_score_change: f64,
    /// Share (0–1) whose star band changed.
    pub band_change_share: f64,
}

/// Compares the scores of two runs (by establishment key).
pub fn drift(previous: &HashMap<String, u8>, current: &HashMap<String, u8>) -> Drift {
    let (mut n, mut sum, mut moved) = (0usize, 0.0, 0usize);
    for (key, &now) in current {
        if let Some(&before) = previous.get(key) {
            n += 1;
            sum += (f64::from(now) - f64::from(before)).abs();
            if star_band(now) != star_band(before) {
                moved += 1;
            }
        }
    }
    if n == 0 {
        return Drift {
            compared: 0,
            mean_score_change: 0.0,
            band_change_share: 0.0,
        };
    }
    Drift {
        compared: n,
        mean_score_change: sum / n as f64,
        band_change_share: moved as f64 / n as f64,
    }
}

impl GuardRails {
    /// The violations of a run: its test error (`None` when the test
    /// period had no hiring), its number of establishments and its drift
    /// from the last published run, if any.
    pub fn check(
        &self,
        test_error: Option<f64>,
        establishments: usize,
        drift: Option<&Drift>,
    ) -> Vec<GuardViolation> {
        let mut out = Vec::new();
        if establishments < self.min_establishments {
            out.push(GuardViolation::TooFewEstablishments {
                count: establishments,
                min: self.min_establishments,
            });
        }
        match test_error {
            None => out.push(GuardViolation::NoHirings),
            Some(error) if !error.is_finite() || error > self.max_test_error => {
                out.push(GuardViolation::TestError {
                    error,
                    max: self.max_test_error,
                });
            }
            Some(_) => {}
        }
        if let Some(d) = drift.filter(|d| d.compared > 0) {
            if d.mean_score_change > self.max_mean_score_change {
                out.push(GuardViolation::ScoreChange {
                    change: d.mean_score_change,
                    max: self.max_mean_score_change,
                });
            }
            if d.band_change_share > self.max_band_change_share {
                out.push(GuardViolation::BandChange {
                    share_pct: 100.0 * d.band_change_share,
                    max_pct: 100.0 * self.max_band_change_share,
                });
            }
        }
        out
    }
}
