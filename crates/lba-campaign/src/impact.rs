//! The effect of a campaign arm on an outcome (a contract signed by a date),
//! estimated against the control arm by intention to treat: everyone
//! assigned counts in their arm, reached or not.
//!
//! - [`wald`]: the difference of two proportions with the Wald (unpooled)
//!   standard error, its 95 % interval and the two-sided p-value;
//! - [`stratified`]: the same difference within each assignment stratum
//!   (département × level), averaged with weights equal to the stratum's
//!   share of the people compared; variance Σ w²·var_s with the unbiased
//!   per-arm variance p(1 − p)/(n − 1). A stratum with fewer than two people
//!   in one of the two arms has no variance estimate: it is dropped and
//!   counted ([`Stratified::strata_dropped`], [`Stratified::people_dropped`]);
//! - [`holm`]: Holm's step-down adjustment of several p-values;
//! - [`sample_ratio_mismatch`]: Pearson's chi-square of the arm sizes
//!   against their shares, with [`chi_square_sf`].
//!
//! The unadjusted interval shown to operators is Newcombe's
//! ([`crate::estimate::difference`]); the stratified one is Wald's, which
//! is what a weighted sum of stratum differences supports.

use serde::Serialize;

use crate::estimate::{Z_95, normal_cdf};

/// Successes out of people in one arm (of one stratum, or overall).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// People.
    pub n: u64,
    /// People with the outcome.
    pub successes: u64,
}

impl Counts {
    /// successes / n (0 when empty).
    pub fn rate(self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.successes as f64 / self.n as f64
        }
    }
}

/// A difference (treated − control) with its standard error, 95 % interval
/// and two-sided p-value of `difference / se`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// treated − control.
    pub value: f64,
    /// Standard error.
    pub se: f64,
    /// Lower bound of the 95 % interval.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

impl Estimate {
    fn from_value_and_variance(value: f64, variance: f64) -> Self {
        let se = variance.max(0.0).sqrt();
        let p_value = if se > 0.0 {
            (2.0 * (1.0 - normal_cdf((value / se).abs()))).clamp(0.0, 1.0)
        } else if value == 0.0 {
            1.0
        } else {
            0.0
        };
        Self {
            value,
            se,
            low: value - Z_95 * se,
            high: value + Z_95 * se,
            p_value,
        }
    }

    /// Whether the interval contains `x`.
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    /// Whether the interval excludes zero.
    pub fn significant(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Wald's interval of `treated − control` (variance p(1 − p)/n per arm);
/// `None` when an arm is empty.
pub fn wald(control: Counts, treated: Counts) -> Option<Estimate> {
    if control.n == 0 || treated.n == 0 || control.successes > control.n {
        return None;
    }
    let (p0, p1) = (control.rate(), treated.rate());
    let variance = p0 * (1.0 - p0) / control.n as f64 + p1 * (1.0 - p1) / treated.n as f64;
    Some(Estimate::from_value_and_variance(p1 - p0, variance))
}

/// One stratum: the control arm and the treated arm within it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stratum {
    /// Control arm of the stratum.
    pub control: Counts,
    /// Treated arm of the stratum.
    pub treated: Counts,
}

/// The stratified estimate and what it left out.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stratified {
    /// The estimate over the strata kept.
    pub estimate: Estimate,
    /// Strata kept.
    pub strata_used: u64,
    /// Strata dropped (fewer than two people in one of the two arms).
    pub strata_dropped: u64,
    /// People of the two arms in the dropped strata.
    pub people_dropped: u64,
}

fn unbiased_variance(c: Counts) -> f64 {
    let p = c.rate();
    p * (1.0 - p) / (c.n as f64 - 1.0)
}

/// The stratum-size-weighted average of the per-stratum differences;
/// `None` when no stratum has two people or more in both arms.
pub fn stratified(strata: &[Stratum]) -> Option<Stratified> {
    let usable = |s: &Stratum| s.control.n >= 2 && s.treated.n >= 2;
    let total: u64 = strata
        .iter()
        .filter(|s| usable(s))
        .map(|s| s.control.n + s.treated.n)
        .sum();
    if total == 0 {
        return None;
    }
    let (mut value, mut variance) = (0.0, 0.0);
    let (mut used, mut dropped, mut people_dropped) = (0, 0, 0);
    for s in strata {
        if !usable(s) {
            if s.control.n + s.treated.n > 0 {
                dropped += 1;
                people_dropped += s.control.n + s.treated.n;
            }
            continue;
        }
        used += 1;
        let w = (s.control.n + s.treated.n) as f64 / total as f64;
        value += w * (s.treated.rate() - s.control.rate());
        variance += w * w * (unbiased_variance(s.control) + unbiased_variance(s.treated));
    }
    Some(Stratified {
        estimate: Estimate::from_value_and_variance(value, variance),
        strata_used: used,
        strata_dropped: dropped,
        people_dropped,
    })
}

/// Holm's adjusted p-values, in the input order: the i-th smallest is
/// multiplied by (m − i), then made non-decreasing, capped at 1.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let adjusted = (p_values[i] * (m - rank) as f64).min(1.0);
        running = running.max(adjusted);
        out[i] = running;
    }
    out
}

/// Pearson's chi-square of the observed arm sizes against their expected
/// shares.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SampleRatio {
    /// The statistic.
    pub chi_square: f64,
    /// Degrees of freedom (arms − 1).
    pub degrees_of_freedom: u32,
    /// Its upper tail probability.
    pub p_value: f64,
    /// p < 0.001: the arm sizes do not match the shares (the assignment or
    /// the data is broken somewhere).
    pub mismatch: bool,
}

/// Threshold of [`SampleRatio::mismatch`].
pub const SRM_THRESHOLD: f64 = 0.001;

/// The sample-ratio-mismatch check of `observed` sizes against `shares`
/// (any positive scale: percents or fractions); `None` with fewer than two
/// arms, no people, or a zero share.
pub fn sample_ratio_mismatch(observed: &[u64], shares: &[f64]) -> Option<SampleRatio> {
    if observed.len() < 2 || observed.len() != shares.len() || shares.iter().any(|s| *s <= 0.0) {
        return None;
    }
    let total: u64 = observed.iter().sum();
    if total == 0 {
        return None;
    }
    let share_sum: f64 = shares.iter().sum();
    let chi_square: f64 = observed
        .iter()
        .zip(shares)
        .map(|(&o, &s)| {
            let expected = total as f64 * s / share_sum;
            (o as f64 - expected).powi(2) / expected
        })
        .sum();
    let df = u32::try_from(observed.len() - 1).unwrap_or(u32::MAX);
    let p_value = chi_square_sf(chi_square, f64::from(df));
    Some(SampleRatio {
        chi_square,
        degrees_of_freedom: df,
        p_value,
        mismatch: p_value < SRM_THRESHOLD,
    })
}

/// P(X > x) for a chi-square variable with `df` degrees of freedom: the
/// regularised upper incomplete gamma Q(df/2, x/2) (series below a + 1,
/// continued fraction above; Numerical Recipes §6.2).
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 || df <= 0.0 {
        return 1.0;
    }
    let (a, x) = (df / 2.0, x / 2.0);
    let log_prefix = -x + a * x.ln() - ln_gamma(a);
    if x < a + 1.0 {
        // P by the series, Q = 1 − P.
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..500 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * log_prefix.exp()).clamp(0.0, 1.0)
    } else {
        // Q by Lentz's continued fraction.
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..500 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-15 {
                break;
            }
        }
        (log_prefix.exp() * h).clamp(0.0, 1.0)
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    fn c(successes: u64, n: u64) -> Counts {
        Counts { n, successes }
    }

    #[test]
    fn wald_by_hand() {
        // 40/200 vs 60/200: d = 0.1, var = .2·.8/200 + .3·.7/200 = 0.00185,
        // se = 0.043012, 0.1 ± 1.96 × 0.043012 = [0.015698, 0.184302],
        // z = 2.3250, p = 0.02007.
        let e = wald(c(40, 200), c(60, 200)).unwrap();
        assert!(close(e.value, 0.1, 1e-12), "{e:?}");
        assert!(close(e.se, 0.043_011_6, 1e-6), "{e:?}");
        assert!(close(e.low, 0.015_698, 1e-5), "{e:?}");
        assert!(close(e.high, 0.184_302, 1e-5), "{e:?}");
        assert!(close(e.p_value, 0.020_07, 1e-4), "{e:?}");
        assert!(e.significant() && e.contains(0.1) && !e.contains(0.0));
        assert_eq!(wald(c(0, 0), c(1, 2)), None);
    }

    #[test]
    fn stratified_by_hand() {
        // A: 10/50 vs 20/50 (d = 0.2, var = (.16 + .24)/49);
        // B: 30/100 vs 45/100 (d = 0.15, var = (.21 + .2475)/99);
        // weights 1/3 and 2/3: 0.166667, var = 0.0029609, se = 0.054414,
        // [0.060017, 0.273317]. A stratum with one control person is dropped.
        let strata = [
            Stratum {
                control: c(10, 50),
                treated: c(20, 50),
            },
            Stratum {
                control: c(30, 100),
                treated: c(45, 100),
            },
            Stratum {
                control: c(1, 1),
                treated: c(0, 4),
            },
        ];
        let s = stratified(&strata).unwrap();
        let e = s.estimate;
        assert!(close(e.value, 1.0 / 6.0, 1e-9), "{e:?}");
        let var: f64 = (0.4 / 49.0) / 9.0 + (0.4575 / 99.0) * 4.0 / 9.0;
        assert!(close(e.se, var.sqrt(), 1e-12), "{e:?}");
        assert!(close(e.se, 0.054_414, 1e-5), "{e:?}");
        assert!(close(e.low, 0.060_017, 1e-5), "{e:?}");
        assert!(close(e.high, 0.273_317, 1e-5), "{e:?}");
        assert_eq!(
            (s.strata_used, s.strata_dropped, s.people_dropped),
            (2, 1, 5)
        );
        assert_eq!(stratified(&strata[2..]), None);
    }

    #[test]
    fn stratified_equals_wald_with_one_stratum_up_to_n_minus_one() {
        let s = stratified(&[Stratum {
            control: c(40, 200),
            treated: c(60, 200),
        }])
        .unwrap();
        let w = wald(c(40, 200), c(60, 200)).unwrap();
        assert!(close(s.estimate.value, w.value, 1e-12));
        assert!(close(
            s.estimate.se,
            w.se * (200.0_f64 / 199.0).sqrt(),
            1e-12
        ));
    }

    #[test]
    fn holm_by_hand() {
        // 0.01 × 3 = 0.03; 0.03 × 2 = 0.06; 0.04 × 1 = 0.04 → max 0.06.
        let h = holm(&[0.01, 0.04, 0.03]);
        assert!(close(h[0], 0.03, 1e-12) && close(h[1], 0.06, 1e-12) && close(h[2], 0.06, 1e-12));
        assert_eq!(holm(&[0.7]), vec![0.7]);
        assert_eq!(holm(&[0.6, 0.5]), vec![1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn chi_square_known_points() {
        // df = 2: Q = exp(−x/2) exactly.
        assert!(close(chi_square_sf(10.0, 2.0), (-5.0_f64).exp(), 1e-12));
        // df = 1: the 95 % quantile 3.841459 and the 99.9 % one 10.827566.
        assert!(close(chi_square_sf(3.841_459, 1.0), 0.05, 1e-6));
        assert!(close(chi_square_sf(10.827_566, 1.0), 0.001, 1e-7));
        // df = 3: the 95 % quantile 7.814728; a small x by the series.
        assert!(close(chi_square_sf(7.814_728, 3.0), 0.05, 1e-6));
        assert!(close(chi_square_sf(0.351_846, 3.0), 0.95, 1e-6));
        assert_eq!(chi_square_sf(0.0, 1.0), 1.0);
    }

    #[test]
    fn sample_ratio_by_hand() {
        // 1,000 / 2,100 / 1,900 against 20/40/40 % of 5,000: chi² = 0 + 5 + 5.
        let s = sample_ratio_mismatch(&[1_000, 2_100, 1_900], &[20.0, 40.0, 40.0]).unwrap();
        assert!(close(s.chi_square, 10.0, 1e-9));
        assert_eq!(s.degrees_of_freedom, 2);
        assert!(close(s.p_value, (-5.0_f64).exp(), 1e-12));
        assert!(!s.mismatch);
        let bad = sample_ratio_mismatch(&[1_000, 1_200], &[50.0, 50.0]).unwrap();
        assert!(bad.mismatch, "{bad:?}");
        assert_eq!(sample_ratio_mismatch(&[10], &[100.0]), None);
        assert_eq!(sample_ratio_mismatch(&[0, 0], &[50.0, 50.0]), None);
    }
}
