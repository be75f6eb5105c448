//! The ROME classifier on the real referentials: accuracy floors a little
//! below the figures recorded in BENCHMARKS.md (so that a regression
//! fails), the hand-labelled set's codes exist, and typical titles.

use std::collections::HashSet;

use lba_search::classifier::Classifier;

use crate::eval;
use crate::support::metier_data;

#[test]
fn leave_one_out_accuracy_stays_above_its_floor() {
    let data = metier_data();
    assert_eq!(data.appellations.len(), 13_120);
    let classifier = Classifier::build(&data);
    let accuracy = eval::leave_one_out(&classifier, &data);
    assert_eq!(accuracy.total, 13_120);
    // Measured: top-1 59.8 %, top-3 75.6 %.
    assert!(accuracy.top1_rate() >= 0.58, "{:?}", accuracy.top1_rate());
    assert!(accuracy.top3_rate() >= 0.74, "{:?}", accuracy.top3_rate());
    // Confidence means something: confident first guesses are right more
    // often than the others.
    let (_, confident) = accuracy.above(0.5);
    assert!(confident > accuracy.top1_rate() + 0.1, "{confident}");
}

#[test]
fn hand_labelled_titles_accuracy_stays_above_its_floor() {
    let data = metier_data();
    let codes: HashSet<&str> = data.romes.iter().map(|r| r.code.as_str()).collect();
    let titles = eval::labelled_titles();
    assert!(titles.len() >= 100, "{}", titles.len());
    for (title, rome) in &titles {
        assert!(
            codes.contains(rome.as_str()),
            "{title}: unknown code {rome}"
        );
    }
    let classifier = Classifier::build(&data);
    let accuracy = eval::labelled(&classifier);
    // Measured: top-1 84.8 %, top-3 92.0 %.
    assert!(accuracy.top1_rate() >= 0.82, "{:#?}", accuracy.misses);
    assert!(accuracy.top3_rate() >= 0.90, "{:#?}", accuracy.misses);
}

#[test]
fn typical_titles_find_their_fiche() {
    let classifier = Classifier::build(&metier_data());
    for (title, rome) in [
        ("Apprenti(e) boulanger H/F", "D1102"),
        ("Alternance - Assistant RH (F/H)", "M1501"),
        ("Commis de cuisine apprenti(e)", "G1602"),
        ("BOULANGER (CAP)", "D1102"),
        ("vendeuse en boulangerie", "D1106"),
    ] {
        let best = classifier.best(title, 0.5);
        assert_eq!(
            best.as_ref().map(|g| g.rome.as_str()),
            Some(rome),
            "{title}: {best:?}"
        );
    }
    assert!(
        classifier
            .best("Semestre international 2025", 0.5)
            .is_none()
    );
}

#[test]
fn a_quarter_of_the_diploma_referential_maps_with_confidence() {
    let data = metier_data();
    let classifier = Classifier::build(&data);
    let mapped = data
        .diplomas
        .iter()
        .filter(|d| {
            classifier
                .classify_diploma(&d.title)
                .first()
                .is_some_and(|g| g.confidence >= 0.5)
        })
        .count();
    // Measured: 1,521 of 5,707 (26.7 %).
    assert!(mapped * 100 >= data.diplomas.len() * 25, "{mapped}");
}
