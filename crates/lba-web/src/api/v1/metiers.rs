//! `/api/v1/metiers`, `/api/v1/metiers/all` and `/api/v1/metiers/intitule`:
//! métier autocomplete.

use axum::Json;
use axum::extract::State;

use super::dto::metier::{AppellationRomeMetier, MetierEnrichi};
use super::dto::responses::{AllMetiers, Appellations, Metiers};
use super::error::{ApiError, ErrorBody};
use super::extract::V1Query;
use super::query::{IntituleParams, MetiersParams};
use crate::AppState;
use lba_app::search_request::lookup;

/// At most this many suggestions.
const MAX_METIERS: usize = 20;

/// Métiers, job titles and diplomas matching `title`, best first (at most
/// 20), each with the ROME codes to search.
#[utoipa::path(
    get,
    path = "/metiers",
    tag = "metiers",
    params(MetiersParams),
    responses(
        (status = 200, description = "Suggestions, best first", body = Metiers),
        (status = 400, description = "Missing title", body = ErrorBody),
    )
)]
pub(crate) async fn metiers(
    State(state): State<AppState>,
    V1Query(params): V1Query<MetiersParams>,
) -> Result<Json<Metiers>, ApiError> {
    let query = params.parse()?;
    let index = state.search.snapshot();
    // Ask for more when filtering, so that the filter still leaves some.
    let filtered = !query.romes.is_empty() || !query.rncps.is_empty();
    let limit = if filtered {
        MAX_METIERS * 10
    } else {
        MAX_METIERS
    };
    let labels_and_romes = lookup::metiers(&index, &query.title, limit)
        .into_iter()
        .filter(|hit| query.romes.is_empty() || hit.romes.iter().any(|r| query.romes.contains(r)))
        .filter(|hit| query.rncps.is_empty() || hit.rncps.iter().any(|r| query.rncps.contains(r)))
        .take(MAX_METIERS)
        .map(MetierEnrichi::new)
        .collect();
    Ok(Json(Metiers { labels_and_romes }))
}

/// Every métier name of La bonne alternance, in alphabetical order.
#[utoipa::path(
    get,
    path = "/metiers/all",
    tag = "metiers",
    responses((status = 200, description = "Métier names", body = AllMetiers))
)]
pub(crate) async fn all(State(state): State<AppState>) -> Json<AllMetiers> {
    let mut metiers = lookup::all_metiers(&state.search.snapshot());
    metiers.sort();
    Json(AllMetiers { metiers })
}

/// ROME appellations (job titles) matching `label`, with their métier.
#[utoipa::path(
    get,
    path = "/metiers/intitule",
    tag = "metiers",
    params(IntituleParams),
    responses(
        (status = 200, description = "Appellations with their ROME fiche", body = Appellations),
        (status = 400, description = "Missing label", body = ErrorBody),
    )
)]
pub(crate) async fn intitule(
    State(state): State<AppState>,
    V1Query(params): V1Query<IntituleParams>,
) -> Result<Json<Appellations>, ApiError> {
    let label = params.parse()?;
    let found = lookup::appellations(&state.search.snapshot(), &label, MAX_METIERS);
    Ok(Json(Appellations {
        couple_appellation_rome_metier: found.into_iter().map(AppellationRomeMetier::new).collect(),
    }))
}
