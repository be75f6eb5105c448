//! `/api/v1/jobs`, `/api/v1/jobsEtFormations` and the lookups by id:
//! offers (by origin) and companies likely to hire.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use lba_core::ids::Siret;
use lba_core::opportunity::OfferOrigin;

use super::dto::body;
use super::dto::company::LbaCompany;
use super::dto::job::{LbaJob, PartnerJob, PeJob, lone};
use super::dto::responses::{
    Jobs, JobsEtFormations, OneCompany, OneMatcha, OnePartnerJob, OnePeJob,
};
use super::error::{ApiError, ErrorBody};
use super::extract::{V1Path, V1Query};
use super::query::JobsParams;
use crate::AppState;

/// Offers and companies for métiers around a point, nearest first, split by
/// source: `peJobs` (France Travail), `matchas` (posted here),
/// `partnerJobs`, `lbaCompanies`. A source left out of `sources` is `null`.
#[utoipa::path(
    get,
    path = "/jobs",
    tag = "jobs",
    params(JobsParams),
    responses(
        (status = 200, description = "Offers and companies by source", body = Jobs),
        (status = 400, description = "Wrong parameters", body = ErrorBody),
    )
)]
pub(crate) async fn jobs(
    State(state): State<AppState>,
    V1Query(params): V1Query<JobsParams>,
) -> Result<Response, ApiError> {
    let index = state.search.snapshot();
    let (query, sources) = params.parse(&index, false)?;
    let results = index.search(&query);
    json_body(body::jobs(&index, &results, sources))
}

/// `/api/v1/jobs` and `/api/v1/formations` in one call.
#[utoipa::path(
    get,
    path = "/jobsEtFormations",
    tag = "jobs",
    params(JobsParams),
    responses(
        (status = 200, description = "Courses, offers and companies", body = JobsEtFormations),
        (status = 400, description = "Wrong parameters", body = ErrorBody),
    )
)]
pub(crate) async fn jobs_et_formations(
    State(state): State<AppState>,
    V1Query(params): V1Query<JobsParams>,
) -> Result<Response, ApiError> {
    let index = state.search.snapshot();
    let (query, sources) = params.parse(&index, true)?;
    let results = index.search(&query);
    json_body(body::jobs_et_formations(&index, &results, sources))
}

/// A JSON body written by [`body`], or a 500 if a record could not be
/// rendered.
fn json_body(written: Result<Vec<u8>, serde_json::Error>) -> Result<Response, ApiError> {
    match written {
        Ok(bytes) => Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "search results rendering");
            Err(ApiError::refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "erreur interne : réessayez plus tard",
            ))
        }
    }
}

/// One company likely to hire, by SIRET.
#[utoipa::path(
    get,
    path = "/jobs/company/{siret}",
    tag = "jobs",
    params(("siret" = String, Path, description = "SIRET (14 digits)", example = "13002526500013")),
    responses(
        (status = 200, description = "The company", body = OneCompany),
        (status = 400, description = "Malformed SIRET", body = ErrorBody),
        (status = 404, description = "Unknown company", body = ErrorBody),
    )
)]
pub(crate) async fn company(
    State(state): State<AppState>,
    V1Path(siret): V1Path<String>,
) -> Result<Json<OneCompany>, ApiError> {
    let siret = Siret::parse(&siret).map_err(|e| ApiError::wrong("siret", e))?;
    let company = state
        .search
        .snapshot()
        .companies
        .get(siret.as_str())
        .ok_or_else(|| {
            ApiError::not_found("siret", "aucune entreprise ne correspond à ce numéro SIRET")
        })?;
    Ok(Json(OneCompany {
        lba_companies: vec![LbaCompany::from_hit(&lone(company))],
    }))
}

/// One open offer posted on the platform, by id.
#[utoipa::path(
    get,
    path = "/jobs/matcha/{id}",
    tag = "jobs",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The offer", body = OneMatcha),
        (status = 404, description = "Unknown or closed offer", body = ErrorBody),
    )
)]
pub(crate) async fn matcha(
    State(state): State<AppState>,
    V1Path(id): V1Path<String>,
) -> Result<Json<OneMatcha>, ApiError> {
    let offer = open_offer(&state, &id, OfferOrigin::Platform)?;
    Ok(Json(OneMatcha {
        matchas: vec![LbaJob::from_hit(&offer)],
    }))
}

/// One open France Travail offer, by id.
#[utoipa::path(
    get,
    path = "/jobs/job/{id}",
    tag = "jobs",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The offer", body = OnePeJob),
        (status = 404, description = "Unknown or closed offer", body = ErrorBody),
    )
)]
pub(crate) async fn pe_job(
    State(state): State<AppState>,
    V1Path(id): V1Path<String>,
) -> Result<Json<OnePeJob>, ApiError> {
    let offer = open_offer(&state, &id, OfferOrigin::FranceTravail)?;
    Ok(Json(OnePeJob {
        pe_jobs: vec![PeJob::from_hit(&offer)],
    }))
}

/// One open partner offer, by id.
#[utoipa::path(
    get,
    path = "/jobs/partnerJob/{id}",
    tag = "jobs",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The offer", body = OnePartnerJob),
        (status = 404, description = "Unknown or closed offer", body = ErrorBody),
    )
)]
pub(crate) async fn partner_job(
    State(state): State<AppState>,
    V1Path(id): V1Path<String>,
) -> Result<Json<OnePartnerJob>, ApiError> {
    let offer = open_offer(&state, &id, OfferOrigin::Partner)?;
    Ok(Json(OnePartnerJob {
        partner_jobs: vec![PartnerJob::from_hit(&offer)],
    }))
}

/// The searchable (open) offer `id` from `origin`, or a 404.
fn open_offer(
    state: &AppState,
    id: &str,
    origin: OfferOrigin,
) -> Result<lba_search::Hit<lba_core::opportunity::Offer>, ApiError> {
    state
        .search
        .snapshot()
        .offers
        .get(id)
        .filter(|o| o.origin == origin && o.is_open(Utc::now()))
        .map(lone)
        .ok_or_else(|| {
            ApiError::not_found("id", "aucune offre ouverte ne correspond à cet identifiant")
        })
}
