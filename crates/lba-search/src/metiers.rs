//! Métier autocomplete: what a candidate types in "Métier ou formation"
//! becomes ROME codes to search.
//!
//! Suggestions come from ROME fiche labels, appellations (job titles), La
//! bonne alternance sous-domaines and diploma titles with their acronyms
//! (from the synonym groups). Labels that normalise to the same text are
//! merged into one suggestion carrying the union of their codes. A diploma
//! leads to the ROME codes of the training courses that deliver it; a
//! diploma no course delivers is not suggested (it would find nothing).

mod build;

use std::cmp::Reverse;

use lba_core::ids::{CodeRome, RncpCode};
use lba_core::opportunity::Formation;
use lba_core::referential::ReferentialData;

use crate::text_index::{Query, TextIndex, best_per_payload};

/// What a métier suggestion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetierKind {
    /// A ROME fiche label.
    Rome,
    /// A ROME appellation (job title).
    Appellation,
    /// A La bonne alternance sous-domaine.
    Subdomain,
    /// A diploma title or acronym.
    Diploma,
}

impl MetierKind {
    /// Stable lowercase name ("rome", "appellation", "subdomain", "diploma").
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rome => "rome",
            Self::Appellation => "appellation",
            Self::Subdomain => "subdomain",
            Self::Diploma => "diploma",
        }
    }

    /// When labels merge, the kind kept is the most general one.
    fn generality(self) -> u8 {
        match self {
            Self::Rome => 0,
            Self::Subdomain => 1,
            Self::Appellation => 2,
            Self::Diploma => 3,
        }
    }

    /// Ranking boost: fiche labels and sous-domaines are broader searches,
    /// so they come first on otherwise equal matches.
    fn boost(self) -> i16 {
        match self {
            Self::Rome | Self::Subdomain => 8,
            Self::Appellation | Self::Diploma => 0,
        }
    }
}

/// One suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct MetierHit {
    /// Label shown.
    pub label: String,
    /// Kind.
    pub kind: MetierKind,
    /// ROME codes to search, sorted.
    pub romes: Vec<CodeRome>,
    /// RNCP codes (diplomas), sorted.
    pub rncps: Vec<RncpCode>,
}

/// An appellation with its fiche (`/api/v1/metiers/intitule`).
#[derive(Clone, Debug, PartialEq)]
struct AppellationRow {
    label: String,
    rome: CodeRome,
    rome_label: String,
}

/// The métier index.
#[derive(Debug, Default)]
pub struct MetierIndex {
    /// Every suggestion label, plus acronyms pointing at diploma suggestions.
    text: TextIndex,
    /// Suggestions, by payload id.
    hits: Vec<MetierHit>,
    /// Sorted unique sous-domaine labels.
    subdomains: Vec<String>,
    /// Appellations alone, for [`MetierIndex::appellations_of`].
    appellation_text: TextIndex,
    /// Appellations, by payload id of `appellation_text`.
    appellations: Vec<AppellationRow>,
}

impl MetierIndex {
    /// Builds the index from the referentials; `formations` link diplomas
    /// (by CFD or RNCP code) to ROME codes.
    pub fn build(data: &ReferentialData, formations: &[Formation]) -> Self {
        build::build(data, formations)
    }

    /// At most `limit` suggestions, best first: better word matches (whole
    /// word, then prefix, then one typo), then fiche labels and
    /// sous-domaines, earlier matched words and shorter labels. Empty for a
    /// query without letters or digits.
    pub fn search(&self, query: &str, limit: usize) -> Vec<MetierHit> {
        let query = Query::parse(query);
        let matches = self.text.matches(&query);
        best_per_payload(matches, limit, |m| Reverse(m.relevance()))
            .into_iter()
            .filter_map(|m| self.hits.get(m.payload as usize).cloned())
            .collect()
    }

    /// Every sous-domaine label, sorted and unique (`/api/v1/metiers/all`).
    pub fn all_subdomains(&self) -> Vec<String> {
        self.subdomains.clone()
    }

    /// At most `limit` appellations matching `query`, best first, each with
    /// its ROME code and fiche label: `(appellation, code, fiche label)`.
    pub fn appellations_of(&self, query: &str, limit: usize) -> Vec<(String, CodeRome, String)> {
        let query = Query::parse(query);
        let matches = self.appellation_text.matches(&query);
        best_per_payload(matches, limit, |m| Reverse(m.relevance()))
            .into_iter()
            .filter_map(|m| self.appellations.get(m.payload as usize))
            .map(|a| (a.label.clone(), a.rome.clone(), a.rome_label.clone()))
            .collect()
    }

    /// Number of suggestions that can be returned.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    /// Nothing to suggest.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }
}
