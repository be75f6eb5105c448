//! `/api/v1/places` (ours): commune autocomplete, to fill `insee` or
//! `latitude`/`longitude` of the searches.

use axum::Json;
use axum::extract::State;

use super::dto::place::PlaceSuggestion;
use super::dto::responses::Places;
use super::error::{ApiError, ErrorBody};
use super::extract::V1Query;
use super::query::PlacesParams;
use crate::AppState;
use lba_app::search_request::lookup;

/// Communes matching a name or a postal code, best first.
#[utoipa::path(
    get,
    path = "/places",
    tag = "places",
    params(PlacesParams),
    responses(
        (status = 200, description = "Communes, best first", body = Places),
        (status = 400, description = "Missing q or bad limit", body = ErrorBody),
    )
)]
pub(crate) async fn places(
    State(state): State<AppState>,
    V1Query(params): V1Query<PlacesParams>,
) -> Result<Json<Places>, ApiError> {
    let (q, limit) = params.parse()?;
    let found = lookup::places(&state.search.snapshot(), &q, limit);
    Ok(Json(Places {
        places: found.into_iter().map(PlaceSuggestion::new).collect(),
    }))
}
