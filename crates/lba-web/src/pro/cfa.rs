//! A CFA's dashboard: the contact requests with their answers (each opens
//! the same answer page as the email's link), the courses, where requests
//! go and the opt-out, and the offers posted on behalf of companies. An
//! administrator opens the same page for any CFA (`/pro/admin/cfa/{uai}`)
//! to set its address or opt-out, and finds the CFAs whose address bounced
//! at `/pro/admin/cfa`.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::{ProError, cfa};
use lba_core::pro::Role;

use super::auth::unavailable;
use super::offers::{Notice, notice_text};
use super::session::{self, ProUser};
use super::views::{
    CfaFindPage, CfaPage, Errors, Nav, OfferLine, RequestLine, date, meta, status_label,
};
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

/// Where the forms of CFA `uai`'s page post: the CFA's own routes, or the
/// administrator's.
fn base(pro: &ProUser, uai: Option<&str>) -> String {
    match uai {
        Some(uai) if pro.0.role == Role::Admin => format!("/pro/admin/cfa/{uai}"),
        _ => "/pro/cfa".to_owned(),
    }
}

/// The CFA's dashboard (`GET /pro` of a CFA account), or CFA `uai`'s page
/// for an administrator.
pub(crate) async fn page(
    state: &AppState,
    pro: &ProUser,
    uai: Option<&str>,
    notice: Option<String>,
    errors: Errors,
    status: StatusCode,
) -> Response {
    let key = &state.apply.config.key;
    let space = match cfa::space(&state.store, key, &pro.0, uai).await {
        Ok(s) => s,
        Err(ProError::NotFound) => return super::offers::not_found(),
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
    let offers = space
        .offers
        .into_iter()
        .map(|o| OfferLine {
            status: status_label(&o, Utc::now()),
            expires: date(o.expires_at),
            offer: o,
        })
        .collect();
    render(
        status,
        &CfaPage {
            meta: meta("Tableau de bord du CFA"),
            nav: Nav::of(&pro.0),
            base: base(pro, uai),
            as_admin: pro.0.role == Role::Admin,
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
    address(&state, &pro, None, f).await
}

/// POST `/pro/admin/cfa/{uai}/adresse`.
pub(crate) async fn admin_set_address(
    State(state): State<AppState>,
    pro: ProUser,
    Path(uai): Path<String>,
    Form(f): Form<AddressForm>,
) -> Response {
    address(&state, &pro, Some(&uai), f).await
}

async fn address(state: &AppState, pro: &ProUser, uai: Option<&str>, f: AddressForm) -> Response {
    if let Some(r) = refused(pro, f.csrf.as_deref(), uai) {
        return r;
    }
    let now = Utc::now();
    match cfa::set_contact_email(&state.store, &pro.0, uai, &f.contact_email, now).await {
        Ok(()) => done(pro, uai, "adresse"),
        Err(ProError::Fields(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(state, pro, uai, None, Errors(errors), status).await
        }
        Err(ProError::NotFound) => super::offers::not_found(),
        Err(e) => unavailable(&e),
    }
}

/// Why a form about the CFA's settings is refused: a bad CSRF token, or not
/// the CFA's own account (no `uai`) or an administrator (`uai` given).
fn refused(pro: &ProUser, csrf: Option<&str>, uai: Option<&str>) -> Option<Response> {
    if !pro.csrf_ok(csrf) {
        return Some(session::csrf_refused());
    }
    let allowed = if uai.is_some() {
        Role::Admin
    } else {
        Role::Cfa
    };
    pro.refused_unless(&[allowed])
}

/// Back to the page of the CFA with notice `avis`.
fn done(pro: &ProUser, uai: Option<&str>, avis: &str) -> Response {
    let to = match uai {
        Some(_) => format!("{}?avis={avis}", base(pro, uai)),
        None => format!("/pro?avis={avis}"),
    };
    Redirect::to(&to).into_response()
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
    requests(&state, &pro, None, f).await
}

/// POST `/pro/admin/cfa/{uai}/demandes`: the same for CFA `uai`.
pub(crate) async fn admin_set_requests(
    State(state): State<AppState>,
    pro: ProUser,
    Path(uai): Path<String>,
    Form(f): Form<RequestsForm>,
) -> Response {
    requests(&state, &pro, Some(&uai), f).await
}

async fn requests(state: &AppState, pro: &ProUser, uai: Option<&str>, f: RequestsForm) -> Response {
    if let Some(r) = refused(pro, f.csrf.as_deref(), uai) {
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
    match cfa::set_opted_out(&state.store, &pro.0, uai, stop, Utc::now()).await {
        Ok(()) => done(pro, uai, "demandes"),
        Err(ProError::NotFound) => super::offers::not_found(),
        Err(e) => unavailable(&e),
    }
}

/// GET `/pro/admin/cfa/{uai}`: CFA `uai`'s page as an administrator sees it.
pub(crate) async fn admin_page(
    State(state): State<AppState>,
    pro: ProUser,
    Path(uai): Path<String>,
    Query(n): Query<Notice>,
) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    page(
        &state,
        &pro,
        Some(&uai),
        notice(&n),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

/// The search form of `/pro/admin/cfa`.
#[derive(serde::Deserialize)]
pub(crate) struct FindForm {
    #[serde(default)]
    uai: String,
}

/// GET `/pro/admin/cfa`: find a CFA by its UAI; the CFAs whose address
/// bounced.
pub(crate) async fn admin_find(
    State(state): State<AppState>,
    pro: ProUser,
    Query(f): Query<FindForm>,
) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    // A UAI is 7 digits and a letter: anything else is dropped.
    let uai: String = f
        .uai
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !uai.is_empty() {
        return Redirect::to(&format!("/pro/admin/cfa/{uai}")).into_response();
    }
    match lba_app::appointments::suspended(&state.store).await {
        Ok(list) => render(
            StatusCode::OK,
            &CfaFindPage {
                meta: meta("CFA"),
                nav: Nav::of(&pro.0),
                suspended: list
                    .into_iter()
                    .map(|(uai, email, at)| (uai, email, date(at)))
                    .collect(),
            },
        ),
        Err(e) => unavailable(&ProError::Store(e)),
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
