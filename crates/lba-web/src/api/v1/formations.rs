//! `/api/v1/formations`, `/api/v1/formations/formation/{id}` and
//! `/api/v1/formationsParRegion`: training courses.

use axum::Json;
use axum::extract::State;
use lba_app::search_request;

use super::dto::formation::Formation;
use super::dto::responses::Results;
use super::error::{ApiError, ErrorBody};
use super::extract::{V1Path, V1Query};
use super::query::{FormationsParams, RegionParams};
use crate::AppState;

/// Courses for métiers around a point, nearest first. When none lies in
/// the radius, the nearest ones outside it come back with
/// `outsideRadius: true`.
#[utoipa::path(
    get,
    path = "/formations",
    tag = "formations",
    params(FormationsParams),
    responses(
        (status = 200, description = "Courses, nearest first (title order without a centre)", body = Results<Formation>),
        (status = 400, description = "Wrong parameters", body = ErrorBody),
    )
)]
pub(crate) async fn formations(
    State(state): State<AppState>,
    V1Query(params): V1Query<FormationsParams>,
) -> Result<Json<Results<Formation>>, ApiError> {
    let index = state.search.snapshot();
    let query = params.parse(&index)?;
    let results = index.search(&query);
    Ok(Json(Results::of(&results.formations, Formation::from_hit)))
}

/// One course by id.
#[utoipa::path(
    get,
    path = "/formations/formation/{id}",
    tag = "formations",
    params(("id" = String, Path, description = "Course id")),
    responses(
        (status = 200, description = "The course", body = Results<Formation>),
        (status = 404, description = "Unknown course", body = ErrorBody),
    )
)]
pub(crate) async fn formation(
    State(state): State<AppState>,
    V1Path(id): V1Path<String>,
) -> Result<Json<Results<Formation>>, ApiError> {
    let course = state.search.snapshot().formations.get(&id).ok_or_else(|| {
        ApiError::not_found("id", "aucune formation ne correspond à cet identifiant")
    })?;
    Ok(Json(Results {
        results: vec![Formation::new(&course, None, false)],
    }))
}

/// Courses in a région or a département (France-wide without either), by
/// title. The département of a course is that of its commune's INSEE code,
/// else of its postal code.
#[utoipa::path(
    get,
    path = "/formationsParRegion",
    tag = "formations",
    params(RegionParams),
    responses(
        (status = 200, description = "Courses by title, at most 500", body = Results<Formation>),
        (status = 400, description = "Wrong parameters", body = ErrorBody),
    )
)]
pub(crate) async fn formations_par_region(
    State(state): State<AppState>,
    V1Query(params): V1Query<RegionParams>,
) -> Result<Json<Results<Formation>>, ApiError> {
    let index = state.search.snapshot();
    let query = params.parse(&index)?;
    let courses = search_request::courses_in_area(&index, &query);
    Ok(Json(Results::of(&courses, |c| {
        Formation::new(c, None, false)
    })))
}
