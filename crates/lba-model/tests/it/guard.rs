//! Guard rails fire with their French messages.

use std::collections::HashMap;

use lba_model::GuardRails;
use lba_model::guard::{GuardViolation, drift};

#[test]
fn a_good_run_passes() {
    let g = GuardRails::default();
    assert!(g.check(Some(0.5), 1_000, None).is_empty());
}

#[test]
fn each_rail_fires_with_a_clear_message() {
    let g = GuardRails::default();
    let v = g.check(Some(0.95), 1_000, None);
    assert!(matches!(v[..], [GuardViolation::TestError { .. }]));
    assert!(
        v[0].to_string()
            .contains("erreur de test trop élevée : 0.95")
    );
    assert!(!v[0].forcible());

    let v = g.check(None, 1_000, None);
    assert!(matches!(v[..], [GuardViolation::NoHirings]));
    assert!(v[0].to_string().contains("aucune embauche"));

    let v = g.check(Some(0.5), 12, None);
    assert!(v[0].to_string().contains("trop peu d'établissements"));
    assert!(v[0].to_string().contains("12 pour un minimum de 200"));
}

#[test]
fn shuffled_scores_are_a_drift() {
    let keys: Vec<String> = (0..100).map(|i| format!("e{i}")).collect();
    let before: HashMap<String, u8> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i as u8))
        .collect();
    // Same scores: no drift.
    let d = drift(&before, &before);
    assert_eq!(
        (d.compared, d.mean_score_change, d.band_change_share),
        (100, 0.0, 0.0)
    );
    // Scores shuffled between establishments.
    let after: HashMap<String, u8> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), ((i * 37) % 100) as u8))
        .collect();
    let d = drift(&before, &after);
    assert!(d.mean_score_change > 20.0, "{d:?}");
    let v = GuardRails::default().check(Some(0.5), 1_000, Some(&d));
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(v.iter().all(GuardViolation::forcible));
    assert!(v[0].to_string().contains("--force"));
    // Nothing in common: nothing to compare.
    let other: HashMap<String, u8> = HashMap::from([("x".into(), 50)]);
    assert_eq!(drift(&before, &other).compared, 0);
}
