//! Unit tests of the token index on a handful of labels.

use std::cmp::Reverse;

use super::{MatchKind, Query, QueryTerm, TextIndex, TextIndexBuilder, best_per_payload};

fn index(labels: &[&str]) -> TextIndex {
    let mut builder = TextIndexBuilder::new();
    for (id, label) in (0u32..).zip(labels) {
        builder.add(label, id, 0);
    }
    builder.build()
}

/// Payloads found for `query`, best first.
fn found(index: &TextIndex, query: &str) -> Vec<u32> {
    let matches = index.matches(&Query::parse(query));
    best_per_payload(matches, 20, |m| Reverse(m.relevance()))
        .into_iter()
        .map(|m| m.payload)
        .collect()
}

const LABELS: [&str; 6] = [
    "Boulangerie industrielle",
    "Boulanger / Boulangère",
    "Agent / Agente d'entretien du bâtiment",
    "Boule de fort",
    "Aide-boulanger",
    "!!!",
];

#[test]
fn whole_words_beat_prefixes_and_prefixes_beat_typos() {
    let index = index(&LABELS);
    assert_eq!(index.len(), 5, "a label without words is skipped");
    assert_eq!(found(&index, "boulanger"), [1, 4, 0]);
    assert_eq!(found(&index, "boul"), [3, 1, 4, 0]);
    assert_eq!(found(&index, "boulanjer"), [1, 4, 0]);
}

#[test]
fn every_required_word_matches_in_any_order() {
    let index = index(&LABELS);
    assert_eq!(found(&index, "batiment entretien agent"), [2]);
    assert_eq!(
        found(&index, "agent de entretien"),
        [2],
        "stop words are optional"
    );
    assert!(found(&index, "agent boulanger").is_empty());
    assert_eq!(found(&index, "de"), [3], "a lone stop word is required");
    assert!(found(&index, "").is_empty());
}

#[test]
fn words_of_three_letters_allow_no_typo() {
    let index = index(&["Rome", "Lyon"]);
    assert_eq!(found(&index, "lyom"), [1], "four letters allow one typo");
    assert!(found(&index, "lyn").is_empty());
    assert_eq!(found(&index, "lyo"), [1]);
}

#[test]
fn words_spelt_by_ear_match_by_their_sound_after_typos() {
    let metiers = index(&[
        "Mécanicien / Mécanicienne automobile",
        "Coiffeur / Coiffeuse",
        "Électricien / Électricienne du bâtiment",
        "Boulanger / Boulangère",
        "Boucher / Bouchère",
    ]);
    assert_eq!(found(&metiers, "mecanisien otomobile"), [0]);
    assert_eq!(found(&metiers, "coifeuze"), [1]);
    assert_eq!(found(&metiers, "electrisian batiment"), [2]);
    assert_eq!(found(&metiers, "boulangé"), [3]);
    // A word one typo away ranks before a word that only sounds alike.
    let index = index(&["Fotographe", "Photographe"]);
    let matches = index.matches(&Query::parse("photograhe"));
    let kinds: Vec<(u32, u8)> = {
        let mut v: Vec<(u32, u8)> = matches.iter().map(|m| (m.payload, m.typos)).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(kinds, [(0, 1), (1, 1)]);
    assert_eq!(found(&index, "photograhe"), [1, 0]);
}

#[test]
fn alternatives_count_as_whole_words() {
    let index = index(&["Saint-Étienne", "Strasbourg"]);
    let query = Query::from_terms(vec![
        QueryTerm::new("st").or_exactly("saint"),
        QueryTerm::new("etienne"),
    ]);
    let matches = index.matches(&query);
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].quality, 2 * MatchKind::Exact as u16);
    assert_eq!((matches[0].exact, matches[0].words), (2, 2));
}

#[test]
fn one_result_per_payload() {
    let mut builder = TextIndexBuilder::new();
    builder.add("Cherbourg-en-Cotentin", 7, 1);
    builder.add("Cherbourg-Octeville", 7, 0);
    builder.add("Cherbourg Plage", 8, 0);
    let index = builder.build();
    let matches = index.matches(&Query::parse("cherbourg"));
    assert_eq!(matches.len(), 3);
    let best = best_per_payload(matches, 10, |m| Reverse(m.relevance()));
    let payloads: Vec<u32> = best.iter().map(|m| m.payload).collect();
    assert_eq!(payloads, [8, 7]);
    assert!(best_per_payload(index.matches(&Query::parse("cherbourg")), 0, |m| m.len).is_empty());
}
