//! Confidence intervals for proportions and their differences, used by the
//! experiment reports (orientation methods; campaign arms).
//!
//! - one proportion: the Wilson score interval (good coverage for small
//!   samples and rates near 0 or 1, never outside [0, 1]);
//! - a difference of two independent proportions: Newcombe's hybrid score
//!   interval (method 10 of Newcombe 1998), built from the two Wilson
//!   intervals, with the two-sided p-value of the pooled z-test.

/// The 97.5 % quantile of the standard normal (95 % two-sided intervals).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A rate with its 95 % interval, all in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Rate {
    /// Successes.
    pub successes: u64,
    /// Trials.
    pub trials: u64,
    /// successes / trials.
    pub value: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// The Wilson 95 % interval of `successes` out of `trials`; `None` when
/// there is no trial (or more successes than trials).
pub fn wilson(successes: u64, trials: u64) -> Option<Rate> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Rate {
        successes,
        trials,
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// A difference of two rates (`b − a`) with its 95 % interval and p-value.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Difference {
    /// b − a.
    pub value: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Two-sided p-value of the pooled z-test of equal rates.
    pub p_value: f64,
}

/// Newcombe's hybrid score interval of `b − a`; `None` when an arm has no
/// trial.
pub fn difference(a: Rate, b: Rate) -> Option<Difference> {
    if a.trials == 0 || b.trials == 0 {
        return None;
    }
    let d = b.value - a.value;
    let low = d - ((b.value - b.low).powi(2) + (a.high - a.value).powi(2)).sqrt();
    let high = d + ((b.high - b.value).powi(2) + (a.value - a.low).powi(2)).sqrt();
    let pooled = (a.successes + b.successes) as f64 / (a.trials + b.trials) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / a.trials as f64 + 1.0 / b.trials as f64)).sqrt();
    let p_value = if se > 0.0 {
        2.0 * (1.0 - normal_cdf((d / se).abs()))
    } else {
        1.0
    };
    Some(Difference {
        value: d,
        low: low.max(-1.0),
        high: high.min(1.0),
        p_value: p_value.clamp(0.0, 1.0),
    })
}

/// The standard normal distribution function (Abramowitz and Stegun
/// 7.1.26 for erf, absolute error below 1.5e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let t = x.abs() / std::f64::consts::SQRT_2;
    let k = 1.0 / (1.0 + 0.327_591_1 * t);
    let poly = k
        * (0.254_829_592
            + k * (-0.284_496_736
                + k * (1.421_413_741 + k * (-1.453_152_027 + k * 1.061_405_429))));
    let erf = 1.0 - poly * (-t * t).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), table I: 81/263 → 0.2553 to 0.3662.
        let r = wilson(81, 263).unwrap();
        assert!(close(r.low, 0.2553, 1e-4), "{r:?}");
        assert!(close(r.high, 0.3662, 1e-4), "{r:?}");
        // 0/10 → 0 to 0.2775.
        let r = wilson(0, 10).unwrap();
        assert_eq!(r.low, 0.0);
        assert!(close(r.high, 0.2775, 1e-4), "{r:?}");
        assert!(wilson(0, 0).is_none());
        assert!(wilson(3, 2).is_none());
    }

    #[test]
    fn newcombe_matches_published_values() {
        // Newcombe (1998), table II, example (a): 56/70 − 48/80 = 0.2000,
        // method 10: 0.0524 to 0.3339.
        let a = wilson(48, 80).unwrap();
        let b = wilson(56, 70).unwrap();
        let d = difference(a, b).unwrap();
        assert!(close(d.value, 0.2, 1e-9));
        assert!(close(d.low, 0.0524, 1e-4), "{d:?}");
        assert!(close(d.high, 0.3339, 1e-4), "{d:?}");
        assert!(d.p_value < 0.01, "{d:?}");
        // Equal rates: a difference of 0, p-value 1.
        let e = difference(a, a).unwrap();
        assert!(close(e.value, 0.0, 1e-12) && close(e.p_value, 1.0, 1e-6));
        assert!(e.low < 0.0 && e.high > 0.0);
    }

    #[test]
    fn normal_cdf_known_points() {
        assert!(close(normal_cdf(0.0), 0.5, 1e-7));
        assert!(close(normal_cdf(Z_95), 0.975, 1e-6));
        assert!(close(normal_cdf(-1.0), 0.158_655_25, 1e-6));
    }
}
