//! Least squares recover known coefficients; the per-département model
//! falls back to the national one.

use lba_model::features::FEATURES;
use lba_model::period::{HalfYear, History};
use lba_model::regression::NormalEquations;
use lba_model::{EstablishmentInput, HiringModel, ModelKind, TrainSettings};

/// A small deterministic generator (no dependency needed for tests).
fn lcg(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn ols_recovers_known_coefficients_on_noiseless_data() {
    let beta = [0.5, -1.25, 2.0, 0.0, 3.5, 0.1, -0.7, 1.5, 4.0];
    let mut eqs = NormalEquations::new(FEATURES);
    let mut s = 42;
    for _ in 0..500 {
        let mut x = [0.0; FEATURES];
        for v in x.iter_mut().take(FEATURES - 1) {
            *v = lcg(&mut s) * 10.0;
        }
        x[FEATURES - 1] = 1.0;
        let y: f64 = x.iter().zip(beta).map(|(a, b)| a * b).sum();
        eqs.add(&x, y);
    }
    let fitted = eqs.solve(1e-10).unwrap();
    for (f, b) in fitted.iter().zip(beta) {
        assert!((f - b).abs() < 1e-4, "{fitted:?} vs {beta:?}");
    }
}

#[test]
fn a_singular_system_is_stabilised_by_the_ridge_term() {
    // The first feature is always zero: XᵀX is singular without the ridge.
    let mut eqs = NormalEquations::new(3);
    for i in 0..20 {
        let x = [0.0, f64::from(i), 1.0];
        eqs.add(&x, 2.0 * f64::from(i) + 1.0);
    }
    assert!(eqs.solve(0.0).is_err());
    let beta = eqs.solve(1e-8).unwrap();
    assert!(
        (beta[1] - 2.0).abs() < 1e-3 && (beta[2] - 1.0).abs() < 1e-2,
        "{beta:?}"
    );
}

fn period(s: &str) -> HalfYear {
    s.parse().unwrap()
}

/// Hirings follow `h(t) = 1 + 0.5 h(t−1)`-like rules that differ by
/// département: a big département gets its own coefficients, a small one
/// uses the national ones.
#[test]
fn small_departements_fall_back_to_the_national_model() {
    let mut history = History::new();
    let mut establishments = Vec::new();
    let first = period("2015-S1");
    let mut s = 7;
    for i in 0..120 {
        let dep = if i < 100 { "69" } else { "48" };
        let key = format!("e{i}");
        for t in 0..12 {
            history.insert(&key, first.offset(t), (lcg(&mut s) * 8.0).round());
        }
        establishments.push(EstablishmentInput {
            key,
            departement: dep.into(),
            headcount: Some("11".into()),
        });
    }
    let settings = TrainSettings {
        ridge: 1e-6,
        min_per_departement: 50,
    };
    let model = HiringModel::train(
        ModelKind::Ols,
        &establishments,
        &history,
        first.offset(11),
        &settings,
    )
    .unwrap();
    assert!(model.departements.contains_key("69"));
    assert!(!model.departements.contains_key("48"));
    assert_eq!(model.coefficients("48"), model.national.as_slice());
    // 120 establishments × 5 target half-years (the 8th to the 12th).
    assert_eq!(model.rows, 120 * 5);
    let p = model
        .predict(&establishments[110], &history, first.offset(12))
        .unwrap();
    assert!(p >= 0.0);
    // Lags outside the history: no prediction.
    assert!(
        model
            .predict(&establishments[0], &history, first.offset(14))
            .is_none()
    );
}

#[test]
fn a_history_shorter_than_eight_half_years_cannot_train() {
    let mut history = History::new();
    for t in 0..7 {
        history.insert("a", period("2020-S1").offset(t), 1.0);
    }
    let e = vec![EstablishmentInput {
        key: "a".into(),
        departement: "75".into(),
        headcount: None,
    }];
    let err = HiringModel::train(
        ModelKind::Ols,
        &e,
        &history,
        period("2023-S1"),
        &TrainSettings::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("historique trop court"), "{err}");
}
