//! Queries of the token index: normalised words, each with the whole words
//! it may stand for ("st" → saint) and whether it may go unmatched.

use lba_core::text::tokens;

/// Words past this many in a query are ignored (bounds the work).
pub const MAX_TERMS: usize = 12;

/// Query words that need not match (they still add to the score when they do).
const STOP_WORDS: [&str; 17] = [
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sous", "sur",
    "un", "une",
];

/// One query word with its accepted expansions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTerm {
    /// The normalised word as typed.
    pub text: String,
    /// Whole words that count as an exact match too ("st" → "saint").
    pub alternatives: Vec<String>,
    /// The entry matches even without this word.
    pub optional: bool,
}

impl QueryTerm {
    /// A required term without expansions (`text` must be normalised).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            alternatives: Vec::new(),
            optional: false,
        }
    }

    /// Adds a whole word that counts as an exact match.
    #[must_use]
    pub fn or_exactly(mut self, word: impl Into<String>) -> Self {
        self.alternatives.push(word.into());
        self
    }
}

/// A parsed query: the terms that entries must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<QueryTerm>,
}

impl Query {
    /// Normalises and splits `text` into terms.
    pub fn parse(text: &str) -> Self {
        Self::from_terms(tokens(text).into_iter().map(QueryTerm::new).collect())
    }

    /// Builds a query from terms, keeping the first [`MAX_TERMS`] and
    /// marking stop words optional unless every term is one.
    pub fn from_terms(mut terms: Vec<QueryTerm>) -> Self {
        terms.retain(|t| !t.text.is_empty());
        terms.truncate(MAX_TERMS);
        let all_stop = terms.iter().all(|t| STOP_WORDS.contains(&t.text.as_str()));
        for term in &mut terms {
            term.optional = !all_stop && STOP_WORDS.contains(&term.text.as_str());
        }
        Self { terms }
    }

    /// The terms.
    pub fn terms(&self) -> &[QueryTerm] {
        &self.terms
    }

    /// No term: nothing can match.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}
