//! `lba model …` and `lba demo hirings`: the hiring-potential model
//! between the store and the pure [`lba_model`] crate.
//!
//! - [`import_history`]: reads a hiring history file into `hirings`;
//! - [`train`]: evaluates both variants on the last half-year, trains the
//!   chosen one on the whole history, predicts the next half-year for
//!   every establishment and records the run (unpublished);
//! - [`last_evaluation`]: the evaluation of the latest run;
//! - [`score`]: checks the guard rails and publishes the latest run's
//!   companies (see `lba_store::model` for which rows it owns);
//! - [`demo::generate`]: demo establishments and a synthetic history.

pub mod demo;
mod history;
mod publish;
mod train;

use lba_data::DataError;
use lba_model::guard::GuardViolation;
use lba_model::model::TrainError;
use lba_model::score::ScoreScale;
use lba_model::{GuardRails, TrainSettings};
use lba_store::StoreError;
use serde::{Deserialize, Serialize};

pub use history::{HistoryReport, import_history};
pub use publish::{ScoreReport, score};
pub use train::{TrainReport, last_evaluation, train};

/// Every setting of the model commands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelSettings {
    /// Training.
    pub train: TrainSettings,
    /// Publication checks.
    pub guard: GuardRails,
    /// Predicted hirings → score.
    pub scale: ScoreScale,
}

/// Why a model command failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file is unusable.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Training failed.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// Writing a file failed.
    #[error("{file} : {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No establishment to train on.
    #[error(
        "aucun établissement en base : importez le stock SIRENE ou générez des données de démonstration (`lba demo hirings`)"
    )]
    NoEstablishments,
    /// A referential is missing.
    #[error("référentiel manquant : {0} (lancez d'abord `lba import referentials`)")]
    MissingReferential(&'static str),
    /// No run to evaluate or publish.
    #[error("aucun modèle entraîné : lancez d'abord `lba model train`")]
    NoRun,
    /// The stored metrics cannot be read.
    #[error("métriques du modèle n°{run} illisibles : {source}")]
    Metrics {
        /// Run id.
        run: i64,
        /// The cause.
        source: serde_json::Error,
    },
    /// A guard rail refused the publication.
    #[error("publication refusée, les entreprises n'ont pas été modifiées :\n{}", list(.0))]
    Refused(Vec<GuardViolation>),
}

fn list(violations: &[GuardViolation]) -> String {
    violations
        .iter()
        .map(|v| format!("  - {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
