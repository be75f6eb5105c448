//! The classifier's inverted index: analysed words → documents, plus the
//! lookups that resolve a title word missing from the vocabulary (one typo
//! through a deletion dictionary, else a prefix).

use std::collections::HashMap;

use lba_core::ids::CodeRome;

use super::analyze::{Side, analyze};

/// Shortest word looked up with one typo (shorter words have too many
/// neighbours to guess from).
const TYPO_MIN_LEN: usize = 5;
/// Shortest word looked up as a prefix.
const PREFIX_MIN_LEN: usize = 4;
/// At most this many words are examined for one prefix.
const PREFIX_SCAN: usize = 500;

/// Where a document comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DocKind {
    /// A ROME fiche label.
    Rome,
    /// An appellation.
    Appellation,
    /// A sous-domaine (broad: weighs less).
    Subdomain,
}

impl DocKind {
    /// Score multiplier.
    pub(super) fn weight(self) -> f32 {
        match self {
            Self::Rome | Self::Appellation => 1.0,
            Self::Subdomain => 0.6,
        }
    }
}

/// One referential label.
pub(super) struct Doc {
    /// Index into [`Index::romes`].
    pub(super) rome: u32,
    pub(super) kind: DocKind,
    /// The label as written in the referential.
    pub(super) label: String,
    /// Its analysed words, sorted, each once.
    pub(super) terms: Box<[u32]>,
    /// Its first analysed word.
    pub(super) head: Option<u32>,
}

/// The built index.
pub(super) struct Index {
    pub(super) romes: Vec<CodeRome>,
    pub(super) docs: Vec<Doc>,
    /// Sum of the documents' word counts.
    pub(super) total_len: usize,
    /// Appellation OGR code → document.
    pub(super) by_ogr: HashMap<i64, u32>,
    terms: HashMap<String, u32>,
    /// Documents of each word, ascending.
    postings: Vec<Vec<u32>>,
    /// Every word and every word with one letter deleted → words.
    deletions: HashMap<String, Vec<u32>>,
    /// Words sorted, for prefix lookups.
    sorted: Vec<(String, u32)>,
}

impl Index {
    pub(super) fn vocabulary_len(&self) -> usize {
        self.terms.len()
    }

    pub(super) fn term(&self, word: &str) -> Option<u32> {
        self.terms.get(word).copied()
    }

    pub(super) fn df(&self, term: u32) -> u32 {
        self.postings
            .get(term as usize)
            .map_or(0, |p| u32::try_from(p.len()).unwrap_or(u32::MAX))
    }

    pub(super) fn postings(&self, term: u32) -> &[u32] {
        self.postings.get(term as usize).map_or(&[], Vec::as_slice)
    }

    /// The most frequent word within one deletion, insertion, substitution
    /// or swap of `word` (and a few at two edits that share a deletion),
    /// among words of positive frequency under `df`.
    pub(super) fn typo(&self, word: &str, df: &dyn Fn(u32) -> u32) -> Option<u32> {
        if word.len() < TYPO_MIN_LEN {
            return None;
        }
        let mut best: Option<(u32, u32)> = None;
        for key in std::iter::once(word.to_owned()).chain(deletions(word)) {
            for &term in self.deletions.get(&key).into_iter().flatten() {
                let freq = df(term);
                if freq > 0 && best.is_none_or(|(f, t)| freq > f || (freq == f && term < t)) {
                    best = Some((freq, term));
                }
            }
        }
        best.map(|(_, t)| t)
    }

    /// The most frequent word starting with `word` ("boul" → "boulanger").
    pub(super) fn prefix(&self, word: &str, df: &dyn Fn(u32) -> u32) -> Option<u32> {
        if word.len() < PREFIX_MIN_LEN {
            return None;
        }
        let start = self.sorted.partition_point(|(w, _)| w.as_str() < word);
        self.sorted
            .get(start..)?
            .iter()
            .take(PREFIX_SCAN)
            .take_while(|(w, _)| w.starts_with(word))
            .map(|&(_, t)| (df(t), t))
            .filter(|&(f, _)| f > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, t)| t)
    }
}

/// `word` with each letter deleted in turn (ASCII: analysed words are).
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    (0..word.len()).filter_map(move |i| {
        let (a, b) = (word.get(..i)?, word.get(i + 1..)?);
        Some(format!("{a}{b}"))
    })
}

/// Collects documents, then builds the [`Index`].
#[derive(Default)]
pub(super) struct Builder {
    romes: Vec<CodeRome>,
    rome_ids: HashMap<CodeRome, u32>,
    docs: Vec<Doc>,
    by_ogr: HashMap<i64, u32>,
    terms: HashMap<String, u32>,
    postings: Vec<Vec<u32>>,
}

impl Builder {
    /// Adds a label of `rome`; labels without a meaningful word are left
    /// out.
    pub(super) fn add(&mut self, rome: &CodeRome, kind: DocKind, label: &str, ogr: Option<i64>) {
        let words = analyze(label, Side::Document);
        let Ok(doc_id) = u32::try_from(self.docs.len()) else {
            return;
        };
        if words.is_empty() {
            return;
        }
        let rome = match self.rome_ids.get(rome) {
            Some(&id) => id,
            None => {
                let Ok(id) = u32::try_from(self.romes.len()) else {
                    return;
                };
                self.romes.push(rome.clone());
                self.rome_ids.insert(rome.clone(), id);
                id
            }
        };
        let mut terms = Vec::with_capacity(words.len());
        for word in words {
            let next = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
            let term = *self.terms.entry(word).or_insert(next);
            if term == next {
                self.postings.push(Vec::new());
            }
            if let Some(postings) = self.postings.get_mut(term as usize) {
                postings.push(doc_id);
            }
            terms.push(term);
        }
        let head = terms.first().copied();
        terms.sort_unstable();
        if let Some(ogr) = ogr {
            self.by_ogr.insert(ogr, doc_id);
        }
        self.docs.push(Doc {
            rome,
            kind,
            label: label.trim().to_owned(),
            terms: terms.into_boxed_slice(),
            head,
        });
    }

    pub(super) fn build(self) -> Index {
        let mut deletions_map: HashMap<String, Vec<u32>> = HashMap::new();
        let mut sorted: Vec<(String, u32)> = Vec::with_capacity(self.terms.len());
        for (word, &term) in &self.terms {
            sorted.push((word.clone(), term));
            if word.len() >= TYPO_MIN_LEN {
                for key in std::iter::once(word.clone()).chain(deletions(word)) {
                    deletions_map.entry(key).or_default().push(term);
                }
            }
        }
        sorted.sort_unstable();
        for terms in deletions_map.values_mut() {
            terms.sort_unstable();
            terms.dedup();
        }
        Index {
            total_len: self.docs.iter().map(|d| d.terms.len()).sum(),
            romes: self.romes,
            docs: self.docs,
            by_ogr: self.by_ogr,
            terms: self.terms,
            postings: self.postings,
            deletions: deletions_map,
            sorted,
        }
    }
}
