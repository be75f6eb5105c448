//! The known process behind the synthetic hiring history (`lba demo
//! hirings`), so that tests can check that the model recovers it.
//!
//! Each establishment has a latent rate of hirings per half-year:
//!
//! `rate = 0.12 × (1 + headcount)^0.6 × activity × exp(0.8 z)`
//!
//! where `headcount` is the midpoint of its INSEE bracket, `activity` a
//! factor of its NAF code (0.5–2) and `z ~ N(0, 1)` its own propensity
//! (persistent). Each half-year multiplies the rate by a persistent shock
//! `exp(u_t)`, `u_t = 0.6 u_{t−1} + 0.4 ε_t`, and a season (S1 × 1.15,
//! S2 × 0.85: apprenticeship contracts start in the autumn but are
//! signed from spring); hirings are Poisson with that mean, and
//! apprenticeship hirings a binomial quarter of them.
//!
//! The randomness comes from a caller-provided uniform source on [0, 1),
//! so this stays pure and deterministic for a seeded generator.

use std::f64::consts::TAU;

use crate::headcount;
use crate::period::HalfYear;

/// One half-year of a synthetic establishment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntheticHalfYear {
    /// Hirings.
    pub hirings: u32,
    /// Of which apprentices.
    pub apprentices: u32,
}

/// The activity factor of a NAF code: a fixed pseudo-random value in
/// 0.5–2 (FNV-1a of the code), so that activities differ without a table.
pub fn activity_factor(naf: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in naf.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let u = (h >> 11) as f64 / (1u64 << 53) as f64;
    0.5 * 4f64.powf(u)
}

/// A standard normal draw (Box–Muller).
pub fn normal(uniform: &mut impl FnMut() -> f64) -> f64 {
    let u1 = uniform().max(1e-12);
    let u2 = uniform();
    (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
}

/// A Poisson draw of mean `lambda` (Knuth's product method below 30, a
/// rounded normal approximation above).
pub fn poisson(uniform: &mut impl FnMut() -> f64, lambda: f64) -> u32 {
    if lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    if lambda >= 30.0 {
        return (lambda + lambda.sqrt() * normal(uniform)).round().max(0.0) as u32;
    }
    let limit = (-lambda).exp();
    let (mut k, mut p) = (0u32, uniform());
    while p > limit {
        k += 1;
        p *= uniform();
    }
    k
}

/// The latent rate of an establishment (before shocks and season).
pub fn latent_rate(
    uniform: &mut impl FnMut() -> f64,
    headcount_code: Option<&str>,
    naf: &str,
) -> f64 {
    let size = headcount_code.and_then(headcount::midpoint).unwrap_or(1.0);
    0.12 * (1.0 + size).powf(0.6) * activity_factor(naf) * (0.8 * normal(uniform)).exp()
}

/// `periods` half-years of hirings from `first`, for an establishment of
/// latent rate `rate`.
pub fn simulate(
    uniform: &mut impl FnMut() -> f64,
    rate: f64,
    first: HalfYear,
    periods: usize,
) -> Vec<SyntheticHalfYear> {
    let mut u = 0.5 * normal(uniform);
    (0..periods)
        .map(|i| {
            u = 0.6 * u + 0.4 * normal(uniform);
            let season = if first.offset(i as i32).half() == 1 {
                1.15
            } else {
                0.85
            };
            let hirings = poisson(uniform, rate * u.exp() * season);
            let apprentices = (0..hirings).filter(|_| uniform() < 0.25).count() as u32;
            SyntheticHalfYear {
                hirings,
                apprentices,
            }
        })
        .collect()
}
