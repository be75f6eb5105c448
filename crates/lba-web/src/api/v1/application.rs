//! `POST /api/v1/application`: apply to an offer posted here
//! (`company_type: matcha`, `job_id`) or spontaneously to a company
//! (`company_type: lba`, `company_siret`), with the v1 field names. The
//! application is stored with the job that sends it; the answer comes
//! once it is stored, before any email leaves.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use base64::Engine;
use chrono::Utc;
use lba_app::apply::{ApplicationInput, ApplyError, Field, Target, submit};
use lba_app::error_codes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody, Problems};
use crate::AppState;
use crate::apply_state::ClientIp;

/// Largest request body: a CV of 3 Mo (3,000,000 bytes) in base64
/// (4,000,000 bytes) plus the fields.
pub(crate) const MAX_BODY_BYTES: usize = 4_300_000;

/// An application (the v1 `ApplicationUi` fields we use; the legacy
/// encrypted-email fields are not needed: the server knows the
/// recipients).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct ApplicationBody {
    /// First name (1–50 letters, spaces, hyphens, apostrophes).
    #[schema(example = "Jeanne")]
    applicant_first_name: Option<String>,
    /// Last name.
    #[schema(example = "Martin")]
    applicant_last_name: Option<String>,
    /// Email (disposable domains refused).
    #[schema(example = "jeanne.martin@example.fr")]
    applicant_email: Option<String>,
    /// French phone number.
    #[schema(example = "06 12 34 56 78")]
    applicant_phone: Option<String>,
    /// Message to the recruiter (≤ 3,000 characters, no link).
    message: Option<String>,
    /// CV file name, `.pdf` or `.docx`.
    #[schema(example = "cv.pdf")]
    applicant_file_name: Option<String>,
    /// CV content as a base64 data URL (≤ 3,000,000 bytes decoded; PDF or DOCX, checked by its structure).
    #[schema(example = "data:application/pdf;base64,JVBERi0xLjQKJ...")]
    applicant_file_content: Option<String>,
    /// `lba` for a spontaneous application to a company, `matcha` for an offer posted here.
    #[schema(example = "lba")]
    company_type: Option<String>,
    /// SIRET of the company (`lba`).
    #[schema(example = "78424186100011")]
    company_siret: Option<String>,
    /// Id of the offer (`matcha`).
    job_id: Option<String>,
    /// Who calls the API (`contact@domaine nom_de_societe`).
    caller: Option<String>,
}

/// The success answer of the v1 API.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApplicationOk {
    /// Always `ok`.
    #[schema(example = "ok")]
    result: &'static str,
    /// Always `messages sent` (the application is stored; the emails leave
    /// through the outbox).
    #[schema(example = "messages sent")]
    message: &'static str,
}

/// The v1 name of a field.
fn v1_name(field: Field) -> &'static str {
    match field {
        Field::FirstName => "applicant_first_name",
        Field::LastName => "applicant_last_name",
        Field::Email => "applicant_email",
        Field::Phone => "applicant_phone",
        Field::Message => "message",
        Field::Cv => "applicant_file_content",
        Field::CvName => "applicant_file_name",
    }
}

/// Sends an application by email to the recruiter, with the CV attached,
/// and a confirmation to the candidate. Quotas: 3 applications per
/// candidate to one offer or company, 100 per candidate per day, 80 per
/// offer, and a rate limit per client address.
#[utoipa::path(
    post,
    path = "/application",
    tag = "applications",
    request_body = ApplicationBody,
    responses(
        (status = 200, description = "Application stored; the emails are on their way", body = ApplicationOk),
        (status = 400, description = "Wrong parameters", body = ErrorBody),
        (status = 404, description = "Unknown offer or company", body = ErrorBody),
        (status = 409, description = "Quota per offer or company reached", body = ErrorBody),
        (status = 413, description = "Body too large"),
        (status = 422, description = "This offer or company does not take applications here", body = ErrorBody),
        (status = 429, description = "Too many applications (per day or per address)", body = ErrorBody),
    )
)]
pub(crate) async fn application(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Json<ApplicationOk>, ApiError> {
    if !state.apply.allow(ip) {
        return Err(ApiError::coded(
            error_codes::TOO_MANY_REQUESTS,
            "trop de candidatures envoyées depuis cette adresse : réessayez dans une minute",
        ));
    }
    let body: ApplicationBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::wrong("body", format!("JSON illisible ({e})")))?;
    let mut problems = Problems::default();
    let target = match body.company_type.as_deref() {
        Some("lba") => match body.company_siret.as_deref().filter(|s| !s.is_empty()) {
            Some(siret) => problems
                .check("company_siret", lba_core::ids::Siret::parse(siret))
                .map(Target::Company),
            None => {
                problems.add("company_siret", "obligatoire pour company_type lba");
                None
            }
        },
        Some("matcha") => match body.job_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => Some(Target::Offer(id.to_owned())),
            None => {
                problems.add("job_id", "obligatoire pour company_type matcha");
                None
            }
        },
        _ => {
            problems.add(
                "company_type",
                "attendu lba (candidature spontanée) ou matcha (offre publiée ici)",
            );
            None
        }
    };
    let cv_bytes = match body.applicant_file_content.as_deref() {
        None | Some("") => Vec::new(),
        Some(content) => problems
            .check("applicant_file_content", decode_data_url(content))
            .unwrap_or_default(),
    };
    let cv_name = body.applicant_file_name.unwrap_or_default();
    if cv_name.trim().is_empty() {
        problems.add("applicant_file_name", "obligatoire (.pdf ou .docx)");
    }
    let input = ApplicationInput {
        first_name: body.applicant_first_name.unwrap_or_default(),
        last_name: body.applicant_last_name.unwrap_or_default(),
        email: body.applicant_email.unwrap_or_default(),
        phone: body.applicant_phone.unwrap_or_default(),
        message: body.message.unwrap_or_default(),
        cv_name,
        cv_bytes,
        caller: body.caller,
        ip,
    };
    let target = problems.finish_with(target)?;
    submit(
        &state.store,
        &state.apply.config,
        &target,
        input,
        Utc::now(),
    )
    .await
    .map_err(|e| api_error(e, &target))?;
    Ok(Json(ApplicationOk {
        result: "ok",
        message: "messages sent",
    }))
}

/// `data:<mime>;base64,<content>` (or bare base64) → bytes.
fn decode_data_url(content: &str) -> Result<Vec<u8>, &'static str> {
    let encoded = match content.strip_prefix("data:") {
        Some(rest) => {
            let (meta, data) = rest
                .split_once(',')
                .ok_or("data URL sans contenu (attendu data:application/pdf;base64,…)")?;
            if !meta.ends_with(";base64") {
                return Err("le contenu doit être encodé en base64 (data:…;base64,…)");
            }
            data
        }
        None => content,
    };
    base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| "contenu base64 invalide")
}

/// The v1 parameter naming `target` (an unknown target is reported on it).
fn target_param(target: &Target) -> &'static str {
    match target {
        Target::Offer(_) => "job_id",
        Target::Company(_) => "company_siret",
    }
}

/// The v1 error of an application to `target` refused with `error`: the
/// code and status of [`ApplyError::code`], the fields by their v1 names.
pub(crate) fn api_error(error: ApplyError, target: &Target) -> ApiError {
    match error {
        ApplyError::Invalid(problems) => ApiError::WrongParameters(
            problems
                .into_iter()
                .map(|(field, message)| format!("{} : {message}", v1_name(field)))
                .collect(),
        ),
        ApplyError::NotFound => ApiError::not_found(target_param(target), error),
        ApplyError::Store(ref e) => {
            tracing::error!(error = %e, "application not stored");
            ApiError::coded(error.code(), error.public_message())
        }
        _ => ApiError::coded(error.code(), error.public_message()),
    }
}
