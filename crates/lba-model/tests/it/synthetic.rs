//! The model recovers the known synthetic process: its ranking captures
//! far more of the next half-year's hirings than a random one, and at
//! least as many as the ranking by headcount.

use lba_model::lift::at;
use lba_model::period::{HalfYear, History};
use lba_model::synthetic::{latent_rate, simulate};
use lba_model::{EstablishmentInput, ModelKind, TrainSettings, evaluate};

const BRACKETS: [&str; 8] = ["00", "01", "02", "03", "11", "12", "21", "22"];
const NAFS: [&str; 5] = ["1071C", "5610A", "4711D", "4520A", "8610Z"];
const DEPS: [&str; 3] = ["69", "75", "48"];

fn uniform_source(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn synthetic(n: usize, seed: u64) -> (Vec<EstablishmentInput>, History) {
    let mut uniform = uniform_source(seed);
    let first: HalfYear = "2020-S1".parse().unwrap();
    let mut history = History::new();
    let mut establishments = Vec::new();
    for i in 0..n {
        let key = format!("e{i}");
        let bracket = BRACKETS[i % BRACKETS.len()];
        let naf = NAFS[(i / 8) % NAFS.len()];
        let rate = latent_rate(&mut uniform, Some(bracket), naf);
        for (t, h) in simulate(&mut uniform, rate, first, 12).iter().enumerate() {
            history.insert(&key, first.offset(t as i32), f64::from(h.hirings));
        }
        establishments.push(EstablishmentInput {
            key,
            departement: DEPS[i % 3].into(),
            headcount: Some(bracket.into()),
        });
    }
    (establishments, history)
}

#[test]
fn the_model_recovers_the_synthetic_process() {
    let (establishments, history) = synthetic(3_000, 11);
    let eval = evaluate(&establishments, &history, &TrainSettings::default()).unwrap();
    assert_eq!(eval.test_period.to_string(), "2025-S2");
    assert_eq!(eval.variants.len(), 2);
    let headcount_top10 = at(&eval.by_headcount, 10).unwrap();
    assert_eq!(at(&eval.random, 10), Some(10.0));
    for v in &eval.variants {
        let top10 = at(&v.lift, 10).unwrap();
        assert!(top10 >= 2.0 * 10.0, "{:?}: top 10 % = {top10}", v.kind);
        assert!(
            top10 >= headcount_top10,
            "{:?}: {top10} < {headcount_top10}",
            v.kind
        );
        assert!(v.relative_error.unwrap() < 0.9, "{v:?}");
    }
    // The headcount is informative too (the rate grows with it).
    assert!(headcount_top10 > 10.0);
}

#[test]
fn all_zero_hirings_cannot_be_evaluated() {
    let (establishments, mut history) = synthetic(300, 3);
    let (first, last) = history.range().unwrap();
    for e in &establishments {
        for t in 0..=first.until(last) {
            history.insert(&e.key, first.offset(t), 0.0);
        }
    }
    let eval = evaluate(&establishments, &history, &TrainSettings::default()).unwrap();
    assert!(eval.variants.iter().all(|v| v.relative_error.is_none()));
    assert!(eval.variants.iter().all(|v| v.lift.is_empty()));
    assert_eq!(eval.chosen, ModelKind::Ols);
}
