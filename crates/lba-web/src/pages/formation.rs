//! `/formation/{id}`: a training course, its CFA, sessions and contact,
//! the métiers it leads to, and the form to contact the CFA (issue 17):
//! `POST /formation/{id}/contact` (no JavaScript needed, errors next to
//! the fields, the same rules as the application form), then
//! `/formation/{id}/contact/envoye`.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::appointments::{self, AppointmentError, Eligibility};
use lba_app::details::RomeFicheDetail;
use lba_core::appointment::{REASONS, RawRequest, Referrer};
use lba_core::french::capitalise;
use lba_core::opportunity::Formation;

use super::{Meta, PageError, format, render};
use crate::AppState;
use crate::apply_state::ClientIp;
use crate::visitor::KnownVisitor;

/// The contact block of the page.
#[derive(Clone, Debug, Default)]
pub(crate) struct ContactBlock {
    /// The form is shown (the CFA receives requests).
    pub(crate) accepts: bool,
    pub(crate) values: RawRequest,
    /// (field name, message).
    pub(crate) errors: Vec<(&'static str, String)>,
    /// A problem with no field of its own (4-day rule, rate limit…).
    pub(crate) banner: Option<String>,
}

impl ContactBlock {
    fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| capitalise(m))
    }

    fn text_fields(
        &self,
    ) -> Vec<(
        &'static str,
        &'static str,
        &'static str,
        String,
        &'static str,
    )> {
        vec![
            (
                "firstname",
                "Prénom",
                "text",
                self.values.first_name.clone(),
                "given-name",
            ),
            (
                "lastname",
                "Nom",
                "text",
                self.values.last_name.clone(),
                "family-name",
            ),
            (
                "email",
                "Adresse e-mail",
                "email",
                self.values.email.clone(),
                "email",
            ),
            (
                "phone",
                "Téléphone portable",
                "tel",
                self.values.phone.clone(),
                "tel",
            ),
        ]
    }

    fn reasons(&self) -> &'static [(&'static str, &'static str)] {
        &REASONS
    }

    fn ticked(&self, code: &str) -> bool {
        self.values.reasons.iter().any(|r| r == code)
    }
}

#[derive(Template)]
#[template(path = "formation.html")]
struct FormationPage {
    meta: Meta,
    f: Arc<Formation>,
    level: Option<String>,
    address: String,
    sessions: Vec<String>,
    duration: Option<String>,
    fiches: Vec<RomeFicheDetail>,
    contact: ContactBlock,
}

/// GET `/formation/{id}`: for a person who came through a campaign's
/// tracked link, the contact form is pre-filled from the cohort file.
pub(crate) async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    KnownVisitor(visitor): KnownVisitor,
) -> Result<Response, PageError> {
    let mut block = ContactBlock::default();
    if let Some(attribution) = visitor.as_ref().and_then(|v| v.attribution())
        && let Some(values) = appointments::prefill(&state.store, &attribution.person_id).await?
    {
        block.values = values;
    }
    render_page(&state, &id, block, StatusCode::OK).await
}

async fn render_page(
    state: &AppState,
    id: &str,
    mut contact: ContactBlock,
    status: StatusCode,
) -> Result<Response, PageError> {
    let f = state
        .search
        .snapshot()
        .formations
        .get(id)
        .ok_or(PageError::NotFound)?;
    contact.accepts = matches!(
        appointments::eligibility(&state.store, &f, Referrer::Lba).await?,
        Eligibility::Accepts(_)
    );
    let fiches = lba_app::details::rome_fiches(&state.store, &f.romes).await?;
    let sessions = f
        .sessions
        .iter()
        .map(|s| match s.end {
            Some(end) => format!("Du {} au {}", format::date(s.start), format::date(end)),
            None => format!("À partir du {}", format::date(s.start)),
        })
        .collect();
    let page = FormationPage {
        meta: Meta::new(
            format!("{} à {} – formation en alternance", f.title, f.place.city),
            format!(
                "{} ({}) à {} : diplôme, sessions et contact du CFA.",
                f.title, f.cfa_name, f.place.city
            ),
        ),
        level: f.level.map(format::level),
        address: format::address(&f.place),
        sessions,
        duration: f.duration_months.map(format::months),
        fiches,
        contact,
        f,
    };
    Ok(render(status, &page))
}

/// The contact form as sent (`reasons` repeated).
fn raw_request(pairs: Vec<(String, String)>) -> RawRequest {
    let mut raw = RawRequest::default();
    for (name, value) in pairs {
        match name.as_str() {
            "type" => raw.requester = value,
            "firstname" => raw.first_name = value,
            "lastname" => raw.last_name = value,
            "email" => raw.email = value,
            "phone" => raw.phone = value,
            "reasons" => raw.reasons.push(value),
            "message" => raw.message = value,
            "consent" => raw.consent = !value.is_empty(),
            _ => {}
        }
    }
    raw
}

/// POST `/formation/{id}/contact`.
pub(crate) async fn contact_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientIp(ip): ClientIp,
    KnownVisitor(visitor): KnownVisitor,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let course = state.search.snapshot().formations.get(&id);
    if course.is_none() {
        return Err(PageError::NotFound);
    }
    let raw = match form {
        Ok(Form(pairs)) => raw_request(pairs),
        Err(_) => {
            let block = ContactBlock {
                banner: Some("Le formulaire n'a pas pu être lu : renvoyez-le.".to_owned()),
                ..ContactBlock::default()
            };
            return render_page(&state, &id, block, StatusCode::BAD_REQUEST).await;
        }
    };
    let mut block = ContactBlock {
        values: raw.clone(),
        ..ContactBlock::default()
    };
    if !state.apply.allow(ip) {
        block.banner = Some(
            "Trop de demandes envoyées depuis votre connexion : réessayez dans une minute."
                .to_owned(),
        );
        return render_page(&state, &id, block, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let attribution = visitor.as_ref().and_then(|v| v.attribution());
    match appointments::submit(
        &state.store,
        course.as_deref(),
        &raw,
        Referrer::Lba,
        attribution.as_ref(),
        Utc::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/formation/{id}/contact/envoye")).into_response()),
        Err(AppointmentError::Store(e)) => Err(PageError::Store(e)),
        Err(AppointmentError::UnknownCourse) => Err(PageError::NotFound),
        Err(AppointmentError::Invalid(problems)) => {
            block.errors = problems
                .into_iter()
                .map(|(field, message)| (field.name(), message))
                .collect();
            block.banner =
                Some("Vérifiez les champs signalés puis renvoyez la demande.".to_owned());
            render_page(&state, &id, block, StatusCode::BAD_REQUEST).await
        }
        Err(e @ AppointmentError::Recent(_)) => {
            block.banner = Some(capitalise(&e.to_string()) + ".");
            render_page(&state, &id, block, StatusCode::CONFLICT).await
        }
        Err(e @ AppointmentError::NotAccepting) => {
            block.banner = Some(capitalise(&e.to_string()) + ".");
            render_page(&state, &id, block, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Template)]
#[template(path = "contact_envoye.html")]
struct SentPage {
    meta: Meta,
    f: Arc<Formation>,
}

/// GET `/formation/{id}/contact/envoye`.
pub(crate) async fn contact_sent(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let f = state
        .search
        .snapshot()
        .formations
        .get(&id)
        .ok_or(PageError::NotFound)?;
    Ok(render(
        StatusCode::OK,
        &SentPage {
            meta: Meta::new(
                "Demande envoyée – La bonne alternance",
                "Votre demande a été envoyée au CFA.",
            ),
            f,
        },
    ))
}
