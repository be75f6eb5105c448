//! Métier autocomplete (placeholder; being written).

use lba_core::ids::{CodeRome, RncpCode};
use lba_core::opportunity::Formation;
use lba_core::referential::ReferentialData;

/// What a métier suggestion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// One suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct MetierHit {
    /// Label shown.
    pub label: String,
    /// Kind.
    pub kind: MetierKind,
    /// ROME codes to search.
    pub romes: Vec<CodeRome>,
    /// RNCP codes (diplomas).
    pub rncps: Vec<RncpCode>,
}

/// The métier index.
#[derive(Debug, Default)]
pub struct MetierIndex {}

impl MetierIndex {
    /// Builds the index.
    pub fn build(_data: &ReferentialData, _formations: &[Formation]) -> Self {
        Self {}
    }

    /// Ranked suggestions.
    pub fn search(&self, _query: &str, _limit: usize) -> Vec<MetierHit> {
        Vec::new()
    }
}
