//! Which métiers a search covers ([`RomeFilter`]: ROME codes or a domain) and
//! why a filter is refused. Used by the queries (`query.rs`) and the R-tree
//! walks (`geo_index.rs`), which therefore do not import each other both ways.

use lba_core::ids::CodeRome;

/// At most this many ROME codes per query.
pub const MAX_ROMES: usize = 20;

/// Why a query is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// No ROME code.
    #[error("au moins un code ROME est requis")]
    NoRome,
    /// More than [`MAX_ROMES`] codes.
    #[error("au plus 20 codes ROME ({0} reçus)")]
    TooManyRomes(usize),
    /// A domain that is neither a letter nor a letter and two digits.
    #[error(
        "domaine ROME invalide « {0} » : attendu une lettre (ex. F) ou une lettre et deux chiffres (ex. F16)"
    )]
    BadDomain(String),
}

/// Which métiers to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RomeFilter {
    /// 1–20 ROME codes.
    Codes(Vec<CodeRome>),
    /// Every code starting with this prefix ("F" or "F16").
    Domain(String),
}

impl RomeFilter {
    /// 1 to 20 codes, duplicates removed.
    pub fn codes(mut codes: Vec<CodeRome>) -> Result<Self, QueryError> {
        codes.sort();
        codes.dedup();
        match codes.len() {
            0 => Err(QueryError::NoRome),
            n if n > MAX_ROMES => Err(QueryError::TooManyRomes(n)),
            _ => Ok(Self::Codes(codes)),
        }
    }

    /// A letter A–N, or a letter and two digits.
    pub fn domain(domain: &str) -> Result<Self, QueryError> {
        let d = domain.trim().to_ascii_uppercase();
        let bytes = d.as_bytes();
        let ok = match bytes {
            [l] => (b'A'..=b'N').contains(l),
            [l, a, b] => (b'A'..=b'N').contains(l) && a.is_ascii_digit() && b.is_ascii_digit(),
            _ => false,
        };
        if ok {
            Ok(Self::Domain(d))
        } else {
            Err(QueryError::BadDomain(domain.chars().take(40).collect()))
        }
    }

    /// Whether `code` is selected.
    pub fn matches(&self, code: &CodeRome) -> bool {
        match self {
            Self::Codes(codes) => codes.binary_search(code).is_ok(),
            Self::Domain(prefix) => code.as_str().starts_with(prefix.as_str()),
        }
    }
}
