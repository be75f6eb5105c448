//! The check that the impact estimates are honest: draw many synthetic
//! cohorts with a **known** effect, assign them with the real assignment
//! code ([`crate::arms::assign`]), draw the outcomes, estimate with the real
//! estimators ([`crate::estimate::difference`] unadjusted,
//! [`crate::impact::stratified`]) and count how often the 95 % interval
//! contains the true effect (coverage), the mean bias and how often the
//! effect is detected (interval excluding zero).
//!
//! Each synthetic person belongs to a stratum (département × level, sizes
//! as uneven as a real cohort's) whose base rate differs from the others
//! (département and level offsets around `base_rate`): the treated arm's
//! rate is the stratum's base rate plus `effect`, so the true intention-to-
//! treat effect is `effect` in every stratum and overall.

use serde::Serialize;

use crate::arms::{self, Arm};
use crate::estimate;
use crate::impact::{self, Counts, Stratum};

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimulationConfig {
    /// People per synthetic cohort.
    pub people: u32,
    /// Average outcome rate without the message.
    pub base_rate: f64,
    /// True additive effect of the message on the rate.
    pub effect: f64,
    /// Cohorts drawn.
    pub runs: u32,
    /// Seed of every draw.
    pub seed: u64,
    /// Share of the control arm in percent (the variant has the rest).
    pub control_share: u32,
}

/// Why a simulation cannot run.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimulationError {
    /// A parameter is out of its range; names it.
    #[error("{field} : {message}")]
    Invalid {
        /// The parameter.
        field: &'static str,
        /// Why, in French.
        message: &'static str,
    },
}

/// How one estimator fared over the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EstimatorSummary {
    /// Runs where the estimator gave an interval.
    pub runs: u32,
    /// Share of those runs whose 95 % interval contains the true effect.
    pub coverage: f64,
    /// Mean of (estimate − true effect).
    pub mean_bias: f64,
    /// Share of runs whose interval excludes zero.
    pub detected: f64,
    /// Mean width of the interval.
    pub mean_width: f64,
}

/// The result of a simulation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SimulationReport {
    /// People per cohort.
    pub people: u32,
    /// Runs.
    pub runs: u32,
    /// The true effect.
    pub effect: f64,
    /// Average base rate.
    pub base_rate: f64,
    /// Newcombe's interval of the plain difference.
    pub unadjusted: EstimatorSummary,
    /// The stratified estimator.
    pub stratified: EstimatorSummary,
    /// Mean number of strata dropped by the stratified estimator.
    pub mean_strata_dropped: f64,
}

/// SplitMix64: a small deterministic generator (the pure crate takes no
/// random-number dependency; statistical quality is ample for draws).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// Départements in the synthetic cohort.
const DEPARTEMENTS: usize = 96;
/// Levels 3 (CAP), 4 (bac) and 5 (BTS) with their shares.
const LEVELS: [(u8, f64, f64); 3] = [(3, 0.35, -0.05), (4, 0.45, 0.0), (5, 0.20, 0.05)];

/// Runs the simulation.
pub fn run(config: &SimulationConfig) -> Result<SimulationReport, SimulationError> {
    let invalid = |field, message| Err(SimulationError::Invalid { field, message });
    if config.people < 100 {
        return invalid("people", "au moins 100 personnes");
    }
    if config.runs == 0 {
        return invalid("runs", "au moins un tirage");
    }
    if !(0.05..=0.9).contains(&config.base_rate) {
        return invalid("base_rate", "entre 0,05 et 0,9");
    }
    if !(config.effect.abs() <= 0.5 && config.base_rate + config.effect <= 0.95) {
        return invalid(
            "effect",
            "entre −0,5 et 0,5, et taux de base + effet ≤ 0,95",
        );
    }
    if !(5..=95).contains(&config.control_share) {
        return invalid("control_share", "entre 5 et 95 %");
    }
    let arms = [
        Arm {
            name: "controle".into(),
            share: config.control_share,
            control: true,
        },
        Arm {
            name: "variante".into(),
            share: 100 - config.control_share,
            control: false,
        },
    ];
    let mut rng = Rng(config.seed);
    let key = rng.next_u64().to_le_bytes();
    // Département sizes fall off like a real cohort's (a few large ones),
    // and each département shifts the base rate by up to ±0.08.
    let dep_weights: Vec<f64> = (1..=DEPARTEMENTS)
        .map(|r| 1.0 / (r as f64).powf(0.7))
        .collect();
    let dep_total: f64 = dep_weights.iter().sum();
    let dep_offsets: Vec<f64> = (0..DEPARTEMENTS)
        .map(|_| (rng.uniform() - 0.5) * 0.16)
        .collect();
    let mut unadjusted = Tally::default();
    let mut stratified = Tally::default();
    let mut dropped = 0_u64;
    for run in 0..config.runs {
        let mut people = Vec::with_capacity(config.people as usize);
        let mut base = Vec::with_capacity(config.people as usize);
        for i in 0..config.people {
            let mut u = rng.uniform() * dep_total;
            let mut dep = DEPARTEMENTS - 1;
            for (d, w) in dep_weights.iter().enumerate() {
                if u < *w {
                    dep = d;
                    break;
                }
                u -= w;
            }
            let v = rng.uniform();
            let (level, offset) = if v < LEVELS[0].1 {
                (LEVELS[0].0, LEVELS[0].2)
            } else if v < LEVELS[0].1 + LEVELS[1].1 {
                (LEVELS[1].0, LEVELS[1].2)
            } else {
                (LEVELS[2].0, LEVELS[2].2)
            };
            let rate = (config.base_rate + dep_offsets[dep] + offset)
                .clamp(0.0, 1.0 - config.effect.max(0.0))
                .max(-config.effect.min(0.0));
            people.push((
                format!("sim{i}"),
                arms::stratum(Some(&format!("{:02}", dep + 1)), Some(level)),
            ));
            base.push(rate);
        }
        let assigned = arms::assign(&key, &format!("simulation-{run}"), &arms, &people);
        let mut totals = [Counts::default(); 2];
        let mut strata: std::collections::BTreeMap<&str, Stratum> = Default::default();
        for (((_, stratum), rate), arm) in people.iter().zip(&base).zip(&assigned) {
            let treated = *arm == 1;
            let p = if treated { rate + config.effect } else { *rate };
            let success = u64::from(rng.uniform() < p);
            let entry = strata.entry(stratum.as_str()).or_default();
            let cell = if treated {
                &mut entry.treated
            } else {
                &mut entry.control
            };
            cell.n += 1;
            cell.successes += success;
            let total = &mut totals[usize::from(treated)];
            total.n += 1;
            total.successes += success;
        }
        let newcombe = estimate::wilson(totals[0].successes, totals[0].n)
            .zip(estimate::wilson(totals[1].successes, totals[1].n))
            .and_then(|(a, b)| estimate::difference(a, b));
        if let Some(d) = newcombe {
            unadjusted.add(d.value, d.low, d.high, config.effect);
        }
        let strata: Vec<Stratum> = strata.into_values().collect();
        if let Some(s) = impact::stratified(&strata) {
            stratified.add(
                s.estimate.value,
                s.estimate.low,
                s.estimate.high,
                config.effect,
            );
            dropped += s.strata_dropped;
        }
    }
    Ok(SimulationReport {
        people: config.people,
        runs: config.runs,
        effect: config.effect,
        base_rate: config.base_rate,
        unadjusted: unadjusted.summary(),
        stratified: stratified.summary(),
        mean_strata_dropped: dropped as f64 / f64::from(config.runs),
    })
}

#[derive(Default)]
struct Tally {
    runs: u32,
    covered: u32,
    detected: u32,
    bias: f64,
    width: f64,
}

impl Tally {
    fn add(&mut self, value: f64, low: f64, high: f64, truth: f64) {
        self.runs += 1;
        self.covered += u32::from(low <= truth && truth <= high);
        self.detected += u32::from(low > 0.0 || high < 0.0);
        self.bias += value - truth;
        self.width += high - low;
    }

    fn summary(&self) -> EstimatorSummary {
        if self.runs == 0 {
            return EstimatorSummary::default();
        }
        let n = f64::from(self.runs);
        EstimatorSummary {
            runs: self.runs,
            coverage: f64::from(self.covered) / n,
            mean_bias: self.bias / n,
            detected: f64::from(self.detected) / n,
            mean_width: self.width / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_near_95_percent_for_both_estimators() {
        // Fewer and smaller runs than the CLI's 200 × 20,000 (so the bound
        // is wider: 120 runs give a standard error of 2 points).
        let report = run(&SimulationConfig {
            people: 3_000,
            base_rate: 0.30,
            effect: 0.03,
            runs: 120,
            seed: 7,
            control_share: 50,
        })
        .unwrap();
        for (name, s) in [
            ("unadjusted", report.unadjusted),
            ("stratified", report.stratified),
        ] {
            assert_eq!(s.runs, 120, "{name}");
            assert!((0.88..=0.995).contains(&s.coverage), "{name}: {s:?}");
            assert!(s.mean_bias.abs() < 0.006, "{name}: {s:?}");
        }
        // Stratifying on strata that predict the outcome narrows the interval.
        assert!(report.stratified.mean_width <= report.unadjusted.mean_width * 1.02);
    }

    #[test]
    fn bad_parameters_are_named() {
        let base = SimulationConfig {
            people: 1_000,
            base_rate: 0.3,
            effect: 0.03,
            runs: 1,
            seed: 0,
            control_share: 50,
        };
        for (config, field) in [
            (SimulationConfig { people: 10, ..base }, "people"),
            (SimulationConfig { runs: 0, ..base }, "runs"),
            (
                SimulationConfig {
                    base_rate: 1.2,
                    ..base
                },
                "base_rate",
            ),
            (
                SimulationConfig {
                    effect: 0.9,
                    ..base
                },
                "effect",
            ),
            (
                SimulationConfig {
                    control_share: 0,
                    ..base
                },
                "control_share",
            ),
        ] {
            let Err(SimulationError::Invalid { field: got, .. }) = run(&config) else {
                panic!("{field} accepted");
            };
            assert_eq!(got, field);
        }
    }
}
