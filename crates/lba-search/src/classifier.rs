//! ROME classifier for free titles: "Apprenti(e) boulanger H/F" or "BTS
//! Management commercial opérationnel" → ranked ROME 4.0 codes, each with a
//! confidence in 0..=1.
//!
//! Built from the referentials: every appellation (13,120 job titles), every
//! ROME fiche label and La bonne alternance sous-domaines are documents
//! carrying one ROME code. A title is analysed ([`analyze`]: normalised,
//! without gender marks, contract and diploma noise, abbreviations
//! expanded, lightly stemmed), its words are matched exactly, else within
//! one typo, else as a prefix, and documents are ranked with BM25 (binary
//! term frequency: labels are short and "Boulanger / Boulangère" names one
//! word twice). A document starting with the title's first word (its head
//! noun, in French) and a document made of exactly the title's words get a
//! boost. Each ROME code scores its best document plus a little of its
//! second best (several titles of one fiche agreeing is a signal).
//!
//! # Confidence
//! `confidence = coverage × share`, where `coverage` is the part of the
//! title's weight (inverse document frequencies) that the ROME's best
//! document matched (1 when every word was found, a word matched through a
//! typo or a prefix counting for less), and `share` is the ROME's softmax
//! share among the candidates with temperature [`TEMPERATURE`] (so a clear
//! margin between the first two codes gives a share near 1, a tie about
//! 0.5). With a temperature of 1 (BM25 units) confidence tracks accuracy
//! (first guesses at 0.9 or more are right 89 % of the time in the
//! leave-one-out evaluation, below 0.5 only 37 %): `examples/classifier_eval.rs`
//! prints the reliability table, recorded in BENCHMARKS.md.
//!
//! No ML crate, no IO; a build takes about 100 ms, a classification tens of
//! microseconds (per-thread scratch buffers, no hash map on the hot path).

mod analyze;
mod index;

use std::cell::RefCell;
use std::fmt;

use lba_core::ids::CodeRome;
use lba_core::referential::ReferentialData;

pub use analyze::ABBREVIATIONS;
use analyze::{Side, analyze};
use index::{DocKind, Index};

/// BM25 term-frequency saturation (irrelevant with binary frequencies
/// except through length normalisation).
const K1: f32 = 1.2;
/// BM25 length normalisation: a long label matching one word is weaker
/// evidence than a short one.
const B: f32 = 0.75;
/// Multiplier for a document whose first word is the title's first word.
const HEAD_BOOST: f32 = 1.3;
/// Multiplier for a document made of exactly the title's words.
const EXACT_BOOST: f32 = 1.5;
/// Share of a ROME's second-best document added to its score.
const SUPPORT: f32 = 0.15;
/// Weight of a title word matched through one typo.
const TYPO_WEIGHT: f32 = 0.8;
/// Weight of a title word matched as the prefix of a referential word.
const PREFIX_WEIGHT: f32 = 0.6;
/// Softmax temperature over ROME scores (BM25 units), see the module doc.
pub const TEMPERATURE: f32 = 1.0;
/// At most this many guesses are returned.
pub const MAX_GUESSES: usize = 10;

/// One ROME code proposed for a title.
#[derive(Clone, Debug, PartialEq)]
pub struct RomeGuess {
    /// The ROME 4.0 code.
    pub rome: CodeRome,
    /// Confidence in 0..=1 (see the module doc).
    pub confidence: f32,
    /// The referential label that matched best (appellation, fiche label or
    /// sous-domaine).
    pub matched: String,
}

/// A document of the index (for the leave-one-out evaluation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocId(u32);

/// The classifier: an immutable index over the referential labels.
pub struct Classifier {
    index: Index,
}

impl fmt::Debug for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Classifier")
            .field("documents", &self.index.docs.len())
            .field("words", &self.index.vocabulary_len())
            .field("romes", &self.index.romes.len())
            .finish()
    }
}

/// A title word resolved to an indexed word.
struct QueryTerm {
    term: u32,
    weight: f32,
    idf: f32,
}

/// Score of one document for the current title.
#[derive(Clone, Copy, Default)]
struct DocScore {
    score: f32,
    matched_weight: f32,
    matched_terms: u32,
}

/// A ROME's best documents for the current title.
#[derive(Clone, Copy)]
struct RomeScore {
    rome: u32,
    best: f32,
    second: f32,
    best_doc: u32,
    best_matched_weight: f32,
}

impl Classifier {
    /// Builds the classifier from the ROME fiches, appellations and
    /// sous-domaines of `data` (the other fields are not read).
    pub fn build(data: &ReferentialData) -> Self {
        let mut builder = index::Builder::default();
        for rome in &data.romes {
            builder.add(&rome.code, DocKind::Rome, &rome.label, None);
        }
        for appellation in &data.appellations {
            builder.add(
                &appellation.rome,
                DocKind::Appellation,
                &appellation.label,
                Some(appellation.ogr),
            );
        }
        let mut pairs: Vec<(&str, &CodeRome)> = data
            .subdomains
            .iter()
            .map(|(label, rome)| (label.trim(), rome))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (label, rome) in pairs {
            builder.add(rome, DocKind::Subdomain, label, None);
        }
        Self {
            index: builder.build(),
        }
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.index.docs.len()
    }

    /// Nothing indexed (built from empty referentials).
    pub fn is_empty(&self) -> bool {
        self.index.docs.is_empty()
    }

    /// The document of the appellation with this OGR code.
    pub fn appellation_doc(&self, ogr: i64) -> Option<DocId> {
        self.index.by_ogr.get(&ogr).copied().map(DocId)
    }

    /// Ranked ROME codes for `title`, best first, at most [`MAX_GUESSES`];
    /// empty when no word of the title is known.
    pub fn classify(&self, title: &str) -> Vec<RomeGuess> {
        self.rank(title, None)
    }

    /// [`Classifier::classify`] as if document `excluded` had never been
    /// indexed (its postings skipped, the statistics it contributed
    /// removed): the leave-one-out evaluation.
    pub fn classify_excluding(&self, title: &str, excluded: DocId) -> Vec<RomeGuess> {
        self.rank(title, Some(excluded.0))
    }

    /// [`Classifier::classify`] for a diploma title of the diploma
    /// referential: its trailing part in parentheses names the diploma's
    /// kind and issuer ("INFORMATIQUE (MASTER VALENCIENNES)", "CHARGE(E)
    /// D'ACCUEIL (EFHT)"), words that would only lower the confidence.
    pub fn classify_diploma(&self, title: &str) -> Vec<RomeGuess> {
        let title = title.trim_end();
        let core = title
            .strip_suffix(')')
            .and_then(|t| t.rfind('(').and_then(|open| t.get(..open)))
            .filter(|core| !core.trim().is_empty())
            .unwrap_or(title);
        self.classify(core)
    }

    /// The best guess for `title` when its confidence reaches
    /// `min_confidence`.
    pub fn best(&self, title: &str, min_confidence: f32) -> Option<RomeGuess> {
        self.classify(title)
            .into_iter()
            .next()
            .filter(|g| g.confidence >= min_confidence)
    }

    fn rank(&self, title: &str, excluded: Option<u32>) -> Vec<RomeGuess> {
        let index = &self.index;
        let excluded_doc = excluded.and_then(|d| index.docs.get(d as usize));
        let doc_count = index.docs.len() as f32 - excluded_doc.map_or(0.0, |_| 1.0);
        if doc_count < 1.0 {
            return Vec::new();
        }
        let total_len = index.total_len as f32 - excluded_doc.map_or(0.0, |d| d.terms.len() as f32);
        let avg_len = (total_len / doc_count).max(1.0);
        let df = |term: u32| -> u32 {
            let df = index.df(term);
            match excluded_doc {
                Some(doc) if doc.terms.binary_search(&term).is_ok() => df.saturating_sub(1),
                _ => df,
            }
        };
        let idf = |df: u32| (1.0 + (doc_count - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
        // A word found nowhere weighs as much as the rarest word.
        let unknown_idf = idf(0);

        let words = analyze(title, Side::Query);
        let mut terms: Vec<QueryTerm> = Vec::with_capacity(words.len());
        let mut total_weight = 0.0;
        let mut head = None;
        for (i, word) in words.iter().enumerate() {
            let resolved = index
                .term(word)
                .filter(|&t| df(t) > 0)
                .map(|t| (t, 1.0))
                .or_else(|| index.typo(word, &df).map(|t| (t, TYPO_WEIGHT)))
                .or_else(|| index.prefix(word, &df).map(|t| (t, PREFIX_WEIGHT)));
            match resolved {
                Some((term, weight)) if !terms.iter().any(|q| q.term == term) => {
                    let idf = idf(df(term));
                    if i == 0 {
                        head = Some(term);
                    }
                    total_weight += idf;
                    terms.push(QueryTerm { term, weight, idf });
                }
                Some(_) => {}
                None => total_weight += unknown_idf,
            }
        }
        if terms.is_empty() {
            return Vec::new();
        }

        let mut romes = SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            self.score(&mut scratch, &terms, head, excluded, avg_len)
        });
        // Only the first few are returned, but all count in the softmax.
        let by_score = |a: &(f32, RomeScore), b: &(f32, RomeScore)| {
            b.0.total_cmp(&a.0).then(a.1.rome.cmp(&b.1.rome))
        };
        if romes.len() > MAX_GUESSES {
            romes.select_nth_unstable_by(MAX_GUESSES, by_score);
        }
        let partition_romes = romes.clone();
        romes.truncate(MAX_GUESSES);
        romes.sort_unstable_by(by_score);
        let Some(&(top, _)) = romes.first() else {
            return Vec::new();
        };
        let partition: f32 = partition_romes
            .iter()
            .map(|(s, _)| ((s - top) / TEMPERATURE).exp())
            .sum();
        romes
            .iter()
            .filter_map(|&(score, r)| {
                let share = ((score - top) / TEMPERATURE).exp() / partition;
                let coverage = (r.best_matched_weight / total_weight).min(1.0);
                Some(RomeGuess {
                    rome: index.romes.get(r.rome as usize)?.clone(),
                    confidence: (share * coverage).clamp(0.0, 1.0),
                    matched: index.docs.get(r.best_doc as usize)?.label.clone(),
                })
            })
            .collect()
    }

    /// BM25 scores of the documents matching `terms`, aggregated per ROME:
    /// (ROME score, its best documents), in no particular order.
    fn score(
        &self,
        scratch: &mut Scratch,
        terms: &[QueryTerm],
        head: Option<u32>,
        excluded: Option<u32>,
        avg_len: f32,
    ) -> Vec<(f32, RomeScore)> {
        let index = &self.index;
        scratch.prepare(index.docs.len(), index.romes.len());
        for q in terms {
            for &doc_id in index.postings(q.term) {
                if Some(doc_id) == excluded {
                    continue;
                }
                let (Some(doc), Some(entry)) = (
                    index.docs.get(doc_id as usize),
                    scratch.docs.get_mut(doc_id as usize),
                ) else {
                    continue;
                };
                if entry.matched_terms == 0 {
                    scratch.touched_docs.push(doc_id);
                }
                let length = 1.0 - B + B * doc.terms.len() as f32 / avg_len;
                entry.score += q.weight * q.idf * (K1 + 1.0) / (1.0 + K1 * length);
                entry.matched_weight += q.weight * q.idf;
                entry.matched_terms += 1;
            }
        }
        for i in 0..scratch.touched_docs.len() {
            let Some(&doc_id) = scratch.touched_docs.get(i) else {
                continue;
            };
            let (Some(doc), Some(s)) = (
                index.docs.get(doc_id as usize),
                scratch.docs.get_mut(doc_id as usize).map(std::mem::take),
            ) else {
                continue;
            };
            let mut score = s.score * doc.kind.weight();
            if head.is_some() && doc.head == head {
                score *= HEAD_BOOST;
            }
            if s.matched_terms as usize == terms.len() && doc.terms.len() == terms.len() {
                score *= EXACT_BOOST;
            }
            let Some(entry) = scratch.romes.get_mut(doc.rome as usize) else {
                continue;
            };
            if entry.is_none() {
                scratch.touched_romes.push(doc.rome);
            }
            let entry = entry.get_or_insert(RomeScore {
                rome: doc.rome,
                best: 0.0,
                second: 0.0,
                best_doc: doc_id,
                best_matched_weight: 0.0,
            });
            // Ties between documents go to the lower id, for determinism.
            if score > entry.best || (score == entry.best && doc_id < entry.best_doc) {
                entry.second = entry.best;
                entry.best = score;
                entry.best_doc = doc_id;
                entry.best_matched_weight = s.matched_weight;
            } else if score > entry.second {
                entry.second = score;
            }
        }
        scratch.touched_docs.clear();
        let mut out = Vec::with_capacity(scratch.touched_romes.len());
        for i in 0..scratch.touched_romes.len() {
            let Some(&rome) = scratch.touched_romes.get(i) else {
                continue;
            };
            if let Some(r) = scratch.romes.get_mut(rome as usize).and_then(Option::take) {
                out.push((r.best + SUPPORT * r.second, r));
            }
        }
        scratch.touched_romes.clear();
        out
    }
}

/// Per-thread buffers reused across classifications: dense per-document
/// and per-ROME accumulators (reset through the touched lists), far cheaper
/// than hash maps on the long postings of common words.
#[derive(Default)]
struct Scratch {
    docs: Vec<DocScore>,
    touched_docs: Vec<u32>,
    romes: Vec<Option<RomeScore>>,
    touched_romes: Vec<u32>,
}

impl Scratch {
    fn prepare(&mut self, docs: usize, romes: usize) {
        if self.docs.len() < docs {
            self.docs.resize(docs, DocScore::default());
        }
        if self.romes.len() < romes {
            self.romes.resize(romes, None);
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests;
