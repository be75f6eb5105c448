//! Company exclusions for administrators (`/pro/admin/exclusions`): the
//! companies kept out of the search, at their request or by the team; add
//! one by SIRET, let one back in. Handlers call
//! `lba_app::pro::exclusions`, which audits every change.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::{ProError, exclusions};
use lba_core::pro::Role;

use super::auth::unavailable;
use super::offers::{Notice, refresh_soon};
use super::session::{self, ProUser};
use super::views::{Errors, Nav, date, meta};
use crate::AppState;
use crate::pages::{Meta, render};

/// One exclusion as listed.
pub(crate) struct Line {
    pub(crate) siret: String,
    pub(crate) reason: &'static str,
    pub(crate) date: String,
}

#[derive(Template)]
#[template(path = "pro/exclusions.html")]
pub(crate) struct ExclusionsPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) exclusions: Vec<Line>,
    pub(crate) siret: String,
    pub(crate) reason: String,
    pub(crate) notice: Option<&'static str>,
    pub(crate) errors: Errors,
}

fn reason_label(code: &str) -> &'static str {
    match code {
        "opt_out" => "À sa demande",
        "blacklist" => "Retirée par l'équipe",
        _ => "",
    }
}

async fn page(
    state: &AppState,
    pro: &ProUser,
    form: AddForm,
    notice: Option<&'static str>,
    errors: Errors,
    status: StatusCode,
) -> Response {
    match exclusions::list(&state.store, &pro.0).await {
        Ok(list) => render(
            status,
            &ExclusionsPage {
                meta: meta("Entreprises exclues"),
                nav: Nav::of(&pro.0),
                exclusions: list
                    .into_iter()
                    .map(|e| Line {
                        reason: reason_label(&e.reason),
                        date: date(e.created_at),
                        siret: e.siret,
                    })
                    .collect(),
                siret: form.siret,
                reason: form.reason,
                notice,
                errors,
            },
        ),
        Err(e) => unavailable(&e),
    }
}

/// GET `/pro/admin/exclusions`.
pub(crate) async fn list(
    State(state): State<AppState>,
    pro: ProUser,
    Query(n): Query<Notice>,
) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    let notice = match n.avis.as_deref() {
        Some("exclue") => Some("L'entreprise n'apparaît plus dans les recherches."),
        Some("reintegree") => {
            Some("L'entreprise peut revenir : le prochain import la remettra dans les recherches.")
        }
        Some("sans_effet") => Some("Cette entreprise n'était pas exclue : rien n'a changé."),
        _ => None,
    };
    let ok = StatusCode::OK;
    page(
        &state,
        &pro,
        AddForm::default(),
        notice,
        Errors::default(),
        ok,
    )
    .await
}

/// The exclusion form.
#[derive(Default, serde::Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    siret: String,
    #[serde(default)]
    reason: String,
}

/// POST `/pro/admin/exclusions`: keeps a company out of the search.
pub(crate) async fn add(
    State(state): State<AppState>,
    pro: ProUser,
    Form(f): Form<AddForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    match exclusions::exclude(&state.store, &pro.0, &f.siret, &f.reason, Utc::now()).await {
        Ok(_) => {
            refresh_soon(&state);
            Redirect::to("/pro/admin/exclusions?avis=exclue").into_response()
        }
        Err(ProError::Fields(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &pro, f, None, Errors(errors), status).await
        }
        Err(e) => unavailable(&e),
    }
}

/// The form of a button (only its token).
#[derive(serde::Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    csrf: Option<String>,
}

/// POST `/pro/admin/exclusions/{siret}/retirer`: lets a company back in.
pub(crate) async fn remove(
    State(state): State<AppState>,
    pro: ProUser,
    Path(siret): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Admin]) {
        return r;
    }
    match exclusions::include(&state.store, &pro.0, &siret, Utc::now()).await {
        Ok(removed) => {
            let avis = if removed { "reintegree" } else { "sans_effet" };
            Redirect::to(&format!("/pro/admin/exclusions?avis={avis}")).into_response()
        }
        Err(ProError::NotFound) => super::offers::not_found(),
        Err(e) => unavailable(&e),
    }
}
