//! Métier autocomplete on the real referentials (read from the shared data
//! directory with the `lba-data` readers), with hand-made training courses
//! linking diplomas to ROME codes.

use std::collections::HashSet;
use std::sync::OnceLock;

use lba_core::geo::GeoPoint;
use lba_core::opportunity::{Formation, Place};
use lba_core::text::normalize;
use lba_search::{MetierHit, MetierIndex, MetierKind};
use proptest::prelude::*;

use lba_core::referential::ReferentialData;

use crate::support::metier_data;

/// A training course delivering a diploma (by CFD and/or RNCP) for `romes`.
fn formation(id: &str, cfd: Option<&str>, rncp: Option<&str>, romes: &[&str]) -> Formation {
    Formation {
        id: id.to_owned(),
        is_demo: false,
        title: String::new(),
        diploma_title: String::new(),
        cfd: cfd.map(|c| c.parse().unwrap()),
        rncp: rncp.map(|r| r.parse().unwrap()),
        level: None,
        romes: romes.iter().map(|r| r.parse().unwrap()).collect(),
        cfa_uai: None,
        cfa_siret: None,
        cfa_name: String::new(),
        place: Place {
            address: Default::default(),
            postal_code: None,
            commune_insee: None,
            city: Default::default(),
            point: GeoPoint::new(48.85, 2.35).unwrap(),
        },
        sessions: Vec::new(),
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: None,
        phone: None,
        onisep_url: None,
    }
}

/// The index, built once per test process.
fn index() -> &'static MetierIndex {
    static INDEX: OnceLock<MetierIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let formations = [
            // CHEF DE CHANTIER GROS OEUVRE (TP), by its CFD.
            formation("ccgo", Some("36T23201"), None, &["F1202", "F1703"]),
            // BANQUE (BTS), by its RNCP code only.
            formation("banque", None, Some("RNCP38381"), &["C1206"]),
        ];
        MetierIndex::build(&metier_data(), &formations)
    })
}

fn has_rome(hit: &MetierHit, code: &str) -> bool {
    hit.romes.iter().any(|r| r.as_str() == code)
}

#[test]
fn a_prefix_finds_the_boulanger() {
    let hits = index().search("boul", 20);
    assert!(
        hits.iter().take(3).any(|h| has_rome(h, "D1102")),
        "{hits:#?}"
    );
}

#[test]
fn one_typo_is_forgiven() {
    let hits = index().search("boulanjer", 20);
    assert!(
        hits.iter().take(3).any(|h| has_rome(h, "D1102")),
        "{hits:#?}"
    );
    assert!(index().search("bxxxxnjer", 20).is_empty());
}

#[test]
fn all_words_match_in_any_order() {
    for query in ["agent entretien batiment", "batiment agent entretien"] {
        let hits = index().search(query, 20);
        let first = hits.first().expect("a hit");
        assert!(
            first.label.contains("entretien") && first.label.contains("bâtiment"),
            "{query}: {hits:#?}"
        );
        for hit in &hits {
            let label = normalize(&hit.label);
            assert!(
                label.contains("agent") && label.contains("entretien"),
                "{hit:?}"
            );
        }
    }
}

#[test]
fn case_and_accents_do_not_matter() {
    let plain = index().search("boulangerie", 20);
    assert!(!plain.is_empty());
    assert_eq!(index().search("BOULANGERIE", 20), plain);
    assert_eq!(index().search("Boulangérie", 20), plain);
    let subdomain = plain
        .iter()
        .find(|h| h.kind == MetierKind::Subdomain)
        .expect("the sous-domaine");
    assert!(!subdomain.romes.is_empty(), "{subdomain:?}");
    assert!(plain.iter().any(|h| has_rome(h, "D1102")), "{plain:#?}");
}

#[test]
fn an_acronym_finds_its_diploma_through_the_synonyms() {
    let hits = index().search("ccgo", 20);
    let first = hits.first().expect("a hit");
    assert_eq!(first.kind, MetierKind::Diploma);
    assert!(
        first.label.starts_with("CHEF DE CHANTIER GROS OEUVRE"),
        "{first:?}"
    );
    let romes: Vec<&str> = first.romes.iter().map(|r| r.as_str()).collect();
    assert_eq!(romes, ["F1202", "F1703"]);
    let rncps: Vec<&str> = first.rncps.iter().map(|r| r.as_str()).collect();
    assert_eq!(rncps, ["RNCP1863"]);
    // The title finds it too.
    let by_title = index().search("chef chantier gros oeuvre", 20);
    assert!(by_title.iter().any(|h| h == first), "{by_title:#?}");
}

#[test]
fn diplomas_link_through_rncp_and_need_a_course() {
    let hits = index().search("banque bts", 20);
    let banque = hits
        .iter()
        .find(|h| h.kind == MetierKind::Diploma)
        .expect("BANQUE (BTS)");
    assert!(has_rome(banque, "C1206"), "{banque:?}");
    // No course delivers the other BTS: none is suggested.
    let bts = index().search("bts", 20);
    assert!(
        bts.iter()
            .all(|h| h.kind != MetierKind::Diploma || h.label.contains("BANQUE")),
        "{bts:#?}"
    );
}

#[test]
fn duplicates_merge_and_the_limit_holds() {
    for query in ["a", "boulanger", "vendeur", "agent", "conducteur"] {
        let hits = index().search(query, 20);
        assert!(hits.len() <= 20, "{query}");
        let labels: HashSet<String> = hits.iter().map(|h| normalize(&h.label)).collect();
        assert_eq!(labels.len(), hits.len(), "{query}: {hits:#?}");
        assert!(hits.iter().all(|h| !h.romes.is_empty()));
    }
    assert_eq!(index().search("a", 20).len(), 20);
    assert_eq!(index().search("a", 3).len(), 3);
    assert!(index().search("a", 0).is_empty());
    // The fiche and its appellation of the same label are one hit, a fiche.
    let boulanger: Vec<MetierHit> = index()
        .search("boulanger", 20)
        .into_iter()
        .filter(|h| normalize(&h.label) == "boulanger boulangere")
        .collect();
    assert_eq!(boulanger.len(), 1);
    assert_eq!(boulanger[0].kind, MetierKind::Rome);
}

#[test]
fn empty_queries_find_nothing() {
    for query in ["", "   ", "?!-'", "« »", "/"] {
        assert!(index().search(query, 20).is_empty(), "{query:?}");
        assert!(index().appellations_of(query, 20).is_empty(), "{query:?}");
    }
}

#[test]
fn subdomains_and_appellations_for_the_v1_api() {
    let all = index().all_subdomains();
    assert!(all.len() > 100);
    assert!(
        all.iter()
            .any(|s| s == "Boulangerie, pâtisserie, chocolaterie")
    );
    let keys: Vec<String> = all.iter().map(|s| normalize(s)).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and unique");

    let appellations = index().appellations_of("boulanger", 10);
    assert!(appellations.len() <= 10);
    let (label, code, fiche) = appellations.first().expect("an appellation");
    assert_eq!(
        (label.as_str(), code.as_str(), fiche.as_str()),
        ("Boulanger / Boulangère", "D1102", "Boulanger / Boulangère")
    );
}

#[test]
fn an_empty_index_answers_nothing() {
    let empty = MetierIndex::build(&ReferentialData::default(), &[]);
    assert!(empty.search("boulanger", 20).is_empty());
    assert!(empty.all_subdomains().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_queries_never_panic(query in any::<String>(), limit in 0usize..40) {
        let hits = index().search(&query, limit);
        prop_assert!(hits.len() <= limit);
        prop_assert!(index().appellations_of(&query, limit).len() <= limit);
    }

    #[test]
    fn word_like_queries_never_panic(query in "[a-zA-Zéè' -]{0,30}") {
        prop_assert!(index().search(&query, 20).len() <= 20);
    }
}

/// The evaluation sets of `examples/metier_eval.rs`, smaller: queries drawn
/// from the real appellations as typed, with one typo, and spelt by ear
/// find the right métier in the first three suggestions (floors a little
/// under the figures of BENCHMARKS.md, which come from 1,000 queries each
/// on three seeds).
#[test]
fn typed_misspelt_and_by_ear_queries_find_the_metier() {
    use crate::metier_eval::{Kind, cases, evaluate};
    let data = metier_data();
    let index = MetierIndex::build(&data, &[]);
    for (kind, floor) in [
        (Kind::Natural, 0.99),
        (Kind::OneTypo, 0.93),
        (Kind::Phonetic, 0.90),
    ] {
        let cases = cases(&data, &index, kind, 400, 7);
        assert_eq!(cases.len(), 400, "{kind:?}");
        let (found, misses) = evaluate(&index, &cases);
        let rate = found as f64 / cases.len() as f64;
        assert!(
            rate >= floor,
            "{kind:?}: {:.1} % < {:.0} %; first misses: {:?}",
            100.0 * rate,
            100.0 * floor,
            misses.iter().take(10).map(|c| &c.query).collect::<Vec<_>>()
        );
    }
}
