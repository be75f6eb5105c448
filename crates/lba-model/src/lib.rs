//! The hiring-potential model ("entreprises à fort potentiel d'embauche"),
//! in the spirit of La Bonne Boîte, written to be read and checked.
//!
//! - [`period`]: half-years (`2024-S1`) and the hiring history per
//!   establishment;
//! - [`features`]: the design matrix (hirings in the 7 previous half-years,
//!   log headcount, intercept);
//! - [`regression`]: least squares by the normal equations and a small
//!   Cholesky, with a tiny ridge term;
//! - [`model`]: one regression per département, a national one as the
//!   fallback, two variants (raw OLS, OLS on `log1p`);
//! - [`lift`]: the share of actual hirings captured by the top of a ranking;
//! - [`evaluate`]: train up to T−1, predict T, compare with the baselines;
//! - [`score`]: predicted hirings → score 0–100 → stars; per-ROME affinity
//!   and the threshold lowered for métiers en tension;
//! - [`guard`]: the checks that refuse to publish a bad run.
//!
//! Nothing here does IO: `lba-app` loads the data and stores the results.

pub mod evaluate;
pub mod features;
pub mod guard;
pub mod headcount;
pub mod lift;
pub mod model;
pub mod period;
pub mod regression;
pub mod score;
pub mod synthetic;

pub use evaluate::{Evaluation, evaluate};
pub use features::{EstablishmentInput, LAGS};
pub use guard::{GuardRails, GuardViolation};
pub use model::{HiringModel, ModelKind, TrainSettings};
pub use period::{HalfYear, History};
