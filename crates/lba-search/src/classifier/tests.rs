//! Unit tests on a tiny referential; accuracy on the real one is measured
//! by the integration tests and `examples/classifier_eval.rs`.

use lba_core::referential::{AppellationRef, ReferentialData, RomeRef};

use super::Classifier;

fn data() -> ReferentialData {
    let rome = |code: &str, label: &str| RomeRef {
        code: code.parse().unwrap(),
        label: label.to_owned(),
        parent_code: code.parse().unwrap(),
    };
    let appellation = |ogr, code: &str, label: &str| AppellationRef {
        ogr,
        rome: code.parse().unwrap(),
        label: label.to_owned(),
    };
    ReferentialData {
        romes: vec![
            rome("D1102", "Boulanger / Boulangère"),
            rome("D1106", "Vendeur / Vendeuse en alimentation générale"),
            rome("M1607", "Secrétaire"),
        ],
        appellations: vec![
            appellation(1, "D1102", "Boulanger / Boulangère"),
            appellation(2, "D1102", "Boulanger-pâtissier / Boulangère-pâtissière"),
            appellation(3, "D1106", "Vendeur / Vendeuse en boulangerie-pâtisserie"),
            appellation(4, "M1607", "Secrétaire administratif / administrative"),
        ],
        subdomains: vec![(
            "Boulangerie, pâtisserie".to_owned(),
            "D1102".parse().unwrap(),
        )],
        ..ReferentialData::default()
    }
}

#[test]
fn a_noisy_title_finds_its_fiche_with_high_confidence() {
    let classifier = Classifier::build(&data());
    let guesses = classifier.classify("Apprentie BOULANGÈRE (H/F)");
    let first = &guesses[0];
    assert_eq!(first.rome.as_str(), "D1102", "{guesses:?}");
    assert!(first.confidence > 0.6, "{guesses:?}");
    assert!(first.confidence <= 1.0);
    assert!(
        guesses
            .windows(2)
            .all(|w| w[0].confidence >= w[1].confidence)
    );
}

#[test]
fn typos_and_prefixes_still_match() {
    let classifier = Classifier::build(&data());
    assert_eq!(classifier.classify("boulangr")[0].rome.as_str(), "D1102");
    assert_eq!(
        classifier.classify("secret admin")[0].rome.as_str(),
        "M1607"
    );
}

#[test]
fn unknown_titles_give_nothing_or_low_confidence() {
    let classifier = Classifier::build(&data());
    assert!(classifier.classify("").is_empty());
    assert!(classifier.classify("H/F (e) en alternance").is_empty());
    assert!(classifier.best("Cours D", 0.1).is_none());
    let partial = classifier.classify("boulanger astrophysicien quantique");
    assert!(partial[0].confidence < 0.5, "{partial:?}");
}

#[test]
fn excluding_a_document_removes_it_and_its_statistics() {
    let classifier = Classifier::build(&data());
    let doc = classifier.appellation_doc(4).unwrap();
    let with = classifier.classify("Secrétaire administrative");
    assert_eq!(with[0].matched, "Secrétaire administratif / administrative");
    let without = classifier.classify_excluding("Secrétaire administrative", doc);
    assert_eq!(without[0].rome.as_str(), "M1607");
    assert_eq!(without[0].matched, "Secrétaire");
    // "administratif" occurs in no other document: without it the title
    // is only half known.
    assert!(
        without[0].confidence < with[0].confidence,
        "{without:?} {with:?}"
    );
}

#[test]
fn diploma_titles_lose_their_kind_and_issuer() {
    let classifier = Classifier::build(&data());
    let plain = classifier.classify("BOULANGER (CAP)");
    let diploma = classifier.classify_diploma("BOULANGER (CAP UNIVERSITE DE NULLE PART)");
    assert_eq!(diploma[0].rome.as_str(), "D1102");
    assert_eq!(diploma[0].confidence, plain[0].confidence);
    assert!(classifier.classify_diploma("(CAP)").is_empty());
}
