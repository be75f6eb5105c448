//! Place suggestions (ours: `/api/v1/places`).

use lba_search::PlaceHit;
use serde::Serialize;
use utoipa::ToSchema;

/// A commune.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlaceSuggestion {
    /// INSEE code (the `insee` parameter of `/api/v1/jobs`).
    #[schema(example = "69123")]
    insee: String,
    /// Name.
    #[schema(example = "Lyon")]
    name: String,
    /// Postal code (the one typed, else the first).
    #[schema(example = "69001")]
    postal_code: Option<String>,
    /// Département code.
    #[schema(example = "69")]
    departement: String,
    /// Département name.
    #[schema(example = "Rhône")]
    departement_name: String,
    /// Latitude of the centre (WGS84).
    latitude: f64,
    /// Longitude of the centre (WGS84).
    longitude: f64,
    /// Population.
    population: i64,
}

impl PlaceSuggestion {
    /// Renders a suggestion.
    pub(crate) fn new(hit: PlaceHit) -> Self {
        Self {
            insee: hit.insee.to_string(),
            name: hit.name,
            postal_code: hit.postal_code.map(|p| p.to_string()),
            departement: hit.departement,
            departement_name: hit.departement_name,
            latitude: hit.point.lat(),
            longitude: hit.point.lon(),
            population: hit.population,
        }
    }
}
