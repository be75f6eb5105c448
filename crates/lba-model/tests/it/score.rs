//! Score breakpoints, stars, thresholds and the per-ROME split.

use std::collections::HashMap;

use lba_core::ids::CodeRome;
use lba_model::score::{Affinities, ScoreScale, display_threshold, rome_scores, star_band, stars};

#[test]
fn default_breakpoints() {
    let s = ScoreScale::default();
    assert_eq!(s.score(0.0), 0);
    assert_eq!(s.score(0.25), 10);
    assert_eq!(s.score(0.5), 20);
    assert_eq!(s.score(2.0), 50);
    assert_eq!(s.score(6.0), 80);
    assert_eq!(s.score(10.5), 90);
    assert_eq!(s.score(1000.0), 100);
    assert_eq!(s.score(-3.0), 0);
}

#[test]
fn custom_breakpoints_are_parsed_and_checked() {
    let s = ScoreScale::parse("0:0, 2:50, 4:100").unwrap();
    assert_eq!(s.score(1.0), 25);
    assert_eq!(s.score(3.0), 75);
    for bad in [
        "",
        "0:0",
        "1:10,0:20",
        "0:0,1:120",
        "0:0,1:x",
        "0-0,1-10",
        "0:50,1:20",
    ] {
        let err = ScoreScale::parse(bad).unwrap_err();
        assert!(
            err.to_string().contains("barème de score invalide"),
            "{bad}"
        );
    }
}

#[test]
fn stars_follow_the_formula() {
    assert_eq!(stars(0), 2.5);
    assert_eq!(stars(20), 2.5);
    assert_eq!(stars(60), 3.75);
    assert_eq!(stars(100), 5.0);
    assert_eq!(star_band(20), 5);
    assert_eq!(star_band(100), 10);
}

#[test]
fn threshold_is_lowered_for_metiers_en_tension() {
    assert_eq!(display_threshold(None), 20.0);
    assert_eq!(display_threshold(Some(0.0)), 20.0);
    assert_eq!(display_threshold(Some(100.0)), 5.0);
    assert_eq!(display_threshold(Some(60.0)), 11.0);
}

fn rome(s: &str) -> CodeRome {
    s.parse().unwrap()
}

#[test]
fn predicted_hirings_are_split_by_affinity_through_the_parent_code() {
    // NAF 1071C: 75 hirings in D1102 (v3), 25 in D1106.
    let (d1102, d1106, d1107) = (rome("D1102"), rome("D1106"), rome("D1107"));
    let hirings = vec![("1071C", &d1102, 75), ("1071C", &d1106, 25)];
    // D1102 (v3) has two ROME 4.0 fiches; D1106 one (D1107 as its child here).
    let (f1, f2) = (rome("D1102"), rome("D1104"));
    let fiches = vec![(&f1, &d1102), (&f2, &d1102), (&d1107, &d1106)];
    let affinities = Affinities::new(hirings, fiches);
    let of = affinities.of("1071C");
    assert_eq!(of.len(), 3);
    assert!(of.contains(&(rome("D1104"), 0.75)));
    assert!(of.contains(&(rome("D1107"), 0.25)));
    assert!(affinities.of("0000Z").is_empty());

    // 4 predicted hirings: 3 → score 60 for the D1102 fiches, 1 → 40 for D1107.
    let scale = ScoreScale::default();
    let none = HashMap::new();
    let scores = rome_scores(4.0, of, &none, &scale);
    let got: Vec<(String, u8)> = scores
        .iter()
        .map(|r| (r.rome.to_string(), r.score))
        .collect();
    assert_eq!(
        got,
        vec![
            ("D1102".into(), 60),
            ("D1104".into(), 60),
            ("D1107".into(), 40)
        ]
    );
    // 0.4 predicted: 0.3 → 12 and 0.1 → 4, below 20: shown nowhere…
    assert!(rome_scores(0.4, of, &none, &scale).is_empty());
    // …unless D1102 is en tension (80 % → threshold 8).
    let tension = HashMap::from([(rome("D1102"), display_threshold(Some(80.0)))]);
    let scores = rome_scores(0.4, of, &tension, &scale);
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].rome, rome("D1102"));
    assert_eq!(scores[0].score, 12);
}
