//! The features of one establishment for one target half-year.
//!
//! `x = [h(T−1), …, h(T−7), ln(1 + headcount), 1]` where `h(t)` is the
//! number of hirings in half-year `t`; the target is `h(T)`. A target is
//! usable only when its seven previous half-years are covered by the
//! history (before the first period, hirings are unknown, not zero).

use crate::headcount;
use crate::period::{HalfYear, History};

/// Previous half-years used as features.
pub const LAGS: usize = 7;
/// Coefficients: the lags, the log headcount, the intercept (last).
pub const FEATURES: usize = LAGS + 2;

/// What the model knows of an establishment besides its history.
#[derive(Clone, Debug, PartialEq)]
pub struct EstablishmentInput {
    /// SIRET (key of the history).
    pub key: String,
    /// Département code ("69", "2A", "971"), "" when unknown.
    pub departement: String,
    /// INSEE headcount bracket code.
    pub headcount: Option<String>,
}

/// Features of `e` to predict half-year `target`, with the lags passed
/// through `transform` (identity or `ln_1p`); `None` when a lag is
/// outside the history.
pub fn features(
    history: &History,
    e: &EstablishmentInput,
    target: HalfYear,
    transform: fn(f64) -> f64,
) -> Option<[f64; FEATURES]> {
    let mut x = [0.0; FEATURES];
    for (lag, slot) in x.iter_mut().take(LAGS).enumerate() {
        let h = history.get(&e.key, target.offset(-(lag as i32) - 1))?;
        *slot = transform(h);
    }
    x[LAGS] = headcount::feature(e.headcount.as_deref());
    x[LAGS + 1] = 1.0;
    Some(x)
}

/// The half-years that can serve as targets up to `last` (their seven
/// previous half-years are in the history), oldest first.
pub fn targets(history: &History, last: HalfYear) -> Vec<HalfYear> {
    let Some((first, _)) = history.range() else {
        return Vec::new();
    };
    let start = first.offset(LAGS as i32);
    (0..=start.until(last).max(-1))
        .map(|i| start.offset(i))
        .collect()
}
