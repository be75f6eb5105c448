//! Handing an offer to CFAs (`lba_app::pro::delegation`): the recruiter's
//! form on the offer page, and the page a CFA opens from its email's
//! signed link (the offer and the company's contact).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::lba_notify::Signature;
use lba_app::pro::{ProError, delegation};

use super::auth::unavailable;
use super::session::{self, ProUser};
use super::views::{self, DelegationPage, date, meta};
use crate::AppState;
use crate::pages::render;

/// POST `/pro/offres/{id}/cfa`: `csrf` and one `cfa` per chosen UAI.
pub(crate) async fn delegate(
    State(state): State<AppState>,
    pro: ProUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if !pro.csrf_ok(csrf) {
        return session::csrf_refused();
    }
    let chosen: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "cfa")
        .map(|(_, v)| v)
        .collect();
    if chosen.is_empty() {
        return views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Aucun CFA choisi",
            "Cochez au moins un CFA à qui transmettre l'offre.",
        );
    }
    match delegation::delegate(
        &state.store,
        &state.search,
        &pro.0,
        &id,
        &chosen,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/pro/offres/{id}?avis=transmise")).into_response(),
        Err(ProError::NotFound) => super::offers::not_found(),
        Err(ProError::Refused(why)) => views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Transmission impossible",
            &why,
        ),
        Err(e) => unavailable(&e),
    }
}

/// The query of a CFA's link.
#[derive(serde::Deserialize)]
pub(crate) struct LinkQuery {
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    sig: String,
}

/// GET `/pro/delegation/{offer}/{uai}?exp&sig`: what the CFA sees.
pub(crate) async fn for_cfa(
    State(state): State<AppState>,
    Path((offer, uai)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Response {
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    let key = &state.apply.config.key;
    match delegation::for_cfa(&state.store, key, &offer, &uai, &signature, Utc::now()).await {
        Ok((o, recruiter)) => render(
            StatusCode::OK,
            &DelegationPage {
                meta: meta(&o.title),
                open: o.status == "active" && o.expires_at > Utc::now(),
                expires: date(o.expires_at),
                contact: recruiter.map(|r| {
                    (
                        format!("{} {}", r.first_name, r.last_name),
                        r.email,
                        r.phone.unwrap_or_default(),
                    )
                }),
                offer: o,
            },
        ),
        Err(ProError::Refused(why)) => views::message(StatusCode::GONE, "Lien sans effet", &why),
        Err(ProError::NotFound) => super::offers::not_found(),
        Err(e) => unavailable(&e),
    }
}
