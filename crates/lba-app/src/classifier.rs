//! The ROME classifier ([`lba_search::classifier`]) built from the store,
//! and the diploma referential mapped to ROME codes with it, for the
//! importers that meet titles without ROME codes (training catalogue,
//! France Travail offers, partner offers, companies).
//!
//! The diploma mapping is computed in memory, lazily (a diploma title is
//! classified the first time a course of that diploma needs it), not
//! stored: it is a pure function of the referentials and of the classifier
//! version, and classifying all 5,707 titles up front would cost an import
//! of one course a few hundred milliseconds for nothing.

use std::collections::HashMap;

use lba_core::ids::{Cfd, RncpCode};
use lba_core::referential::{DiplomaRef, ReferentialData};
use lba_search::classifier::{Classifier, RomeGuess};
use lba_store::{Store, StoreError};

/// Confidence from which an importer accepts the classifier's best guess.
///
/// Chosen on the measurements recorded in BENCHMARKS.md ("ROME
/// classifier"): at or above it, first guesses are right 93 % of the time
/// on the hand-labelled titles (83 % of which reach it) and 78 % in the
/// harder leave-one-out test; below it, fewer than half are.
pub const MIN_CONFIDENCE: f32 = 0.5;

/// Builds the classifier from the referentials in the store.
pub async fn load(store: &Store) -> Result<Classifier, StoreError> {
    Ok(Classifier::build(&store.referential_data().await?))
}

/// The best guess among several titles of one record (course title,
/// diploma title, RNCP title…): the most confident, the first on ties.
pub fn best_of<'a>(
    classifier: &Classifier,
    titles: impl IntoIterator<Item = &'a str>,
) -> Option<RomeGuess> {
    let mut best: Option<RomeGuess> = None;
    for title in titles {
        if let Some(guess) = classifier.classify(title).into_iter().next()
            && best
                .as_ref()
                .is_none_or(|b| guess.confidence > b.confidence)
        {
            best = Some(guess);
        }
    }
    best
}

/// The diploma referential (by CFD and by RNCP code) mapped to ROME codes
/// through the classifier, on demand.
#[derive(Debug, Default)]
pub struct DiplomaRomes {
    titles_by_cfd: HashMap<Cfd, String>,
    titles_by_rncp: HashMap<RncpCode, String>,
    guesses: HashMap<String, Option<RomeGuess>>,
}

impl DiplomaRomes {
    /// Indexes the diploma titles of `data`.
    pub fn new(data: &ReferentialData) -> Self {
        Self::from_diplomas(&data.diplomas)
    }

    /// Indexes these diploma titles. When one RNCP code has several
    /// titles, the first is kept.
    pub fn from_diplomas(diplomas: &[DiplomaRef]) -> Self {
        let mut titles_by_cfd = HashMap::new();
        let mut titles_by_rncp = HashMap::new();
        for diploma in diplomas {
            titles_by_cfd
                .entry(diploma.cfd.clone())
                .or_insert_with(|| diploma.title.clone());
            if let Some(rncp) = &diploma.rncp {
                titles_by_rncp
                    .entry(rncp.clone())
                    .or_insert_with(|| diploma.title.clone());
            }
        }
        Self {
            titles_by_cfd,
            titles_by_rncp,
            guesses: HashMap::new(),
        }
    }

    /// The referential title of the diploma (CFD first, then RNCP code).
    pub fn title(&self, cfd: Option<&Cfd>, rncp: Option<&RncpCode>) -> Option<&str> {
        cfd.and_then(|c| self.titles_by_cfd.get(c))
            .or_else(|| rncp.and_then(|r| self.titles_by_rncp.get(r)))
            .map(String::as_str)
    }

    /// The classifier's best guess for the diploma's referential title,
    /// `None` when the diploma is unknown or nothing matched; the caller
    /// compares its confidence with a threshold.
    pub fn guess(
        &mut self,
        classifier: &Classifier,
        cfd: Option<&Cfd>,
        rncp: Option<&RncpCode>,
    ) -> Option<RomeGuess> {
        let title = self.title(cfd, rncp)?.to_owned();
        self.guesses
            .entry(title)
            .or_insert_with_key(|title| classifier.classify_diploma(title).into_iter().next())
            .clone()
    }
}
