//! Maps diplomas to the ROME fiches they lead to, by word overlap between
//! the diploma title and the fiche (its label and its appellations).
//!
//! The referentials hold no diploma → métier table, so a plausible one is
//! inferred: words are normalised, stripped of stop words and cut to a
//! 6-letter stem (`informatique` and `informaticien` meet), each stem is
//! weighted by its rarity among fiches (idf), and a fiche scores the weights
//! of the diploma stems it contains, more when its own label has them. A
//! diploma keeps the 1–3 best fiches close to the best score, and only when
//! that match covers enough of its title; otherwise it is not used.

use std::collections::{BTreeMap, BTreeSet};

use lba_core::referential::ReferentialData;
use lba_core::text::tokens;

/// Words that carry no métier: articles, diploma kinds, school words.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "bac", "bachelor", "bp", "bpa", "bts", "btsa", "but", "cap", "capa",
    "certificat", "ce", "cqp", "cs", "csa", "dans", "de", "des", "deust", "diplome", "dn", "du",
    "dut", "e", "ecole", "en", "es", "et", "grade", "groupe", "institut", "international",
    "internationale", "l", "la", "le", "les", "lic", "licence", "lmd", "lp", "master", "mc",
    "mention", "metier", "metiers", "national", "nationale", "niveau", "option", "ou", "par",
    "parcours", "pour", "pro", "professionnel", "professionnelle", "sciences", "specialise",
    "specialisee", "specialite", "sup", "superieur", "superieure", "sur", "titre", "tp", "un",
    "une", "universite",
];

/// Stem length: long enough to tell `commerce` from `comment`, short
/// enough to join `gestion` and `gestionnaire`.
const STEM_LEN: usize = 6;
/// A fiche's own label weighs this much more than its appellations.
const LABEL_BOOST: f64 = 1.5;
/// The best fiche must cover this share of the diploma's known words.
const MIN_COVERAGE: f64 = 0.5;
/// …and score at least this much (one fairly rare word, or two common).
const MIN_SCORE: f64 = 3.0;
/// Other fiches are kept when within this share of the best score.
const CLOSE_TO_BEST: f64 = 0.75;
/// At most this many fiches per diploma.
const MAX_ROMES: usize = 3;

/// The stems of a title, deduplicated, in first-seen order.
pub(super) fn stems(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    tokens(text)
        .into_iter()
        .filter(|t| t.len() >= 3 && !STOP_WORDS.contains(&t.as_str()))
        .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .map(|t| {
            let t = if t.len() > 4 {
                t.trim_end_matches(['s', 'x'])
            } else {
                t.as_str()
            };
            t.get(..STEM_LEN).unwrap_or(t).to_owned()
        })
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// The part of a diploma title before its parenthesised kind or school:
/// `BANQUE (BTS)` → `BANQUE`.
pub(super) fn core_title(title: &str) -> &str {
    title.split('(').next().unwrap_or(title).trim()
}

/// For each usable diploma (index into `data.diplomas`), the indices of its
/// 1–3 ROME fiches (into `data.romes`), best first. `usable` says which
/// diplomas to consider.
pub(super) fn diploma_romes(
    data: &ReferentialData,
    usable: impl Fn(usize) -> bool,
) -> Vec<(usize, Vec<usize>)> {
    let rome_index: BTreeMap<&str, usize> = data
        .romes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
    // stem → fiche → in the label?
    let mut postings: BTreeMap<String, BTreeMap<usize, bool>> = BTreeMap::new();
    for (i, rome) in data.romes.iter().enumerate() {
        for stem in stems(&rome.label) {
            postings.entry(stem).or_default().insert(i, true);
        }
    }
    for appellation in &data.appellations {
        let Some(&i) = rome_index.get(appellation.rome.as_str()) else {
            continue;
        };
        for stem in stems(&appellation.label) {
            postings.entry(stem).or_default().entry(i).or_insert(false);
        }
    }
    let fiches = data.romes.len().max(1) as f64;
    let idf = |stem: &str| postings.get(stem).map(|p| (fiches / p.len() as f64).ln());

    let mut out = Vec::new();
    let mut scores = vec![0.0_f64; data.romes.len()];
    let mut plain = vec![0.0_f64; data.romes.len()];
    let mut matched = vec![0_usize; data.romes.len()];
    for (d, diploma) in data.diplomas.iter().enumerate() {
        if !usable(d) {
            continue;
        }
        scores.iter_mut().for_each(|s| *s = 0.0);
        plain.iter_mut().for_each(|s| *s = 0.0);
        matched.iter_mut().for_each(|m| *m = 0);
        let mut known_weight = 0.0;
        for stem in stems(core_title(&diploma.title)) {
            let (Some(weight), Some(fiches)) = (idf(&stem), postings.get(&stem)) else {
                continue;
            };
            known_weight += weight;
            for (&i, &in_label) in fiches {
                if let (Some(score), Some(plain), Some(matched)) =
                    (scores.get_mut(i), plain.get_mut(i), matched.get_mut(i))
                {
                    *score += if in_label {
                        weight * LABEL_BOOST
                    } else {
                        weight
                    };
                    *plain += weight;
                    *matched += 1;
                }
            }
        }
        // Fiches sharing more distinct words first, then by score: a fiche
        // with many appellations must not win on one common word.
        let mut ranked: Vec<(usize, usize, f64)> = scores
            .iter()
            .zip(&matched)
            .enumerate()
            .filter(|(_, (s, _))| **s > 0.0)
            .map(|(i, (s, m))| (i, *m, *s))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        let Some(&(first, best_count, best)) = ranked.first() else {
            continue;
        };
        // Coverage is measured without the label boost.
        let covered = plain.get(first).copied().unwrap_or_default();
        if covered < MIN_SCORE || covered < MIN_COVERAGE * known_weight {
            continue;
        }
        let romes: Vec<usize> = ranked
            .iter()
            .take_while(|(_, count, s)| *count == best_count && *s >= best * CLOSE_TO_BEST)
            .take(MAX_ROMES)
            .map(|(i, _, _)| *i)
            .collect();
        out.push((d, romes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_stop_words_and_fold_plurals() {
        assert_eq!(
            stems("MÉTIERS DE L'INFORMATIQUE : conception de logiciels (LP)"),
            ["inform", "concep", "logici"]
        );
        assert_eq!(core_title("BANQUE (BTS) "), "BANQUE");
    }
}
