//! The few calls the v1 API and the search pages make into the autocomplete indexes (métiers,
//! places), gathered in one place.

use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode};
use lba_search::{Index, MetierHit, PlaceHit};

/// The centre of commune `insee`, when the index knows it.
pub fn commune_point(index: &Index, insee: &InseeCode) -> Option<GeoPoint> {
    index.places.get(insee.as_str()).map(|place| place.point)
}

/// Métier suggestions for `query`.
pub fn metiers(index: &Index, query: &str, limit: usize) -> Vec<MetierHit> {
    index.metiers.search(query, limit)
}

/// Every La bonne alternance sous-domaine label, sorted.
pub fn all_metiers(index: &Index) -> Vec<String> {
    index.metiers.all_subdomains()
}

/// `(appellation, ROME code, ROME label)` for the appellations matching
/// `query`.
pub fn appellations(index: &Index, query: &str, limit: usize) -> Vec<(String, CodeRome, String)> {
    index.metiers.appellations_of(query, limit)
}

/// Place suggestions for `query`.
pub fn places(index: &Index, query: &str, limit: usize) -> Vec<PlaceHit> {
    index.places.search(query, limit)
}
