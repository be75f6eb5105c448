//! Minimum detectable effect of a two-arm comparison of proportions
//! (two-sided test at level α, power 1 − β), for given arm sizes and a
//! baseline rate: the smallest absolute difference the campaign can expect
//! to see, shown before launch.

/// Standard normal quantiles used here.
const Z_975: f64 = 1.959_963_984_540_054;
const Z_80: f64 = 0.841_621_233_572_914_3;

/// The minimum detectable absolute effect at α = 5 % (two-sided) and
/// power 80 % for arms of `n_control` and `n_treated` people when the
/// control rate is `baseline` (normal approximation, variance at the
/// baseline). `None` for an empty arm or a baseline outside (0, 1).
pub fn minimum_detectable_effect(n_control: u64, n_treated: u64, baseline: f64) -> Option<f64> {
    if n_control == 0 || n_treated == 0 || !(baseline > 0.0 && baseline < 1.0) {
        return None;
    }
    let variance = baseline * (1.0 - baseline);
    let se = (variance * (1.0 / n_control as f64 + 1.0 / n_treated as f64)).sqrt();
    Some((Z_975 + Z_80) * se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_value() {
        // (1.96 + 0.84) × sqrt(0.5 × 0.5 × 2/1000) ≈ 0.0626: with 1,000 per
        // arm and a 50 % baseline, about 6.3 points are detectable.
        let mde = minimum_detectable_effect(1_000, 1_000, 0.5).unwrap_or_default();
        assert!((mde - 0.0626).abs() < 0.0005, "{mde}");
        // Sample-size form: n = 2 (zα + zβ)² p(1−p) / δ² = 392.4 for δ = 0.1
        // at p = 0.5 (Fleiss), so 393 per arm detects 10 points.
        let mde = minimum_detectable_effect(393, 393, 0.5).unwrap_or_default();
        assert!((mde - 0.1).abs() < 0.001, "{mde}");
    }

    #[test]
    fn more_people_detect_less_and_degenerate_inputs() {
        let small = minimum_detectable_effect(100, 100, 0.1).unwrap_or_default();
        let large = minimum_detectable_effect(10_000, 10_000, 0.1).unwrap_or_default();
        assert!(large * 9.0 < small && small < large * 11.0);
        assert_eq!(minimum_detectable_effect(0, 10, 0.1), None);
        assert_eq!(minimum_detectable_effect(10, 10, 0.0), None);
    }
}
