//! A CFA's dashboard: the contact requests with their answers (each opens
//! the same answer page as the email's link), the courses, where requests
//! go and the opt-out, and the offers posted on behalf of companies.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::{ProError, cfa};
use lba_core::pro::Role;

use super::auth::unavailable;
use super::offers::{Notice, notice_text};
use super::session::{self, ProUser};
use super::views::{CfaPage, Errors, Nav, OfferLine, RequestLine, date, meta, status_label};
use crate::AppState;
use crate::pages::render;

fn answer_label(answer: Option<&str>) -> &'static str {
    match answer {
        Some("telephone") => "Rappelé par téléphone",
        Some("email") => "Répondu par e-mail",
        Some("impossible") => "Suite impossible",
        _ => "En attente de réponse",
    }
}

/// The CFA's dashboard (`GET /pro` of a CFA account).
pub(crate) async fn page(
    state: &AppState,
    pro: &ProUser,
    notice: Option<String>,
    errors: Errors,
    status: StatusCode,
) -> Response {
    let key = &state.apply.config.key;
    let space = match cfa::space(&state.store, key, &pro.0).await {
        Ok(s) => s,
        Err(e) => return unavailable(&e),
    };
    let offers = match lba_app::pro::offers::list(&state.store, &pro.0).await {
        Ok(list) => list
            .into_iter()
            .map(|o| OfferLine {
                status: status_label(&o, Utc::now()),
                expires: date(o.expires_at),
                offer: o,
            })
            .collect(),
        Err(e) => return unavailable(&e),
    };
    let requests = space
        .requests
        .into_iter()
        .map(|(a, path)| RequestLine {
            date: date(a.created_at),
            course: a.course_title.clone(),
            who: format!("{} {}", a.first_name, a.last_name),
            contact: format!("{} · {}", a.email, a.phone),
            read: a.read_at.is_some(),
            answer: answer_label(a.answer.as_deref()),
            answered: a.answered_at.is_some(),
            path,
            id: a.id,
        })
        .collect();
    render(
        status,
        &CfaPage {
            meta: meta("Tableau de bord du CFA"),
            nav: Nav::of(&pro.0),
            name: space.name,
            uai: space.uai,
            requests,
            courses: space.courses,
            contact_email: space.contact_email.unwrap_or_default(),
            opted_out: space.opted_out,
            suspended: space.suspended,
            offers,
            notice,
            errors,
        },
    )
}

/// The address form.
#[derive(serde::Deserialize)]
pub(crate) struct AddressForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    contact_email: String,
}

/// POST `/pro/cfa/adresse`.
pub(crate) async fn set_address(
    State(state): State<AppState>,
    pro: ProUser,
    Form(f): Form<AddressForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Cfa]) {
        return r;
    }
    match cfa::set_contact_email(&state.store, &pro.0, &f.contact_email, Utc::now()).await {
        Ok(()) => Redirect::to("/pro?avis=adresse").into_response(),
        Err(ProError::Fields(errors)) => {
            page(
                &state,
                &pro,
                None,
                Errors(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => unavailable(&e),
    }
}

/// The opt-out form.
#[derive(serde::Deserialize)]
pub(crate) struct RequestsForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    action: String,
}

/// POST `/pro/cfa/demandes`: `arreter` or `reprendre`.
pub(crate) async fn set_requests(
    State(state): State<AppState>,
    pro: ProUser,
    Form(f): Form<RequestsForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Cfa]) {
        return r;
    }
    let stop = match f.action.as_str() {
        "arreter" => true,
        "reprendre" => false,
        _ => {
            return super::views::message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Choix inconnu",
                "Choisissez d'arrêter ou de reprendre les demandes.",
            );
        }
    };
    match cfa::set_opted_out(&state.store, &pro.0, stop, Utc::now()).await {
        Ok(()) => Redirect::to("/pro?avis=demandes").into_response(),
        Err(e) => unavailable(&e),
    }
}

/// The notice of a CFA's redirect.
pub(crate) fn notice(n: &Notice) -> Option<String> {
    match n.avis.as_deref() {
        Some("adresse") => {
            Some("Adresse enregistrée : les prochaines demandes y arriveront.".into())
        }
        Some("demandes") => Some("C'est enregistré.".into()),
        _ => notice_text(n),
    }
}
