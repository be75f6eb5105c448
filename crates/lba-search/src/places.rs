//! Place autocomplete (placeholder; being written).

use lba_core::geo::GeoPoint;
use lba_core::ids::{InseeCode, PostalCode};
use lba_core::referential::ReferentialData;

/// One suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceHit {
    /// INSEE code.
    pub insee: InseeCode,
    /// Name.
    pub name: String,
    /// Postal code (the one typed, else the first).
    pub postal_code: Option<PostalCode>,
    /// Département code.
    pub departement: String,
    /// Coordinates.
    pub point: GeoPoint,
    /// Population.
    pub population: i64,
}

/// The place index.
#[derive(Debug, Default)]
pub struct PlaceIndex {}

impl PlaceIndex {
    /// Builds the index.
    pub fn build(_data: &ReferentialData) -> Self {
        Self {}
    }

    /// Ranked suggestions.
    pub fn search(&self, _query: &str, _limit: usize) -> Vec<PlaceHit> {
        Vec::new()
    }
}
