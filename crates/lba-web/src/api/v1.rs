//! Version 1 of the public JSON API, compatible with the v1 API of La bonne
//! alternance (same paths, parameters and field names for the fields we
//! have). Each route parses its query string itself so that every error
//! names its parameter; the responses come from the current search index
//! snapshot (no SQL).

mod application;
mod appointment;
mod dto;
pub(crate) mod error;
mod extract;
mod formations;
mod jobs;
mod metiers;
mod orientation;
mod places;
mod query;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The v1 routes, relative to `/api/v1`.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(formations::formations))
        .routes(routes!(formations::formation))
        .routes(routes!(formations::formations_par_region))
        .routes(routes!(jobs::jobs))
        .routes(routes!(jobs::jobs_et_formations))
        .routes(routes!(jobs::company))
        .routes(routes!(jobs::matcha))
        .routes(routes!(jobs::pe_job))
        .routes(routes!(jobs::partner_job))
        .routes(routes!(metiers::metiers))
        .routes(routes!(metiers::all))
        .routes(routes!(metiers::intitule))
        .routes(routes!(places::places))
        .routes(routes!(orientation::orientation))
        .routes(routes!(appointment::appointment_request))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(application::application))
                .layer(axum::extract::DefaultBodyLimit::max(
                    application::MAX_BODY_BYTES,
                )),
        )
}
