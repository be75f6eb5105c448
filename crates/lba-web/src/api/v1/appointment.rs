//! `POST /api/v1/appointment-request` (ours): a request to contact a CFA
//! about a course, with the same validation and answers as the form of
//! `/formation/{id}` — 400 with every problem, 404 unknown course, 409 the
//! same address asked about this course less than 4 days ago, 422 the
//! course does not accept requests, 429 the rate limit per address.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use lba_app::appointments::{self, AppointmentError};
use lba_core::appointment::{RawRequest, Referrer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use crate::AppState;
use crate::apply_state::ClientIp;

/// A contact request.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct AppointmentBody {
    /// Id of the course (`cle_ministere_educatif`).
    #[schema(example = "088281P01111885571690005918855716900059-69123#L01")]
    cle_ministere_educatif: Option<String>,
    /// `jeune` (default) or `parent`.
    #[schema(example = "jeune")]
    r#type: Option<String>,
    /// First name (1–50 letters, spaces, hyphens, apostrophes).
    #[schema(example = "Jeanne")]
    firstname: Option<String>,
    /// Last name.
    #[schema(example = "Martin")]
    lastname: Option<String>,
    /// Email (disposable domains refused).
    #[schema(example = "jeanne.martin@example.fr")]
    email: Option<String>,
    /// French phone number.
    #[schema(example = "06 12 34 56 78")]
    phone: Option<String>,
    /// Reason codes: `inscription`, `contenu`, `portes_ouvertes`, `frais`,
    /// `places`, `horaires`, `employeur`, `lieu`, `hebergement`,
    /// `debouches`, `autre` (at least one).
    #[schema(example = json!(["inscription", "places"]))]
    reasons: Option<Vec<String>>,
    /// Free message (≤ 3,000 characters, no link).
    message: Option<String>,
    /// The person agrees that their contact is sent to the CFA (must be true).
    #[schema(example = true)]
    consent: Option<bool>,
    /// Where the request comes from: `lba` (default), `parcoursup`, `affelnet`.
    #[schema(example = "parcoursup")]
    referrer: Option<String>,
}

/// The answer of a stored request.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AppointmentOk {
    /// Id of the request.
    id: String,
    /// Always `ok`: the CFA's email and the confirmation leave through the outbox.
    #[schema(example = "ok")]
    result: &'static str,
}

/// Sends a request to the CFA of a course, with a confirmation to whoever asked.
#[utoipa::path(
    post,
    path = "/appointment-request",
    tag = "appointments",
    request_body = AppointmentBody,
    responses(
        (status = 200, description = "Request stored; the emails are on their way", body = AppointmentOk),
        (status = 400, description = "Wrong fields (each named)", body = ErrorBody),
        (status = 404, description = "Unknown course", body = ErrorBody),
        (status = 409, description = "Same address and course less than 4 days ago", body = ErrorBody),
        (status = 422, description = "This course does not accept requests", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
pub(crate) async fn appointment_request(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Json<AppointmentOk>, ApiError> {
    if !state.apply.allow(ip) {
        return Err(ApiError::refused(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "trop de demandes envoyées depuis cette adresse : réessayez dans une minute",
        ));
    }
    let body: AppointmentBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::wrong("body", format!("JSON illisible ({e})")))?;
    let mut messages = Vec::new();
    let referrer = match body.referrer.as_deref() {
        None | Some("") | Some("lba") => Some(Referrer::Lba),
        Some("parcoursup") => Some(Referrer::Parcoursup),
        Some("affelnet") => Some(Referrer::Affelnet),
        Some(_) => {
            messages.push("referrer : attendu lba, parcoursup ou affelnet".to_owned());
            None
        }
    };
    let id = body
        .cle_ministere_educatif
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if id.is_none() {
        messages.push("cle_ministere_educatif : ce champ est obligatoire".to_owned());
    }
    let raw = RawRequest {
        requester: body.r#type.unwrap_or_default(),
        first_name: body.firstname.unwrap_or_default(),
        last_name: body.lastname.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        phone: body.phone.unwrap_or_default(),
        reasons: body.reasons.unwrap_or_default(),
        message: body.message.unwrap_or_default(),
        consent: body.consent.unwrap_or(false),
    };
    if let Err(problems) = raw.parse() {
        messages.extend(
            problems
                .into_iter()
                .map(|(field, message)| format!("{} : {message}", field.name())),
        );
    }
    let (Some(id), Some(referrer), true) = (id, referrer, messages.is_empty()) else {
        return Err(ApiError::WrongParameters(messages));
    };
    let course = state.search.snapshot().formations.get(id);
    let stored = appointments::submit(
        &state.store,
        course.as_deref(),
        &raw,
        referrer,
        None,
        Utc::now(),
    )
    .await
    .map_err(|e| match e {
        AppointmentError::Invalid(problems) => ApiError::WrongParameters(
            problems
                .into_iter()
                .map(|(field, message)| format!("{} : {message}", field.name()))
                .collect(),
        ),
        AppointmentError::UnknownCourse => {
            ApiError::not_found("cle_ministere_educatif", "formation inconnue")
        }
        e @ AppointmentError::Recent(_) => {
            ApiError::refused(StatusCode::CONFLICT, "appointment_already_requested", e)
        }
        e @ AppointmentError::NotAccepting => ApiError::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "appointment_not_accepted",
            e,
        ),
        AppointmentError::Store(e) => {
            tracing::error!(error = %e, "appointment request");
            ApiError::refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "erreur interne : réessayez plus tard",
            )
        }
    })?;
    Ok(Json(AppointmentOk {
        id: stored,
        result: "ok",
    }))
}
